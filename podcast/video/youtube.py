"""youtube.json: the video's title, description (blurb, chapters, links), tags and status, in the API's shape."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..config import Config
from ..errors import ConfigError, InputError
from ..files import EpisodeDir, atomic_write_text
from ..models import Episode, Timeline
from ..titles import episode_title

TITLE_LIMIT = 100  # characters
DESCRIPTION_LIMIT = 5000  # bytes of UTF-8
TAGS_LIMIT = 500  # characters, counted as YouTube does (quotes around tags with spaces, commas between)
MIN_CHAPTERS = 3
MIN_CHAPTER = 10.0  # seconds
TITLE_CAPS = (None, 80, 60, 45, 32, 24, 16)  # chapter title lengths tried before merging chapters
PRIVACY = ("private", "unlisted", "public")
DEFAULT_TAGS = ("AI", "machine learning", "research papers", "podcast")


@dataclass
class Chapter:
    """A YouTube chapter: start second and label."""

    start: float
    title: str


def clean(text: str) -> str:
    """YouTube refuses < and > in titles and descriptions: use look-alike angle quotes."""
    return " ".join(text.replace("<", "‹").replace(">", "›").split())


def shorten(text: str, limit: int | None) -> str:
    """``text`` cut at a word to at most ``limit`` characters, with an ellipsis."""
    if limit is None or len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def metadata_path(folder: EpisodeDir) -> Path:
    return folder.root / "youtube.json"


def chapters(episode: Episode, timeline: Timeline) -> list[Chapter]:
    """One chapter per segment; segments under 10 s join their neighbour; none at all if fewer than 3 remain."""
    numbers = {f"paper-{p.id}": i for i, p in enumerate(episode.papers, 1)}
    segments = {s.id: s for s in episode.segments}
    result: list[Chapter] = []
    for entry in timeline.entries:
        segment = segments.get(entry.segment)
        number = numbers.get(entry.segment) or (numbers.get(f"paper-{segment.paper}") if segment and segment.paper
                                                else None)
        title = clean(entry.title or entry.kind.title())
        result.append(Chapter(entry.start, f"{number}. {title}" if number else title))
    if result:
        result[0].start = 0.0
    ends = [c.start for c in result[1:]] + [timeline.duration]
    merged: list[tuple[Chapter, float]] = []
    for chapter, end in zip(result, ends):
        if merged and (end - chapter.start < MIN_CHAPTER or merged[-1][1] - merged[-1][0].start < MIN_CHAPTER):
            merged[-1] = (merged[-1][0], end)  # too short (or the previous was): one chapter with the previous
        else:
            merged.append((chapter, end))
    if merged and len(merged) > 1 and merged[-1][1] - merged[-1][0].start < MIN_CHAPTER:
        last = merged.pop()
        merged[-1] = (merged[-1][0], last[1])
    kept = [c for c, _ in merged]
    return kept if len(kept) >= MIN_CHAPTERS else []


def _merge_shortest(items: list[tuple[Chapter, float]]) -> list[tuple[Chapter, float]]:
    """Fold the shortest chapter into its shorter neighbour; the merged one keeps the earlier start."""
    lengths = [end - c.start for c, end in items]
    i = min(range(len(items)), key=lambda k: (lengths[k], k))
    if i == 0:
        j = 0
    elif i == len(items) - 1:
        j = i - 1
    else:
        j = i - 1 if lengths[i - 1] <= lengths[i + 1] else i
    (a, _), (b, end) = items[j], items[j + 1]
    return items[:j] + [(Chapter(a.start, f"{a.title} / {b.title}"), end)] + items[j + 2:]


def description(episode: Episode, timeline: Timeline, config: Config) -> str:
    """Blurb, chapters and links within 5,000 bytes: shorten chapter titles, then merge the shortest chapters."""
    from ..publish import chapter_clock

    blurb = clean(config.get("show", "description"))
    website = config.get("show", "website")
    links = [clean(f"{i}. {p.url}") for i, p in enumerate(episode.papers, 1) if p.url]
    tail = ["", "Papers:", *links] if links else []
    if website:
        tail += ["", clean(f"Show notes and every episode: {website}")]
    found = chapters(episode, timeline)
    ends = [c.start for c in found[1:]] + [timeline.duration]
    items = list(zip(found, ends))

    def render(items, cap, tail) -> str:
        lines = [blurb, ""] if blurb else []
        if items:
            lines += ["Chapters:"] + [f"{chapter_clock(c.start)} {shorten(c.title, cap)}" for c, _ in items] + [""]
        return "\n".join(lines + tail).strip() + "\n"

    def fits(text: str) -> bool:
        return len(text.encode("utf-8")) <= DESCRIPTION_LIMIT

    for cap in TITLE_CAPS:
        text = render(items, cap, tail)
        if fits(text):
            return text
    while len(items) > MIN_CHAPTERS and not fits(text):
        items = _merge_shortest(items)
        text = render(items, TITLE_CAPS[-1], tail)
    while not fits(text) and len(tail) > 2:  # the links alone are too long: the show notes have them all
        tail = tail[:-2] + ["…"] if tail[-1] != "…" else tail[:-3] + ["…"]
        text = render(items, TITLE_CAPS[-1], tail)
    while not fits(text):
        blurb = blurb[: len(blurb) * 3 // 4]
        text = render(items, TITLE_CAPS[-1], tail)
    return text


def tags_length(tags: list[str]) -> int:
    """The length YouTube counts: tags with spaces are quoted, commas between."""
    return sum(len(t) + (2 if " " in t else 0) for t in tags) + max(0, len(tags) - 1)


def tags(episode: Episode, config: Config) -> list[str]:
    """Configured tags, else the show name, defaults and the papers' categories, within 500."""
    configured = [t.strip() for t in config.get("youtube", "tags") if t.strip()]
    candidates = configured or [episode.show, *DEFAULT_TAGS, *(c for p in episode.papers for c in p.categories)]
    result: list[str] = []
    seen: set[str] = set()
    for tag in candidates:
        tag = clean(tag).replace(",", " ")[:100]
        if tag and tag.lower() not in seen and tags_length(result + [tag]) <= TAGS_LIMIT:
            result.append(tag)
            seen.add(tag.lower())
    return result


def publish_time(value: str) -> str:
    """An ISO 8601 time with its zone, as RFC 3339 UTC."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"youtube.publish_at = {value!r} is not an ISO 8601 time",
                          'use e.g. "2025-03-01T09:00:00Z"') from None
    if moment.tzinfo is None:
        raise ConfigError(f"youtube.publish_at = {value!r} has no time zone", 'add one, e.g. "…T09:00:00+01:00"')
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_metadata(episode: Episode, timeline: Timeline, config: Config) -> dict:
    """The videos.insert body: snippet and status."""
    privacy = config.get("youtube", "privacy")
    if privacy not in PRIVACY:
        raise ConfigError(f"youtube.privacy = {privacy!r} is not valid", f"choose one of: {', '.join(PRIVACY)}")
    category = str(config.get("youtube", "category")).strip()
    if not category.isdigit():
        raise ConfigError(f"youtube.category = {category!r} is not a category number", 'e.g. "28" (Science & '
                                                                                       'Technology)')
    title = shorten(clean(episode_title(episode)), TITLE_LIMIT)
    status = {"privacyStatus": privacy, "selfDeclaredMadeForKids": False}
    publish_at = config.get("youtube", "publish_at")
    if publish_at:
        if privacy != "private":
            raise ConfigError("youtube.publish_at needs youtube.privacy = \"private\"",
                              "YouTube makes a scheduled video public at that time")
        status["publishAt"] = publish_time(publish_at)
    return {
        "snippet": {"title": title, "description": description(episode, timeline, config),
                    "tags": tags(episode, config), "categoryId": category,
                    "defaultLanguage": episode.language, "defaultAudioLanguage": episode.language},
        "status": status,
    }


def write_metadata(folder: EpisodeDir, config: Config, episode: Episode | None = None) -> dict:
    """Write youtube.json from the episode folder and return it."""
    if not folder.timeline.exists():
        raise InputError(f"{folder.timeline} does not exist", "run `podcast build` first")
    episode = episode or Episode.load(folder.papers)
    metadata = build_metadata(episode, Timeline.load(folder.timeline), config)
    atomic_write_text(metadata_path(folder), json.dumps(metadata, indent=2, ensure_ascii=False) + "\n")
    return metadata
