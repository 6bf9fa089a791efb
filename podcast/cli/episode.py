"""`podcast episode`: make everything for an episode collected with `podcast add`, redoing only what changed."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli
from .build import Bars, episode_summary


def out_option(func):
    """--out, shared by the collection commands."""
    return click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
                        show_default=True, help="Folder that holds one sub-folder per episode.")(func)


def config_option(func):
    """--config, shared by the collection commands."""
    return click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                        help="Config file [default: ./podcast.toml, or $PODCAST_CONFIG].")(func)


@cli.command()
@click.argument("episode_id", required=False, metavar="[ID]")
@click.option("--dry-run", is_flag=True, help="List the stages that would run, and why; change nothing.")
@click.option("--writer", metavar="NAME", help="Script writer [default: the existing script's, else the config's].")
@click.option("--summarize", is_flag=True, help="Have the LLM writer summarize papers that carry only an abstract.")
@click.option("--force", is_flag=True, help="Rewrite script.md even if you edited it by hand.")
@click.option("--engine", metavar="NAME", help="Speech engine (see `podcast voices`).")
@click.option("--voice", metavar="VOICE", help="Voice of the engine.")
@out_option
@config_option
def episode(episode_id, dry_run, writer, summarize, force, engine, voice, out, config_path):
    """Make everything for episode ID (default: this month), running only the stale stages.

    Like make: each stage (summarize, script, speak, master, publish, …) runs only when what it
    reads or its settings changed since it last ran, or its files are missing. OUT/ID/state.json
    records what each stage was made from. Collect papers first with `podcast add`.

    \b
    Examples:
      podcast episode                  # this month's episode
      podcast episode 2025-02 --dry-run
      podcast episode 2025-02 --writer openai --summarize
    """
    from ..config import load_config
    from ..pipeline import Context, current_episode_id, run_episode

    ctx = Context(config=load_config(config_path), out=out, episode_id=episode_id or current_episode_id(),
                  writer=writer, summarize=summarize, force=force, engine=engine, voice=voice)
    if dry_run:
        report = run_episode(ctx, dry_run=True)
        stale = report.ran()
        click.echo(f"Episode {ctx.episode_id}: {len(stale)} stage(s) would run" + (":" if stale else ""))
        for step in report.steps:
            if step.action == "run":
                click.echo(f"  {step.stage:<10} run     {step.reason}")
            elif step.action == "reuse":
                click.echo(f"  {step.stage:<10} reuse   up to date")
            else:
                click.echo(f"  {step.stage:<10} off     {step.reason}")
        return
    with Bars() as bars:
        ctx.report = bars
        report = run_episode(ctx)
    episode_summary(ctx, report)
