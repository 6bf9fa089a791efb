"""Configuration: defaults, an optional ``podcast.toml``, then command-line overrides."""

from __future__ import annotations

import copy
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

CONFIG_NAME = "podcast.toml"
CONFIG_ENV = "PODCAST_CONFIG"  # path to a config file, overriding ./podcast.toml

# Every section and key the tool knows, with its default. A key not listed here is an error,
# so a typo in podcast.toml is caught instead of silently ignored.
DEFAULTS: dict[str, dict[str, Any]] = {
    "show": {
        "name": "Paper Cuts",
        "author": "Paper Cuts",
        "description": "AI papers of the month, read aloud.",
        "language": "",  # empty: detect from the input
        "website": "",
        "cover": "",  # empty: the bundled cover
        "email": "",
    },
    "script": {
        "writer": "reading",
        "minutes": 0.0,  # target length of the episode; 0: as long as the writer makes it
        "hosts": 0,  # voices: 1 or 2; 0: the writer's own (reading 1, dialogue 2)
    },
    "speech": {
        "engine": "",  # empty: piper for languages it speaks, else espeak
        "voice": "",
        "workers": 0,  # 0: a sensible number for the engine (cores offline, 4 for network)
        "retries": 5,
        "lexicon": "",  # path to a user lexicon TOML, added to the built-in one
        "cache_dir": "",  # empty: <out>/.cache
    },
    "audio": {
        "pause": 0.9,  # seconds of silence between segments
        "turn_pause": 0.25,  # seconds between two hosts' turns (shorter than pause)
        "crossfade": 1.5,  # seconds the intro music overlaps the first words
        "loudness": -16.0,  # LUFS, integrated
        "true_peak": -1.5,  # dBTP ceiling handed to the limiter (the spec allows at most -1)
        "bitrate": "96k",
        "sample_rate": 44_100,  # Hz
        "intro": "",  # empty: the bundled intro music
        "outro": "",
    },
    "video": {
        "enabled": False,  # true: `podcast episode` also renders episode.mp4
        "style": "slides",  # or "read-along": the summary with the spoken sentence highlighted
        "captions": False,  # burn the written transcript into the picture
        "audio": "copy",  # copy the MP3 into the MP4, or "aac" to re-encode
        "background": "#14213d",
        "foreground": "#f5f3ee",
        "accent": "#fca311",
        "muted": "#a9b4c6",
        "logo": "",  # a PNG/JPEG drawn in the corner of every slide
        "qr": True,  # a QR code of each paper's link
    },
    "youtube": {
        "client_secrets": "",  # the OAuth client JSON from the Google Cloud console
        "token": "",  # empty: ~/.config/podcast/youtube-token.json (written 0600)
        "api_endpoint": "",  # empty: Google's; else e.g. https://127.0.0.1:8443 (tests, proxies)
        "privacy": "private",  # private, unlisted or public
        "category": "28",  # Science & Technology
        "tags": "",  # comma-separated; empty: the show name, "AI", "papers" and the papers' arXiv categories
        "publish_at": "",  # ISO 8601 time to go public (with privacy = "private")
        "chunk_mb": 8.0,  # MB per resumable-upload request (rounded to a multiple of 256 KiB)
    },
}

# Free-form option tables for parts chosen by name: [writer.openai], [engine.piper], [hosts.Ada], ...
OPEN_SECTIONS = ("writer", "engine", "publisher", "hosts")

# Values that name files or folders: relative ones are relative to the config file, not the working folder.
PATH_KEYS = {("show", "cover"), ("speech", "lexicon"), ("speech", "cache_dir"), ("audio", "intro"),
             ("audio", "outro"), ("writer", "prompts"), ("engine", "model"),
             ("video", "logo"), ("youtube", "client_secrets"), ("youtube", "token")}


def _resolve(value: object, base: Path) -> object:
    if isinstance(value, str) and value and not Path(value).expanduser().is_absolute():
        return str(base / value)
    return str(Path(value).expanduser()) if isinstance(value, str) and value else value


@dataclass
class Config:
    """Resolved settings; ``options(kind, name)`` gives a part's own table."""

    values: dict[str, dict[str, Any]] = field(default_factory=lambda: copy.deepcopy(DEFAULTS))
    parts: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    path: Path | None = None  # the file it came from, if any

    def get(self, section: str, key: str) -> Any:
        """A value from a known section."""
        return self.values[section][key]

    def set(self, section: str, key: str, value: Any) -> None:
        """Override a value (command-line flags use this); ``None`` leaves it unchanged."""
        if value is None:
            return
        self.values[section][key] = _check(section, key, value, self.path)

    def options(self, kind: str, name: str) -> dict[str, Any]:
        """The ``[kind.name]`` table, e.g. ``options("engine", "piper")``; empty if absent."""
        return dict(self.parts.get(kind, {}).get(name, {}))


def _where(path: Path | None) -> str:
    return f" in {path}" if path else ""


def _check(section: str, key: str, value: Any, path: Path | None) -> Any:
    default = DEFAULTS[section][key]
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ConfigError(
            f"{section}.{key}{_where(path)} must be a {type(default).__name__}, not {value!r}",
            f"fix it, e.g. {key} = {default!r}",
        )
    return value


def load_config(path: str | Path | None = None) -> Config:
    """Defaults, overlaid with ``path`` (or $PODCAST_CONFIG, or ./podcast.toml if present)."""
    explicit = path or os.environ.get(CONFIG_ENV)
    candidate = Path(explicit) if explicit else Path.cwd() / CONFIG_NAME
    config = Config()
    if not candidate.exists():
        if explicit:
            raise ConfigError(f"config file {candidate} does not exist", "check the path given to --config")
        return config
    if candidate.is_dir():
        raise ConfigError(f"config path {candidate} is a directory", "point --config at a .toml file")
    try:
        data = tomllib.loads(candidate.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{candidate} is not valid TOML: {exc}", "fix the syntax shown") from None
    config.path = candidate
    for section, table in data.items():
        if section in OPEN_SECTIONS:
            if not isinstance(table, dict) or not all(isinstance(v, dict) for v in table.values()):
                raise ConfigError(f"[{section}]{_where(candidate)} must hold tables like [{section}.NAME]")
            for options in table.values():
                for key in options:
                    if (section, key) in PATH_KEYS:
                        options[key] = _resolve(options[key], candidate.parent)
            config.parts[section] = table
            continue
        if section not in DEFAULTS or not isinstance(table, dict):
            known = ", ".join([*DEFAULTS, *OPEN_SECTIONS])
            raise ConfigError(f"unknown section [{section}]{_where(candidate)}", f"known sections: {known}")
        for key, value in table.items():
            if key not in DEFAULTS[section]:
                known = ", ".join(DEFAULTS[section])
                raise ConfigError(f"unknown key {section}.{key}{_where(candidate)}", f"known keys: {known}")
            config.set(section, key, value)
            if (section, key) in PATH_KEYS:
                config.values[section][key] = _resolve(value, candidate.parent)
    return config
