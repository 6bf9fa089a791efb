"""`podcast publish`: a static site any host can serve — feed.xml, the show page, one page per episode.

Each episode keeps ``published.json`` in its own folder (GUID, episode number, publication date), fixed
the first time it is published, so publishing again after a new episode adds that episode and changes
nothing else. Files are only rewritten when their content changes.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Callable

from ..config import Config
from ..cover import checked_cover
from ..errors import ConfigError, InputError
from ..files import EpisodeDir, atomic_write_bytes, atomic_write_text
from ..models import Episode, Timeline
from ..titles import episode_title
from . import credits as make_credits
from .chapters import chapters_json
from .feed import FEED_NAME, PODCAST_GUID_NAMESPACE, Item, feed_xml, podcast_guid
from .notes import notes_body
from .pages import episode_page, show_page
from .urls import CHAPTERS_NAME, MP3_NAME, SRT_NAME, VTT_NAME, ascii_name, base_url, cover_name, episode_url, site_url

PUBLIC = "public"  # the site's folder inside the output folder
RECORD = "published.json"  # per episode: what must never change once published


@dataclass
class SiteReport:
    """What a publish run did."""

    root: Path
    episodes: list[str] = field(default_factory=list)  # ids, newest first
    added: list[str] = field(default_factory=list)  # ids published for the first time
    written: list[Path] = field(default_factory=list)  # files created or changed


def _write(path: Path, data: bytes, report: SiteReport) -> None:
    """Write only when the content differs, so an unchanged file keeps its bytes and its time."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    atomic_write_bytes(path, data)
    report.written.append(path)


def _place(source: Path, target: Path, report: SiteReport) -> None:
    """Hard-link ``source`` at ``target`` (a copy across file systems), unless it is already the same file."""
    if target.exists():
        same = os.path.samefile(source, target) or (
            target.stat().st_size == source.stat().st_size and target.read_bytes() == source.read_bytes())
        if same:
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copy2(source, tmp)
    os.replace(tmp, target)
    report.written.append(target)


def published_episodes(out: Path) -> list[EpisodeDir]:
    """Episode folders under ``out`` that have a finished MP3 and timeline."""
    if not out.is_dir():
        raise InputError(f"output folder {out} does not exist", "build an episode first, or pass --out")
    folders = [EpisodeDir(p) for p in sorted(out.iterdir())
               if p.is_dir() and not p.name.startswith(".") and p.name != PUBLIC]
    return [f for f in folders if f.mp3.is_file() and f.timeline.is_file() and f.papers.is_file()]


def _record(folder: EpisodeDir, episode: Episode, config: Config, number: int) -> tuple[dict, bool]:
    """The episode's fixed publication record, created on first publication."""
    path = folder.root / RECORD
    if path.is_file():
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if {"guid", "number", "pub_date"} <= set(record):
                return record, False
        except ValueError:
            pass
        raise InputError(f"{path} is damaged", "restore it from the published feed; it holds the episode's GUID")
    if episode.date:
        when = datetime.fromisoformat(episode.date[:10]).replace(tzinfo=timezone.utc)
    else:
        when = datetime.now(timezone.utc).replace(microsecond=0)
    record = {"guid": str(uuid.uuid5(PODCAST_GUID_NAMESPACE, f"{podcast_guid(site_url(config, FEED_NAME))}/{episode.id}")),
              "number": number, "pub_date": format_datetime(when)}
    atomic_write_text(path, json.dumps(record, indent=2) + "\n")
    return record, True


def publish_site(out: Path, config: Config, progress: Callable[[int, int], None] | None = None) -> SiteReport:
    """Write ``out/public/``: feed.xml, index.html, and per episode its page, MP3, chapters, transcripts, cover."""
    if not base_url(config):
        raise ConfigError("[feed] base_url is not set, and the feed needs absolute links",
                          'add [feed] base_url = "https://example.com/podcast" to podcast.toml')
    cover = checked_cover(config)
    public = out / PUBLIC
    report = SiteReport(public)
    folders = published_episodes(out)
    if not folders:
        raise InputError(f"no built episodes under {out}", "run `podcast build INPUT` first")
    loaded = []
    for folder in folders:
        try:
            loaded.append((folder, Episode.load(folder.papers), Timeline.load(folder.timeline)))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{folder.timeline} is not a valid timeline ({exc})", "build the episode again") from None
    # Episodes published before keep their numbers; new ones follow, oldest first.
    existing = [json.loads((f.root / RECORD).read_text(encoding="utf-8")).get("number", 0)
                for f, _, _ in loaded if (f.root / RECORD).is_file()]
    next_number = max(existing, default=0) + 1
    items: list[tuple[Item, str]] = []
    loaded.sort(key=lambda row: (row[1].date or "9999", row[1].id))
    step = progress or (lambda done, total: None)
    _place(cover, public / cover_name(config), report)
    for done, (folder, episode, timeline) in enumerate(loaded, 1):
        record, added = _record(folder, episode, config, next_number)
        if added:
            next_number += 1
            report.added.append(episode.id)
        slug = ascii_name(episode.id)
        target = public / slug
        for source, name in ((folder.mp3, MP3_NAME), (folder.vtt, VTT_NAME), (folder.srt, SRT_NAME)):
            if source.is_file():
                _place(source, target / name, report)
        _place(cover, target / cover_name(config), report)
        chapters = chapters_json(timeline, episode_url(config, episode.id, cover_name(config)))
        _write(target / CHAPTERS_NAME, chapters.encode("utf-8"), report)
        title = episode_title(episode)
        made_by = make_credits(folder, config)
        date = record["pub_date"][5:16]  # "03 Feb 2025" from the RFC 2822 date
        page = episode_page(episode, title, timeline, config, cover_name(config), made_by, date)
        _write(target / "index.html", page.encode("utf-8"), report)
        item = Item(id=episode.id, title=title, guid=record["guid"], number=record["number"],
                    pub_date=record["pub_date"], duration=timeline.duration,
                    length=(target / MP3_NAME).stat().st_size,
                    notes_html=notes_body(episode, timeline, config, made_by), language=episode.language)
        items.append((item, slug))
        step(done, len(loaded))
    items.sort(key=lambda pair: (datetime.strptime(pair[0].pub_date[5:25], "%d %b %Y %H:%M:%S"), pair[0].number),
               reverse=True)
    language = config.get("show", "language") or (loaded[-1][1].language if loaded else "en")
    _write(public / FEED_NAME, feed_xml(config, [i for i, _ in items], language).encode("utf-8"), report)
    rows = [(slug, item.title, item.pub_date[5:16], item.duration) for item, slug in items]
    _write(public / "index.html", show_page(config, rows, cover_name(config), language).encode("utf-8"), report)
    report.episodes = [item.id for item, _ in items]
    return report


def site_has(out: Path, folder: EpisodeDir, episode_id: str) -> str:
    """How the site under ``out/public`` carries the episode: "current" (its feed item, with the MP3 as it is
    now), "older" (its feed item, with an MP3 since rebuilt) or "" (not published)."""
    import filecmp
    import xml.etree.ElementTree as ET

    try:
        guid = json.loads((folder.root / RECORD).read_text(encoding="utf-8"))["guid"]
        items = ET.parse(out / PUBLIC / FEED_NAME).getroot().iter("item")
    except (OSError, ValueError, KeyError, TypeError, ET.ParseError):
        return ""
    if not any((item.findtext("guid") or "").strip() == guid for item in items):
        return ""
    public = out / PUBLIC / ascii_name(episode_id) / MP3_NAME
    try:
        same = os.path.samefile(public, folder.mp3) or filecmp.cmp(public, folder.mp3, shallow=False)
    except OSError:
        return ""
    return "current" if same else "older"
