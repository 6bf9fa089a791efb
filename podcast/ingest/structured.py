"""Structured input: a YAML or JSON list of papers, or a mapping with ``papers`` and episode fields."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from ..errors import InputError
from ..models import Paper
from .common import Parsed, preview
from .common import paper_id as derived_id

PAPER_FIELDS = ("title", "link", "links", "url", "summary", "authors", "id", "abstract", "published", "categories")
EPISODE_FIELDS = ("papers", "show", "date", "language")
_YAML_START = re.compile(r"^(?:---\s*$|papers\s*:|show\s*:|date\s*:|language\s*:|-\s+title\s*:|title\s*:)")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_ID = re.compile(r"^(?!.*\.\.)\w[\w.\-/]*$")  # ids end up in segment ids and file names


def looks_structured(text: str, suffix: str) -> str | None:
    """ "json" or "yaml" if the text (or, failing that, the file extension) says so, else None."""
    by_suffix = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(suffix.lower())
    body = text.strip()
    if body[:1] + body[-1:] in ("[]", "{}"):  # not just "[2025/02/03] Weekly digest…"
        return by_suffix or "json"
    first = next((line.strip() for line in body.splitlines() if line.strip() and not line.startswith("#")), "")
    return "yaml" if _YAML_START.match(first) else by_suffix


def parse_structured(text: str, syntax: str, source: str) -> Parsed:
    """Papers and episode fields from YAML or JSON text."""
    data = _load(text, syntax, source)
    fields: dict[str, Any] = {}
    if isinstance(data, dict):
        unknown = [k for k in data if k not in EPISODE_FIELDS]
        if unknown:
            raise InputError(f"{source}: unknown top-level field {', '.join(map(repr, unknown))}",
                             f"allowed: {', '.join(EPISODE_FIELDS)}")
        if "papers" not in data:
            raise InputError(f"{source} has no 'papers' list", "put the papers in a list under 'papers:'")
        fields, data = data, data["papers"]
    if not isinstance(data, list):
        raise InputError(f"{source}: 'papers' must be a list, not {_type(data)}", "write one item per paper")
    if not data:
        raise InputError(f"no papers found in {source}", "the papers list is empty")
    papers = [_paper(item, n, source) for n, item in enumerate(data, 1)]
    show = _optional_str(fields, "show", source)
    language = _optional_str(fields, "language", source)
    if language is not None and not _LANGUAGE.match(language):
        raise InputError(f"{source}: 'language' must be a two-letter ISO 639-1 code, not {language!r}",
                         "e.g. language: en")
    return Parsed(
        kind="structured",
        papers=papers,
        date=_date(fields.get("date"), f"{source}: 'date'") if "date" in fields else "",
        show=show,
        language=language,
        text="\n".join(f"{p.title}\n{p.summary}\n{p.abstract}" for p in papers),
    )


def _load(text: str, syntax: str, source: str) -> Any:
    if syntax == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                             "fix the syntax there") from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise InputError(f"{source} is not valid YAML: {problem}{where}", "fix the syntax there") from None


def _paper(item: Any, n: int, source: str) -> Paper:
    where = f"{source}: paper {n}"
    if not isinstance(item, dict):
        raise InputError(f"{where} must be a mapping with title, link and summary, not {_type(item)}",
                         "write each paper as fields, e.g. '- title: …'")
    title = item.get("title")
    if isinstance(title, str) and title.strip():
        where += f" ({preview(title, 40)!r})"
    unknown = [k for k in item if k not in PAPER_FIELDS]
    if unknown:
        raise InputError(f"{where}: unknown field {', '.join(map(repr, unknown))}",
                         f"allowed: {', '.join(PAPER_FIELDS)}")
    if not isinstance(title, str) or not title.strip():
        raise InputError(f"{where}: 'title' must be a non-empty string", "give every paper a title")
    links = [*_strings(item, "link", where, single=True), *_strings(item, "url", where, single=True),
             *_strings(item, "links", where)]
    summary = _text(item, "summary", where)
    if not links and not summary.strip():
        raise InputError(f"{where} has neither a link nor a summary", "add 'link:' or 'summary:', or remove it")
    given_id = _text(item, "id", where).strip()
    if given_id and not _ID.match(given_id):
        raise InputError(f"{where}: 'id' {given_id!r} may only hold letters, digits, '.', '-', '_' and '/'",
                         "use the arXiv id or a short slug, or leave 'id' out")
    links = list(dict.fromkeys(links))
    return Paper(
        id=given_id or derived_id(title.strip(), links),
        title=title.strip(),
        links=links,
        summary=summary,
        authors=_strings(item, "authors", where, single=True),
        source="structured",
        abstract=_text(item, "abstract", where),
        published=_date(item["published"], f"{where}: 'published'") if "published" in item else "",
        categories=_strings(item, "categories", where),
    )


def _strings(item: dict[str, Any], key: str, where: str, single: bool = False) -> list[str]:
    value = item.get(key)
    if value is None:
        return []
    if single and isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    kind = "a string or a list of strings" if single else "a list of strings"
    raise InputError(f"{where}: '{key}' must be {kind}, not {_type(value)}", f"fix '{key}' in that paper")


def _text(item: dict[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: '{key}' must be a string, not {_type(value)}", f"quote the {key}")
    return value


def _optional_str(fields: dict[str, Any], key: str, source: str) -> str | None:
    value = fields.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{source}: '{key}' must be a non-empty string, not {_type(value)}", f"fix '{key}'")
    return value.strip()


def _date(value: Any, where: str) -> str:
    # YAML turns an unquoted 2025-02-01 into a date; JSON and quoted YAML give a string.
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise InputError(f"{where} must be a date like 2025-02-01, not {value!r}", "write it as YYYY-MM-DD")


def _type(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", type(None): "empty",
             int: "a number", float: "a number"}
    return names.get(type(value), f"a {type(value).__name__}")
