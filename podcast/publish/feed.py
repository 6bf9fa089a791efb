"""The RSS 2.0 feed, with the itunes and podcast (Podcasting 2.0) namespaces."""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ..config import Config
from .chapters import CHAPTERS_MIME
from .urls import CHAPTERS_NAME, MP3_NAME, SRT_NAME, VTT_NAME, cover_name, episode_url, site_url

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
# The podcast namespace's own UUID: podcast:guid is UUIDv5(this, feed URL without scheme and trailing slashes).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
FEED_NAME = "feed.xml"


def podcast_guid(feed_url: str) -> str:
    """podcast:guid for a feed URL, as the podcast namespace specifies."""
    stripped = re.sub(r"^[A-Za-z][A-Za-z0-9+.\-]*://", "", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, stripped))


@dataclass
class Item:
    """One episode as the feed lists it."""

    id: str  # episode id (its folder name is ascii_name(id))
    title: str
    guid: str  # fixed at first publication, never changed
    number: int  # itunes:episode
    pub_date: str  # RFC 2822
    duration: float  # s
    length: int  # bytes of the MP3
    notes_html: str  # the show notes as HTML
    summary: str = ""  # one line, plain text
    language: str = "en"
    transcripts: list[tuple[str, str]] = field(default_factory=lambda: [(VTT_NAME, "text/vtt"),
                                                                        (SRT_NAME, "application/x-subrip")])


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    prefix, _, name = tag.rpartition(":")
    element = ET.SubElement(parent, f"{{{NS[prefix]}}}{name}" if prefix else name, attrs)
    if text is not None:
        element.text = text
    return element


def _duration(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def feed_xml(config: Config, items: list[Item], language: str) -> str:
    """The feed document for ``items`` (listed newest first)."""
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    show = config.values["show"]
    feed = config.values["feed"]
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    author = show.get("host") or show["author"] or show["name"]
    _sub(channel, "title", show["name"])
    _sub(channel, "description", show["description"] or show["name"])
    _sub(channel, "language", language)
    _sub(channel, "link", show["website"] or site_url(config, "index.html"))
    _sub(channel, "itunes:image", href=site_url(config, cover_name(config)))
    _sub(channel, "itunes:category", text=feed["category"])
    _sub(channel, "itunes:explicit", "true" if feed["explicit"] else "false")
    _sub(channel, "itunes:author", author)
    owner = _sub(channel, "itunes:owner")
    _sub(owner, "itunes:name", author)
    if show["email"]:
        _sub(owner, "itunes:email", show["email"])
    _sub(channel, "podcast:guid", podcast_guid(site_url(config, FEED_NAME)))
    locked = {"owner": show["email"]} if show["email"] else {}
    _sub(channel, "podcast:locked", "yes" if feed["locked"] else "no", **locked)
    for item in items:
        entry = ET.SubElement(channel, "item")
        _sub(entry, "title", item.title)
        _sub(entry, "enclosure", url=episode_url(config, item.id, MP3_NAME), length=str(item.length),
             type="audio/mpeg")
        _sub(entry, "guid", item.guid, isPermaLink="false")
        _sub(entry, "pubDate", item.pub_date)
        _sub(entry, "itunes:duration", _duration(item.duration))
        _sub(entry, "itunes:episode", str(item.number))
        _sub(entry, "link", episode_url(config, item.id, "index.html"))
        _sub(entry, "description", item.notes_html)
        _sub(entry, "content:encoded", item.notes_html)
        _sub(entry, "podcast:chapters", url=episode_url(config, item.id, CHAPTERS_NAME), type=CHAPTERS_MIME)
        for name, mime in item.transcripts:
            attrs = {"url": episode_url(config, item.id, name), "type": mime, "language": item.language}
            if mime == "text/vtt":
                attrs["rel"] = "captions"
            _sub(entry, "podcast:transcript", **attrs)
    ET.indent(rss, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"
