"""What mastering is set to: the output format, the limiter, the music under the voice, and the files it uses."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..errors import ConfigError
from ..files import assets_dir

OUTPUT_RATE = 44_100  # Hz, what Apple Podcasts asks for
FRAME = 1152  # samples per MP3 frame (MPEG-1 Layer III)
CODEC_DELAY = 576 + 529  # samples: LAME's encoder delay plus the decoder's, before the first input sample
BITRATES = {1: "96k", 2: "128k"}  # default per channel count: the low end of Apple's recommended ranges
LAME_SPEED = 7  # LAME -q: 0 slowest/best .. 9 fastest; 7 halves encode time, inaudible at speech bitrates
LIMITER_MARGIN = 0.5  # dB under the true-peak ceiling for the sample-peak limiter (inter-sample and codec overs)
LIMITER_ATTACK = 5.0  # ms, the limiter's look-ahead (compensated: it does not delay the audio)
LIMITER_RELEASE = 50.0  # ms
MUSIC_DUCK = 0.35  # gain of the music while the voice speaks over it
DUCK_RAMP = 0.5  # seconds over which the music dips before the voice starts
MAX_SEGMENT_GAP = 5.0  # seconds; a sanity bound on the configured pause


def asset(config: Config, key: str, default: str) -> Path:
    """A configured audio file (``audio.intro``, ``audio.outro``), or the bundled one."""
    configured = config.get("audio", key)
    return Path(configured) if configured else assets_dir() / default


def channels(config: Config) -> int:
    """1 (mono, the default for speech) or 2."""
    count = config.get("audio", "channels")
    if count not in (1, 2):
        raise ConfigError(f"audio.channels must be 1 (mono) or 2 (stereo), not {count!r}", "set audio.channels = 1")
    return count


def bitrate(config: Config) -> str:
    """The MP3 bitrate: ``audio.bitrate``, else the default for the channel count."""
    return config.get("audio", "bitrate") or BITRATES[channels(config)]


def limiter_ceiling(config: Config) -> float:
    """The limiter's sample-peak ceiling in dBFS: the true-peak target less a margin."""
    return config.get("audio", "true_peak") - LIMITER_MARGIN


def chain(gain: float, config: Config) -> str:
    """The filters after the layout: gain, resampling to 44.1 kHz, the limiter, the channel layout."""
    ceiling = 10 ** (limiter_ceiling(config) / 20)
    layout_name = "stereo" if channels(config) == 2 else "mono"
    return (f"volume={gain:.3f}dB,aresample={OUTPUT_RATE},alimiter=limit={ceiling:.4f}:level=false:"
            f"attack={LIMITER_ATTACK:g}:release={LIMITER_RELEASE:g}:latency=1,"
            f"aformat=channel_layouts={layout_name}")


def codec(config: Config) -> list[str]:
    """ffmpeg's output options for the episode's MP3 encoding."""
    return ["-c:a", "libmp3lame", "-b:a", bitrate(config), "-compression_level", str(LAME_SPEED),
            "-ar", str(OUTPUT_RATE)]
