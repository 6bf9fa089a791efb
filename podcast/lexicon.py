"""The pronunciation lexicon: how to say ML terms, applied just before synthesis.

The built-in set lives in ``podcast/data/lexicon.toml``; a user file (``speech.lexicon``) adds to it
and wins. Both are TOML with one table per language plus ``[all]`` for every language::

    [en]
    "GPipe" = "gee pipe"
    "Qwen2.5" = "kwen two point five"

Matching is whole-term (never inside a longer word or number), longest term first, and
case-sensitive first: an exact-case entry always wins; a term written in another case matches
only entries with at most one capital letter ("softmax" matches "Softmax", but "RoPE" never
matches the word "rope").

How it composes with :func:`podcast.speakable.speakable`: at speak time each written sentence is
made speakable, then the lexicon is applied (see :mod:`podcast.spoken`). speakable leaves every term
of the lexicon exactly as written (it does not spell "MoE" out as letters or turn the "2.5" of
"Qwen2.5" into words), so that ``Lexicon.apply`` still finds it. The one exception is an entry whose
spoken form is just its letters spelled out ("GPT" = "G P T"): speakable produces that same text itself.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from .errors import ConfigError

ALL = "all"  # the table that applies to every language
# Beside the code rather than importlib.resources: an editable install can make `podcast` a namespace.
BUILTIN = Path(__file__).resolve().parent / "data" / "lexicon.toml"
_TABLE_NAME = re.compile(r"^(?:all|[a-z]{2,3})$")
_ASCII_WORD = "A-Za-z0-9_"
_HINT = 'entries look like "GPipe" = "gee pipe", inside a [en] (or other language) or [all] table'


def base_language(language: str) -> str:
    """The bare ISO 639-1 code: "en-US" → "en"."""
    return (language or "en").replace("_", "-").split("-")[0].lower()


def _term(term: str) -> str:
    """The regex for ``term`` itself (in any case, if case-free) and its right-hand boundary."""
    body = f"(?i:{re.escape(term)})" if _case_free(term) else re.escape(term)
    return body + (rf"(?![{_ASCII_WORD}]|\.\d)" if term[-1].isascii() else r"(?!\w)")


def _pattern(terms: list[str]) -> re.Pattern[str]:
    """One alternation for all terms, longest first, each matching only as a whole term.

    The left boundary and a class of possible first characters are factored out of the
    alternation, which makes a search over a whole episode some thirty times faster.
    """
    groups = []
    for ascii_start, before in ((True, f"(?<![{_ASCII_WORD}])"), (False, r"(?<!\w)")):
        chosen = [t for t in terms if t[0].isascii() == ascii_start]
        if not chosen:
            continue
        firsts = {c for t in chosen for c in ({t[0].lower(), t[0].upper()} if _case_free(t) else {t[0]})}
        first = "".join(re.escape(c) for c in sorted(firsts))
        groups.append(f"{before}(?=[{first}])(?:{'|'.join(_term(t) for t in chosen)})")
    return re.compile("|".join(groups))


def _case_free(term: str) -> bool:
    """Whether ``term`` may match text written in another case (at most one capital letter)."""
    return sum(c.isupper() for c in term) <= 1


@dataclass
class Lexicon:
    """Spoken forms for written terms, for one language."""

    entries: dict[str, str] = field(default_factory=dict)
    language: str = "en"
    _compiled: tuple[set[str], re.Pattern[str] | None, dict[str, str]] | None = field(
        default=None, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, language: str, user_path: str | Path | None = None) -> "Lexicon":
        """The built-in lexicon for ``language`` plus the user's file; user entries win."""
        language = base_language(language)
        entries = dict(_builtin_tables().get(ALL, {}))
        entries.update(_builtin_tables().get(language, {}))
        if user_path:
            tables = read_tables(Path(user_path))
            entries.update(tables.get(ALL, {}))
            entries.update(tables.get(language, {}))
        return cls(entries=entries, language=language)

    def _state(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        # The pattern depends only on the terms; it is rebuilt if someone edits ``entries``.
        if self._compiled is None or self._compiled[0] != self.entries.keys():
            terms = sorted(self.entries, key=lambda t: (-len(t), t))
            pattern = _pattern(terms) if terms else None
            folded = {t.casefold(): t for t in terms if _case_free(t)}
            self._compiled = (set(self.entries), pattern, folded)
        return self._compiled[1], self._compiled[2]

    def lookup(self, found: str) -> str | None:
        """The spoken form for ``found`` as written, or None if no entry applies."""
        if found in self.entries:
            return self.entries[found]
        key = self._state()[1].get(found.casefold())
        return self.entries[key] if key is not None else None

    def finditer(self, text: str) -> Iterator[tuple[re.Match[str], str]]:
        """Each term of ``text`` the lexicon knows, with its spoken form."""
        pattern = self._state()[0]
        if pattern is None:
            return
        for match in pattern.finditer(text):
            yield match, self.lookup(match.group(0)) or match.group(0)

    def apply(self, text: str) -> str:
        """``text`` with every known term replaced by its spoken form."""
        pattern = self._state()[0]
        if pattern is None:
            return text
        return pattern.sub(lambda m: self.lookup(m.group(0)) or m.group(0), text)

    def digest(self) -> str:
        """A short fingerprint of the entries, for cache keys."""
        data = "\n".join(f"{k}\t{v}" for k, v in sorted(self.entries.items()))
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def read_tables(path: Path) -> dict[str, dict[str, str]]:
    """The language tables of a lexicon file, checked; ConfigError names the file and the key."""
    if not path.exists():
        raise ConfigError(f"lexicon file {path} does not exist", "check speech.lexicon in podcast.toml")
    if path.is_dir():
        raise ConfigError(f"lexicon path {path} is a directory", "point speech.lexicon at a .toml file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"lexicon file {path} is not UTF-8 text", "save it as UTF-8") from None
    return parse_tables(text, str(path))


def parse_tables(text: str, source: str) -> dict[str, dict[str, str]]:
    """Parse and check lexicon TOML; ``source`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"lexicon file {source} is not valid TOML: {exc}", _HINT) from None
    tables: dict[str, dict[str, str]] = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"lexicon file {source}: {name!r} is outside a language table", _HINT)
        if not _TABLE_NAME.match(name):
            raise ConfigError(f"lexicon file {source}: [{name}] is not a language code",
                              'name tables by ISO 639-1 code ("en", "hi", "ko") or [all]')
        for term, spoken in table.items():
            if not isinstance(spoken, str):
                raise ConfigError(
                    f"lexicon file {source}: [{name}] {term!r} must be a string, not {type(spoken).__name__}",
                    f'quote the spoken form: "{term}" = "how to say it"')
            if not term.strip() or not spoken.strip():
                raise ConfigError(f"lexicon file {source}: [{name}] {term!r} has an empty term or spoken form",
                                  "give both the written term and how to say it")
        tables[name] = {term.strip(): spoken.strip() for term, spoken in table.items()}
    return tables


@lru_cache(maxsize=1)
def _builtin_tables() -> dict[str, dict[str, str]]:
    return parse_tables(BUILTIN.read_text(encoding="utf-8"), f"{BUILTIN} (built in)")


@lru_cache(maxsize=16)
def builtin(language: str) -> Lexicon:
    """The built-in lexicon for ``language`` (cached; do not modify)."""
    return Lexicon.load(language)
