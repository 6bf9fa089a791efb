"""Cover art: the configured or bundled image, checked against what podcast directories accept."""

from __future__ import annotations

from pathlib import Path

from .config import Config
from .errors import ConfigError
from .files import assets_dir

MIN_SIDE, MAX_SIDE = 1400, 3000  # px, Apple Podcasts' range for square show art
FORMATS = {"JPEG": ".jpg", "PNG": ".png"}


def cover_path(config: Config) -> Path:
    """The cover file: ``show.cover`` if configured, else the bundled one."""
    configured = config.get("show", "cover")
    return Path(configured) if configured else assets_dir() / "cover.jpg"


def check_cover(path: Path) -> str:
    """The cover's file suffix (".jpg" or ".png") if it is a 1400–3000 px square RGB JPEG or PNG; else an error."""
    from PIL import Image, UnidentifiedImageError

    fix = f"use a square RGB JPEG or PNG of {MIN_SIDE}–{MAX_SIDE} px as show.cover"
    try:
        with Image.open(path) as image:
            kind, (width, height), mode = image.format, image.size, image.mode
    except FileNotFoundError:
        raise ConfigError(f"cover image {path} does not exist", "check show.cover in podcast.toml") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise ConfigError(f"cover image {path} cannot be read as an image ({exc.__class__.__name__})", fix) from None
    if kind not in FORMATS:
        raise ConfigError(f"cover image {path} is {kind}, not JPEG or PNG", fix)
    if width != height or not MIN_SIDE <= width <= MAX_SIDE:
        raise ConfigError(f"cover image {path} is {width}×{height} px; it must be square, "
                          f"{MIN_SIDE}–{MAX_SIDE} px on a side", fix)
    if mode != "RGB":
        raise ConfigError(f"cover image {path} is in {mode} colour mode, not RGB", fix)
    return FORMATS[kind]


def checked_cover(config: Config) -> Path:
    """The cover file, after :func:`check_cover`."""
    path = cover_path(config)
    check_cover(path)
    return path
