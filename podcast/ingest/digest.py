"""Weekly digests: title lines, labelled sections (in any language) and a paper-link line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import InputError
from ..models import Paper
from .common import Parsed, find_date, is_url_line, paper_id, preview, urls_in

CONTENT = ("intro", "abstract", "original", "translation")  # section kinds that hold summary text
LINKS = ("link", "more")  # section kinds that hold URLs

# Section labels, case-folded, by what the section holds. Longer labels are tried first.
LABELS: dict[str, str] = {
    # English
    "introduction": "intro", "intro": "intro", "overview": "intro", "summary": "intro", "tl;dr": "intro",
    "abstract": "abstract", "original abstract": "original", "english original": "original",
    "original": "original", "translation": "translation",
    "paper link": "link", "paper": "link", "link": "link", "links": "link", "arxiv": "link", "pdf": "link",
    "read more": "more", "more": "more", "further reading": "more", "code": "more",
    # Korean
    "논문 소개": "intro", "소개": "intro", "개요": "intro", "요약": "intro",
    "논문 초록": "abstract", "초록": "abstract", "원문": "original", "영문 초록": "original", "번역": "translation",
    "논문 링크": "link", "링크": "link", "더 읽어보기": "more", "더보기": "more", "더 보기": "more",
    # Hindi
    "परिचय": "intro", "अवलोकन": "intro", "सार": "abstract", "सारांश": "abstract",
    "मूल सार": "original", "मूल": "original", "अनुवाद": "translation",
    "पेपर लिंक": "link", "शोधपत्र लिंक": "link", "लिंक": "link",
    "और पढ़ें": "more", "अधिक पढ़ें": "more", "और जानें": "more",
}
_LABEL = re.compile(
    r"^(?P<label>" + "|".join(re.escape(k) for k in sorted(LABELS, key=len, reverse=True)) + r")"
    r"\s*(?:[(（][^)）]{0,40}[)）])?[*_]*(?:(?:\s*[:：]|\s+[—–-])[*_]*\s*(?P<rest>.*)|\s*(?P<url>https?://\S.*))?$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^(?:#|no\.\s*)?(?P<n>\d{1,3})[.)]\s+", re.IGNORECASE)
_DECORATION = set("#*-•·>_~|")


@dataclass
class Label:
    """A section label line: its kind and any text after it on the same line."""

    kind: str
    rest: str


@dataclass
class _Draft:
    title: str
    number: int | None
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # loose lines after its links


def strip_decoration(line: str) -> str:
    """The line without leading emoji, bullets or markdown marks, or trailing bold marks."""
    text = line.strip()
    while text and (text[0] in _DECORATION or text[0].isspace()
                    or unicodedata.category(text[0]) in ("So", "Sk", "Cf", "Mn")):
        text = text[1:]
    return text.rstrip("*_ \t")


def match_label(line: str) -> Label | None:
    """The section label a line consists of, if any ("초록(Abstract)", "Paper link: https://…")."""
    match = _LABEL.match(strip_decoration(line))
    if not match:
        return None
    kind = LABELS[match.group("label").casefold()]
    rest = (match.group("rest") or match.group("url") or "").strip()
    if kind in LINKS and rest and not urls_in(rest):
        return None  # "Paper: Some Title" is text, not a link label
    return Label(kind, rest)


def clean_title(line: str) -> tuple[str, int | None]:
    """A title line without decoration and numbering, and its number if it had one."""
    text = strip_decoration(line)
    match = _NUMBER.match(text)
    if not match:
        return text, None
    return strip_decoration(text[match.end():]), int(match.group("n"))


def looks_like_digest(lines: list[str]) -> bool:
    """True if the text has at least one paper-link label and one summary label."""
    kinds = {label.kind for label in map(match_label, lines) if label}
    return bool(kinds & set(LINKS)) and bool(kinds & set(CONTENT))


def parse_digest(text: str, source: str) -> Parsed:
    """Papers, header and closing lines of a weekly digest."""
    drafts: list[_Draft] = []
    header: list[str] = []
    pending: list[str] = []  # loose lines: the header, the next title, extras or the closing
    mode = "pending"  # or "content" / "links": the kind of section the current paper is in
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not any(ch.isalnum() for ch in line):
            continue  # blank lines and separators like "---"
        label = match_label(line)
        cur = drafts[-1] if drafts else None
        if label and (mode != "pending" or pending):
            if mode == "pending":
                if cur is None:
                    header = pending[:-1]
                else:
                    cur.extra.extend(pending[:-1])
                cur = _Draft(*clean_title(pending[-1]))
                drafts.append(cur)
                pending = []
            assert cur is not None
            if label.kind in CONTENT:
                cur.sections.append((label.kind, [label.rest] if label.rest else []))
                mode = "content"
            else:
                cur.links.extend(urls_in(label.rest))
                mode = "links"
        elif label:
            raise InputError(
                f"line {number} of {source}: section label {preview(line)!r} comes before any paper title",
                "put each paper's title on its own line above its sections",
            )
        elif mode == "content" and cur and is_url_line(line):
            cur.links.extend(urls_in(line))
        elif mode == "content" and cur and not _next_title(line, cur):
            cur.sections[-1][1].append(raw.rstrip())
        elif mode == "links" and cur and urls_in(line):
            cur.links.extend(urls_in(line))
        else:
            pending.append(line)
            mode = "pending"
    if not drafts:
        raise InputError(f"no papers found in {source}", "each paper needs a title line, its sections and a paper link")
    papers = [_paper(draft, source) for draft in drafts]
    closing = [line for line in pending if not is_url_line(line)]
    return Parsed(
        kind="digest",
        papers=papers,
        date=find_date("\n".join(header)) or find_date("\n".join(pending)),
        intro_text="\n".join(header),
        closing_text="\n".join(closing),
        closing_links=[url for line in pending for url in urls_in(line)],
        text=text,
    )


def _next_title(line: str, cur: _Draft) -> bool:
    # A paper without a link line is still ended by the next numbered title ("2. …" after "1. …").
    _, number = clean_title(line)
    return cur.number is not None and number == cur.number + 1


def _paper(draft: _Draft, source: str) -> Paper:
    texts = {kind: "\n\n".join(paragraphs) for kind, paragraphs in draft.sections if paragraphs}
    # The original (English) abstract is the paper's abstract; the summary is what the digest says in its
    # own language, so that its voice does not read an English paragraph. Alone, the original is the summary.
    said = [section for kind, section in draft.sections if kind != "original" and section] or \
        [section for _, section in draft.sections]
    paragraphs = [p for section in said for p in section] + draft.extra
    if not draft.links and not paragraphs:
        raise InputError(
            f"paper {preview(draft.title)!r} in {source} has neither a link nor a summary",
            "give it a paper link line with its URL, or delete it",
        )
    links = list(dict.fromkeys(draft.links))
    return Paper(
        id=paper_id(draft.title, links),
        title=draft.title,
        links=links,
        summary="\n\n".join(paragraphs),
        source="digest",
        abstract=texts.get("original") or texts.get("abstract", ""),
    )
