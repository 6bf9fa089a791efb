"""The monthly newsletter: a header, then `# Title`, link line and summary paragraphs per paper."""

from __future__ import annotations

import re

from ..errors import InputError
from ..models import Paper
from .common import Parsed, find_date, is_url_line, paper_id, preview, urls_in

TITLE = re.compile(r"^(?P<marks>##?) +(?P<title>\S.*?)\s*$")  # "# Title", or "## Title" in markdown exports
CLOSING_START = re.compile(
    r"^\s*(?:(?:thanks|thank you)\b.*\b(?:reading|listening)|that'?s (?:all|it) for\b)", re.IGNORECASE
)
# Lines a newsletter platform appends after the text (buttons, counters), not the author's words.
JUNK = frozenset(
    "share this post|share|subscribe|leave a comment|comment|comments|like|restack|discussion about this post"
    "|ready for more?|upgrade to paid|previous|next|top|latest|discussions".split("|")
)
_JUNK_PATTERN = re.compile(r"^(?:©.*|\d+\s+(?:likes?|comments?|restacks?|shares?))$", re.IGNORECASE)
NO_PAPERS_HINT = "each paper starts with a line '# Title', followed by its link and its summary paragraphs"


def looks_like_newsletter(lines: list[str]) -> bool:
    """True if some `# Title` (or `## Title`) line is followed (after blank lines) by a link line."""
    return heading_level(lines) is not None


def heading_level(lines: list[str]) -> int | None:
    """1 or 2: the fewest '#' of a title line followed (after blank lines) by a link line; None if none is."""
    levels = set()
    for i, line in enumerate(lines):
        match = TITLE.match(line)
        if match:
            following = next((next_line for next_line in lines[i + 1 :] if next_line.strip()), "")
            if is_url_line(following):
                levels.add(len(match.group("marks")))
    return min(levels, default=None)


def looks_like_empty_newsletter(lines: list[str]) -> bool:
    """True for a newsletter's header or closing without any papers."""
    head = "\n".join(lines[:3]).lower()
    return "newsletter" in head or " written by " in head or any(CLOSING_START.match(line) for line in lines)


def is_junk(line: str) -> bool:
    """True for a platform's button or counter line, like "Share this post"."""
    text = line.strip()
    return text.lower() in JUNK or bool(_JUNK_PATTERN.match(text))


def parse_newsletter(text: str, source: str) -> Parsed:
    """Papers, header and closing block of a monthly newsletter."""
    lines = text.splitlines()
    level = heading_level(lines) or 1
    starts = [i for i, line in enumerate(lines) if (m := TITLE.match(line)) and len(m.group("marks")) == level]
    if not starts:
        raise InputError(f"no papers found in {source}", NO_PAPERS_HINT)
    end = next((i for i in range(starts[-1] + 1, len(lines)) if CLOSING_START.match(lines[i])), len(lines))
    papers = [
        _paper(lines, start, stop)
        for start, stop in zip(starts, [*starts[1:], end])
    ]
    header = [line.strip() for line in lines[: starts[0]] if line.strip()]
    closing = [line.strip() for line in lines[end:] if line.strip() and not is_junk(line)]
    closing_links = [url for line in closing for url in urls_in(line)]
    return Parsed(
        kind="newsletter",
        papers=papers,
        date=find_date("\n".join(header)) or find_date("\n".join(closing)),
        intro_text="\n".join(header),
        closing_text="\n".join(line for line in closing if not is_url_line(line)),
        closing_links=closing_links,
        text=text,
    )


def _paper(lines: list[str], start: int, stop: int) -> Paper:
    match = TITLE.match(lines[start])
    assert match
    title = match.group("title")
    links: list[str] = []
    paragraphs: list[str] = []
    for line in lines[start + 1 : stop]:
        if not line.strip():
            continue
        if is_url_line(line):
            links.extend(urls_in(line))
        else:
            paragraphs.append(line.rstrip())
    if not links and not paragraphs:
        raise InputError(
            f"line {start + 1}: paper {preview(title)!r} has neither a link nor a summary",
            "put its link on the next line and its summary below it, or delete the heading",
        )
    return Paper(
        id=paper_id(title, links),
        title=title,
        links=links,
        summary="\n\n".join(paragraphs),
        source="newsletter",
    )
