"""`podcast add`, `remove`, `list` and `init`: collect papers into an episode through the month."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli
from .episode import config_option, out_option


def _episode_option(func):
    return click.option("--episode", "episode_id", metavar="ID",
                        help="Episode id and folder name [default: this month, e.g. 2025-02].")(func)


def _folder(out: Path, episode_id: str | None):
    from ..files import EpisodeDir
    from ..pipeline import check_episode_id, current_episode_id

    episode_id = episode_id or current_episode_id()
    check_episode_id(episode_id)
    return episode_id, EpisodeDir(out / episode_id)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="(FILE | ID | URL)...")
@_episode_option
@click.option("--language", metavar="CODE", help="Language of a new episode, e.g. en, hi [default: detected].")
@out_option
@config_option
def add(inputs, episode_id, language, out, config_path):
    """Add papers to an episode: from a newsletter, a digest, a list, or arXiv IDs and URLs.

    A newsletter or digest adds its papers with their summaries; arXiv IDs get their title,
    authors and abstract from arXiv (cached). A paper that is already there is not added twice.
    Then `podcast episode` makes everything.

    \b
    Examples:
      podcast add 2501.00343 https://arxiv.org/abs/2412.19437
      podcast add newsletter.txt --episode 2025-02
      podcast add reading-list.yaml
    """
    from .. import collection
    from ..config import load_config
    from ..ingest import ingest
    from ..language import normalize_language
    from ..pipeline.lock import EpisodeLock

    config = load_config(config_path)
    episode_id, folder = _folder(out, episode_id)
    language = language or config.get("show", "language") or None
    cache = Path(config.get("speech", "cache_dir")) if config.get("speech", "cache_dir") else out / ".cache"
    incoming = ingest(list(inputs), language=normalize_language(language) if language else None, cache_dir=cache,
                      show=config.get("show", "name"))
    with EpisodeLock(folder.root):
        episode, created = collection.load_or_new(folder, episode_id, incoming)
        result = collection.add(episode, incoming)
        if result.added or created:
            episode.save(folder.papers)
    for note in [*incoming.notes, *result.notes]:
        click.echo(f"note: {note}", err=True)
    for paper in result.added:
        click.echo(f"added    {episode.papers.index(paper) + 1:>3}. {paper.title}")
    click.echo(f"Episode:  {episode_id} ({len(episode.papers)} papers, {len(result.added)} added now) "
               f"in {folder.root}")


@cli.command()
@click.argument("refs", nargs=-1, required=True, metavar="ID|NUMBER...")
@_episode_option
@out_option
def remove(refs, episode_id, out):
    """Remove papers from an episode, by number (as `podcast list ID` shows) or by id.

    \b
    Examples:
      podcast remove 3
      podcast remove 2501.00343 --episode 2025-02
    """
    from .. import collection
    from ..models import Episode
    from ..pipeline.lock import EpisodeLock

    episode_id, folder = _folder(out, episode_id)
    Episode.load(folder.papers)  # a missing or broken episode is an error before anything is written
    with EpisodeLock(folder.root):
        episode = Episode.load(folder.papers)
        removed = collection.remove(episode, list(refs))
        episode.save(folder.papers)
    for paper in removed:
        click.echo(f"removed  {paper.title}")
    click.echo(f"Episode:  {episode_id} ({len(episode.papers)} papers left); `podcast episode {episode_id}` "
               "makes it again without them")


def _mark(flag: bool) -> str:
    return "yes" if flag else "-"


@cli.command(name="list")
@click.argument("episode_id", required=False, metavar="[ID]")
@out_option
def list_(episode_id, out):
    """List the episodes, or one episode's papers and how far each has got.

    For each paper: where its summary comes from (the input, the LLM, or missing), and whether it
    is in the script, spoken, in the MP3, in the video (an episode.mp4 made from this MP3) and
    published (in OUT/public/ and feed.xml with this MP3).

    \b
    Examples:
      podcast list
      podcast list 2025-02
    """
    from .. import collection

    if not episode_id:
        found = collection.episodes(out)
        if not found:
            click.echo(f"No episodes in {out} yet; start one with `podcast add` or `podcast build`.")
            return
        click.echo(f"{'episode':<14} {'papers':>6}  {'done':<40}")
        for eid, episode, stages in found:
            papers = len(episode.papers) if episode else "?"
            done = ", ".join(stages) or "nothing built yet"
            click.echo(f"{eid:<14} {papers:>6}  {done}")
        return
    _, folder = _folder(out, episode_id)
    episode, rows, companions = collection.paper_states(folder, out)
    click.echo(f"Episode {episode.id}: {len(rows)} papers ({episode.show}, language {episode.language})")
    click.echo(f"{'#':>3}  {'summary':<8} {'script':<6} {'spoken':<6} {'mp3':<4} {'video':<5} {'pub':<4} title")
    for row in rows:
        click.echo(f"{row.number:>3}  {row.summary:<8} {_mark(row.scripted):<6} {_mark(row.spoken):<6} "
                   f"{_mark(row.in_mp3):<4} {_mark(row.extra.get('video', False)):<5} "
                   f"{_mark(row.extra.get('published', False)):<4} {row.paper.title}")
    if companions.video == "older":
        click.echo(f"note: {folder.root / 'episode.mp4'} was made from an earlier MP3; `podcast episode "
                   f"{episode.id}` with [video] enabled = true makes it again", err=True)
    if companions.site == "older":
        click.echo(f"note: {out / 'public'} has an earlier MP3 of this episode; `podcast publish` updates it",
                   err=True)


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--name", metavar="NAME", help="The show's name [default: Paper Cuts].")
@click.option("--host", metavar="NAME", help="The host's name, as the MP3's artist tag [default: the show's name].")
def init(directory, name, host):
    """Write a commented podcast.toml for a show in DIRECTORY (default: here); never overwrites one.

    Every setting is there with its default and what it does; episodes will live in
    DIRECTORY/output/<episode id>/.

    \b
    Examples:
      podcast init
      podcast init my-show --name "Paper Cuts" --host "Ada Lovelace"
    """
    from ..config import CONFIG_NAME, load_config
    from ..config_template import render
    from ..errors import InputError
    from ..files import create_new

    path = directory / CONFIG_NAME
    if path.exists():
        raise InputError(f"{path} already exists; not overwriting it", "edit it, or remove it first")
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory} is not a folder", "give a folder for the show")
    text = render(name or "", host or "")
    directory.mkdir(parents=True, exist_ok=True)
    if not create_new(path, text):
        raise InputError(f"{path} already exists; not overwriting it", "edit it, or remove it first")
    load_config(path)  # what we wrote must load as it is
    click.echo(f"Wrote {path}: every setting with its default. Next: podcast add FILE|ARXIV-ID, then podcast episode")
