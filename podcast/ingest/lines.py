"""The lines of a digest as structure sees them: label heads, URLs, quotes, bullets, rules, numbering."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .common import is_url_line, urls_in

MAX_LABEL_WORDS = 4  # a section label is a short head: "Paper link", "पेपर का सार", "論文リンク"
MAX_LABEL_CHARS = 32  # characters, without its bracketed gloss
MAX_HEAD_CHARS = MAX_LABEL_CHARS + 34  # characters, with a bracketed gloss of up to 30
MAX_SPACELESS_LABEL = 12  # characters, for scripts written without spaces (Japanese, Chinese)
MAX_BOILERPLATE_WORDS = 8  # a repeated line this short is the platform's ("no comments yet"), not the author's
SENTENCE_END = ".。।!！؟?…"
_GLOSS = re.compile(r"\s*[(（\[【]\s*(?P<gloss>[^()（）\[\]【】]{1,30}?)\s*[)）\]】]\s*$")
_SEPARATOR = re.compile(r"\s*[:：]\s*|\s+[—–-]+\s+|\s*[—–]\s*")
_NUMBERING = re.compile(r"^(?:#\s*|no\.\s*|\[)?(?P<n>\d{1,3})\s*(?:[.)\]](?!\d)\s*|\ufe0f?\u20e3\s*)", re.IGNORECASE)
_KEYCAP = re.compile(r"(?P<n>\d{1,2})\ufe0f?\u20e3")
_BULLETS = "•·▪◦‣●-*"
_DECORATION = set("#*-•·▪◦‣●>_~|") | set(_BULLETS)
_COUNT_LINE = re.compile(r"^\W*\d+\W*\w{0,15}\W*$|^\W*\w{0,15}\W*\d+\W*\w{0,6}\W*$")
_MARKDOWN = re.compile(r"\*\*|__|`")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")  # [text](url)
_BARE_URL = re.compile(r"<?https?://\S+>?")
_SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")  # Japanese and Chinese; Korean has spaces


@dataclass
class Line:
    """One non-blank line and what its shape says."""

    number: int  # 1-based, in the file
    raw: str  # as written, stripped
    text: str  # without leading decoration, quote marks, bullets and bold marks
    quoted: bool = False  # "> …"
    bullet: bool = False  # "• …", "- …"
    rule: bool = False  # "---", "═════": a separator
    urls: list[str] = field(default_factory=list)
    url_only: bool = False
    key: str = ""  # the normalized label head, if the line could be a label
    gloss: str = ""  # "(Abstract)" after a label head, without brackets
    rest: str | None = None  # text after "Head:" on the same line; None if the whole line is the head
    number_mark: int | None = None  # "3." or "3️⃣" at the start
    label: bool = False  # decided by the digest's structure
    empty: bool = False  # a label with nothing under it, right before the next paper's title


def strip_decoration(line: str) -> str:
    """The line without leading emoji, bullets, quote or markdown marks, or trailing bold marks."""
    text = line.strip()
    if text[:1].isalnum():
        return text.rstrip("*_ \t")  # the common case: nothing to strip at the start
    while text and (text[0] in _DECORATION or text[0].isspace()
                    or unicodedata.category(text[0]) in ("So", "Sk", "Cf", "Mn", "Me")):
        text = text[1:]
    return text.rstrip("*_ \t")


def strip_numbering(text: str) -> tuple[str, int | None]:
    """Text without "12.", "#3", "[4]" or "5️⃣" at its start, and that number."""
    match = _NUMBERING.match(text)
    if not match:
        return text, None
    return strip_decoration(text[match.end():]), int(match.group("n"))


def clean_title(line: str) -> tuple[str, int | None]:
    """A title line without decoration, numbering, emoji or links, and its number if it had one."""
    text = strip_decoration(_BARE_URL.sub("", _MD_LINK.sub(r"\1", _MARKDOWN.sub("", line))).strip(" -—–:|"))
    text, number = strip_numbering(text)
    return text.strip(), number


def words(text: str) -> int:
    """Words in ``text``, counting characters of scripts written without spaces as words."""
    spaceless = len(_SPACELESS.findall(text))
    return len(text.split()) + (spaceless // 2 if spaceless else 0)


def short(text: str) -> bool:
    """True if ``text`` is short enough to be a section label."""
    if not text or len(text) > MAX_LABEL_CHARS or text[-1] in SENTENCE_END:
        return False
    if len(text.split()) == 1 and _SPACELESS.search(text):
        return len(text) <= MAX_SPACELESS_LABEL
    return len(text.split()) <= MAX_LABEL_WORDS


def normalize(head: str) -> str:
    """A label head as a comparable key: case-folded, without punctuation at its ends."""
    key = " ".join(head.casefold().split())
    return key.strip(" .,;:!?*_#\"'“”‘’")


def families(key: str, gloss: str) -> set[str]:
    """What variant spellings of one label share: its gloss, or its last word ("Paper link", "Code link")."""
    found = {"(" + gloss.casefold() + ")"} if gloss else set()
    tokens = key.split()
    if tokens:
        found.add(tokens[-1])
    return found


def read_line(number: int, raw: str) -> Line:
    """The shape of one stripped, non-blank line."""
    if len(raw) >= 3 and not any(ch.isalnum() for ch in raw) and "://" not in raw:
        return Line(number, raw, "", rule=True)
    quoted = raw.startswith((">", "＞"))
    bullet = raw.lstrip(">＞ ")[:1] in _BULLETS and raw.lstrip(">＞ ")[1:2].isspace()
    text = strip_decoration(_MARKDOWN.sub("", raw) if "*" in raw or "_" in raw or "`" in raw else raw)
    url_only = is_url_line(text)
    if "](" in text:  # markdown links: their text is what the line says; a line of links alone is links
        url_only = is_url_line(_MD_LINK.sub(r"\2", text))
        text = _MD_LINK.sub(r"\1", text)
    line = Line(number, raw, text, quoted=quoted, bullet=bullet, urls=urls_in(raw), url_only=url_only)
    body, line.number_mark = strip_numbering(text)
    if line.url_only or quoted or not body or line.number_mark is not None:
        return line  # numbered lines are titles or themes, never labels
    head, rest = body, None
    match = _SEPARATOR.search(body, 0, MAX_HEAD_CHARS + 4)  # a label's head is short: look no further
    if match and match.start() > 0 and "://" not in body[: match.start()]:
        head, rest = body[: match.start()], body[match.end():].strip() or None
    if len(head) > MAX_HEAD_CHARS:
        return line
    gloss = _GLOSS.search(head)
    if gloss and gloss.start() > 0:
        line.gloss, head = gloss.group("gloss"), head[: gloss.start()]
    if short(head.strip()) and not any(ch.isdigit() for ch in head):
        line.key, line.rest = normalize(head), rest
    return line


def is_count_line(line: Line) -> bool:
    """A comment or like counter: "0 comments", "댓글 2개", "3 likes"."""
    return bool(line.text) and bool(_COUNT_LINE.match(line.text)) and any(ch.isdigit() for ch in line.text)


def repeated_texts(lines: list[Line]) -> set[str]:
    """Texts of non-label lines that occur more than once ("no comments yet"): platform boilerplate."""
    counts = Counter(line.text.casefold() for line in lines
                     if line.text and not line.label and not line.urls and words(line.text) <= MAX_BOILERPLATE_WORDS)
    return {text for text, n in counts.items() if n > 1}


def overview_items(lines: list[Line]) -> tuple[list[str], set[int]]:
    """The numbered themes of a digest's front matter ("1️⃣ … 2️⃣ …"), and the indices of their lines."""
    items: list[str] = []
    used: set[int] = set()
    for i, line in enumerate(lines):
        parts = _KEYCAP.split(line.raw)
        if len(parts) >= 3 and parts[1] == str(len(items) + 1):  # "1️⃣ a 2️⃣ b", or one keycap item a line
            items += [strip_decoration(text) for text in parts[2::2] if strip_decoration(text)]
            used.add(i)
        elif line.number_mark == len(items) + 1 and (not items or i - 1 in used):
            items.append(strip_numbering(line.text)[0])
            used.add(i)
        elif items:
            break  # the overview is one run of lines
    if len(items) < 2:
        return [], set()
    first = min(used)
    if first > 0 and lines[first - 1].raw.rstrip("*_ ").endswith((":", "：")):
        used.add(first - 1)  # "This week's themes:" belongs to the overview
    return items, used
