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

    config = load_config(config_path)
    config.set("video", "style", style)
    config.set("video", "captions", captions)
    folder = _folder(episode_dir)
    bars, report = _bars()
    with bars:
        out = render_video(folder, config, progress=report)
    click.echo(f"Video:     {out}")
    click.echo(f"Thumbnail: {thumbnail_path(folder)}")
