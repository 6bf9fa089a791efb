"""Audio plumbing over the ffmpeg that imageio-ffmpeg ships (there is no ffprobe)."""

from __future__ import annotations

import json
import re
import subprocess
import wave
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import AudioError

PCM_MAX = 32_767  # largest 16-bit sample value


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """Path to the bundled ffmpeg binary."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(args: list[str], *, input: bytes | None = None) -> subprocess.CompletedProcess:
    """Run ffmpeg with ``args``; a failure is an AudioError carrying ffmpeg's last line."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", *args]
    proc = subprocess.run(cmd, input=input, capture_output=True)
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AudioError(f"ffmpeg failed: {lines[-1] if lines else 'no output'}",
                         "check the input audio file and free disk space")
    return proc


def read_audio(path: Path, sample_rate: int) -> np.ndarray:
    """Decode any audio file to mono float32 at ``sample_rate``."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"audio file {path} does not exist", "check the path in podcast.toml [audio]")
    if path.suffix.lower() == ".wav":
        with wave.open(str(path), "rb") as handle:
            if handle.getframerate() == sample_rate and handle.getsampwidth() == 2:
                data = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2")
                frames = data.reshape(-1, handle.getnchannels()).mean(axis=1)
                return (frames / PCM_MAX).astype(np.float32)
    proc = run_ffmpeg(["-i", str(path), "-f", "f32le", "-ac", "1", "-ar", str(sample_rate), "-"])
    return np.frombuffer(proc.stdout, dtype="<f4").copy()


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    """Write mono float samples as a 16-bit WAV (callers write to a temp path, then rename)."""
    pcm = to_pcm16(samples)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(sample_rate)
        handle.writeframes(pcm.tobytes())


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] as little-endian int16."""
    return (np.clip(samples, -1.0, 1.0) * PCM_MAX).astype("<i2")


def loudnorm_filter(target_lufs: float, true_peak: float, measured: dict | None = None) -> str:
    """The ffmpeg loudnorm filter string; with ``measured`` (first pass), the accurate second pass."""
    base = f"loudnorm=I={target_lufs}:TP={true_peak}:LRA=11"
    if not measured:
        return base + ":print_format=json"
    return (base + f":measured_I={measured['input_i']}:measured_TP={measured['input_tp']}"
            f":measured_LRA={measured['input_lra']}:measured_thresh={measured['input_thresh']}"
            f":offset={measured['target_offset']}:linear=true:print_format=summary")


def measure_for_loudnorm(path: Path, target_lufs: float, true_peak: float) -> dict:
    """First loudnorm pass: the input's loudness statistics."""
    proc = run_ffmpeg(["-i", str(path), "-af", loudnorm_filter(target_lufs, true_peak), "-f", "null", "-"])
    text = proc.stderr.decode("utf-8", "replace")
    match = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", text)
    if not match:
        raise AudioError("could not measure loudness: ffmpeg printed no loudnorm statistics")
    return json.loads(match.group(0))


def measure_loudness(path: Path) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBTP) of a finished file, per EBU R128."""
    proc = run_ffmpeg(["-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"])
    text = proc.stderr.decode("utf-8", "replace")
    summary = text[text.rfind("Summary:"):]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not integrated or not peak:
        raise AudioError("could not measure loudness: ffmpeg printed no ebur128 summary")
    return float(integrated.group(1)), float(peak.group(1))
