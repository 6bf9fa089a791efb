"""hibari (``hibari-tts``, Apache-2.0): a small Kokoro-82M distillation, offline, US English.

Only the voices inside the installed wheel are used ("heart"). The package downloads its other
voices from a model hub on first use; this engine refuses them instead, and always hands hibari
the bundled model file, so nothing here can reach the network.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ...errors import EngineError
from ..base import ENGINES, Engine, Speech, Voice
from ..text import split_sentences

DEFAULT_VOICE = "heart"
SENTENCE_PAUSE = 0.25  # s between sentences, after trimming hibari's own padding to the margins below
LEAD, TRAIL = 0.05, 0.15  # s of hibari's ~0.3 s leading and ~0.45 s trailing silence kept per sentence
MIN_SPEED, MAX_SPEED = 0.5, 2.0  # the range hibari's model was exported for
DEFAULT_SEED = 0  # the noise component's seed: same text, voice and options give the same samples
ORT_THREADS = 1  # per model: cores go to worker processes

# speed option -> how many times faster the words really come, measured by scripts/measure_speaking_rates.py
# on the 51-paper sample: the model's speed input does not scale durations proportionally above 1.
SPEED_EFFECT = ((0.5, 0.508), (0.7, 0.711), (1.0, 1.0), (1.3, 1.167), (1.6, 1.629), (2.0, 1.844))

_MODELS: dict[str, Any] = {}  # voice -> hibari.Hibari, so a process loads each voice once
_MODELS_LOCK = threading.Lock()


@lru_cache(maxsize=1)  # asked once per piece (identity, voices); the installed package does not move mid-run
def _package_dir() -> Path | None:
    spec = importlib.util.find_spec("hibari")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


@lru_cache(maxsize=1)
def registry() -> dict[str, dict[str, Any]]:
    """hibari's voice table (assets/voices.json), read once, without importing the package."""
    folder = _package_dir()
    if folder is None:
        return {}
    try:
        return json.loads((folder / "assets" / "voices.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@lru_cache(maxsize=1)
def _version() -> str:
    try:
        return metadata.version("hibari-tts")
    except metadata.PackageNotFoundError:
        return ""


def bundled_model(voice: str) -> Path | None:
    """The model file of a voice that ships inside the wheel, or None (unknown or download-only voice)."""
    info = registry().get(voice)
    folder = _package_dir()
    if not info or not info.get("bundled") or folder is None:
        return None
    path = folder / "assets" / info["file"]
    return path if path.exists() else None


def load_model(voice: str) -> Any:
    """A hibari.Hibari for a bundled ``voice`` (cached per process), never touching the network."""
    with _MODELS_LOCK:
        if voice not in _MODELS:
            model = bundled_model(voice)
            if model is None:  # checked before; this guards direct callers
                raise EngineError(f"hibari voice {voice!r} is not in the installed package",
                                  f"use --voice {DEFAULT_VOICE}")
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: no hub client may download
            from hibari import Hibari

            # Passing the model path means hibari never calls its downloader (voices.voice_path).
            _MODELS[voice] = Hibari(voice=voice, model=str(model), threads=ORT_THREADS)
        return _MODELS[voice]


@ENGINES.register
class HibariEngine(Engine):
    """hibari: a clear, fast neural voice (US English, female), offline."""

    name = "hibari"
    description = "hibari neural voice, offline, US English (voice heart, female)"
    languages = ("en",)
    # characters per piece: hibari speaks sentence by sentence at ~100x real time, so most segments fit in
    # one piece, which the cache stores once (a segment of several is stored as pieces and joined)
    text_limit = 5_000
    packages = ("hibari", "onnxruntime")
    words_per_minute = 136.4  # spoken words, measured by scripts/measure_speaking_rates.py on the sample, speed 1
    fixed_time = 0.0  # hibari's speed is not proportional, so SPEED_EFFECT maps it instead of a fixed part
    option_types = {"voice": str, "speed": (int, float), "seed": int}
    process_pool_chars = 20_000  # ~100x real time: a pool pays off only for a long episode

    @classmethod
    def unavailable_reason(cls) -> str | None:
        """Missing packages, or a wheel without its bundled voice."""
        reason = super().unavailable_reason()
        if reason is None and bundled_model(DEFAULT_VOICE) is None:
            return "the installed hibari-tts has no bundled voice (reinstall hibari-tts)"
        return reason

    @classmethod
    def speed_factor(cls, options: dict[str, Any]) -> float:
        """The measured effect of hibari's speed (SPEED_EFFECT, interpolated): 2.0 is 1.84 times as fast."""
        speed = float(options.get("speed", 1.0))
        points = SPEED_EFFECT
        if speed <= points[0][0]:
            return speed * points[0][1] / points[0][0]
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            if speed <= x1:
                return y0 + (y1 - y0) * (speed - x0) / (x1 - x0)
        return speed * points[-1][1] / points[-1][0]

    @classmethod
    def voices(cls) -> list[Voice]:
        """The voices inside the installed wheel (others would need a download, so they are not offered)."""
        out = []
        for name, info in registry().items():
            if info.get("bundled"):
                out.append(Voice(name, ("en",), f"{info.get('accent', '')} English, {info.get('gender', '')}"
                                                f" (Kokoro {info.get('kokoro', '')})"))
        return out

    def _voice(self) -> str:
        return self.voice or self.options.get("voice", "") or DEFAULT_VOICE

    def accepts_voice(self, voice: str) -> bool:
        """Every voice hibari knows; check() refuses the ones outside the wheel with its own message."""
        return not voice or voice in registry()

    def check(self) -> None:
        """The voice must be inside the wheel; speed within hibari's range."""
        super().check()
        voice = self._voice()
        if bundled_model(voice) is None:
            raise EngineError(
                f"hibari voice {voice!r} is not inside the installed package and would be downloaded; "
                "podcast never downloads voices",
                f"use --voice {DEFAULT_VOICE}, or --engine piper for a male voice")
        speed = self.options.get("speed", 1.0)
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise EngineError(f"hibari speed {speed} is out of range",
                              f"use {MIN_SPEED}-{MAX_SPEED} (1.0 is normal, 1.2 faster)")

    def identity(self) -> dict[str, Any]:
        """The package version and model size too, so an upgraded voice re-speaks."""
        model = bundled_model(self._voice())
        return {**super().identity(), "voice": self._voice(), "version": _version(),
                "model_bytes": model.stat().st_size if model else 0}

    def synthesize(self, text: str) -> Speech:
        """Speak ``text`` sentence by sentence, each with the same seed, so its samples never vary."""
        import numpy as np
        from hibari import SAMPLE_RATE

        from ..audio import join_sentences, trim_silence

        tts = load_model(self._voice())
        speed = float(self.options.get("speed", 1.0))
        seed = int(self.options.get("seed", DEFAULT_SEED))
        sentences = split_sentences(text) or [text]
        parts = [trim_silence(np.asarray(tts(sentence, speed=speed, seed=seed), dtype=np.float32), SAMPLE_RATE,
                              LEAD, TRAIL) for sentence in sentences]
        samples, timings = join_sentences(parts, sentences, SAMPLE_RATE, SENTENCE_PAUSE)
        return Speech(samples, SAMPLE_RATE, timings)
