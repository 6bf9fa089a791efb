"""The speech-engine interface and its registry."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable

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


class LazyLanguages:
    """A ``languages`` class attribute computed by ``load`` on access, so importing an engine stays cheap.

    A missing library (or one that fails to start) means no languages rather than an error.
    """

    def __init__(self, load: Callable[[], Iterable[str]]):
        self.load = load

    def __get__(self, obj: Any, owner: type) -> tuple[str, ...]:
        try:
            return tuple(sorted(self.load()))
        except (OSError, ImportError, EngineError):
            return ()


class Engine:
    """A text-to-speech engine. Subclasses set the class attributes and implement synthesize()."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    languages: ClassVar[tuple[str, ...]] = ()  # ISO 639-1 codes it can speak
    text_limit: ClassVar[int] = 5_000  # characters per synthesize() call
    api_key_env: ClassVar[str | None] = None  # environment variable holding the API key
    packages: ClassVar[tuple[str, ...]] = ()  # importable modules it needs
    network: ClassVar[bool] = False  # True: calls a remote service
    words_per_minute: ClassVar[float] = 150.0  # speaking rate of the default voice at default settings
    rate_measured: ClassVar[bool] = True  # False: words_per_minute is a typical figure, not measured here
    fixed_time: ClassVar[float] = 0.0  # s per word that no speed option changes (pauses and such), fitted
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
    def speed_factor(cls, options: dict[str, Any]) -> float:
        """How many times faster than by default these ``[engine.NAME]`` options make the voice speak."""
        return 1.0

    @classmethod
    def speaking_rate(cls, options: dict[str, Any] | None = None) -> float:
        """Words per minute with these options: the voice's time per word scaled by the speed, pauses kept."""
        speed = cls.speed_factor(options or {})
        if speed <= 0:
            return 0.0
        spoken = 60.0 / cls.words_per_minute - cls.fixed_time  # s per word, the part the speed changes
        return 60.0 / (spoken / speed + cls.fixed_time)

    @classmethod
    def voices(cls) -> list[Voice]:
        """The voices this engine offers."""
        return []

    def service_host(self) -> str:
        """The host a network engine sends text to with its current options; empty when offline."""
        return ""

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
