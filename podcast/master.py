"""Mastering: lay the segments out with music and pauses, set loudness from measured parts, one ffmpeg pass.

The episode is never held in memory. Speech segments stay in their files; only the stretches where
intro or outro music plays under the voice are mixed here (a few seconds each). Loudness comes from
per-part BS.1770 measurements (``loudness.py``), so one ffmpeg run can concatenate, apply the gain,
limit peaks and encode.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from . import loudness
from .audio import ffmpeg_exe, read_audio, run_ffmpeg
from .config import Config
from .errors import AudioError, ConfigError
from .files import EpisodeDir, assets_dir, temp_path_for
from .models import Episode, Sentence, Timeline, TimelineEntry

MUSIC_DUCK = 0.35  # gain of the music while the voice speaks over it
DUCK_RAMP = 0.5  # seconds over which the music dips before the voice starts
MAX_SEGMENT_GAP = 5.0  # seconds; a sanity bound on the configured pause
LAME_SPEED = 7  # LAME -q: 0 slowest/best .. 9 fastest; 7 halves encode time, inaudible at speech bitrates
LIMITER_MARGIN = 0.5  # dB under the true-peak ceiling for the sample-peak limiter (inter-sample and codec overs)
LIMITER_ATTACK = 5.0  # ms, the limiter's look-ahead
LIMITER_RELEASE = 50.0  # ms
SILENCE_LUFS = -70.0  # an episode this quiet has nothing in it
OUTPUT_RATE = 44_100  # Hz, what Apple Podcasts asks for
CALIBRATION_SECONDS = 30.0  # of one segment, run through the real limiter and encoder
CALIBRATION_TOLERANCE = 0.05  # LU; a smaller model error is left alone
BITRATES = {1: "96k", 2: "128k"}  # default per channel count: the low end of Apple's recommended ranges


def asset(config: Config, key: str, default: str) -> Path:
    """A configured audio/cover file, or the bundled one."""
    configured = config.get("show" if key == "cover" else "audio", key)
    return Path(configured) if configured else assets_dir() / default


def bitrate(config: Config) -> str:
    """The MP3 bitrate: ``audio.bitrate``, else the default for the channel count."""
    return config.get("audio", "bitrate") or BITRATES[channels(config)]


def channels(config: Config) -> int:
    """1 (mono, the default for speech) or 2."""
    count = config.get("audio", "channels")
    if count not in (1, 2):
        raise ConfigError(f"audio.channels must be 1 (mono) or 2 (stereo), not {count!r}", "set audio.channels = 1")
    return count


def inputs_digest(episode: Episode, spoken: list, config: Config) -> str:
    """A hash of everything mastering reads; equal hashes mean episode.mp3 would come out the same."""
    from . import __version__

    files = [asset(config, key, name) for key, name in (("intro", "intro.wav"), ("outro", "outro.wav"),
                                                         ("cover", "cover.jpg"))]
    data = {
        "version": __version__,
        "speech": [(s.id, s.keys) for s in spoken],
        "segments": [(s.id, s.kind, s.title, s.paper) for s in episode.segments],
        "episode": [episode.id, episode.show, episode.title, episode.date, episode.language,
                    [(p.id, p.title, p.url) for p in episode.papers]],
        "settings": [config.values["show"], config.values["audio"]],
        "files": [(str(f), f.stat().st_size, f.stat().st_mtime_ns) if f.exists() else str(f) for f in files],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _music_gain(length: int, rate: int, speech_start: int, speech_end: int | None, fade: int) -> np.ndarray:
    """Gain curve for music that ducks under the voice: full, ramp to MUSIC_DUCK, then fade."""
    gain = np.ones(length, dtype=np.float32)
    ramp = int(DUCK_RAMP * rate)
    if speech_end is None:  # intro: dip before the first word, then fade out under it
        speech_start = min(speech_start, length)
        a = max(0, speech_start - ramp)
        gain[a:speech_start] = np.linspace(1.0, MUSIC_DUCK, speech_start - a)
        tail = gain[speech_start:]
        tail[:] = MUSIC_DUCK * np.clip(1 - np.arange(len(tail)) / max(1, fade), 0, 1)
    else:  # outro: enter ducked under the last words, swell once they end
        speech_end = min(speech_end, length)
        gain[:speech_end] = MUSIC_DUCK * np.clip(np.arange(speech_end) / max(1, ramp), 0, 1)
        b = min(length, speech_end + ramp)
        gain[speech_end:b] = np.linspace(MUSIC_DUCK, 1.0, b - speech_end)
    return gain


def frames(path: Path, rate: int) -> int:
    """Samples in an audio file at ``rate``, from its header when possible (WAV, FLAC)."""
    native, count = None, None
    try:
        with wave.open(str(path), "rb") as handle:
            native, count = handle.getframerate(), handle.getnframes()
    except (wave.Error, EOFError, OSError):
        if Path(path).suffix.lower() == ".flac":
            from mutagen.flac import FLAC, error as FLACError

            try:
                info = FLAC(path).info
                native, count = info.sample_rate, info.total_samples
            except (FLACError, OSError):
                pass
    if native and count is not None:
        return count if native == rate else int(round(count * rate / native))
    return len(read_audio(path, rate))


@dataclass
class Part:
    """One non-overlapping piece of the episode: a speech file, or a stretch mixed here (music + voice)."""

    start: int  # sample at the layout rate; always on the loudness grid
    length: int  # samples at the layout rate
    path: Path | None = None  # a segment's audio file
    samples: np.ndarray | None = None  # a mixed stretch
    rate: int = 0  # the file's own rate


@dataclass
class Layout:
    """Where everything sits: the parts in order, the layout rate, and the timeline."""

    rate: int
    slot: float  # s, loudness grid
    parts: list[Part]
    total: int  # samples
    timeline: Timeline


def _up(n: int, step: int) -> int:
    return -(-n // step) * step


def layout(episode: Episode, spoken: list, config: Config) -> Layout:
    """Place music, segments and pauses; mix only where music overlaps the voice."""
    if not spoken:
        raise AudioError("there is nothing to master: the script has no segments", "check script.md")
    rate = max(s.sample_rate for s in spoken)
    slot_s = loudness.slot_seconds(rate)
    slot = round(slot_s * rate)
    pause = int(min(MAX_SEGMENT_GAP, max(0.0, config.get("audio", "pause"))) * rate)
    crossfade = int(max(0.0, config.get("audio", "crossfade")) * rate)
    intro = read_audio(asset(config, "intro", "intro.wav"), rate)
    outro = read_audio(asset(config, "outro", "outro.wav"), rate)

    first = _up(max(0, len(intro) - crossfade), slot)
    starts, lengths, cursor = [], [], first
    for segment in spoken:  # every segment starts on the grid; the pause after it rounds up to it
        starts.append(cursor)
        lengths.append(frames(segment.path, rate))
        cursor = _up(cursor + lengths[-1] + pause, slot)
    speech_end = starts[-1] + lengths[-1]
    outro_start = max(first, (speech_end - crossfade) // slot * slot)
    total = max(outro_start + len(outro), len(intro), speech_end)

    # Mixed stretches: from 0 over every segment the intro touches; from the outro (or the first
    # segment it touches) to the end. If they meet, the whole episode is one stretch.
    head_end = max([len(intro)] + [s + n for s, n in zip(starts, lengths) if s < len(intro)])
    touched = [s for s, n in zip(starts, lengths) if s + n > outro_start]
    tail_start = min([outro_start] + touched)
    stretches = [(0, head_end), (tail_start, total)] if head_end <= tail_start else [(0, total)]
    parts: list[Part] = []
    for begin, end in stretches:
        mix = np.zeros(end - begin, dtype=np.float32)
        if begin == 0:
            mix[: len(intro)] += intro * _music_gain(len(intro), rate, first, None, crossfade)
        if end == total:
            at = outro_start - begin
            mix[at: at + len(outro)] += outro * _music_gain(len(outro), rate, 0, speech_end - outro_start, 0)
        for start, n, segment in zip(starts, lengths, spoken):
            if begin <= start < end:
                audio = read_audio(segment.path, rate)[: end - start]
                mix[start - begin: start - begin + len(audio)] += audio
        parts.append(Part(begin, end - begin, samples=mix, rate=rate))
    covered = [(p.start, p.start + p.length) for p in parts]
    for start, n, segment in zip(starts, lengths, spoken):
        if not any(a <= start < b for a, b in covered):
            parts.append(Part(start, n, path=Path(segment.path), rate=segment.sample_rate))
    parts.sort(key=lambda p: p.start)
    return Layout(rate, slot_s, parts, total, _timeline(episode, spoken, starts, rate, total))


def _timeline(episode: Episode, spoken: list, starts: list[int], rate: int, total: int) -> Timeline:
    segments = {s.id: s for s in episode.segments}
    entries = []
    for i, (start, spoken_seg) in enumerate(zip(starts, spoken)):
        seg = segments.get(spoken_seg.id)
        begin = 0.0 if i == 0 else start / rate
        end = starts[i + 1] / rate if i + 1 < len(starts) else total / rate
        paper = episode.paper(seg.paper) if seg and seg.paper else None
        speakers = getattr(spoken_seg, "speakers", None) or []
        said = getattr(spoken_seg, "said", None) or []
        sentences = [Sentence(round(start / rate + a, 3), round(start / rate + b, 3), text,
                              speakers[k] if k < len(speakers) else "", said[k] if k < len(said) else "")
                     for k, (a, b, text) in enumerate(spoken_seg.sentences)]
        entries.append(TimelineEntry(segment=spoken_seg.id, kind=seg.kind if seg else "paper",
                                     title=seg.title if seg else spoken_seg.id, start=round(begin, 3),
                                     end=round(end, 3), url=paper.url if paper else "", sentences=sentences))
    return Timeline(duration=round(total / rate, 3), entries=entries)


def measure(plan: Layout, cache_dir: Path | None = None) -> np.ndarray:
    """The laid-out episode's slot measures (K-weighted energy, peak), from each part's own."""
    cache = loudness.MeasureCache(cache_dir)
    slot = round(plan.slot * plan.rate)
    parts = []
    for part in plan.parts:
        if part.samples is not None:
            measures = loudness.slot_measures(part.samples, plan.rate, plan.slot)
        else:
            measures = cache.measures(part.path, part.rate, plan.slot)
        parts.append((part.start // slot, measures))
    return loudness.place(parts, plan.slot, plan.total / plan.rate)


def _float_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """A 32-bit float mono WAV: a mixed stretch keeps its headroom until the gain is applied."""
    data = np.asarray(samples, dtype="<f4").tobytes()
    fmt = (3).to_bytes(2, "little") + (1).to_bytes(2, "little") + rate.to_bytes(4, "little") + \
        (rate * 4).to_bytes(4, "little") + (4).to_bytes(2, "little") + (32).to_bytes(2, "little")
    Path(path).write_bytes(b"RIFF" + (36 + len(data)).to_bytes(4, "little") + b"WAVEfmt " + len(fmt).to_bytes(4, "little")
                           + fmt + b"data" + len(data).to_bytes(4, "little") + data)


def limiter_ceiling(config: Config) -> float:
    """The limiter's sample-peak ceiling in dBFS: the true-peak target less a margin."""
    return config.get("audio", "true_peak") - LIMITER_MARGIN


def fit(plan: Layout, slots: np.ndarray, config: Config, offset: float = 0.0) -> tuple[float, float]:
    """(gain dB, loudness expected after the limiter) that land the episode on audio.loudness.

    ``offset`` is how much louder the real chain comes out than the model predicts (see calibrate).
    """
    seconds = plan.total / plan.rate
    if loudness.integrated(slots, plan.slot, seconds) <= SILENCE_LUFS:
        raise AudioError("the episode is silent", "check the speech engine's output with `podcast voices`")
    gain, expected = loudness.fit_gain(slots, plan.slot, seconds, config.get("audio", "loudness") - offset,
                                       limiter_ceiling(config), LIMITER_ATTACK / 1000, LIMITER_RELEASE / 1000)
    return gain, expected + offset


def _chain(gain: float, config: Config) -> str:
    """The filters after the concatenation: gain, resampling to 44.1 kHz, the limiter, the channel layout."""
    ceiling = 10 ** (limiter_ceiling(config) / 20)
    layout_name = "stereo" if channels(config) == 2 else "mono"
    return (f"volume={gain:.3f}dB,aresample={OUTPUT_RATE},alimiter=limit={ceiling:.4f}:level=false:"
            f"attack={LIMITER_ATTACK:g}:release={LIMITER_RELEASE:g},aformat=channel_layouts={layout_name}")


def _codec(config: Config) -> list[str]:
    return ["-c:a", "libmp3lame", "-b:a", bitrate(config), "-compression_level", str(LAME_SPEED),
            "-ar", str(OUTPUT_RATE)]


def calibrate(plan: Layout, gain: float, config: Config) -> float:
    """LU by which the real limiter and MP3 encoder land above the model, measured on an excerpt.

    CBR MP3 reads a few tenths of a LU quieter than its input, and the limiter model is an estimate;
    CALIBRATION_SECONDS of a middle segment through the real chain says by how much, for this material.
    """
    speech = [p for p in plan.parts if p.path is not None] or plan.parts
    part = speech[len(speech) // 2]
    rate = part.rate
    samples = part.samples if part.samples is not None else read_audio(part.path, rate)
    excerpt = np.ascontiguousarray(samples[: int(CALIBRATION_SECONDS * rate)], dtype="<f4")
    seconds = len(excerpt) / rate
    if seconds < loudness.BLOCK * 2:
        return 0.0
    measures = loudness.slot_measures(excerpt, rate, plan.slot)
    model = loudness.gated_loudness(loudness.block_energies(
        loudness.limited(measures, gain, limiter_ceiling(config), plan.slot, LIMITER_ATTACK / 1000,
                         LIMITER_RELEASE / 1000), plan.slot, seconds))
    encoded = run_ffmpeg(["-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0", "-af", _chain(gain, config),
                          *_codec(config), "-f", "mp3", "pipe:1"], input=excerpt.tobytes(), what="calibrate the encoder")
    decoded = run_ffmpeg(["-i", "pipe:0", "-f", "f32le", "-ac", "1", "-ar", str(OUTPUT_RATE), "pipe:1"],
                         input=encoded.stdout, what="calibrate the encoder")
    heard = np.frombuffer(decoded.stdout, dtype="<f4")
    actual = loudness.integrated(loudness.slot_measures(heard, OUTPUT_RATE, plan.slot), plan.slot,
                                 len(heard) / OUTPUT_RATE)
    if not (math.isfinite(actual) and math.isfinite(model)) or min(actual, model) <= SILENCE_LUFS:
        return 0.0
    return actual - model


def encode(plan: Layout, gain: float, out: Path, config: Config, work: Path,
           progress: Callable[[float], None] | None = None) -> None:
    """One ffmpeg run: concatenate the parts with their pauses, apply ``gain`` dB, limit, encode MP3."""
    inputs, chains = [], []
    for i, part in enumerate(plan.parts):
        path = part.path
        if part.samples is not None:
            path = work / f"mix{i}.wav"
            _float_wav(path, part.samples, plan.rate)
        following = plan.parts[i + 1].start if i + 1 < len(plan.parts) else plan.total
        pad = max(0, following - part.start - part.length)
        inputs += ["-i", str(path)]
        resample = f"aresample={plan.rate}," if part.rate != plan.rate else ""
        chains.append(f"[{i}:a]{resample}aformat=sample_fmts=flt:channel_layouts=mono,"
                      f"atrim=end_sample={part.length},apad=whole_len={part.length + pad}[p{i}]")
    graph = ";".join(chains) + ";" + "".join(f"[p{i}]" for i in range(len(plan.parts))) + (
        f"concat=n={len(plan.parts)}:v=0:a=1,{_chain(gain, config)}[out]")
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-nostats", "-progress", "pipe:1",
           *inputs, "-filter_complex", graph, "-map", "[out]", *_codec(config),
           "-map_metadata", "-1", "-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3", "-y", str(out)]
    errors = work / "ffmpeg.log"
    with open(errors, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log)
        try:
            assert proc.stdout is not None
            for line in proc.stdout:  # "out_time_us=123" lines: how far the encode has got
                if progress and line.startswith(b"out_time_us=") and line[12:].strip().isdigit():
                    progress(int(line[12:]) / 1e6)
            code = proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
    if code != 0:
        lines = errors.read_text("utf-8", "replace").strip().splitlines()
        raise AudioError(f"ffmpeg could not master the episode: {lines[-1] if lines else f'exit {code}'}",
                         "check the segment audio files and free disk space")


def master(episode: Episode, spoken: list, folder: EpisodeDir, config: Config,
           progress: Callable[[int, int], None] | None = None, cache_dir: Path | None = None) -> Timeline:
    """Write episode.mp3 (tagged), mastering.json and timeline.json; return the timeline."""
    from .cover import checked_cover
    from .report import write_report
    from .tags import tag_mp3

    step = progress or (lambda done, total: None)
    cover = checked_cover(config)
    plan = layout(episode, spoken, config)
    step(0, 100)
    slots = measure(plan, cache_dir)
    gain, expected = fit(plan, slots, config)
    offset = calibrate(plan, gain, config)
    if abs(offset) > CALIBRATION_TOLERANCE:
        gain, expected = fit(plan, slots, config, offset)
    step(10, 100)
    seconds = plan.total / plan.rate
    tmp = temp_path_for(folder.mp3)
    work = Path(tempfile.mkdtemp(prefix=".master-", dir=folder.root))
    try:
        encode(plan, gain, tmp, config, work,
               progress=lambda t: step(10 + min(85, int(85 * t / max(seconds, 1e-9))), 100))
        tag_mp3(tmp, episode, plan.timeline, config, cover)
        write_report(tmp, folder.mastering, predicted=expected)
        os.replace(tmp, folder.mp3)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    step(100, 100)
    plan.timeline.save(folder.timeline)
    return plan.timeline
