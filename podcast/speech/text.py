"""Sentence splitting, and packing sentences into pieces under an engine's text limit."""

from __future__ import annotations

import re

# Words that end with a period without ending the sentence (compared lower-case, without the period).
ABBREVIATIONS = frozenset(
    "e.g i.e etc vs cf al fig figs eq eqs no nos approx dr mr mrs ms prof st jr sr sec ch vol pp ref refs".split()
)
PARAGRAPH = re.compile(r"\n\s*\n")
# A sentence ends at ., !, ?, … (optionally followed by closing quotes/brackets) and whitespace,
# or right after a danda or a CJK full stop, which need no space after them.
_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|(?<=[।॥。！？])\s*")
_CLAUSE = re.compile(r"(?<=[,;:—–])\s+")
_LAST_WORD = re.compile(r"(\S+)\.[\"'”’)\]]*$")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, in order, whitespace collapsed; paragraph breaks always end one."""
    sentences: list[str] = []
    for paragraph in PARAGRAPH.split(text):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        start = 0
        for match in _END.finditer(paragraph):
            end = match.end()
            if end >= len(paragraph) or _continues(paragraph[start:match.start()], paragraph[end]):
                continue
            sentences.append(paragraph[start:end].strip())
            start = end
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return [s for s in sentences if s]


def _continues(before: str, next_char: str) -> bool:
    """True when the break after ``before`` is not a sentence end (abbreviation, initial, lower case)."""
    if next_char.islower():
        return True
    match = _LAST_WORD.search(before.rstrip())
    if not match:
        return False
    word = match.group(1).lower().lstrip("(\"'“‘")
    if word in ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isalpha()  # an initial, as in "J. Smith"


def split_long(sentence: str, limit: int) -> list[str]:
    """Split one sentence longer than ``limit`` at clause punctuation, then between words."""
    if len(sentence) <= limit:
        return [sentence]
    parts: list[str] = []
    for clause in _CLAUSE.split(sentence):
        if len(clause) <= limit:
            parts.append(clause)
        else:
            parts.extend(_split_words(clause, limit))
    return _pack_strings(parts, limit)


def _split_words(text: str, limit: int) -> list[str]:
    words: list[str] = []
    for word in text.split():
        # A single "word" longer than the limit (a pasted hash, say) cannot stay whole.
        words.extend(word[i:i + limit] for i in range(0, len(word), limit))
    return _pack_strings(words, limit)


def _pack_strings(parts: list[str], limit: int) -> list[str]:
    out: list[str] = []
    for part in parts:
        if out and len(out[-1]) + 1 + len(part) <= limit:
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def pack_labelled(pairs: list[tuple[str, str]], limit: int, gap: int = 1) -> list[list[tuple[str, str]]]:
    """Group (text, label) sentences into pieces whose texts, joined with ``gap`` characters, fit ``limit``.

    A sentence longer than ``limit`` is split with :func:`split_long`; its parts are labelled with themselves.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    pieces: list[list[tuple[str, str]]] = []
    size = 0
    for text, label in pairs:
        parts = split_long(text, limit)
        for part in parts:
            item = (part, label if len(parts) == 1 else part)
            if pieces and size + gap + len(part) <= limit:
                pieces[-1].append(item)
                size += gap + len(part)
            else:
                pieces.append([item])
                size = len(part)
    return pieces


def pack(sentences: list[str], limit: int) -> list[list[str]]:
    """Group consecutive sentences into pieces whose space-joined text fits ``limit`` characters."""
    return [[text for text, _ in piece] for piece in pack_labelled([(s, s) for s in sentences], limit)]


def split_text(text: str, limit: int) -> list[str]:
    """``text`` as pieces of at most ``limit`` characters, cut at sentence boundaries where possible."""
    return [" ".join(piece) for piece in pack(split_sentences(text), limit)]
