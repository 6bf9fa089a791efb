"""OpenAI text-to-speech (``/v1/audio/speech``) through the official SDK; any compatible server works too."""

from __future__ import annotations

import os
import threading
from typing import Any

from ...errors import AuthError, EngineError, NetworkError, ServiceError, redact
from ..base import ENGINES, Engine, Speech, Voice
from ..retry import never_connected, transient
from ..text import split_sentences

MODELS = ("gpt-4o-mini-tts", "tts-1", "tts-1-hd")
DEFAULT_MODEL = "gpt-4o-mini-tts"
DEFAULT_VOICE = "alloy"
VOICES = ("alloy", "ash", "ballad", "cedar", "coral", "echo", "fable", "marin", "nova", "onyx", "sage",
          "shimmer", "verse")
OFFICIAL_HOST = "api.openai.com"
TIMEOUT = 120.0  # s per request; long pieces take a while to synthesize
MIN_SPEED, MAX_SPEED = 0.25, 4.0
# The languages OpenAI documents for its speech models (those of Whisper), as ISO 639-1 codes.
LANGUAGES = tuple(sorted(
    "af ar hy az be bs bg ca zh hr cs da nl en et fi fr gl de el he hi hu is id it ja kn kk ko lv lt mk ms "
    "mr mi ne no fa pl pt ro ru sr sk sl es sw sv tl ta th tr uk ur vi cy".split()))


@ENGINES.register
class OpenAIEngine(Engine):
    """OpenAI's speech models: natural voices, needs an API key (or a compatible server)."""

    name = "openai"
    description = "OpenAI TTS (tts-1, tts-1-hd, gpt-4o-mini-tts) or a compatible server"
    languages = LANGUAGES
    text_limit = 4_096
    api_key_env = "OPENAI_API_KEY"
    packages = ("openai",)
    network = True
    words_per_minute = 155.0  # typical for the built-in voices at speed 1.0 (not measurable offline)
    rate_measured = False
    option_types = {"model": str, "voice": str, "instructions": str, "speed": (int, float),
                    "base_url": str, "timeout": (int, float)}

    def __init__(self, language: str = "en", voice: str = "", options: dict[str, Any] | None = None):
        super().__init__(language, voice, options)
        self._client: Any = None
        self._lock = threading.Lock()

    @classmethod
    def unavailable_reason(cls) -> str | None:
        """A key is needed unless $OPENAI_BASE_URL points at another (compatible) server."""
        reason = super().unavailable_reason()
        if reason and reason.startswith("needs $") and _custom_server(os.environ.get("OPENAI_BASE_URL", "")):
            return None
        return reason

    @classmethod
    def speed_factor(cls, options: dict[str, Any]) -> float:
        """The configured speed."""
        return float(options.get("speed", 1.0))

    @classmethod
    def voices(cls) -> list[Voice]:
        """The built-in voices (they all speak every supported language)."""
        return [Voice(v, LANGUAGES, "default" if v == DEFAULT_VOICE else "") for v in VOICES]

    def accepts_voice(self, voice: str) -> bool:
        """A compatible server has its own voices, so any name goes there."""
        return _custom_server(self.base_url()) or super().accepts_voice(voice)

    def base_url(self) -> str:
        """[engine.openai] base_url, else $OPENAI_BASE_URL, else the official endpoint (empty)."""
        return self.options.get("base_url") or os.environ.get("OPENAI_BASE_URL", "")

    def service_host(self) -> str:
        """The configured compatible server's host, else OpenAI's."""
        from urllib.parse import urlparse

        return urlparse(self.base_url()).netloc or OFFICIAL_HOST

    def settings(self) -> dict[str, Any]:
        """The resolved model, voice, speed and instructions."""
        return {"model": self.options.get("model", DEFAULT_MODEL),
                "voice": self.voice or self.options.get("voice") or DEFAULT_VOICE,
                "speed": float(self.options.get("speed", 1.0)),
                "instructions": self.options.get("instructions", "")}

    def check(self) -> None:
        """Language, key (unless a compatible server), model, speed and instructions."""
        if self.language not in self.languages:
            raise EngineError(f"speech engine 'openai' does not speak language {self.language!r}",
                              "choose another with --engine (see `podcast voices`)")
        if not os.environ.get(self.api_key_env or "") and not _custom_server(self.base_url()):
            raise EngineError("speech engine 'openai' needs $OPENAI_API_KEY",
                              "export OPENAI_API_KEY=..., or choose an offline engine with --engine piper")
        settings = self.settings()
        if settings["model"] not in MODELS and not _custom_server(self.base_url()):
            raise EngineError(f"unknown OpenAI speech model {settings['model']!r}", f"use one of: {', '.join(MODELS)}")
        if not MIN_SPEED <= settings["speed"] <= MAX_SPEED:
            raise EngineError(f"openai speed {settings['speed']} is out of range", f"use {MIN_SPEED}-{MAX_SPEED}")
        if settings["instructions"] and settings["model"] in ("tts-1", "tts-1-hd"):
            raise EngineError(f"model {settings['model']} ignores instructions", "use model = \"gpt-4o-mini-tts\"")

    def identity(self) -> dict[str, Any]:
        """Resolved settings and the server: each changes the audio."""
        return {"engine": self.name, "language": self.language, "server": self.base_url() or OFFICIAL_HOST,
                **self.settings()}

    def client(self) -> Any:
        """The SDK client (one per engine, shared by the worker threads; the SDK's own retries are off)."""
        with self._lock:
            if self._client is None:
                import openai

                self._client = openai.OpenAI(
                    api_key=os.environ.get(self.api_key_env or "") or "not-needed",
                    base_url=self.base_url() or None, max_retries=0,
                    timeout=float(self.options.get("timeout", TIMEOUT)))
            return self._client

    def synthesize(self, text: str) -> Speech:
        """One request for the whole piece; sentence times are aligned to the pauses in the audio."""
        settings = self.settings()
        extra = {"instructions": settings["instructions"]} if settings["instructions"] else {}
        try:
            response = self.client().audio.speech.create(
                model=settings["model"], voice=settings["voice"], input=text, response_format="wav",
                speed=settings["speed"], **extra)
            data = response.content
        except Exception as exc:  # the SDK's exception types are mapped in _translate
            raise _translate(exc, self.base_url() or OFFICIAL_HOST) from None
        from ...audio import decode
        from ..audio import align_sentences

        samples, rate = decode(data)
        return Speech(samples, rate, align_sentences(samples, rate, split_sentences(text) or [text]))


def _custom_server(url: str) -> bool:
    return bool(url) and OFFICIAL_HOST not in url


def _translate(exc: Exception, host: str) -> Exception:
    """An SDK exception as one of ours, without echoing anything secret."""
    import openai

    if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
        return AuthError(f"the speech service at {host} rejected the API key (HTTP {exc.status_code})",
                         "check $OPENAI_API_KEY")
    if isinstance(exc, openai.APITimeoutError):
        return transient(f"the speech service at {host} timed out")
    if isinstance(exc, openai.APIConnectionError):
        if never_connected(exc):
            return NetworkError(f"cannot reach the speech service at {host}",
                                "check your connection, or use an offline engine: --engine piper")
        return transient(f"the connection to the speech service at {host} broke")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status == 429 and "insufficient_quota" not in str(exc.body):
            return transient(f"the speech service at {host} is rate limiting (HTTP 429)",
                             retry_after=_retry_after(exc.response))
        if status >= 500:
            return transient(f"the speech service at {host} failed (HTTP {status})")
        return ServiceError(f"the speech service at {host} refused the request (HTTP {status}): "
                            f"{redact(_message(exc))}", "check the [engine.openai] model, voice and options")
    return ServiceError(f"unexpected reply from the speech service at {host}: {redact(str(exc))[:200]}",
                        "try again; if it persists, try another engine")


def _message(exc: Any) -> str:
    body = exc.body
    if isinstance(body, dict):
        body = body.get("error", body)
        if isinstance(body, dict):
            body = body.get("message", body)
    return " ".join(str(body).split())[:200]


def _retry_after(response: Any) -> float | None:
    try:
        return float(response.headers.get("retry-after"))
    except (TypeError, ValueError):
        return None
