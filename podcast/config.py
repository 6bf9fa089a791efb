"""Configuration: defaults, an optional ``podcast.toml``, then command-line overrides."""

from __future__ import annotations

import copy
import os
import re
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
        "engine": "",  # empty: hibari for English, else espeak (piper first when [engine.piper] is set)
        "voice": "",
        "workers": 0,  # 0: a sensible number for the engine (cores offline, 4 for network)
        "retries": 5,
        "lexicon": "",  # path to a user lexicon TOML, added to the built-in one
        "cache_dir": "",  # empty: <out>/.cache
        "min_seconds_per_word": 0.25,  # audio checks: shorter speech is an error (bounds for a 150 words/min voice)
        "max_seconds_per_word": 1.2,  # longer speech is an error (faster or slower voices scale both)
    },
    "audio": {
        "pause": 0.9,  # seconds of silence between segments
        "turn_pause": 0.25,  # seconds between two hosts' turns (shorter than pause)
        "crossfade": 1.5,  # seconds the intro music overlaps the first words
        "loudness": -16.0,  # LUFS, integrated
        "true_peak": -1.5,  # dBTP ceiling handed to the limiter (the spec allows at most -1)
        "bitrate": "",  # empty: 96k mono, 128k stereo (Apple's recommended ranges start there)
        "channels": 1,  # 1 mono (speech), 2 stereo
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
        "tags": [],  # empty: the show name, "AI", "machine learning", … and the papers' arXiv categories
        "publish_at": "",  # ISO 8601 time to go public (with privacy = "private")
        "chunk_mb": 8.0,  # MB per resumable-upload request (rounded to a multiple of 256 KiB)
    },
    "feed": {
        "base_url": "",  # where the site is served, e.g. https://example.com/podcast; every feed URL starts here
        "category": "Technology",  # an Apple Podcasts category
        "explicit": False,
        "locked": True,  # podcast:locked: other platforms may not import the feed
        "publish": True,  # with a base_url, builds also update the site (`podcast publish` always does)
    },
    "search": {  # `podcast search`: new arXiv papers for the episode
        "categories": ["cs.CL", "cs.LG", "cs.AI"],  # arXiv categories, any of them
        "include": [],  # terms of which a paper must mention at least one (title or abstract); empty: any
        "exclude": [],  # terms a paper must not mention, even when it matches an include term
        "max_results": 50,  # papers shown per search
        "page_size": 100,  # results per request to the arXiv API
        "delay": 3.0,  # seconds between requests: arXiv's API terms ask for one every 3 s
    },
}

# Free-form option tables for parts chosen by name: [writer.openai], [engine.piper], [hosts.Ada], ...
OPEN_SECTIONS = ("writer", "engine", "publisher", "hosts")

# Values that name files or folders: relative ones are relative to the config file, not the working folder.
PATH_KEYS = {("show", "cover"), ("speech", "lexicon"), ("speech", "cache_dir"), ("audio", "intro"),
             ("audio", "outro"), ("writer", "prompts"), ("writer", "cache_dir"), ("engine", "model"),
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


# Limits on values beyond their type: (test, what a good value is). A failed test is a ConfigError.
RULES: dict[tuple[str, str], tuple[Any, str]] = {
    ("script", "minutes"): (lambda v: v == 0 or 1 <= v <= 600, "is 0 (full length) or 1–600 minutes"),
    ("script", "hosts"): (lambda v: 0 <= v <= 2, "is 0 (the writer's own), 1 or 2"),
    ("speech", "workers"): (lambda v: 0 <= v <= 64, "is 0 (automatic) to 64"),
    ("speech", "retries"): (lambda v: 0 <= v <= 20, "is 0 to 20"),
    ("speech", "min_seconds_per_word"): (lambda v: 0 <= v <= 2, "is 0 to 2 seconds (0.25 by default)"),
    ("speech", "max_seconds_per_word"): (lambda v: 0.1 <= v <= 10, "is 0.1 to 10 seconds (1.2 by default)"),
    ("audio", "pause"): (lambda v: 0 <= v <= 5, "is 0 to 5 seconds"),
    ("audio", "turn_pause"): (lambda v: 0 <= v <= 5, "is 0 to 5 seconds"),
    ("audio", "crossfade"): (lambda v: 0 <= v <= 10, "is 0 to 10 seconds"),
    ("audio", "loudness"): (lambda v: -40 <= v <= -5, "is -40 to -5 LUFS (podcasts use -16)"),
    ("audio", "true_peak"): (lambda v: -10 <= v <= 0, "is -10 to 0 dBTP"),
    ("audio", "bitrate"): (lambda v: v == "" or _bitrate(v),
                           "is empty (96k mono, 128k stereo) or 32k to 320k, e.g. \"96k\""),
    ("audio", "channels"): (lambda v: v in (1, 2), "is 1 (mono) or 2 (stereo)"),
    ("search", "max_results"): (lambda v: 1 <= v <= 2_000, "is 1 to 2000"),
    ("search", "page_size"): (lambda v: 1 <= v <= 2_000, "is 1 to 2000"),
    ("search", "delay"): (lambda v: 0 <= v <= 60, "is 0 to 60 seconds (arXiv asks for 3)"),
}

# Words that mark a key as a secret: those are read from the environment only, never from a file.
SECRET_KEY = r"(^|_)(api_?key|key|token|secret|password)$"


def _bitrate(value: str) -> bool:
    match = re.fullmatch(r"(\d+)k", value)
    return bool(match) and 32 <= int(match.group(1)) <= 320


def _suggest(word: str, choices) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def _check(section: str, key: str, value: Any, path: Path | None) -> Any:
    default = DEFAULTS[section][key]
    if isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        if not ok:
            raise ConfigError(f"{section}.{key}{_where(path)} must be a list of strings, not {value!r}",
                              f'fix it, e.g. {key} = ["cs.CL", "cs.LG"]')
        return list(value)
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
    rule = RULES.get((section, key))
    if rule and not rule[0](value):
        raise ConfigError(f"{section}.{key} = {value!r}{_where(path)} is out of range", f"a good value {rule[1]}")
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
    except OSError as exc:
        raise ConfigError(f"cannot read config file {candidate}: {exc.strerror or exc}",
                          "check its permissions") from None
    config.path = candidate
    for section, table in data.items():
        if section in OPEN_SECTIONS:
            if not isinstance(table, dict) or not all(isinstance(v, dict) for v in table.values()):
                raise ConfigError(f"[{section}]{_where(candidate)} must hold tables like [{section}.NAME]",
                                  f"write [{section}.NAME] headings, e.g. {_EXAMPLES.get(section, '')}".rstrip())
            for options in table.values():
                for key in options:
                    if (section, key) in PATH_KEYS:
                        options[key] = _resolve(options[key], candidate.parent)
            config.parts[section] = table
            continue
        if section in DEFAULTS and not isinstance(table, dict):
            raise ConfigError(f"{section} = {table!r}{_where(candidate)} must be a [{section}] table",
                              f"write a [{section}] heading with its keys below it, e.g. "
                              f"{next(iter(DEFAULTS[section]))} = {next(iter(DEFAULTS[section].values()))!r}")
        if section not in DEFAULTS:
            known = ", ".join([*DEFAULTS, *OPEN_SECTIONS])
            raise ConfigError(f"unknown section [{section}]{_where(candidate)}",
                              f"{_suggest(section, [*DEFAULTS, *OPEN_SECTIONS])}known sections: {known}")
        for key, value in table.items():
            if key not in DEFAULTS[section]:
                known = ", ".join(DEFAULTS[section])
                raise ConfigError(f"unknown key {section}.{key}{_where(candidate)}",
                                  f"{_suggest(key, DEFAULTS[section])}known keys: {known}")
            config.set(section, key, value)
            if (section, key) in PATH_KEYS:
                config.values[section][key] = _resolve(value, candidate.parent)
    check_parts(config)
    return config


_EXAMPLES = {"writer": "[writer.openai]", "engine": "[engine.piper]", "publisher": "[publisher.notes]",
             "hosts": "[hosts.Ada]"}


def _registry(kind: str):
    """The registry that names the parts of an open section, or None (hosts: any name)."""
    if kind == "writer":
        from .writers.base import WRITERS

        return WRITERS
    if kind == "engine":
        from .speech.base import ENGINES

        return ENGINES
    if kind == "publisher":
        from .publishers import PUBLISHERS

        return PUBLISHERS
    return None


def check_parts(config: Config) -> None:
    """Every [kind.NAME] table names a known part, holds no secret, and has options that part accepts."""
    where = _where(config.path)
    for kind, tables in config.parts.items():
        registry = _registry(kind)
        for name, options in tables.items():
            for key in options:
                if re.search(SECRET_KEY, key.lower()):
                    raise ConfigError(f"[{kind}.{name}] {key}{where} looks like a secret; secrets are read only "
                                      "from the environment", "remove it from the file and export it, "
                                      "e.g. export OPENAI_API_KEY=...")
            if registry is None:
                continue
            if name not in registry:
                raise ConfigError(f"unknown {registry.kind} {name!r} in [{kind}.{name}]{where}",
                                  f"{_suggest(name, registry.names())}choose one of: {', '.join(registry.names())}")
            _check_options(kind, name, registry.get(name), config)
    _check_choice(config, "script", "writer", _registry("writer"))
    _check_choice(config, "speech", "engine", _registry("engine"))
    if config.parts.get("hosts"):
        from .hosts import configured_hosts

        engines = _registry("engine")
        for host in configured_hosts(config):
            if host.engine and host.engine not in engines:
                raise ConfigError(f"hosts.{host.name}.engine = {host.engine!r}{where} is not a known {engines.kind}",
                                  f"{_suggest(host.engine, engines.names())}choose one of: "
                                  f"{', '.join(engines.names())}")


def _check_choice(config: Config, section: str, key: str, registry) -> None:
    value = config.get(section, key)
    if value and value not in registry:
        raise ConfigError(f"{section}.{key} = {value!r}{_where(config.path)} is not a known {registry.kind}",
                          f"{_suggest(value, registry.names())}choose one of: {', '.join(registry.names())}")


def _check_options(kind: str, name: str, cls, config: Config) -> None:
    where = _where(config.path)
    options = config.options(kind, name)
    known = list(cls.option_keys if kind == "writer" else cls.option_types if kind == "publisher" else ())
    for key in options if kind in ("writer", "publisher") else ():
        if key not in known:
            choices = f"known keys: {', '.join(known)}" if known else f"the {name} {kind} takes no options: remove [{kind}.{name}]"
            raise ConfigError(f"unknown key {kind}.{name}.{key}{where}", f"{_suggest(key, known)}{choices}")
    if kind == "engine":
        from .speech.select import validate_options

        validate_options(cls, options, where)
    elif kind == "writer":
        merged: dict[str, Any] = {}
        for table in (*cls.options_from, name):
            merged.update(config.options("writer", table))
        try:
            cls(merged)  # writers check their options when made; nothing connects yet
        except ConfigError as exc:
            raise ConfigError(f"{exc.message}{where}", exc.hint) from None
    elif kind == "publisher":
        for key, value in options.items():
            if key == "enabled" and not isinstance(value, bool):
                raise ConfigError(f"[publisher.{name}] enabled{where} must be true or false, not {value!r}",
                                  "write enabled = false to turn it off")
