"""Companion files from the timeline: transcripts (VTT, SRT) and show notes."""

from __future__ import annotations

from .config import Config
from .files import EpisodeDir, atomic_write_text
from .models import Episode, Timeline


def _clock(seconds: float, separator: str) -> str:
    millis = int(round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def chapter_clock(seconds: float) -> str:
    """"M:SS" or "H:MM:SS", as YouTube descriptions and show notes show chapter starts."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _cues(timeline: Timeline) -> list[tuple[float, float, str, str]]:
    return [(s.start, s.end, s.text, s.speaker) for entry in timeline.entries for s in entry.sentences
            if s.text.strip()]


def _vtt_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(timeline: Timeline) -> str:
    """A WebVTT transcript, one cue per sentence; a voice tag (``<v Ada>``) names the host who says it."""
    lines = ["WEBVTT", ""]
    for start, end, text, speaker in _cues(timeline):
        voice = f"<v {_vtt_text(speaker)}>" if speaker else ""
        lines += [f"{_clock(start, '.')} --> {_clock(end, '.')}", voice + _vtt_text(text), ""]
    return "\n".join(lines)


def to_srt(timeline: Timeline) -> str:
    """An SRT transcript, one numbered cue per sentence; ``Ada: `` starts a cue when the speaker changes."""
    lines: list[str] = []
    previous = ""
    for number, (start, end, text, speaker) in enumerate(_cues(timeline), 1):
        prefix = f"{speaker}: " if speaker and speaker != previous else ""
        previous = speaker or previous
        lines += [str(number), f"{_clock(start, ',')} --> {_clock(end, ',')}", prefix + text, ""]
    return "\n".join(lines)


def show_notes(episode: Episode, timeline: Timeline, config: Config) -> str:
    """Markdown show notes: chapters with times, then each paper's written summary and links."""
    lines = [f"# {episode.title or episode.show + ': ' + episode.id}", ""]
    description = config.get("show", "description")
    if description:
        lines += [description, ""]
    if episode.hosts:
        lines += ["Hosts: " + "; ".join(f"{h.name}, {h.persona}" if h.persona else h.name for h in episode.hosts),
                  ""]
    lines += ["## Chapters", ""]
    lines += [f"- {chapter_clock(e.start)} {e.title}" for e in timeline.entries]
    lines += ["", "## Papers", ""]
    for number, paper in enumerate(episode.papers, 1):
        link = f"[{paper.title}]({paper.url})" if paper.url else paper.title
        lines += [f"### {number}. {link}", ""]
        if paper.authors:
            lines += [", ".join(paper.authors), ""]
        if paper.summary or paper.abstract:
            lines += [paper.summary or paper.abstract, ""]
        lines += [f"- {url}" for url in paper.links[1:]]
        if paper.links[1:]:
            lines.append("")
    if episode.closing_text or episode.closing_links:
        lines += ["---", "", episode.closing_text, ""] + [f"- {url}" for url in episode.closing_links]
    return "\n".join(lines).rstrip() + "\n"


def write_companions(episode: Episode, timeline: Timeline, folder: EpisodeDir, config: Config) -> None:
    """Write transcript.vtt, transcript.srt and show-notes.md beside the MP3."""
    atomic_write_text(folder.vtt, to_vtt(timeline))
    atomic_write_text(folder.srt, to_srt(timeline))
    atomic_write_text(folder.notes, show_notes(episode, timeline, config))
