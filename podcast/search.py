"""`podcast search`: new arXiv papers since the last search, through the arxiv package, resumable.

The query comes from ``[search]``: categories (any of them), include terms (at least one) and exclude
terms (none, even when an include term matches). The terms are applied twice: in the API query, and
again to each result's title and abstract, so a result the server let through is still excluded.
Progress is saved after every page in ``<out>/search.json``; a failure keeps what was found, and the
same command resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .config import Config
from .errors import InputError, NetworkError, ServiceError
from .files import atomic_write_text

STATE_NAME = "search.json"
FIRST_SEARCH_DAYS = 30  # how far back the very first search looks, without --since


@dataclass
class Query:
    """What to look for."""

    categories: list[str]
    include: list[str]
    exclude: list[str]
    since: str  # ISO date: papers published on or after it

    def api_query(self) -> str:
        """The arXiv API search_query: categories AND (any include) ANDNOT (any exclude)."""
        parts = []
        if self.categories:
            parts.append("(" + " OR ".join(f"cat:{c}" for c in self.categories) + ")")
        if self.include:
            parts.append("(" + " OR ".join(f'all:"{_quote(t)}"' for t in self.include) + ")")
        query = " AND ".join(parts) or "all:*"
        if self.exclude:
            query += " ANDNOT (" + " OR ".join(f'all:"{_quote(t)}"' for t in self.exclude) + ")"
        return query

    def matches(self, record: dict[str, Any]) -> bool:
        """The query applied to one result: category, an include term, no exclude term, not too old."""
        if record["published"] < self.since:
            return False
        if self.categories and not set(record["categories"]) & set(self.categories):
            return False
        text = _words(record["title"] + " " + record["abstract"])
        if any(_words(term) in text for term in self.exclude):
            return False  # exclusions hold even when an include term matches
        return not self.include or any(_words(term) in text for term in self.include)


def _quote(term: str) -> str:
    return " ".join(term.replace('"', " ").split())


def _words(text: str) -> str:
    """Lower-case words separated by single spaces, padded, so terms match whole words only."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " " + " ".join(re.findall(r"\w+", text)) + " "


@dataclass
class Progress:
    """search.json: the query in progress, how far it got, and what it found."""

    query: dict[str, Any] = field(default_factory=dict)
    offset: int = 0  # results read so far (matching or not)
    found: list[dict[str, Any]] = field(default_factory=list)
    complete: bool = False
    last_search: str = ""  # ISO date of the last complete search: the next one starts there
    handled: bool = False  # the user picked from these results (or declined): the next search is a new one


def load_progress(path: Path) -> Progress:
    """The saved progress, or a fresh one when there is none (or it is unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Progress(query=dict(data["query"]), offset=int(data["offset"]),
                        found=[dict(r) for r in data["found"]], complete=bool(data["complete"]),
                        last_search=str(data.get("last_search") or ""), handled=bool(data.get("handled")))
    except (OSError, ValueError, KeyError, TypeError):
        return Progress()


def save_progress(path: Path, progress: Progress) -> None:
    """Write search.json atomically."""
    atomic_write_text(path, json.dumps(progress.__dict__, indent=1, ensure_ascii=False) + "\n")


def make_query(config: Config, since: str | None, progress: Progress, today: dt.date | None = None) -> Query:
    """The query from [search], starting at --since, else the last search, else FIRST_SEARCH_DAYS ago."""
    today = today or dt.date.today()
    if since:
        try:
            start = dt.date.fromisoformat(since).isoformat()
        except ValueError:
            raise InputError(f"--since {since!r} is not a date", "write it as YYYY-MM-DD, e.g. --since 2025-02-01") \
                from None
    else:
        start = progress.last_search or (today - dt.timedelta(days=FIRST_SEARCH_DAYS)).isoformat()
    return Query(categories=list(config.get("search", "categories")), include=list(config.get("search", "include")),
                 exclude=list(config.get("search", "exclude")), since=start)


def mark_handled(state_path: Path) -> None:
    """The user has picked from the last results: the next search looks for newer papers."""
    progress = load_progress(state_path)
    if progress.complete and not progress.handled:
        progress.handled = True
        save_progress(state_path, progress)


def search(config: Config, state_path: Path, *, since: str | None, max_results: int, url: str | None = None,
           report: Callable[[int, int], None] | None = None) -> tuple[Progress, bool]:
    """Page through the newest results until the start date or ``max_results`` matches.

    Returns the progress and whether it is the last search's results not yet picked from (no request
    made). An unfinished search with the same query resumes where it stopped.
    """
    import arxiv
    import requests

    from .ingest.arxiv_list import ARXIV_URL_ENV, DEFAULT_ARXIV_URL, RETRIES, _bad_url, _query_format

    progress = load_progress(state_path)
    query = make_query(config, since, progress)
    key = {**query.__dict__, "max_results": max_results}
    terms = {k: v for k, v in key.items() if k != "since"}
    if progress.complete and not progress.handled and since is None and \
            {k: v for k, v in progress.query.items() if k != "since"} == terms:
        return progress, True
    if progress.complete or progress.query != key:  # else: the same search, unfinished: resume it
        progress = Progress(query=key, last_search=progress.last_search)
    page_size = config.get("search", "page_size")
    client = arxiv.Client(page_size=page_size, delay_seconds=config.get("search", "delay"), num_retries=RETRIES)
    url = url or os.environ.get(ARXIV_URL_ENV) or DEFAULT_ARXIV_URL
    client.query_url_format = _query_format(url)
    wanted = arxiv.Search(query=query.api_query(), max_results=None, sort_by=arxiv.SortCriterion.SubmittedDate,
                          sort_order=arxiv.SortOrder.Descending)
    seen = {r["id"] for r in progress.found}
    read = 0
    try:
        for result in client.results(wanted, offset=progress.offset):
            record = _record(result)
            read += 1
            progress.offset += 1
            if record["published"] < query.since:
                progress.complete = True
                break
            if query.matches(record) and record["id"] not in seen:
                seen.add(record["id"])
                progress.found.append(record)
            if report:
                report(len(progress.found), max_results)
            if len(progress.found) >= max_results:
                progress.complete = True
                break
            if progress.offset % page_size == 0:
                save_progress(state_path, progress)  # a page done: keep it if the next one fails
        else:
            progress.complete = True
    except arxiv.UnexpectedEmptyPageError:
        progress.complete = True  # arXiv announced more than it had
    except arxiv.HTTPError as exc:
        save_progress(state_path, progress)
        raise ServiceError(f"the arXiv API answered HTTP {exc.status} after {progress.offset} results "
                           f"({len(progress.found)} papers found are kept)",
                           "run the same command again later to resume") from None
    except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema):
        raise _bad_url(url) from None
    except requests.exceptions.RequestException:
        save_progress(state_path, progress)
        raise NetworkError(f"cannot reach the arXiv API after {progress.offset} results "
                           f"({len(progress.found)} papers found are kept)",
                           "check the network, then run the same command again to resume") from None
    if progress.complete:
        progress.last_search = dt.date.today().isoformat()
    save_progress(state_path, progress)
    return progress, False


def _record(result: Any) -> dict[str, Any]:
    from .ingest.arxiv_ids import abs_url
    from .ingest.arxiv_list import _record as arxiv_record

    record = arxiv_record(result)
    record["link"] = abs_url(record["id"])
    return record


def to_paper(record: dict[str, Any]):
    """A Paper for a search result (summary empty: the abstract is there for --summarize)."""
    from .models import Paper

    return Paper(id=record["id"], title=record["title"], links=[record["link"]], authors=list(record["authors"]),
                 source="arxiv", abstract=record["abstract"], published=record["published"],
                 categories=list(record["categories"]), input=record["link"])


def parse_pick(text: str, count: int) -> list[int]:
    """"1,3,5-7" → [1, 3, 5, 6, 7]; InputError for anything outside 1..count."""
    chosen: list[int] = []
    for part in [p.strip() for p in text.replace(" ", ",").split(",") if p.strip()]:
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            raise InputError(f"--pick {text!r}: {part!r} is not a number or a range", "e.g. --pick 1,3,5-7")
        low, high = int(match[1]), int(match[2] or match[1])
        if not 1 <= low <= high <= count:
            raise InputError(f"--pick {text!r}: {part!r} is outside 1–{count}", f"pick numbers from 1 to {count}")
        chosen += [n for n in range(low, high + 1) if n not in chosen]
    return chosen
