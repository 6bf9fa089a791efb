"""Markdown in newsletter text: its line structure and inline marks, shared by the written and spoken forms.

The written form (script.md, captions, show notes) keeps words, numbers, symbols and links as
written and drops only the marks a reader never sees rendered (``**``, ``_x_``, backticks, bullets,
``#`` headings, table pipes, HTML tags, ``[text](url)``). The spoken form is made from the written
one, sentence by sentence (see :mod:`podcast.speakable`).
"""

from __future__ import annotations

import re

FENCE = re.compile(r"^(```|~~~)")
RULE = re.compile(r"^([-*_])(?:\s*\1){2,}$")
TABLE_SEP = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
HEADING = re.compile(r"^#{1,6}\s+(.*?)(?:\s+#+)?$")
QUOTE = re.compile(r"^(?:>\s?)+")
BULLET = re.compile(r"^(?:[-*+•]|\d{1,2}[.)])\s+")
END_MARKS = ".!?:;…。।？！"
CLOSERS = "\"')]”’"
# A line this long that stops mid-sentence is a paragraph cut off in the source, not hard wrapping.
CUT_OFF_LINE = 160  # characters

IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))+\)|(?<![A-Za-z\]])\[([^\]]+)\]\[[^\]]*\]")
CITATION = re.compile(r"\[\d+(?:\s?[,–-]\s?\d+)*\]")
AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+)>")
HTML = re.compile(r"</?[A-Za-z][^<>]*>")
CODE = re.compile(r"`+([^`]*)`+")
EMPHASIS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__|~~(.+?)~~"
                      r"|(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])|(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)")
_MATH_SPAN = re.compile(r"(\$\$.+?\$\$|(?<![\\$\w])\$(?=[^\s$])[^$\n]+?(?<=[^\s\\])\$(?![\w$]))")
_INVISIBLE = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\u00ad": "", "\ufeff": ""})

Block = tuple[str, str, bool]  # (kind, content, paragraph break before)


def blocks(text: str) -> list[Block]:
    """(kind, content, paragraph break before) for each line: "heading", "item", "text" or "code" (unsaid)."""
    found: list[Block] = []
    fenced, gap = False, False
    for raw in text.splitlines():
        line = raw.strip()
        if FENCE.match(line):
            fenced = not fenced
            if fenced:
                found.append(("code", "", gap))
            continue
        if fenced or TABLE_SEP.match(line) and "-" in line:
            continue
        line = QUOTE.sub("", line).strip()
        if not line or RULE.match(line):
            gap = True
            continue
        kind = "text"
        if heading := HEADING.match(line):
            kind, line = "heading", heading.group(1)
        elif bullet := BULLET.match(line):  # "1) …" keeps its number: said "first, …"
            kind, line = "item", line if bullet[0].rstrip()[-1] == ")" else line[bullet.end():]
        elif (line.startswith("|") and line.endswith("|")) or line.count(" | ") >= 2:
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            kind, line = "item", ", ".join(cell for cell in cells if cell)
        found.append((kind, line, gap))
        gap = False
    return found


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with sentence punctuation (before any closing quotes or brackets)."""
    return text.rstrip(CLOSERS)[-1:] in END_MARKS


def join(lines: list[tuple[str, str, bool, int, int]]) -> str:
    """Lines (kind, text, gap before, block number, source length) as paragraphs of sentences.

    Headings, items and the last line of a block end with a period so the voice pauses; a colon
    whose next block was not kept ("… are here:" before a dropped URL or code) ends there. Text
    lines that do not end a sentence run on into the next (hard-wrapped prose), unless the line was
    long: then the source cut a paragraph off mid-sentence, and it stays its own paragraph.
    """
    out: list[str] = []
    for i, (kind, line, gap, n, length) in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if line.endswith(":") and (nxt is None or nxt[3] > n + 1 or nxt[2] and nxt[0] != "item"):
            line = line[:-1] + "."
        cut_off = False
        if out and not gap and i and lines[i - 1][0] == "text" and not ends_sentence(out[-1]):
            cut_off = lines[i - 1][4] >= CUT_OFF_LINE
        if out and (gap or cut_off):
            out.append("\n\n")
        elif out:
            out.append(" " if not ends_sentence(out[-1]) and kind == "text" else "\n")
        block_end = kind != "text" or nxt is None or nxt[2] or nxt[0] != "text"
        if nxt is not None and block_end and not ends_sentence(line):
            line += "."
        out.append(line)
    return "".join(out).strip()


def strip_marks(line: str) -> str:
    """One line without its inline markup: links become their text, emphasis and code marks go."""
    line = line.translate(_INVISIBLE)
    if "[" in line:
        line = CITATION.sub("", LINK.sub(lambda m: m[1] or m[2], IMAGE.sub(r"\1", line)))
    if "<" in line:
        line = HTML.sub("", AUTOLINK.sub(r"\1", line))
    if "`" in line:
        line = CODE.sub(r"\1", line)
    if "*" in line or "_" in line or "~~" in line:
        parts = _MATH_SPAN.split(line) if "$" in line else [line]
        for k in range(0, len(parts), 2):  # math spans (odd indices) keep their * and _
            for _ in range(2):  # twice, for nested marks like ***this***
                parts[k] = EMPHASIS.sub(lambda m: next(g for g in m.groups() if g is not None), parts[k])
        line = "".join(parts)
    return " ".join(line.split())


def written(text: str) -> str:
    """The written form of newsletter text: what script.md holds and captions show."""
    lines = [(kind, s, gap, n, len(line)) for n, (kind, line, gap) in enumerate(blocks(text))
             if (s := strip_marks(line))]
    return join(lines)
