"""`podcast video` and `podcast upload`: the YouTube companion."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli

VIDEO_LABELS = {"slides": "Drawing slides", "video": "Encoding video", "upload": "Uploading video"}

config_option = click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                             help="Config file [default: ./podcast.toml, or $PODCAST_CONFIG].")
episode_argument = click.argument("episode_dir", type=click.Path(file_okay=False, path_type=Path))


def _bars():
    """Progress bars keyed by the steps' labels."""
    from .build import Bars

    bars = Bars()
    return bars, lambda step, done, total: bars(VIDEO_LABELS.get(step, step), done, total)


def _folder(episode_dir: Path):
    from ..errors import InputError
    from ..files import EpisodeDir

    if not episode_dir.is_dir():
        raise InputError(f"{episode_dir} is not an episode folder", "give the folder `podcast build` wrote, "
                                                                    "e.g. output/2025-02")
    return EpisodeDir(episode_dir)


@cli.command()
@episode_argument
@config_option
@click.option("--style", type=click.Choice(["slides", "read-along"]),
              help="slides: one per paper; read-along: the text with the spoken sentence highlighted "
                   "[default: video.style].")
@click.option("--captions/--no-captions", default=None, help="Burn the transcript into the picture "
                                                            "[default: video.captions].")
def video(episode_dir, config_path, style, captions):
    """Render EPISODE_DIR/episode.mp4: slides timed by the timeline over the episode's MP3.

    Also writes thumbnail.jpg (1280×720) and youtube.json (title, description with chapters, tags),
    ready for `podcast upload`. Colours and a logo come from the [video] section of the config.

    \b
    Examples:
      podcast video output/2025-02
      podcast video output/2025-02 --style read-along
      podcast video output/2025-02 --captions
    """
    from ..config import load_config
    from ..video.encode import render_video
    from ..video.render import thumbnail_path
    from ..video.youtube import metadata_path, write_metadata

    config = load_config(config_path)
    config.set("video", "style", style)
    config.set("video", "captions", captions)
    folder = _folder(episode_dir)
    write_metadata(folder, config)  # checks the [youtube] settings before the long part
    bars, report = _bars()
    with bars:
        out = render_video(folder, config, progress=report)
    click.echo(f"Video:     {out}")
    click.echo(f"Thumbnail: {thumbnail_path(folder)}")
    click.echo(f"YouTube:   {metadata_path(folder)} (send it with `podcast upload {episode_dir}`)")


@cli.command()
@episode_argument
@config_option
@click.option("--dry-run", is_flag=True, help="Write youtube.json and show what would be sent; needs no login.")
@click.option("--login", is_flag=True, help="Log in to YouTube in the browser first (needed once).")
@click.option("--force", is_flag=True, help="Upload a new video even if this episode was uploaded before.")
def upload(episode_dir, config_path, dry_run, login, force):
    """Upload EPISODE_DIR's episode.mp4 to YouTube with its thumbnail and captions.

    Title, description (chapters, links), tags and privacy are written to youtube.json from the
    timeline and the [youtube] config as they are at upload time. The upload resumes after a
    dropped connection, and after an interrupted run (Ctrl-C, a crash) the next run carries on from
    what YouTube received. The video ID is kept in state.json: running it again finishes the
    thumbnail or captions instead of making a second video (unless --force).

    \b
    Setup, once:
      1. Google Cloud console: enable "YouTube Data API v3", create an OAuth client (Desktop app),
         download its JSON and set [youtube] client_secrets = "client_secret.json".
      2. podcast upload output/2025-02 --login
    \b
    Examples:
      podcast upload output/2025-02 --dry-run
      podcast upload output/2025-02
    """
    from ..config import load_config
    from ..upload import dry_run as describe
    from ..upload import upload as send
    from ..upload.auth import login as do_login, token_path

    config = load_config(config_path)
    folder = _folder(episode_dir)
    if dry_run:
        click.echo(describe(folder, config, force))
        return
    if login:
        do_login(config)
        click.echo(f"Logged in; token saved to {token_path(config)}", err=True)
    bars, report = _bars()
    with bars:
        result = send(folder, config, force=force, progress=lambda done, total: report("upload", done, total),
                      note=lambda message: click.echo(f"Note: {message}", err=True))
    click.echo(f"Video:     https://youtu.be/{result.video_id}" + ("" if result.created else " (uploaded before)"))
    click.echo(f"Thumbnail: {'set' if result.thumbnail else 'not set'}")
    click.echo(f"Captions:  {'added' if result.captions else 'not added'}")
