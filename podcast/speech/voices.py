"""A voice per host: each host's engine and voice from ``[hosts.NAME]``, the command line or the defaults."""

from __future__ import annotations

import numpy as np

from ..config import Config
from ..errors import ConfigError, EngineError
from ..models import Host
from .base import ENGINES, Engine
from .select import default_engine_name, make_engine

FIRST_HOST = ("hibari",)  # the host's offline voice when it speaks the language (female)
SECOND_HOST = ("piper", "hibari", "espeak")  # the co-host's: the first of these unlike the host's (Piper: male)
TWO_VOICES = {"openai": ("nova", "onyx")}  # engines whose default pair is known: host, co-host
SECOND_VOICE = {("espeak", "en"): "en-us"}  # the co-host's voice where the default's siblings sound alike


def _works(name: str, language: str, config: Config) -> bool:
    if name not in ENGINES:
        return False
    try:
        ENGINES.get(name)(language=language, options=config.options("engine", name)).check()
    except (EngineError, ConfigError, TypeError):
        return False
    return True


def _default_engine(position: int, language: str, config: Config, first: Engine | None) -> str:
    if position == 0 or first is None:
        return next((n for n in FIRST_HOST if _works(n, language, config)), None) or \
            default_engine_name(language, config)
    return next((n for n in SECOND_HOST if n != first.name and _works(n, language, config)), first.name)


def _other_voice(first: Engine, language: str) -> str:
    """A voice of ``first``'s engine unlike its own: the known pair, else another voice for the language."""
    cls = type(first)
    current = first.voice or str(first.options.get("voice", ""))
    pair = TWO_VOICES.get(cls.name, ())
    if pair:
        return pair[1] if current != pair[1] else pair[0]
    second = SECOND_VOICE.get((cls.name, language.split("-")[0]))
    if second and second != current:
        return second
    candidates = [v.id for v in cls.voices() if not v.languages or language in v.languages]
    native = [c for c in candidates if c.lower().startswith(language.lower())]  # "en-gb" over a foreign voice
    candidates = native or candidates  # never a voice made for another language
    # with no voice named, the engine's default is its first voice for the language
    others = [c for c in candidates if c != current] if current else candidates[1:]
    return others[0] if others else ""


def host_engines(config: Config, language: str, hosts: list[Host], engine: str | None = None,
                 voice: str | None = None) -> dict[str, Engine]:
    """An engine per host name, checked; two hosts on one engine get two different voices.

    The engine is --engine, else the host's ``engine``, else ``speech.engine``, else the offline
    defaults (hibari for the host, Piper for the co-host). The voice is the host's ``voice`` (unless
    --engine names another engine), else --voice for the host, else a second voice for the co-host.
    """
    engines: dict[str, Engine] = {}
    first: Engine | None = None
    for position, host in enumerate(hosts):
        name = engine or host.engine or config.get("speech", "engine") or \
            _default_engine(position, language, config, first)
        chosen = host.voice if host.voice and (not engine or engine == host.engine) else ""
        if not chosen and position == 0:
            chosen = voice or ""
            if not chosen and name in TWO_VOICES and not config.get("speech", "voice") and \
                    not config.options("engine", name).get("voice"):
                chosen = TWO_VOICES[name][0]
        if not chosen and position > 0 and first is not None and first.name == name:
            chosen = _other_voice(first, language)
        made = make_engine(config, language, name, chosen or None, config_voice=position == 0)
        engines[host.name] = made
        first = first or made
    return engines


def resample(samples: np.ndarray, rate: int, to_rate: int) -> np.ndarray:
    """``samples`` at ``to_rate`` (ffmpeg), so two hosts' engines can share one segment."""
    if rate == to_rate:
        return samples
    from ..audio import run_ffmpeg

    data = np.asarray(samples, dtype="<f4").tobytes()
    proc = run_ffmpeg(["-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", "-", "-f", "f32le", "-ar", str(to_rate),
                       "-ac", "1", "-"], input=data, what="resample a host's voice")
    return np.frombuffer(proc.stdout, dtype="<f4").copy()


def describe(engines: dict[str, Engine]) -> dict[str, dict[str, str]]:
    """Host name → engine and voice, as speech.json records them."""
    return {name: {"engine": e.name, "voice": e.voice or str(e.options.get("voice", "")) or "default"}
            for name, e in engines.items()}
