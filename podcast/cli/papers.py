"""`podcast papers`: what ingest finds in the inputs, without writing anything."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from . import cli

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Words in ``text``: whitespace-separated, with each Chinese or Japanese character counted as one."""
    cjk = len(_CJK.findall(text))
    return cjk + len(_CJK.sub(" ", text).split())


def paper_rows(episode) -> list[dict]:
    """One JSON-ready row per paper: number, titles, links, word counts and input."""
    return [{
        "number": n, "id": p.id, "title": p.title, "title_alt": p.title_alt, "link": p.url, "links": p.links,
        "summary_words": word_count(p.summary), "abstract_words": word_count(p.abstract),
        "input": p.input, "format": p.source,
    } for n, p in enumerate(episode.papers, 1)]


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--language", metavar="CODE", help="Language of the episode, e.g. en, hi, ko [default: detected].")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a list.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Output folder whose arXiv cache is read (never written).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file [default: ./podcast.toml, or $PODCAST_CONFIG].")
def papers(inputs, language, as_json, out, config_path):
    """Show the papers ingest finds in INPUT..., and write nothing.

    Check a new newsletter or digest format before spending a build on it: each paper's number,
    title (both titles when bilingual), link, summary and abstract words, and the input it came
    from. Several inputs make one episode, exactly as `podcast build A B C` would.

    \b
    Examples:
      podcast papers digest-hi.txt
      podcast papers week1.txt week2.txt 2501.00343 --json
    """
    from ..config import load_config
    from ..ingest import ingest
    from ..language import normalize_language

    config = load_config(config_path)
    language = language or config.get("show", "language") or None
    configured = config.get("speech", "cache_dir")
    episode = ingest(list(inputs), language=normalize_language(language) if language else None,
                     cache_dir=Path(configured) if configured else out / ".cache",
                     show=config.get("show", "name"), write_cache=False)
    for note in episode.notes:
        click.echo(f"note: {note}", err=True)
    rows = paper_rows(episode)
    if as_json:
        data = {"episode": episode.id, "language": episode.language, "date": episode.date,
                "overview": episode.overview, "papers": rows, "notes": episode.notes}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"Episode {episode.id} · language {episode.language} · date {episode.date or 'unknown'} · "
               f"{len(rows)} paper{'s' if len(rows) != 1 else ''} from {len(inputs)} input"
               f"{'s' if len(inputs) != 1 else ''}")
    if episode.overview:
        click.echo(f"Themes:  {len(episode.overview)} (spoken before the papers)")
    width = len(str(len(rows)))
    for row in rows:
        pad = " " * (width + 2)
        click.echo(f"{row['number']:>{width}}. {row['title']}")
        if row["title_alt"]:
            click.echo(f"{pad}also: {row['title_alt']}")
        more = f" (+{len(row['links']) - 1} more)" if len(row["links"]) > 1 else ""
        click.echo(f"{pad}link: {row['link'] or '(none)'}{more}")
        click.echo(f"{pad}summary {row['summary_words']} words · abstract {row['abstract_words']} words · "
                   f"from {row['input']}")
