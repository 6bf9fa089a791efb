"""What every input format shares: reading the file safely, URLs, dates, paper ids."""

from __future__ import annotations

import datetime as dt
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
CJK_DATE = re.compile(r"(?<!\d)(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
_MONTHS = {name: n for n, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MONTH = r"(?P<month>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)"
MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.IGNORECASE)
DAY_MONTH_YEAR = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>\d{{4}})\b", re.IGNORECASE)
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
    """The first date in ``text`` as ISO ``YYYY-MM-DD`` (2025-02-01, 2025/02/01, 2025년 2월 1일, Feb 1, 2025).

    The first in reading order wins, so a range such as "[2025/09/01 ~ 07]" gives its start.
    """
    found = []
    for pattern in (ISO_DATE, LOOSE_DATE, CJK_DATE):
        for match in pattern.finditer(text):
            found.append((match.start(), *(int(g) for g in match.groups())))
    for match in MONTH_DAY_YEAR.finditer(text):
        found.append((match.start(), int(match["year"]), _MONTHS[match["month"][:3].lower()], int(match["day"])))
    for match in DAY_MONTH_YEAR.finditer(text):
        found.append((match.start(), int(match["year"]), _MONTHS[match["month"][:3].lower()], int(match["day"])))
    for _, year, month, day in sorted(found):
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            continue  # 2025-02-30 is not a date
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
