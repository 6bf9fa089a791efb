"""Names and URLs of published files: ASCII folder names, every absolute URL from [feed] base_url."""

from __future__ import annotations

import hashlib
import unicodedata
from urllib.parse import quote

from ..config import Config
from ..files import safe_name

MP3_NAME = "episode.mp3"
CHAPTERS_NAME = "chapters.json"
VTT_NAME = "transcript.vtt"
SRT_NAME = "transcript.srt"


def ascii_name(text: str) -> str:
    """An ASCII-only file name for ``text`` (an episode id): transliterated where possible, else hashed."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = safe_name(folded, "")
    if not name or name != safe_name(text, ""):  # lost characters: keep the name unique with a hash
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        name = f"{name}-{digest}" if name else f"episode-{digest}"
    return name


def base_url(config: Config) -> str:
    """``[feed] base_url`` without a trailing slash (empty when not configured)."""
    return config.get("feed", "base_url").strip().rstrip("/")


def cover_name(config: Config) -> str:
    """The published cover's file name: cover.jpg or cover.png, after the configured image's type."""
    from ..cover import cover_path

    return "cover.png" if cover_path(config).suffix.lower() == ".png" else "cover.jpg"


def episode_url(config: Config, episode_id: str, name: str = "") -> str:
    """The URL of a file in an episode's folder: absolute under base_url, else relative to the page."""
    base = base_url(config)
    if not base:
        return name
    return f"{base}/{quote(ascii_name(episode_id))}/{quote(name)}"


def site_url(config: Config, name: str = "") -> str:
    """The URL of a file at the top of the site (feed.xml, cover, index)."""
    base = base_url(config)
    return f"{base}/{quote(name)}" if base else name
