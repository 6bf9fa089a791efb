"""What every input format shares: reading the file safely, URLs, dates, paper ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..files import safe_name
from ..models import Paper
from .arxiv_ids import arxiv_id_from_url

FORMATS_HINT = (
    "give a monthly newsletter ('# Title' lines, each followed by its link and summary), "
    "a weekly digest (title lines with labelled sections and a paper link), "
    "a list of arXiv IDs or URLs, or a YAML/JSON list of papers"
)

URL = re.compile(r"https?://[^\s<>\"'\]]+")
ONLY_URLS = re.compile(r"^\s*(?:<?https?://\S+?>?[\s,]*)+$")
_TRAILING = ".,;:!?*_"  # punctuation after a URL in prose, not part of it
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
LOOSE_DATE = re.compile(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass
class Parsed:
    """What a format parser found, before ids, language and episode id are settled."""

    kind: str  # "newsletter", "digest", "arxiv", "structured"
    papers: list[Paper]
    date: str = ""
    intro_text: str = ""
    closing_text: str = ""
    closing_links: list[str] = field(default_factory=list)
    overview: list[str] = field(default_factory=list)  # numbered themes of the front matter
    unspoken: list[str] = field(default_factory=list)  # closing ads and comment counts
    show: str | None = None  # set by structured input
    language: str | None = None  # set by structured input
    text: str = ""  # what language detection reads


def read_text(path: Path) -> str:
    """The text of ``path``; InputError if it is missing, a folder, empty, binary or not UTF-8."""
    if not path.exists():
        raise InputError(f"{path} does not exist", "check the path, or give arXiv IDs instead of a file")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a file", "give the newsletter file inside it")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", "check the file's permissions") from None
    if data.startswith(_UTF16_BOMS):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            pass  # reported as binary below
    if not data:
        raise InputError(f"{path} is empty", FORMATS_HINT)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{path} is binary data (NUL byte at offset {nul}), not text", FORMATS_HINT)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path} is not UTF-8 text (undecodable byte at offset {exc.start})",
            "save the file as UTF-8 text",
        ) from None
    if not text.strip():
        raise InputError(f"{path} contains only whitespace", FORMATS_HINT)
    return text


def urls_in(text: str) -> list[str]:
    """Every http(s) URL in ``text``, in order, without trailing punctuation."""
    found = []
    for url in URL.findall(text):
        url = url.rstrip(_TRAILING)
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1].rstrip(_TRAILING)
        found.append(url)
    return found


def is_url_line(line: str) -> bool:
    """True if the line holds nothing but one or more URLs."""
    return bool(ONLY_URLS.match(line))


def find_date(text: str) -> str:
    """The first date in ``text`` as ISO ``YYYY-MM-DD`` (also reads 2025/02/01), or ""."""
    for pattern in (ISO_DATE, LOOSE_DATE):
        for match in pattern.finditer(text):
            year, month, day = (int(g) for g in match.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def paper_id(title: str, links: list[str]) -> str:
    """The arXiv id of the first arXiv link, else a file-name-safe slug of the title."""
    for link in links:
        found = arxiv_id_from_url(link)
        if found:
            return found
    return safe_name(title, "paper")


def make_unique(papers: list[Paper]) -> None:
    """Suffix repeated paper ids with -2, -3, ... in order of appearance."""
    seen: set[str] = set()
    for paper in papers:
        base, n, candidate = paper.id, 1, paper.id
        while candidate in seen:
            n += 1
            candidate = f"{base}-{n}"
        paper.id = candidate
        seen.add(candidate)


def preview(line: str, limit: int = 60) -> str:
    """A line shortened for an error message."""
    line = line.strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"
