"""Captions from the timeline's written sentences: WebVTT and SRT cues sized for reading."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..models import Timeline

LINE_CHARS = 42  # characters per caption line (broadcast and streaming style guides)
CUE_LINES = 2  # lines per cue
READING_CPS = 17.0  # characters per second a viewer can comfortably read
BREAK_AFTER = ",;:—–)"  # a line or cue reads best when it ends after one of these


@dataclass
class Cue:
    """One caption: its time span (s) and its lines."""

    start: float
    end: float
    lines: list[str]
    speaker: str = ""  # Host.name of who says it; empty for a one-voice episode

    @property
    def text(self) -> str:
        """The cue's text on one line."""
        return " ".join(self.lines)


def _fill(words: list[str], width: int) -> list[str]:
    """Greedy lines of at most ``width`` characters; a longer word is cut."""
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not word:
            continue
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def _two_lines(text: str) -> list[str]:
    """``text`` (at most two lines' worth) as one line, or two balanced lines split at a space."""
    if len(text) <= LINE_CHARS:
        return [text]
    best = None
    for i, char in enumerate(text):
        if char != " ":
            continue
        left, right = text[:i], text[i + 1:]
        if len(left) > LINE_CHARS or len(right) > LINE_CHARS:
            continue
        score = abs(len(left) - len(right)) - (8 if left[-1:] in BREAK_AFTER else 0)
        if best is None or score < best[0]:
            best = (score, [left, right])
    return best[1] if best else _fill(text.split(), LINE_CHARS)


def _fits(piece: str) -> bool:
    lines = _two_lines(piece)
    return len(lines) <= CUE_LINES and all(len(line) <= LINE_CHARS for line in lines)


def _chunks(text: str) -> list[str]:
    """Split a sentence into pieces that each fit one cue, balanced in length."""
    words = [w[i:i + LINE_CHARS] for w in text.split() for i in range(0, len(w), LINE_CHARS)]
    text = " ".join(words)
    if _fits(text):
        return [text]
    count = math.ceil(len(_fill(words, LINE_CHARS)) / CUE_LINES)
    while True:  # pack words into `count` cues of similar length; add a cue if one will not fit
        target = len(text) / count
        pieces: list[str] = []
        current: list[str] = []
        for word in words:
            if current and len(" ".join([*current, word])) > target * 1.15 and len(pieces) < count - 1:
                pieces.append(" ".join(current))
                current = [word]
            else:
                current.append(word)
        pieces.append(" ".join(current))
        if all(_fits(p) for p in pieces):
            return pieces
        count += 1


def cues(timeline: Timeline) -> list[Cue]:
    """Every written sentence as cues of at most two 42-character lines, read at about 17 characters/s.

    A long sentence is split into cues timed in proportion to their length; a cue that would be read
    too fast stays up longer, into the pause before the next one.
    """
    out: list[Cue] = []
    for entry in timeline.entries:
        for sentence in entry.sentences:
            text = " ".join(sentence.text.split())
            if not text:
                continue
            pieces = _chunks(text)
            total = sum(len(p) for p in pieces)
            cursor, span = sentence.start, max(0.0, sentence.end - sentence.start)
            for piece in pieces:
                length = span * len(piece) / total
                out.append(Cue(round(cursor, 3), round(cursor + length, 3), _two_lines(piece),
                               getattr(sentence, "speaker", "")))
                cursor += length
    for cue, following in zip(out, out[1:] + [None]):
        needed = cue.start + len(cue.text) / READING_CPS
        limit = following.start if following else max(cue.end, needed)
        if cue.end < needed:
            cue.end = round(max(cue.end, min(needed, limit)), 3)
    return out


def _clock(seconds: float, separator: str) -> str:
    millis = int(round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _vtt_escape(text: str) -> str:
    # WebVTT cue text has tags (<v>, <b>): a literal < or & must be an entity to show as text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(timeline: Timeline) -> str:
    """A WebVTT transcript; a voice tag (``<v Ada>``) names the host who says each cue."""
    lines = ["WEBVTT", ""]
    for cue in cues(timeline):
        text = [_vtt_escape(line) for line in cue.lines]
        if cue.speaker:
            text[0] = f"<v {_vtt_escape(cue.speaker)}>{text[0]}"
        lines += [f"{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}", *text, ""]
    return "\n".join(lines)


def to_srt(timeline: Timeline) -> str:
    """An SRT transcript, numbered cues; ``Ada: `` starts a cue when the speaker changes."""
    lines: list[str] = []
    previous = ""
    for number, cue in enumerate(cues(timeline), 1):
        text = list(cue.lines)
        if cue.speaker and cue.speaker != previous:
            text[0] = f"{cue.speaker}: {text[0]}"
        previous = cue.speaker or previous
        lines += [str(number), f"{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}", *text, ""]
    return "\n".join(lines)
