"""Collecting papers into an episode over the month: add, remove, and what state each paper is in."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .files import EpisodeDir
from .models import Episode, Paper


@dataclass
class Added:
    """What `add` did: the papers added, and a note per paper that was there already."""

    added: list[Paper] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    created: bool = False  # the episode did not exist before


def _title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _url_key(url: str) -> str:
    return re.sub(r"^https?://(www\.)?|/+$|v\d+$", "", url.strip().lower())


def find_duplicate(paper: Paper, papers: list[Paper]) -> Paper | None:
    """The paper in ``papers`` that is ``paper`` (same id, link or title), if any."""
    for other in papers:
        if other.id == paper.id or (paper.url and other.url and _url_key(other.url) == _url_key(paper.url)):
            return other
        if _title_key(other.title) and _title_key(other.title) == _title_key(paper.title):
            return other
    return None


def load_or_new(folder: EpisodeDir, episode_id: str, incoming: Episode) -> tuple[Episode, bool]:
    """The episode in ``folder``, or a new one with the incoming input's show, language and texts."""
    if folder.papers.exists():
        return Episode.load(folder.papers), False
    return Episode(id=episode_id, show=incoming.show, language=incoming.language, date=incoming.date,
                   intro_text=incoming.intro_text, closing_text=incoming.closing_text,
                   closing_links=list(incoming.closing_links), overview=list(incoming.overview)), True


def add(episode: Episode, incoming: Episode) -> Added:
    """Append the incoming papers that the episode lacks; a paper already there gives a note."""
    result = Added()
    for paper in incoming.papers:
        twin = find_duplicate(paper, episode.papers)
        if twin is not None:
            number = episode.papers.index(twin) + 1
            result.notes.append(f"{paper.title!r} is already paper {number} of episode {episode.id}; not added twice")
            if not twin.summary and paper.summary:
                twin.summary = paper.summary  # the newsletter's summary for a paper added by ID
            continue
        episode.papers.append(paper)
        result.added.append(paper)
    for key in ("intro_text", "closing_text", "date"):
        if not getattr(episode, key) and getattr(incoming, key):
            setattr(episode, key, getattr(incoming, key))
    return result


def remove(episode: Episode, refs: list[str]) -> list[Paper]:
    """Remove papers by id, by number in the list (1 = first), or by link; InputError names an unknown one."""
    chosen: list[Paper] = []
    for ref in refs:
        paper = _find(episode, ref)
        if paper is None:
            raise InputError(f"episode {episode.id} has no paper {ref!r}",
                             f"give a number from 1 to {len(episode.papers)} or an id; see `podcast list {episode.id}`")
        if paper not in chosen:
            chosen.append(paper)
    episode.papers = [p for p in episode.papers if p not in chosen]
    return chosen


def _find(episode: Episode, ref: str) -> Paper | None:
    ref = ref.strip()
    if ref.isdigit():
        number = int(ref)
        return episode.papers[number - 1] if 1 <= number <= len(episode.papers) else None
    from .ingest.arxiv_ids import parse_reference

    parsed = parse_reference(ref)
    wanted = {ref, parsed} if parsed else {ref}
    return next((p for p in episode.papers if p.id in wanted or (p.url and _url_key(p.url) == _url_key(ref))), None)


@dataclass
class PaperState:
    """Where one paper has got to."""

    number: int
    paper: Paper
    summary: str  # "input", "LLM" or "missing"
    scripted: bool
    spoken: bool
    in_mp3: bool
    extra: dict[str, bool] = field(default_factory=dict)  # later stages: "video", "published"


@dataclass
class Companions:
    """How the episode's video and published site stand against its MP3 as it is now."""

    video: str  # "current", "older" (made from an earlier timeline or MP3) or "" (none recorded)
    site: str  # "current", "older" (the site has an earlier MP3) or "" (not published)


VIDEO_READS = ("timeline.json", "episode.mp3")  # the video shows the papers of the timeline it was cut to


def _video(folder: EpisodeDir, state) -> str:
    """Whether state.json records an episode.mp4 made from the timeline and MP3 that are there now."""
    from .files import file_digest

    record = state.get("video")
    if record is None or not (folder.root / "episode.mp4").is_file():
        return ""
    read = record.parts.get("reads") or {}
    current = all(read.get(name) and read.get(name) == file_digest(folder.root / name) for name in VIDEO_READS)
    return "current" if current else "older"


def paper_states(folder: EpisodeDir, out: Path | None = None) -> tuple[Episode, list[PaperState], Companions]:
    """Each paper's summary source and whether it is in the script, the speech, the MP3, the video and the site."""
    from .pipeline.state import State
    from .publish.site import site_has
    from .script_file import HEADING

    episode = Episode.load(folder.papers)
    state = State(folder.state)
    summarized = set(state.data("summarize").get("summarized", []))
    scripted = set()
    if folder.script.exists():
        scripted = {m["id"] for m in HEADING.finditer(folder.script.read_text(encoding="utf-8"))}
    spoken = set(_json(folder.speech).get("segments", {})) if state.get("speak") else set()
    in_mp3 = set()
    if state.get("master") and folder.timeline.exists():
        in_mp3 = {e.get("segment") for e in _json(folder.timeline).get("entries", []) if isinstance(e, dict)}
    companions = Companions(_video(folder, state) if in_mp3 else "",
                            site_has(out or folder.root.parent, folder, episode.id) if in_mp3 else "")
    rows = []
    for number, paper in enumerate(episode.papers, 1):
        seg = f"paper-{paper.id}"
        summary = "LLM" if paper.id in summarized and paper.summary else ("input" if paper.summary else "missing")
        rows.append(PaperState(number, paper, summary, seg in scripted, seg in spoken, seg in in_mp3,
                               {"video": companions.video == "current" and seg in in_mp3,
                                "published": companions.site == "current" and seg in in_mp3}))
    return episode, rows, companions


def _json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def episodes(out: Path) -> list[tuple[str, Episode | None, dict]]:
    """Every episode folder under ``out``: (id, its episode or None if unreadable, its state.json stages)."""
    from .pipeline.state import State

    found = []
    if not out.is_dir():
        return found
    for papers in sorted(out.glob("*/papers.json")):
        folder = EpisodeDir(papers.parent)
        try:
            episode = Episode.load(papers)
        except InputError:
            episode = None
        found.append((papers.parent.name, episode, State(folder.state).stages))
    return found
