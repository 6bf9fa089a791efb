"""Audio checks on every synthesized piece: empty, silent, or far shorter or longer than its words imply.

A piece that fails is never cached and never reaches the episode as a quiet gap: the speak stage
retries it (network engines; a service may send a broken reply once) and then stops with an error
naming the segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, EngineError
from .retry import transient

if TYPE_CHECKING:
    from .base import Engine, Speech

REFERENCE_WPM = 150.0  # words per minute the seconds-per-word bounds are written for; faster voices scale them
SILENT_DB = -50.0  # dBFS: audio whose loudest 20 ms frame is quieter than this is silence
FRAME = 0.02  # s, the window for loudness
ALLOWANCE = 1.0  # s added to the upper bound: a few words still get a sentence's pauses
MAX_SILENCE = 4.0  # s: a longer quiet stretch inside a piece is a hole, not a pause
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")  # scripts written without spaces
CJK_WORDS = 0.5  # words per Chinese or Japanese character, for the bounds


@dataclass(frozen=True)
class Bounds:
    """How long speech may be per word, at a voice speaking REFERENCE_WPM words per minute."""

    min_seconds_per_word: float = 0.25
    max_seconds_per_word: float = 1.2

    @classmethod
    def from_config(cls, config: Any) -> Bounds:
        """``[speech] min_seconds_per_word`` and ``max_seconds_per_word``; the lower must be below the upper."""
        low, high = config.get("speech", "min_seconds_per_word"), config.get("speech", "max_seconds_per_word")
        if not 0 <= low < high:
            raise ConfigError(f"[speech] min_seconds_per_word ({low}) must be at least 0 and below "
                              f"max_seconds_per_word ({high})", "the defaults are 0.25 and 1.2")
        return cls(float(low), float(high))


def problem(speech: Speech, text: str, engine: Engine, bounds: Bounds) -> str | None:
    """What is wrong with ``speech`` for ``text``, or None when it is usable."""
    import numpy as np

    samples = np.asarray(speech.samples)
    if len(samples) == 0 or speech.duration < FRAME:
        return "is empty"
    if not np.all(np.isfinite(samples)):
        return "holds invalid samples (NaN or infinity)"
    frame = max(1, int(FRAME * speech.sample_rate))
    frames = max(1, len(samples) // frame)
    padded = np.zeros(frames * frame, dtype=np.float64)
    padded[:min(len(samples), len(padded))] = samples[:len(padded)]
    level = 10 * np.log10(np.square(padded).reshape(frames, frame).mean(axis=1) + 1e-20)
    if level.max() < SILENT_DB:
        return "is silent"
    words = count_words(text)
    scale = REFERENCE_WPM / max(engine.speaking_rate(engine.options), 1e-6)  # s per word relative to the reference
    shortest = bounds.min_seconds_per_word * scale * words
    longest = bounds.max_seconds_per_word * scale * words + ALLOWANCE
    if speech.duration < shortest:
        return (f"is too short: {speech.duration:.1f} s for {words:g} words (expected at least {shortest:.1f} s, "
                f"[speech] min_seconds_per_word = {bounds.min_seconds_per_word:g})")
    if speech.duration > longest:
        return (f"is too long: {speech.duration:.1f} s for {words:g} words (expected at most {longest:.1f} s, "
                f"[speech] max_seconds_per_word = {bounds.max_seconds_per_word:g})")
    hole = _longest_quiet(level) * FRAME
    if hole > MAX_SILENCE:
        return f"has {hole:.1f} s of silence in it"
    return None


def count_words(text: str) -> float:
    """Words as a listener hears them: space-separated tokens with a letter or digit; CJK characters count half."""
    count = 0.0
    for token in text.split():
        wide = len(_CJK.findall(token))
        rest = _CJK.sub("", token)
        count += wide * CJK_WORDS + (1 if any(c.isalnum() for c in rest) else 0)
    return count


def _longest_quiet(level: Any) -> int:
    """The longest run of quiet frames, in frames."""
    best = run = 0
    for quiet in (level < SILENT_DB).tolist():
        run = run + 1 if quiet else 0
        best = max(best, run)
    return best


def checked(speech: Speech, text: str, engine: Engine, bounds: Bounds | None, segment: str) -> Speech:
    """``speech`` if it passes; else an error naming ``segment`` (transient for a network engine, so it is retried)."""
    if bounds is None:
        return speech
    found = problem(speech, text, engine, bounds)
    if found is None:
        return speech
    message = f"the speech for segment {segment} from engine {engine.name!r} {found}"
    if engine.network:
        raise transient(message, "the service sent unusable audio; try again, or another voice or engine")
    raise EngineError(message, "check the segment's text in script.md, or try another voice or engine")
