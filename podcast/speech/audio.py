"""Audio helpers for the speech stage: click-free joins and sentence alignment."""

from __future__ import annotations

import numpy as np


FADE = 0.008  # s, fade at every join so pieces never start or end on a jump
SENTENCE_PAUSE = 0.30  # s of silence between sentences an engine speaks one by one
PIECE_PAUSE = 0.30  # s of silence between the pieces of a segment
SNAP_WINDOW = 0.8  # s either side of an estimated sentence boundary searched for the quietest spot
QUIET_FRAME = 0.02  # s, the energy window used when looking for pauses
QUIET_DB = -45.0  # dBFS: a frame this quiet (RMS) is silence, when trimming an engine's padding


def fade_edges(samples: np.ndarray, sample_rate: int, seconds: float = FADE) -> np.ndarray:
    """A copy of ``samples`` with short linear fades in and out (no jump at either end)."""
    out = np.asarray(samples, dtype=np.float32).copy()
    n = min(int(seconds * sample_rate), len(out) // 2)
    if n > 0:
        ramp = np.linspace(0.0, 1.0, n, endpoint=False, dtype=np.float32)
        out[:n] *= ramp
        out[-n:] *= ramp[::-1]
    return out


def trim_silence(samples: np.ndarray, sample_rate: int, lead: float, trail: float) -> np.ndarray:
    """``samples`` without the silence at either end beyond ``lead`` / ``trail`` seconds (kept whole if all quiet)."""
    frame = max(1, int(QUIET_FRAME * sample_rate))
    frames = len(samples) // frame
    if frames == 0:
        return samples
    rms = np.sqrt(np.square(samples[: frames * frame].astype(np.float64)).reshape(frames, frame).mean(axis=1))
    loud = np.nonzero(rms > 10 ** (QUIET_DB / 20))[0]
    if not len(loud):
        return samples
    start = max(0, loud[0] * frame - int(lead * sample_rate))
    end = min(len(samples), (loud[-1] + 1) * frame + int(trail * sample_rate))
    return samples[start:end]


def join(parts: list[np.ndarray], sample_rate: int, pause: float | list[float]) -> tuple[np.ndarray, list[float]]:
    """Concatenate ``parts`` with faded edges and ``pause`` seconds of silence between them (or one per gap).

    Returns the joined samples and the start time (s) of each part.
    """
    pauses = pause if isinstance(pause, list) else [pause] * max(0, len(parts) - 1)
    chunks: list[np.ndarray] = []
    starts: list[float] = []
    length = 0
    for i, part in enumerate(parts):
        if i:
            gap = np.zeros(int(round(pauses[i - 1] * sample_rate)), dtype=np.float32)
            chunks.append(gap)
            length += len(gap)
        starts.append(length / sample_rate)
        faded = fade_edges(part, sample_rate)
        chunks.append(faded)
        length += len(faded)
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    return samples, starts


def join_sentences(parts: list[np.ndarray], texts: list[str], sample_rate: int,
                   pause: float = SENTENCE_PAUSE) -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    """Join per-sentence audio and return it with each sentence's (start, end, text)."""
    samples, starts = join(parts, sample_rate, pause)
    sentences = [(start, start + len(part) / sample_rate, text) for start, part, text in zip(starts, parts, texts)]
    return samples, sentences


def align_sentences(samples: np.ndarray, sample_rate: int, texts: list[str]) -> list[tuple[float, float, str]]:
    """Estimate each sentence's span in audio that speaks ``texts`` in one go.

    Boundaries are first placed in proportion to the sentences' lengths, then moved to the
    quietest moment within ``SNAP_WINDOW`` of that estimate (speakers pause between sentences).
    """
    duration = len(samples) / sample_rate
    if not texts:
        return []
    if len(texts) == 1 or duration == 0:
        return [(0.0, duration, texts[0])] + [(duration, duration, t) for t in texts[1:]]
    frame = max(1, int(QUIET_FRAME * sample_rate))
    frames = len(samples) // frame
    energy = np.square(samples[: frames * frame].astype(np.float64)).reshape(frames, frame).mean(axis=1)
    weights = np.array([max(len(t), 1) for t in texts], dtype=np.float64)
    cuts = np.cumsum(weights)[:-1] / weights.sum() * duration
    bounds = [0.0]
    for cut in cuts:
        lo = max(int((cut - SNAP_WINDOW) * sample_rate / frame), int(bounds[-1] * sample_rate / frame) + 1)
        hi = min(int((cut + SNAP_WINDOW) * sample_rate / frame), frames - 1)
        if lo < hi:
            quiet = lo + int(np.argmin(energy[lo:hi + 1]))
            cut = (quiet + 0.5) * frame / sample_rate
        bounds.append(max(cut, bounds[-1]))
    bounds.append(duration)
    return [(bounds[i], bounds[i + 1], text) for i, text in enumerate(texts)]
