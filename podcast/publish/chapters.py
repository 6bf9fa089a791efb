"""Podcasting 2.0 JSON chapters (version 1.2.0) from the timeline."""

from __future__ import annotations

import json

from ..models import Timeline

CHAPTERS_VERSION = "1.2.0"
CHAPTERS_MIME = "application/json+chapters"  # the type podcast:chapters declares


def chapters(timeline: Timeline, image: str = "") -> dict:
    """The chapters document: startTime (s), title, url (the paper's link) and img for each segment."""
    items = []
    for entry in timeline.entries:
        item: dict = {"startTime": round(entry.start, 3), "endTime": round(entry.end, 3), "title": entry.title}
        if entry.url:
            item["url"] = entry.url
        if image:
            item["img"] = image
        items.append(item)
    return {"version": CHAPTERS_VERSION, "chapters": items}


def chapters_json(timeline: Timeline, image: str = "") -> str:
    """:func:`chapters` as JSON text."""
    return json.dumps(chapters(timeline, image), indent=2, ensure_ascii=False) + "\n"
