"""Choosing the speech engine and voice for an episode from the command line, config and language."""

from __future__ import annotations

from typing import Any

from ..config import Config
from ..errors import ConfigError, EngineError
from .base import ENGINES, Engine

OFFLINE_DEFAULTS = ("piper", "espeak")  # tried in order when nothing names an engine


def default_engine_name(language: str, config: Config | None = None) -> str:
    """Piper when its voice (the default, or [engine.piper] model) speaks ``language`` here, else espeak."""
    for name in OFFLINE_DEFAULTS:
        if name not in ENGINES:
            continue
        options = config.options("engine", name) if config else {}
        try:
            ENGINES.get(name)(language=language, options=options).check()
        except (EngineError, ConfigError, TypeError):  # a bad option is reported when the engine is made
            continue
        return name
    return OFFLINE_DEFAULTS[-1]


def validate_options(cls: type[Engine], options: dict[str, Any], where: str) -> dict[str, Any]:
    """Check ``[engine.NAME]`` keys and value types; ConfigError names the bad key."""
    known = cls.option_types
    for key, value in options.items():
        if key not in known:
            valid = ", ".join(sorted(known)) or "none"
            raise ConfigError(f"unknown option {key!r} in [engine.{cls.name}]{where}", f"known options: {valid}")
        expected = known[key]
        types = expected if isinstance(expected, tuple) else (expected,)
        wrong_bool = isinstance(value, bool) and bool not in types
        if wrong_bool or not isinstance(value, types):
            names = " or ".join(t.__name__ for t in types)
            raise ConfigError(f"[engine.{cls.name}] {key}{where} must be a {names}, not {value!r}",
                              f"fix the value of {key}")
    return options


def make_engine(config: Config, language: str, engine: str | None = None, voice: str | None = None,
                config_voice: bool = True) -> Engine:
    """The engine to speak ``language`` with: CLI choice, else config, else the language's default.

    Unknown engine or voice → ConfigError listing the valid ones; an engine that cannot run here
    or lacks the language → EngineError. ``config_voice`` False ignores ``speech.voice`` (a co-host's engine).
    """
    name = engine or config.get("speech", "engine") or default_engine_name(language, config)
    cls = ENGINES.get(name)
    where = f" in {config.path}" if config.path else ""
    options = validate_options(cls, config.options("engine", name), where)
    chosen_voice = voice or (config.get("speech", "voice") if config_voice else "") or ""
    instance = cls(language=language, voice=chosen_voice, options=options)
    named = chosen_voice or str(options.get("voice", ""))
    if named and not instance.accepts_voice(named):
        valid = instance.voice_ids()
        shown = ", ".join(valid[:30]) + (f", … ({len(valid)} in all)" if len(valid) > 30 else "")
        raise ConfigError(f"unknown voice {named!r} for speech engine {name!r}",
                          f"choose one of: {shown} (see `podcast voices --engine {name}`)")
    instance.check()
    return instance
