"""The speech-engine interface and its registry."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # numpy loads with the first synthesis, not with the registry
    import numpy as np

from ..errors import EngineError
from ..registry import Registry


@dataclass
class Voice:
    """A voice an engine offers."""

    id: str
    languages: tuple[str, ...]  # ISO 639-1 codes
    description: str = ""


@dataclass
class Speech:
    """Synthesized audio for one piece of text: mono float32 samples and sentence times."""

    samples: np.ndarray  # float32, mono, in [-1, 1]
    sample_rate: int  # Hz
    sentences: list[tuple[float, float, str]] = field(default_factory=list)  # (start s, end s, text)

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.sample_rate


class Engine:
    """A text-to-speech engine. Subclasses set the class attributes and implement synthesize()."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    languages: ClassVar[tuple[str, ...]] = ()  # ISO 639-1 codes it can speak
    text_limit: ClassVar[int] = 5_000  # characters per synthesize() call
    api_key_env: ClassVar[str | None] = None  # environment variable holding the API key
    packages: ClassVar[tuple[str, ...]] = ()  # importable modules it needs
    network: ClassVar[bool] = False  # True: calls a remote service
    words_per_minute: ClassVar[float] = 150.0  # measured speaking rate of the default voice
    option_types: ClassVar[dict[str, type | tuple[type, ...]]] = {}  # [engine.NAME] keys and their types
    process_pool_chars: ClassVar[int] = 0  # text (chars) to speak before a process pool pays off; 0: never

    def __init__(self, language: str = "en", voice: str = "", options: dict[str, Any] | None = None):
        self.language = language
        self.voice = voice
        self.options = dict(options or {})

    @classmethod
    def unavailable_reason(cls) -> str | None:
        """Why the engine cannot run here right now, or None when it can."""
        missing = [p for p in cls.packages if importlib.util.find_spec(p) is None]
        if missing:
            return f"needs the Python package(s) {', '.join(missing)}"
        if cls.api_key_env and not os.environ.get(cls.api_key_env):
            return f"needs ${cls.api_key_env}"
        return None

    @classmethod
    def voices(cls) -> list[Voice]:
        """The voices this engine offers."""
        return []

    def voice_ids(self) -> list[str]:
        """The voice names this engine accepts with its current options (listed in errors)."""
        return [v.id for v in self.voices()]

    def accepts_voice(self, voice: str) -> bool:
        """True if ``voice`` (empty: the engine's default) can be used."""
        return not voice or voice in self.voice_ids()

    def check(self) -> None:
        """Raise EngineError if this engine cannot speak ``self.language`` here."""
        reason = self.unavailable_reason()
        if reason:
            raise EngineError(f"speech engine {self.name!r} cannot run: {reason}", "see `podcast voices`")
        if self.languages and self.language not in self.languages:
            raise EngineError(
                f"speech engine {self.name!r} does not speak language {self.language!r}",
                f"it speaks {', '.join(self.languages)}; choose another with --engine (see `podcast voices`)",
            )

    def identity(self) -> dict[str, Any]:
        """Everything besides the text that changes the audio; part of the cache key."""
        return {"engine": self.name, "language": self.language, "voice": self.voice, "options": self.options}

    def synthesize(self, text: str) -> Speech:
        """Speak ``text`` (at most ``text_limit`` characters)."""
        raise NotImplementedError


def _load_builtin_engines() -> None:
    from . import engines  # noqa: F401  (registers the built-in engines)


ENGINES: Registry[Engine] = Registry("speech engine", _load_builtin_engines)
