"""A digest's front and end matter, and its bilingual titles."""

from __future__ import annotations

import re

from ..language import detect_language, main_script, main_script_of
from .common import is_url_line, urls_in
from .lines import Line, is_count_line, overview_items, strip_decoration

_TITLE_SPLIT = re.compile(r"\s+[/／|｜]\s+")
_WORD = re.compile(r"[^\W\d_]+")


def title_pair(title: str, language: str, vocabulary: set[str] = frozenset()) -> tuple[str, str]:
    """(spoken title, other title) of "Hindi / English" or "English / Hindi"; (title, "") if not bilingual.

    Halves in different scripts are told apart by language; halves in one script (Spanish / English)
    by how many of their words the digest's own summaries use.
    """
    parts = _TITLE_SPLIT.split(title)
    if len(parts) != 2 or not all(any(ch.isalpha() for ch in part) for part in parts):
        return title, ""
    first, second = (part.strip() for part in parts)
    scripts = main_script(first), main_script(second)
    langs = scripts if scripts[0] != scripts[1] else (detect_language(first), detect_language(second))
    if langs[0] != langs[1]:
        if scripts[0] != scripts[1]:  # "Hindi / English": the half in the episode's script is spoken
            own = main_script_of(language)
            return (second, first) if scripts[1] == own and scripts[0] != own else (first, second)
        return (second, first) if langs[1] == language and langs[0] != language else (first, second)
    if min(len(first.split()), len(second.split())) < 2:
        return title, ""  # "Input / Output Scaling": one title with a slash
    shared = [sum(word in vocabulary for word in _WORD.findall(part.casefold())) / len(_WORD.findall(part.casefold()))
              for part in (first, second)]
    return (second, first) if shared[1] > shared[0] else (first, second)


def front_matter(header: list[Line]) -> tuple[str, list[str]]:
    """(the header's own words, the numbered themes overview) of the lines above the first paper."""
    overview, used = overview_items(header)
    intro = [line.raw for i, line in enumerate(header) if i not in used and not line.rule]
    return "\n".join(intro), overview


def closing_parts(closing: list[Line], boilerplate: set[str], ad_heads: frozenset[str]) -> tuple[str, list[str], list[str]]:
    """(closing words to speak, their links, lines never spoken: ads and comment counts)."""
    from .newsletter import is_junk

    said: list[str] = []
    links: list[str] = []
    unspoken: list[str] = []
    for line in closing:
        if line.rule:
            continue
        text = strip_decoration(line.raw) if line.bullet else line.raw
        advert = line.key in ad_heads or (line.bullet and bool(line.urls) and not is_url_line(line.text))
        if line.text.casefold() in boilerplate or is_junk(line.text) or is_count_line(line) or advert:
            unspoken.append(text)
            continue
        links.extend(urls_in(line.raw))
        if not line.url_only:
            said.append(text)
    return "\n".join(said), list(dict.fromkeys(links)), unspoken
