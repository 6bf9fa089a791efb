"""The data model that flows through every stage: Paper, Segment, Episode, Timeline."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .files import atomic_write_text

SEGMENT_KINDS = ("intro", "overview", "paper", "outro")


@dataclass
class Paper:
    """One paper as the newsletter (or arXiv) describes it."""

    id: str  # arXiv id when known ("2501.00343"), else a slug of the title
    title: str  # in the episode's language: the one spoken
    links: list[str] = field(default_factory=list)  # the paper's own link first, then code, blog, ...
    summary: str = ""  # the written summary, as published (kept for show notes)
    authors: list[str] = field(default_factory=list)
    source: str = ""  # where it came from: "newsletter", "digest", "arxiv", "structured"
    abstract: str = ""
    published: str = ""  # ISO date, when known
    categories: list[str] = field(default_factory=list)
    title_alt: str = ""  # the other half of a bilingual title ("Hindi / English"), for notes and chapters
    input: str = ""  # the input it came from: a file path, an arXiv ID or URL as given

    @property
    def url(self) -> str:
        """The paper's main link, or an empty string."""
        return self.links[0] if self.links else ""


@dataclass
class Segment:
    """One spoken unit of the episode: the intro, an overview, a paper, or the outro."""

    id: str  # stable across rebuilds: "intro", "overview", "paper-2501.00343", "outro"
    kind: str
    title: str
    text: str  # the written text (script.md); it is made speakable sentence by sentence at speak time
    paper: str | None = None  # Paper.id for kind == "paper"
    flags: list[str] = field(default_factory=list)  # faithfulness and speakability warnings

    def __post_init__(self) -> None:
        if self.kind not in SEGMENT_KINDS:
            raise ValueError(f"unknown segment kind {self.kind!r}")


@dataclass
class Host:
    """One voice of the show: a name (the turn prefix in script.md), a one-line persona, a voice."""

    name: str
    persona: str = ""
    engine: str = ""  # empty: the default for the host's position
    voice: str = ""


@dataclass
class Episode:
    """An episode: its identity, its papers and, once written, its script segments."""

    id: str  # "2025-02"
    show: str
    language: str = "en"
    title: str = ""
    date: str = ""  # ISO date of the newsletter, when known
    intro_text: str = ""  # the newsletter's own header lines, if any
    closing_text: str = ""  # the newsletter's own closing words, if any
    closing_links: list[str] = field(default_factory=list)
    papers: list[Paper] = field(default_factory=list)
    overview: list[str] = field(default_factory=list)  # the digest's own numbered themes, spoken before the papers
    unspoken: list[str] = field(default_factory=list)  # closing ads and comment counts: kept, never spoken
    notes: list[str] = field(default_factory=list)  # what ingest merged or guessed, shown to the user
    segments: list[Segment] = field(default_factory=list)
    hosts: list[Host] = field(default_factory=list)  # empty: one unnamed voice

    def paper(self, paper_id: str) -> Paper | None:
        """The paper with this id, if any."""
        return next((p for p in self.papers if p.id == paper_id), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Episode":
        """Rebuild an Episode from :meth:`to_dict` output."""
        data = dict(data)
        papers = [Paper(**p) for p in data.pop("papers", [])]
        segments = [Segment(**s) for s in data.pop("segments", [])]
        hosts = [Host(**h) for h in data.pop("hosts", [])]
        return cls(papers=papers, segments=segments, hosts=hosts, **data)

    def save(self, path: Path) -> None:
        """Write the episode as JSON, atomically."""
        atomic_write_text(path, json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, path: Path) -> "Episode":
        """Read an episode written by :meth:`save`."""
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise InputError(f"{path} does not exist", "run `podcast build` or `podcast script` first") from None
        except (ValueError, TypeError) as exc:
            raise InputError(f"{path} is not a valid episode file: {exc}", "delete it and rebuild") from None


@dataclass
class Sentence:
    """A sentence's place in time, relative to the start of the episode."""

    start: float  # seconds
    end: float  # seconds
    text: str  # as written: captions, show notes and the video show this
    speaker: str = ""  # Host.name of who says it; empty for a one-voice episode
    spoken: str = ""  # what the engine was given for it (after normalization and the lexicon)


@dataclass
class TimelineEntry:
    """Where one segment sits in the finished episode."""

    segment: str  # Segment.id
    kind: str
    title: str
    start: float  # seconds from the start of the episode
    end: float  # seconds
    url: str = ""
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class Timeline:
    """The single source of timing for chapters, transcripts, slides and feeds."""

    duration: float  # seconds, the whole episode
    entries: list[TimelineEntry] = field(default_factory=list)

    def save(self, path: Path) -> None:
        """Write the timeline as JSON, atomically."""
        atomic_write_text(path, json.dumps(dataclasses.asdict(self), indent=2, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, path: Path) -> "Timeline":
        """Read a timeline written by :meth:`save`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [
            TimelineEntry(**{**e, "sentences": [Sentence(**s) for s in e.get("sentences", [])]})
            for e in data.get("entries", [])
        ]
        return cls(duration=data["duration"], entries=entries)
