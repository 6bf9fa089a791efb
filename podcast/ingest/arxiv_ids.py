"""Recognize arXiv identifiers in bare form and in arXiv or alphaXiv URLs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# New style (since 2007): YYMM.NNNN or YYMM.NNNNN; old style: archive[.SUBJ]/YYMMNNN.
_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})"
_VERSION = r"(?:v\d+)?"
BARE = re.compile(rf"^(?:arxiv:)?{_ID}{_VERSION}(?:\.pdf)?$", re.IGNORECASE)
_PATH = re.compile(rf"^/(?:abs|pdf|html|overview|paper)/{_ID}{_VERSION}(?:\.pdf)?/?$")
HOSTS = ("arxiv.org", "export.arxiv.org", "alphaxiv.org")


def arxiv_id_from_url(url: str) -> str | None:
    """The versionless arXiv id an arXiv or alphaXiv URL points at, else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.scheme not in ("http", "https") or host not in HOSTS:
        return None
    match = _PATH.match(parts.path)
    return _canonical(match.group("id")) if match else None


def parse_reference(text: str) -> str | None:
    """The versionless arXiv id in a bare id ("2501.00343v2", "arXiv:hep-th/9901001") or URL."""
    text = text.strip().strip("<>")
    if "://" in text:
        return arxiv_id_from_url(text)
    match = BARE.match(text)
    return _canonical(match.group("id")) if match else None


def abs_url(arxiv_id: str) -> str:
    """The canonical abstract-page URL of an id."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def _canonical(arxiv_id: str) -> str | None:
    if "/" not in arxiv_id:
        yymm, number = arxiv_id.split(".")
        # Four-digit numbers until 2014, five from 2015 (YYMM 1501) on.
        if not 1 <= int(yymm[2:]) <= 12 or len(number) != (5 if yymm >= "1501" else 4):
            return None
        return arxiv_id
    # An old-style subject class ("math.GT/0309136") is not part of the id arXiv answers with.
    archive, number = arxiv_id.split("/", 1)
    return f"{archive.partition('.')[0].lower()}/{number}"


def is_arxiv_url(url: str) -> bool:
    """True for a link on arxiv.org itself (not a mirror or alphaXiv)."""
    host = (urlsplit(url).hostname or "").lower()
    return host in ("arxiv.org", "www.arxiv.org", "export.arxiv.org")
