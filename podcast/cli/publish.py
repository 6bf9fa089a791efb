"""`podcast publish`: the feed and static site for every built episode."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True,
              help="Folder that holds one sub-folder per episode; the site goes to OUT/public/.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file [default: ./podcast.toml, or $PODCAST_CONFIG].")
def publish(out, config_path):
    """Write a static site for every built episode to OUT/public/: feed.xml, index.html, and per episode
    its page (player, chapters, transcript, show notes) beside its MP3, chapters.json, transcripts and cover.

    Every URL in the feed starts with [feed] base_url from podcast.toml. Publishing again after a new
    episode adds it and changes nothing else: GUIDs, URLs and enclosure lengths stay the same.
    Upload OUT/public/ to any static host that serves byte ranges (nginx, Apache, GitHub Pages, S3), or
    open OUT/public/index.html from disk.

    \b
    Examples:
      podcast publish
      podcast publish --out output --config podcast.toml
    """
    from ..config import load_config
    from ..publish.feed import FEED_NAME
    from ..publish.site import publish_site
    from ..publish.urls import site_url

    config = load_config(config_path)
    report = publish_site(out, config)
    added = f", {len(report.added)} new" if report.added else ""
    click.echo(f"Site:     {report.root} ({len(report.episodes)} episodes{added}, "
               f"{len(report.written)} files written)")
    click.echo(f"Feed:     {site_url(config, FEED_NAME)}")
    click.echo(f"Page:     {report.root / 'index.html'}")
