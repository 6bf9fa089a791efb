"""The ingest stage: read newsletters, digests, arXiv IDs or paper lists into one Episode.

Several inputs make one episode, papers in input order. The format of each file is chosen by
content. Heavy libraries (arxiv, yaml) are imported only when needed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from ..errors import InputError
from ..models import Episode, Paper
from .common import FORMATS_HINT, Parsed, make_unique, read_text

__all__ = ["ingest", "episode_id"]


def ingest(
    sources: list[str],
    *,
    language: str | None = None,
    cache_dir: Path | None = None,
    show: str = "Paper Cuts",
    arxiv_url: str | None = None,
    write_cache: bool = True,
) -> Episode:
    """Read input files, arXiv IDs and URLs (mixed, in order) into one Episode with their papers."""
    language = language.strip().lower() if language and language.strip() else None
    parts = _parse_all(list(sources), language=language, cache_dir=cache_dir, arxiv_url=arxiv_url,
                       write_cache=write_cache)
    language = language or _common_language(parts)
    papers, notes = _merge(parts)
    make_unique(papers)
    dated = [parsed for _, parsed in parts if parsed.date]
    first_intro = next((parsed.intro_text for _, parsed in parts if parsed.intro_text.strip()), "")
    last_closing = next((parsed for _, parsed in reversed(parts) if parsed.closing_text.strip()), None)
    return Episode(
        id=episode_id(parts[0][1]) if len(parts) == 1 else _joint_id([p.date for p in dated]),
        show=next((parsed.show for _, parsed in parts if parsed.show), None) or show,
        language=language,
        date=min((p.date for p in dated), default=""),
        intro_text=first_intro,
        closing_text=last_closing.closing_text if last_closing else "",
        closing_links=list(dict.fromkeys(url for _, parsed in parts for url in parsed.closing_links)),
        papers=papers,
        overview=list(dict.fromkeys(item for _, parsed in parts for item in parsed.overview)),
        unspoken=[line for _, parsed in parts for line in parsed.unspoken],
        notes=notes,
    )


def episode_id(parsed: Parsed, today: dt.date | None = None) -> str:
    """"YYYY-MM-DD" for a dated weekly digest, "YYYY-MM" for anything else dated, else this month."""
    if parsed.date:
        return parsed.date if parsed.kind == "digest" else parsed.date[:7]
    return (today or dt.date.today()).strftime("%Y-%m")


def _joint_id(dates: list[str], today: dt.date | None = None) -> str:
    """Several inputs: the month most of their dates fall in (four weeklies of September: "2025-09")."""
    if not dates:
        return (today or dt.date.today()).strftime("%Y-%m")
    months = Counter(date[:7] for date in dates)
    return max(sorted(months), key=lambda month: months[month])  # ties: the earliest month


def _parse_all(sources: list[str], *, language: str | None, cache_dir: Path | None, arxiv_url: str | None,
               write_cache: bool) -> list[tuple[str, Parsed]]:
    """(input, what it held) per input, in order; arXiv IDs given as arguments are fetched together."""
    from .arxiv_ids import parse_reference
    from .arxiv_list import parse_arxiv

    if not sources:
        raise InputError("no input given", "give a newsletter file, or one or more arXiv IDs or URLs")
    paths = [Path(source).expanduser() for source in sources]
    if len(sources) == 1 and (paths[0].exists() or not parse_reference(sources[0])):
        parsed = _parse_file(paths[0], language=language, cache_dir=cache_dir, arxiv_url=arxiv_url,
                             write_cache=write_cache)
        return [(sources[0], parsed)]
    refs = {i: parse_reference(source) for i, (source, path) in enumerate(zip(sources, paths))
            if not path.exists()}
    bad = [sources[i] for i, found in refs.items() if not found]
    if bad:
        raise InputError(f"not files or arXiv IDs: {', '.join(map(repr, bad))}",
                         "give existing files, arXiv IDs such as 2501.00343, or arXiv/alphaXiv URLs")
    from .arxiv_list import references_from_args

    fetched: dict[int, Paper] = {}
    if refs:
        order = sorted(refs)
        found = parse_arxiv(references_from_args([sources[i] for i in order]), cache_dir=cache_dir,
                            arxiv_url=arxiv_url, write_cache=write_cache)
        fetched = dict(zip(order, found.papers))
    parts = []
    for i, (source, path) in enumerate(zip(sources, paths)):
        if i in fetched:
            paper = fetched[i]
            parts.append((source, Parsed(kind="arxiv", papers=[paper], text=f"{paper.title}\n{paper.abstract}")))
        else:
            parts.append((source, _parse_file(path, language=language, cache_dir=cache_dir, arxiv_url=arxiv_url,
                                              write_cache=write_cache)))
    return parts


def _common_language(parts: list[tuple[str, Parsed]]) -> str:
    from ..language import detect_language

    found = {source: parsed.language or detect_language(parsed.text) for source, parsed in parts}
    if len(set(found.values())) > 1:
        listed = ", ".join(f"{source} is {code}" for source, code in found.items())
        raise InputError(f"the inputs are in different languages ({listed})",
                         "choose the episode's language with --language, e.g. --language "
                         f"{next(iter(found.values()))}")
    return next(iter(found.values()))


def _merge(parts: list[tuple[str, Parsed]]) -> tuple[list[Paper], list[str]]:
    """Papers in input order, each remembering its input; one arXiv paper from two inputs becomes one."""
    from .arxiv_ids import parse_reference

    papers: list[Paper] = []
    by_arxiv: dict[str, Paper] = {}
    notes: list[str] = []
    for source, parsed in parts:
        for paper in parsed.papers:
            paper.input = paper.input or source
            key = parse_reference(paper.id)
            first = by_arxiv.get(key) if key else None
            if first is None or first.input == source:
                papers.append(paper)
                if key:
                    by_arxiv.setdefault(key, paper)
                continue
            _fill(first, paper)
            notes.append(f"arXiv {key} is in both {first.input} and {source}: merged into one paper "
                         f"(paper {papers.index(first) + 1})")
    return papers, notes


def _fill(first: Paper, later: Paper) -> None:
    """Give ``first`` what only ``later`` knows: links, summary, abstract, authors, dates."""
    first.links = list(dict.fromkeys([*first.links, *later.links]))
    for name in ("summary", "abstract", "title_alt", "published"):
        if not getattr(first, name) and getattr(later, name):
            setattr(first, name, getattr(later, name))
    for name in ("authors", "categories"):
        if not getattr(first, name):
            setattr(first, name, list(getattr(later, name)))


def _parse_file(path: Path, *, language: str | None, cache_dir: Path | None, arxiv_url: str | None,
                write_cache: bool) -> Parsed:
    from . import arxiv_list, digest, newsletter, structured

    text = read_text(path)
    source = str(path)
    lines = text.splitlines()
    syntax = structured.looks_structured(text, path.suffix)
    if syntax:
        return structured.parse_structured(text, syntax, source)
    if arxiv_list.is_reference_list(lines):
        refs = arxiv_list.references_from_lines(lines, source)
        return arxiv_list.parse_arxiv(refs, cache_dir=cache_dir, arxiv_url=arxiv_url, write_cache=write_cache)
    if newsletter.looks_like_newsletter(lines):
        return newsletter.parse_newsletter(text, source)
    shaped = digest.read_lines(text)
    if digest.looks_like_digest(shaped):
        return digest.parse_digest(text, source, language, shaped)
    if any(newsletter.TITLE.match(line) for line in lines):
        return newsletter.parse_newsletter(text, source)  # titles without links: summaries only
    if newsletter.looks_like_empty_newsletter(lines):
        raise InputError(f"no papers found in {source}", newsletter.NO_PAPERS_HINT)
    raise InputError(f"{source} is not in a format podcast reads: no '# Title' headings followed by a link, "
                     f"{digest.missing_structure(shaped)}", FORMATS_HINT)
