"""The episode's layout: where the music, each segment and the pauses sit, and the timeline they give.

Speech segments stay in their files; only the stretches where intro or outro music plays under the
voice are mixed here (a few seconds each). Every part starts on the loudness grid (``loudness.py``),
so the parts' own measurements combine into the whole episode's.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..audio import read_audio
from ..config import Config
from ..errors import AudioError
from ..models import Episode, Sentence, Timeline, TimelineEntry
from . import loudness
from .settings import DUCK_RAMP, MAX_SEGMENT_GAP, MUSIC_DUCK, asset


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

    @property
    def audio(self) -> Path | np.ndarray:
        """What to read: the mixed samples, or the segment's file."""
        return self.samples if self.samples is not None else self.path


@dataclass
class Layout:
    """Where everything sits: the parts in order, each segment's start, all in samples at the layout rate."""

    rate: int
    slot: float  # s, loudness grid
    parts: list[Part]
    total: int  # samples
    starts: list[int]  # each spoken segment's first sample


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
    return Layout(rate, slot_s, parts, total, starts)


def timeline(episode: Episode, spoken: list, plan: Layout, clock, duration: float) -> Timeline:
    """The timeline of the laid-out segments; ``clock`` turns a layout sample into seconds in the MP3."""
    segments = {s.id: s for s in episode.segments}
    starts = [clock(start) for start in plan.starts]
    entries = []
    for i, (start, spoken_seg) in enumerate(zip(starts, spoken)):
        seg = segments.get(spoken_seg.id)
        begin = 0.0 if i == 0 else start
        end = starts[i + 1] if i + 1 < len(starts) else duration
        paper = episode.paper(seg.paper) if seg and seg.paper else None
        speakers = getattr(spoken_seg, "speakers", None) or []
        said = getattr(spoken_seg, "said", None) or []
        sentences = [Sentence(round(start + a, 3), round(start + b, 3), text,
                              speakers[k] if k < len(speakers) else "", said[k] if k < len(said) else "")
                     for k, (a, b, text) in enumerate(spoken_seg.sentences)]
        entries.append(TimelineEntry(segment=spoken_seg.id, kind=seg.kind if seg else "paper",
                                     title=seg.title if seg else spoken_seg.id, start=round(begin, 3),
                                     end=round(end, 3), url=paper.url if paper else "", sentences=sentences))
    return Timeline(duration=round(duration, 3), entries=entries)
