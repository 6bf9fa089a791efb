"""Google Translate's text-to-speech through gTTS: online, no key, many languages."""

from __future__ import annotations

from typing import Any, ClassVar

from ...errors import NetworkError, ServiceError
from ..base import ENGINES, Engine, LazyLanguages, Speech, Voice
from ..retry import never_connected, transient
from ..text import split_sentences

TIMEOUT = 30.0  # s per request
SENTENCE_PAUSE = 0.2  # s between sentences (each is its own request series)
SLOW_FACTOR = 0.6  # speaking rate of slow = true relative to normal: typical of Google's slow voice
# A few accents worth knowing about; any Google Translate domain gTTS knows is accepted.
ACCENTS = {"com": "default", "co.uk": "English (UK)", "com.au": "English (Australia)",
           "ca": "English (Canada)", "co.in": "English (India)", "ie": "English (Ireland)",
           "co.za": "English (South Africa)", "com.ng": "English (Nigeria)"}


def _languages() -> dict[str, str]:
    """Language code -> name, as gTTS lists them."""
    from gtts.lang import tts_langs

    return tts_langs()


@ENGINES.register
class GttsEngine(Engine):
    """gTTS: Google Translate's voices, one per language; accent chosen by the Google domain (tld)."""

    name = "gtts"
    description = "Google Translate TTS via gTTS (online, no key)"
    languages: ClassVar[tuple[str, ...]] = LazyLanguages(_languages)  # type: ignore[assignment]
    text_limit = 2_000
    packages = ("gtts",)
    network = True
    words_per_minute = 165.0  # typical of Google Translate's voices at normal speed (not measurable offline)
    rate_measured = False
    option_types = {"tld": str, "slow": bool, "timeout": (int, float)}

    @classmethod
    def speed_factor(cls, options: dict[str, Any]) -> float:
        """Slower with slow = true."""
        return SLOW_FACTOR if options.get("slow") else 1.0

    @classmethod
    def voices(cls) -> list[Voice]:
        """Accents (Google domains); the language follows the episode."""
        langs = cls.languages
        return [Voice(tld, langs if tld == "com" else ("en",), desc) for tld, desc in ACCENTS.items()]

    def accepts_voice(self, voice: str) -> bool:
        """Any Google domain gTTS knows."""
        from gtts.accents import accents

        return not voice or voice in accents

    def service_host(self) -> str:
        """Google Translate at the accent's domain."""
        return f"translate.google.{self.settings()['tld']}"

    def settings(self) -> dict[str, Any]:
        """The resolved domain and speed."""
        return {"tld": self.voice or self.options.get("tld", "com"), "slow": bool(self.options.get("slow", False))}

    def identity(self) -> dict[str, Any]:
        """Language, accent and speed."""
        return {"engine": self.name, "language": self.language, **self.settings()}

    def synthesize(self, text: str) -> Speech:
        """One request series per sentence, so sentence times are exact."""
        import numpy as np

        from ...audio import decode
        from ..audio import join_sentences

        sentences = split_sentences(text) or [text]
        parts: list[np.ndarray] = []
        rate = 24_000  # Hz, what Google sends; replaced by the decoded rate
        for sentence in sentences:
            data = self._fetch(sentence)
            if data:
                samples, rate = decode(data)
            else:
                samples = np.zeros(0, dtype=np.float32)
            parts.append(samples)
        samples, timings = join_sentences(parts, sentences, rate, SENTENCE_PAUSE)
        return Speech(samples, rate, timings)

    def _fetch(self, sentence: str) -> bytes:
        from gtts import gTTS, gTTSError

        settings = self.settings()
        try:
            tts = gTTS(sentence, tld=settings["tld"], lang=self.language, slow=settings["slow"], lang_check=False,
                       timeout=float(self.options.get("timeout", TIMEOUT)))
            return b"".join(tts.stream())
        except AssertionError:  # gTTS found nothing speakable (punctuation only)
            return b""
        except gTTSError as exc:
            raise _translate(exc, settings["tld"]) from None


def _translate(exc: Exception, tld: str) -> Exception:
    """A gTTSError as one of ours: offline fails fast; 429, 5xx and broken connections are transient."""
    host = f"translate.google.{tld}"
    response = getattr(exc, "rsp", None)
    if response is None:
        if never_connected(exc.__context__):
            return NetworkError(f"cannot reach {host}", "check your connection, or use --engine espeak offline")
        return transient(f"the connection to {host} broke")
    status = response.status_code
    if status == 429:
        return transient(f"{host} is rate limiting (HTTP 429)")
    if status >= 500:
        return transient(f"{host} failed (HTTP {status})")
    if status == 200:
        return ServiceError(f"{host} returned no audio", "the language may not be supported; try --engine espeak")
    return ServiceError(f"{host} refused the request (HTTP {status})", "try again later, or use another engine")

