"""espeak-ng through ctypes (the library and data ship in ``espeakng-loader``): offline, many languages."""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # numpy itself loads with the first synthesis
    import numpy as np

from ...errors import EngineError
from ..base import ENGINES, Engine, LazyLanguages, Speech, Voice
from ..text import split_sentences

AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000
CHARS_UTF8 = 1
POS_CHARACTER = 1
PARAM_RATE = 1
DEFAULT_RATE = 175  # words per minute, espeak-ng's own default
MIN_RATE, MAX_RATE = 80, 450  # words per minute espeak-ng accepts
SENTENCE_PAUSE = 0.15  # s added between sentences; espeak-ng already ends each with a short pause
RAND_SEED = 0  # espeak-ng's own random numbers (breath, Klatt noise)


class _Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_void_p)]


class _Voice(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_void_p), ("identifier", ctypes.c_char_p),
                ("gender", ctypes.c_ubyte), ("age", ctypes.c_ubyte), ("variant", ctypes.c_ubyte),
                ("xx1", ctypes.c_ubyte), ("score", ctypes.c_int), ("spare", ctypes.c_void_p)]


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


class _Library:
    """The process's one espeak-ng instance; the library keeps global state, so calls are serialized."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.chunks: list[np.ndarray] = []
        self._callback = _Callback(self._collect)  # keep a reference: the library calls it later
        self._open()
        self.voices = self._list_voices()

    def _open(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self.lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        self.lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                          ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        self.lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
        data_parent = str(Path(espeakng_loader.get_data_path()).parent).encode()
        self.sample_rate = self.lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data_parent, INITIALIZE_DONT_EXIT)
        if self.sample_rate <= 0:
            raise EngineError("espeak-ng failed to initialize", "reinstall espeakng-loader")
        self.lib.espeak_SetSynthCallback(self._callback)
        self.lib.espeak_ng_SetRandSeed(RAND_SEED)

    def reset(self) -> None:
        """Start from a freshly loaded library, so the next utterance does not depend on earlier ones.

        espeak-ng keeps its wave generator's state (pitch flutter position, wave phase, gain) in static
        variables that neither espeak_Terminate nor espeak_Initialize reset: the same sentence comes
        out a few samples different after other speech. Unloading and loading the library (~10 ms)
        gives back the state it starts with, and the random seed is set again.
        """
        import _ctypes

        with self.lock:
            self.lib.espeak_Terminate()
            _ctypes.dlclose(self.lib._handle)
            self._open()

    def _collect(self, wav, count, events) -> int:
        import numpy as np

        if count > 0:
            self.chunks.append(np.ctypeslib.as_array(wav, (count,)).copy())
        return 0

    def _list_voices(self) -> list[tuple[str, str, list[str]]]:
        found = []
        table = self.lib.espeak_ListVoices(None)
        i = 0
        while table[i]:
            voice = table[i].contents
            languages, pos = [], voice.languages
            while ctypes.c_ubyte.from_address(pos).value:  # (priority byte, name, NUL)... then a 0 byte
                name = ctypes.string_at(pos + 1)
                languages.append(name.decode())
                pos += len(name) + 2
            found.append((voice.name.decode(), voice.identifier.decode(), languages))
            i += 1
        return found

    def speak(self, text: str, voice: str, rate: int) -> np.ndarray:
        """Int16 samples for ``text``."""
        import numpy as np

        data = text.encode("utf-8")
        with self.lock:
            if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise EngineError(f"espeak-ng has no voice {voice!r}", "see `podcast voices`")
            self.lib.espeak_SetParameter(PARAM_RATE, rate, 0)
            self.chunks = []
            if self.lib.espeak_Synth(data, len(data) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None) != 0:
                raise EngineError("espeak-ng could not synthesize the text", "check the text for odd characters")
            self.lib.espeak_Synchronize()
            chunks, self.chunks = self.chunks, []
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


_LIBRARY: _Library | None = None
_LIBRARY_LOCK = threading.Lock()


def library() -> _Library:
    """The shared espeak-ng instance, initialized on first use."""
    global _LIBRARY
    with _LIBRARY_LOCK:
        if _LIBRARY is None:
            _LIBRARY = _Library()
        return _LIBRARY


def _languages() -> dict[str, str]:
    """ISO 639-1 code -> the espeak-ng voice that speaks it best."""
    best: dict[str, str] = {}
    for _, identifier, languages in library().voices:
        for lang in languages:
            code = lang.split("-")[0]
            if len(code) == 2 and (code not in best or lang == code):
                best[code] = lang
    return best


@ENGINES.register
class EspeakEngine(Engine):
    """espeak-ng: robotic but always there, offline, in about a hundred languages."""

    name = "espeak"
    description = "espeak-ng, offline, ~100 languages (the fallback)"
    languages: ClassVar[tuple[str, ...]] = LazyLanguages(_languages)  # type: ignore[assignment]
    text_limit = 1_000
    packages = ("espeakng_loader",)
    words_per_minute = 156.0  # spoken words, measured by scripts/measure_speaking_rates.py on the sample, DEFAULT_RATE
    fixed_time = 0.032  # s per word, fitted by scripts/measure_speaking_rates.py (rate 175 vs 350)
    option_types = {"voice": str, "rate": int}
    process_pool_chars = 40_000

    @classmethod
    def speed_factor(cls, options: dict[str, Any]) -> float:
        """The configured espeak rate against the default that words_per_minute was measured at."""
        return float(options.get("rate", DEFAULT_RATE)) / DEFAULT_RATE

    @classmethod
    def voices(cls) -> list[Voice]:
        """Every espeak-ng voice (by its language name, e.g. ``hi`` or ``en-us``)."""
        out = []
        for name, identifier, languages in library().voices:
            codes = tuple(sorted({lang.split("-")[0] for lang in languages if len(lang.split("-")[0]) == 2}))
            out.append(Voice(languages[0] if languages else identifier, codes, name))
        return out

    def accepts_voice(self, voice: str) -> bool:
        """A voice's language name (``hi``, ``en-us``), its identifier or its full name."""
        names = {n.lower() for name, ident, langs in library().voices for n in (name, ident, *langs)}
        return not voice or voice.lower() in names

    def _voice_name(self) -> str:
        chosen = self.voice or self.options.get("voice", "")
        return chosen or _languages().get(self.language, self.language)

    def check(self) -> None:
        """Refuse languages espeak-ng lacks and rates it cannot use."""
        super().check()
        rate = self.options.get("rate", DEFAULT_RATE)
        if not MIN_RATE <= rate <= MAX_RATE:
            raise EngineError(f"espeak rate {rate} is out of range", f"use {MIN_RATE}-{MAX_RATE} words per minute")

    def synthesize(self, text: str) -> Speech:
        """Speak ``text`` one sentence at a time, so each sentence's timing is exact."""
        import numpy as np

        from ..audio import join_sentences

        lib = library()
        voice, rate = self._voice_name(), int(self.options.get("rate", DEFAULT_RATE))
        sentences = split_sentences(text) or [text]
        with lib.lock:  # one piece from a fresh library: its samples depend on its text alone
            lib.reset()
            parts = [lib.speak(s, voice, rate).astype(np.float32) / 32768.0 for s in sentences]
        samples, timings = join_sentences(parts, sentences, lib.sample_rate, SENTENCE_PAUSE)
        return Speech(samples, lib.sample_rate, timings)
