"""The ingest stage: read a newsletter, digest, arXiv ID list or paper list into an Episode.

The format is chosen by content. Heavy libraries (arxiv, yaml) are imported only when needed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import InputError
from ..models import Episode
from .common import FORMATS_HINT, Parsed, make_unique, read_text

__all__ = ["ingest", "episode_id"]


def ingest(
    sources: list[str],
    *,
    language: str | None = None,
    cache_dir: Path | None = None,
    show: str = "Paper Cuts",
    arxiv_url: str | None = None,
) -> Episode:
    """Read one input file, or several arXiv IDs/URLs, into an Episode with its papers."""
    parsed = _parse(list(sources), cache_dir=cache_dir, arxiv_url=arxiv_url)
    make_unique(parsed.papers)
    if language and language.strip():
        language = language.strip().lower()
    else:
        from ..language import detect_language

        language = parsed.language or detect_language(parsed.text)
    return Episode(
        id=episode_id(parsed),
        show=parsed.show or show,
        language=language,
        date=parsed.date,
        intro_text=parsed.intro_text,
        closing_text=parsed.closing_text,
        closing_links=parsed.closing_links,
        papers=parsed.papers,
    )


def episode_id(parsed: Parsed, today: dt.date | None = None) -> str:
    """"YYYY-MM-DD" for a dated weekly digest, "YYYY-MM" for anything else dated, else this month."""
    if parsed.date:
        return parsed.date if parsed.kind == "digest" else parsed.date[:7]
    return (today or dt.date.today()).strftime("%Y-%m")


def _parse(sources: list[str], *, cache_dir: Path | None, arxiv_url: str | None) -> Parsed:
    from .arxiv_ids import parse_reference
    from .arxiv_list import parse_arxiv, references_from_args

    if not sources:
        raise InputError("no input given", "give a newsletter file, or one or more arXiv IDs or URLs")
    paths = [Path(source).expanduser() for source in sources]
    if len(sources) == 1 and (paths[0].exists() or not parse_reference(sources[0])):
        return _parse_file(paths[0], cache_dir=cache_dir, arxiv_url=arxiv_url)
    files = [str(path) for path in paths if path.exists() and not parse_reference(str(path))]
    if files:
        raise InputError(f"several inputs given, including the file {files[0]}",
                         "give one input file at a time, or only arXiv IDs and URLs")
    return parse_arxiv(references_from_args(sources), cache_dir=cache_dir, arxiv_url=arxiv_url)


def _parse_file(path: Path, *, cache_dir: Path | None, arxiv_url: str | None) -> Parsed:
    from . import arxiv_list, digest, newsletter, structured

    text = read_text(path)
    source = str(path)
    lines = text.splitlines()
    syntax = structured.looks_structured(text, path.suffix)
    if syntax:
        return structured.parse_structured(text, syntax, source)
    if arxiv_list.is_reference_list(lines):
        refs = arxiv_list.references_from_lines(lines, source)
        return arxiv_list.parse_arxiv(refs, cache_dir=cache_dir, arxiv_url=arxiv_url)
    if newsletter.looks_like_newsletter(lines):
        return newsletter.parse_newsletter(text, source)
    if digest.looks_like_digest(lines):
        return digest.parse_digest(text, source)
    if any(newsletter.TITLE.match(line) for line in lines):
        return newsletter.parse_newsletter(text, source)  # titles without links: summaries only
    if newsletter.looks_like_empty_newsletter(lines):
        raise InputError(f"no papers found in {source}", newsletter.NO_PAPERS_HINT)
    raise InputError(f"{source} is not in a format podcast reads", FORMATS_HINT)
