"""A list of arXiv IDs or URLs; metadata comes from the arXiv API and is cached on disk."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable

from ..errors import ConfigError, InputError, NetworkError, ServiceError
from ..files import atomic_write_text, safe_name
from ..models import Paper
from .arxiv_ids import abs_url, is_arxiv_url, parse_reference
from .common import Parsed, preview

ARXIV_URL_ENV = "PODCAST_ARXIV_URL"  # overrides the API endpoint, e.g. a mirror or a test server
DEFAULT_ARXIV_URL = "https://export.arxiv.org/api/query?{}"
BATCH = 50  # IDs per API request (arXiv serves up to 2000; long URLs are the limit)
DELAY = 3.0  # seconds between requests, as arXiv's terms of use ask
RETRIES = 3  # extra tries of a failing request
CACHE_VERSION = 1  # bump when the cached record's shape changes
_RECORD_KEYS = ("title", "authors", "abstract", "published", "categories")


def is_reference_list(lines: list[str]) -> bool:
    """True if every non-comment line is a single word and most are arXiv references."""
    entries = [entry for _, entry in _entries(lines)]
    if not entries or any(" " in entry for entry in entries):
        return False
    return 2 * sum(1 for entry in entries if parse_reference(entry)) >= len(entries)


def references_from_lines(lines: list[str], source: str) -> list[tuple[str, str]]:
    """(id, link) per line of an ID-list file; InputError naming lines that are not arXiv IDs."""
    refs, bad = [], []
    for number, entry in _entries(lines):
        found = parse_reference(entry)
        if found:
            refs.append((found, _link(entry, found)))
        else:
            bad.append(f"line {number} ({preview(entry, 40)!r})")
    if bad:
        raise InputError(
            f"{source}: not arXiv IDs or URLs: {', '.join(bad[:5])}{' …' if len(bad) > 5 else ''}",
            "write one ID (2501.00343) or arXiv/alphaXiv URL per line; '#' starts a comment",
        )
    return refs


def references_from_args(args: list[str]) -> list[tuple[str, str]]:
    """(id, link) per command-line argument; InputError naming those that are not arXiv IDs."""
    refs = [(parse_reference(arg), arg) for arg in args]
    bad = [arg for found, arg in refs if not found]
    if bad:
        raise InputError(
            f"not files or arXiv IDs: {', '.join(map(repr, bad))}",
            "give one input file, or several arXiv IDs or URLs such as 2501.00343",
        )
    return [(found, _link(arg, found)) for found, arg in refs if found]


def _entries(lines: list[str]) -> list[tuple[int, str]]:
    entries = []
    for number, line in enumerate(lines, 1):
        entry = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if entry:
            entries.append((number, entry))
    return entries


def _link(given: str, arxiv_id: str) -> str:
    given = given.strip().strip("<>")
    return given if "://" in given else abs_url(arxiv_id)


def parse_arxiv(refs: list[tuple[str, str]], *, cache_dir: Path | None, arxiv_url: str | None,
                write_cache: bool = True) -> Parsed:
    """Papers for arXiv references, with metadata from the cache or the arXiv API."""
    ids = list(dict.fromkeys(found for found, _ in refs))
    records = {i: r for i in ids if (r := _cache_read(cache_dir, i)) is not None}
    cached = len(records)
    missing = [i for i in ids if i not in records]
    fetched: dict[str, dict[str, Any]] = {}
    if missing:
        url = arxiv_url or os.environ.get(ARXIV_URL_ENV) or DEFAULT_ARXIV_URL
        try:
            _fetch(missing, url, cached, fetched)
        except (NetworkError, ServiceError):
            if write_cache:
                _cache_write(cache_dir, fetched.values())  # keep the progress for the next run
            raise
        if write_cache:
            _cache_write(cache_dir, fetched.values())
    records.update(fetched)
    papers = []
    for found, link in refs:
        record = records[found]
        links = [link] if is_arxiv_url(link) else [link, abs_url(found)]
        papers.append(Paper(
            id=found, title=record["title"], links=list(dict.fromkeys(links)), authors=record["authors"],
            source="arxiv", abstract=record["abstract"], published=record["published"],
            categories=record["categories"],
        ))
    text = "\n".join(f"{p.title}\n{p.abstract}" for p in papers)
    return Parsed(kind="arxiv", papers=papers, text=text)


def _cache_path(cache_dir: Path, arxiv_id: str) -> Path:
    return cache_dir / "arxiv" / f"{safe_name(arxiv_id)}.json"


def _cache_read(cache_dir: Path | None, arxiv_id: str) -> dict[str, Any] | None:
    if cache_dir is None:
        return None
    try:
        record = json.loads(_cache_path(cache_dir, arxiv_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # absent or damaged: fetch again
    if not isinstance(record, dict) or record.get("version") != CACHE_VERSION or record.get("id") != arxiv_id:
        return None
    return record if all(key in record for key in _RECORD_KEYS) else None


def _cache_write(cache_dir: Path | None, records: Iterable[dict[str, Any]]) -> None:
    if cache_dir is not None:
        for record in records:
            atomic_write_text(_cache_path(cache_dir, record["id"]), json.dumps(record, indent=1, ensure_ascii=False))


def _fetch(ids: list[str], url_format: str, cached: int, found: dict[str, dict[str, Any]]) -> None:
    """Fill ``found`` with records for ``ids`` from the arXiv API (partly, if it raises)."""
    import arxiv
    import requests

    url_format = _query_format(url_format)
    client = arxiv.Client(page_size=BATCH, delay_seconds=DELAY, num_retries=RETRIES)
    client.query_url_format = url_format
    queue = [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]
    unknown: list[str] = []
    while queue:
        batch = queue.pop(0)
        try:
            for result in client.results(arxiv.Search(id_list=batch, max_results=len(batch))):
                record = _record(result)
                if record["id"] in batch:
                    found[record["id"]] = record
                if set(batch) <= set(found):
                    break  # arXiv may announce more results than it sends; don't ask for them
        except arxiv.UnexpectedEmptyPageError:
            pass  # the announced extra results did not come: the rest of the batch does not exist
        except arxiv.HTTPError as exc:
            if exc.status == 400 and len(batch) > 1:
                queue[:0] = [[one] for one in batch]  # one bad id spoils a batch: find which
                continue
            if exc.status == 400:
                unknown.extend(batch)
                continue
            raise _service_error(exc.status, ids, found) from None
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema):
            raise _bad_url(url_format) from None
        except requests.exceptions.RequestException:
            raise _network_error(ids, found, cached) from None
        unknown.extend(i for i in batch if i not in found)
    if unknown:
        raise InputError(
            f"arXiv has no paper with ID {', '.join(unknown)}",
            "check the IDs (e.g. 2501.00343 or hep-th/9901001) and remove the ones that do not exist",
        )


def _query_format(url: str) -> str:
    """The API URL with a ``{}`` where the query string goes."""
    given = url
    if "{}" not in url:
        url += ("&" if "?" in url else "?") + "{}"
    rest = url.replace("{}", "", 1)
    if not url.startswith(("http://", "https://")) or "{" in rest or "}" in rest:
        raise _bad_url(given)  # as the user wrote it
    return url


def _bad_url(url: str) -> ConfigError:
    return ConfigError(f"the arXiv API URL {url!r} is not valid",
                       f"set ${ARXIV_URL_ENV} to a URL like {DEFAULT_ARXIV_URL}")


def _record(result: Any) -> dict[str, Any]:
    found = parse_reference(result.get_short_id()) or result.get_short_id()
    return {
        "version": CACHE_VERSION,
        "id": found,
        "title": " ".join(result.title.split()),
        "authors": [author.name for author in result.authors],
        "abstract": " ".join(result.summary.split()),
        "published": result.published.date().isoformat(),
        "categories": list(result.categories),
    }


def _not_fetched(ids: list[str], found: dict[str, Any]) -> str:
    rest = [i for i in ids if i not in found]
    shown = ", ".join(rest[:10]) + (f" and {len(rest) - 10} more" if len(rest) > 10 else "")
    return f"{len(rest)} arXiv ID{'s' if len(rest) != 1 else ''} ({shown})"


def _network_error(ids: list[str], found: dict[str, Any], cached: int) -> NetworkError:
    note = f"; {cached} other ID{'s' if cached != 1 else ''} came from the cache" if cached else ""
    return NetworkError(
        f"could not reach arXiv to fetch {_not_fetched(ids, found)}",
        f"check your internet connection and run again{note}",
    )


def _service_error(status: int, ids: list[str], found: dict[str, Any]) -> ServiceError:
    return ServiceError(
        f"arXiv answered HTTP {status} when fetching {_not_fetched(ids, found)}",
        "arXiv may be busy or rate-limiting; wait a few minutes and run again",
    )
