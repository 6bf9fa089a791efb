"""`podcast search`: new arXiv papers since the last search; pick some to add to the episode."""

from __future__ import annotations

import sys

import click

from . import cli
from .episode import config_option, out_option

ABSTRACT_CHARS = 110  # of the abstract's first sentence shown in the table


def _authors(names: list[str]) -> str:
    return ", ".join(names[:2]) + (" et al." if len(names) > 2 else "")


def _first_line(text: str) -> str:
    sentence = text.split(". ")[0].strip()
    return sentence if len(sentence) <= ABSTRACT_CHARS else sentence[: ABSTRACT_CHARS - 1].rstrip() + "…"


def show_table(records: list[dict], present: set[str]) -> None:
    """Print the results: number, date, categories, title, authors and the abstract's first line."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, expand=False)
    for column in ("#", "date", "categories", "title / authors / abstract"):
        table.add_column(column, overflow="fold")
    for number, r in enumerate(records, 1):
        mark = " (already in the episode)" if r["id"] in present else ""
        table.add_row(str(number), r["published"], " ".join(r["categories"][:3]),
                      f"[bold]{_escape(r['title'])}[/bold]{mark}\n{_escape(_authors(r['authors']))}\n"
                      f"[dim]{_escape(_first_line(r['abstract']))}[/dim]")
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)
    console.print(table)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@cli.command(name="search")
@click.option("--since", metavar="DATE", help="Papers published on or after DATE (YYYY-MM-DD) "
                                              "[default: the day of the last search, else 30 days ago].")
@click.option("--max", "max_results", type=click.IntRange(1, 2000), metavar="N",
              help="Show at most N papers [default: search.max_results].")
@click.option("--pick", metavar="LIST", help="Add these results to the episode, e.g. 1,3,5-7.")
@click.option("--all", "pick_all", is_flag=True, help="Add every result to the episode.")
@click.option("--episode", "episode_id", metavar="ID", help="Episode to add to [default: this month].")
@out_option
@config_option
def search_command(since, max_results, pick, pick_all, episode_id, out, config_path):
    """Find new arXiv papers since the last search and pick some for the episode.

    The query is [search] in podcast.toml: categories (any of them), include terms (at least one
    must appear) and exclude terms (none may appear, even next to an include term). Requests keep
    to arXiv's terms (one every search.delay = 3 s) and page through the results. An interrupted
    search keeps what it found: run the same command again to resume. Without --pick or --all,
    a terminal asks which to add; the results stay until you pick, so `podcast search --pick 2,5`
    picks from the table you saw.

    \b
    Examples:
      podcast search
      podcast search --since 2025-02-01 --max 30
      podcast search --pick 1,3,5 --episode 2025-02
    """
    from .. import collection
    from ..config import load_config
    from ..files import EpisodeDir
    from ..models import Episode
    from ..pipeline import check_episode_id, current_episode_id
    from ..pipeline.lock import EpisodeLock
    from ..search import STATE_NAME, mark_handled, parse_pick, search, to_paper

    config = load_config(config_path)
    episode_id = episode_id or current_episode_id()
    check_episode_id(episode_id)
    state = out / STATE_NAME
    limit = max_results or config.get("search", "max_results")
    if pick and pick_all:
        from ..errors import InputError

        raise InputError("--pick and --all both given", "use one of them")
    progress, pending = search(config, state, since=since, max_results=limit)
    records = progress.found
    folder = EpisodeDir(out / episode_id)
    present = {p.id for p in Episode.load(folder.papers).papers} if folder.papers.exists() else set()
    if not records:
        click.echo(f"No new papers since {progress.query['since']} for this query.")
        mark_handled(state)
        return
    show_table(records, present)
    click.echo(f"{len(records)} papers since {progress.query['since']}"
               + (" (the last search's results; pick from them, or search again with --since)" if pending else ""))
    if pick_all:
        chosen = list(range(1, len(records) + 1))
    elif pick:
        chosen = parse_pick(pick, len(records))
    elif sys.stdin.isatty() and sys.stdout.isatty():
        answer = click.prompt("Add which? (e.g. 1,3,5-7; empty: none)", default="", show_default=False)
        chosen = parse_pick(answer, len(records)) if answer.strip() else []
    else:
        click.echo("Add some with --pick 1,3,5 or --all.")
        return
    if chosen:
        incoming = Episode(id=episode_id, show=config.get("show", "name"),
                           language=config.get("show", "language") or "en",
                           papers=[to_paper(records[n - 1]) for n in chosen])
        with EpisodeLock(folder.root):
            episode, created = collection.load_or_new(folder, episode_id, incoming)
            result = collection.add(episode, incoming)
            episode.save(folder.papers)
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
        click.echo(f"Added {len(result.added)} papers to episode {episode_id} ({len(episode.papers)} in all); "
                   f"`podcast episode {episode_id} --writer openai --summarize` writes their summaries")
    mark_handled(state)
