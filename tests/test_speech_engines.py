"""Offline engines for real (espeak-ng, Piper), engine and voice selection, language refusal."""

from __future__ import annotations

import numpy as np
import pytest

from podcast.config import Config
from podcast.errors import ConfigError, EngineError
from podcast.models import Segment
from podcast.speech.base import ENGINES
from podcast.speech.cache import SpeechCache
from podcast.speech.select import default_engine_name, make_engine
from podcast.speech.speak import speak

HINDI = "नमस्ते दुनिया। यह एक छोटा परीक्षण है।"
KOREAN = "안녕하세요 여러분. 오늘은 세 편의 논문을 읽습니다."


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples.astype(np.float64)))))


@pytest.mark.parametrize("language, text", [("hi", HINDI), ("ko", KOREAN)])
def test_espeak_speaks_hindi_and_korean_offline(language, text):
    engine = make_engine(Config(), language)
    assert engine.name == "espeak"  # Piper's voice is English: the default falls back
    speech = engine.synthesize(text)
    assert speech.sample_rate == 22_050
    assert 1.0 < speech.duration < 8.0
    assert rms(speech.samples) > 0.02  # not silence
    assert [t for _, _, t in speech.sentences] == [s.strip() for s in _sentences(text)]
    for start, end, _ in speech.sentences:  # each sentence's span holds sound
        part = speech.samples[int(start * 22_050):int(end * 22_050)]
        assert end - start > 0.4 and rms(part) > 0.02


def _sentences(text: str) -> list[str]:
    from podcast.speech.text import split_sentences

    return split_sentences(text)


def test_espeak_rate_changes_duration_and_bad_rate_is_refused():
    config = Config()
    config.parts["engine"] = {"espeak": {"rate": 300}}
    fast = make_engine(config, "en", engine="espeak").synthesize("A sentence to measure the rate with.")
    slow = make_engine(Config(), "en", engine="espeak").synthesize("A sentence to measure the rate with.")
    assert fast.duration < 0.75 * slow.duration
    config.parts["engine"] = {"espeak": {"rate": 5}}
    with pytest.raises(EngineError, match="rate 5 is out of range"):
        make_engine(config, "en", engine="espeak")


SPEED_TEXT = "Researchers trained a small model on public data. It matched larger systems on three benchmarks."


@pytest.mark.parametrize("engine, option, value", [("espeak", "rate", 350), ("piper", "length_scale", 1.5),
                                                  ("hibari", "speed", 1.3), ("hibari", "speed", 0.7)])
def test_speaking_rate_follows_real_synthesis_at_other_speeds(engine, option, value):
    """The rate preview shows for a speed option matches what the engine really does, within 5%."""
    config = Config()
    config.parts["engine"] = {engine: {option: value}}
    default = make_engine(Config(), "en", engine=engine).synthesize(SPEED_TEXT).duration
    changed = make_engine(config, "en", engine=engine).synthesize(SPEED_TEXT).duration
    cls = ENGINES.get(engine)
    predicted = cls.speaking_rate({option: value}) / cls.speaking_rate({})
    assert predicted == pytest.approx(default / changed, rel=0.05)


def test_piper_refuses_korean_with_a_clear_error():
    with pytest.raises(EngineError) as err:
        make_engine(Config(), "ko", engine="piper")
    assert "speaks 'en', not 'ko'" in err.value.message and "--engine espeak" in err.value.hint


def test_defaults_pick_piper_for_english_and_espeak_otherwise():
    assert default_engine_name("en") == "piper"
    assert default_engine_name("hi") == "espeak"
    assert make_engine(Config(), "en").name == "piper"


def test_config_and_cli_choose_the_engine_cli_wins():
    config = Config()
    config.set("speech", "engine", "espeak")
    assert make_engine(config, "en").name == "espeak"
    assert make_engine(config, "en", engine="piper").name == "piper"


def test_unknown_engine_and_voice_list_the_valid_ones():
    with pytest.raises(ConfigError) as err:
        make_engine(Config(), "en", engine="festival")
    assert "unknown speech engine 'festival'" in err.value.message
    assert "espeak, gtts, hibari, openai, piper" in err.value.hint
    with pytest.raises(ConfigError) as err:
        make_engine(Config(), "en", engine="piper", voice="en_GB-nobody")
    assert "en_US-joe-medium" in err.value.hint
    with pytest.raises(ConfigError) as err:
        make_engine(Config(), "hi", engine="espeak", voice="xx-nowhere")
    assert "unknown voice 'xx-nowhere'" in err.value.message


def test_piper_options_are_validated():
    config = Config()
    config.parts["engine"] = {"piper": {"length_scale": "slow"}}
    with pytest.raises(ConfigError, match="length_scale must be a int or float"):
        make_engine(config, "en", engine="piper")
    config.parts["engine"] = {"piper": {"model": "/nowhere/voice.onnx"}}
    with pytest.raises(EngineError, match="does not exist"):
        make_engine(config, "en", engine="piper")


def test_engines_declare_what_they_need():
    for cls in ENGINES:
        assert cls.text_limit > 0 and cls.words_per_minute > 0 and cls.description
        assert cls.speaking_rate({}) == pytest.approx(cls.words_per_minute)  # default options: the rate as declared
        assert cls.rate_measured is not cls.network  # online engines' rates are typical, not measured here
    assert ENGINES.get("openai").text_limit == 4_096 and ENGINES.get("openai").api_key_env == "OPENAI_API_KEY"
    assert ENGINES.get("openai").network and ENGINES.get("gtts").network
    assert not ENGINES.get("piper").network and not ENGINES.get("espeak").network


def test_library_languages_are_read_on_access_and_a_missing_library_means_none():
    from podcast.speech.base import LazyLanguages

    assert {"hi", "ko", "en"} <= set(ENGINES.get("espeak").languages)
    assert {"hi", "ko", "en"} <= set(ENGINES.get("gtts").languages)

    def missing() -> list[str]:
        raise ImportError("No module named 'nothing'")

    class Unavailable:
        languages = LazyLanguages(missing)

    assert Unavailable.languages == ()


@pytest.fixture(scope="session")
def piper_engine():
    """One Piper engine for the session: loading the model takes seconds."""
    engine = make_engine(Config(), "en", engine="piper")
    engine.synthesize("Warm up.")
    return engine


def test_piper_speaks_with_sentence_timings(piper_engine):
    speech = piper_engine.synthesize("Piper reads papers aloud. It runs offline!")
    assert speech.sample_rate == 22_050
    assert 1.5 < speech.duration < 6
    (s1, e1, t1), (s2, e2, t2) = speech.sentences
    assert (t1, t2) == ("Piper reads papers aloud.", "It runs offline!")
    assert s1 == 0 and e1 < s2 and e2 == pytest.approx(speech.duration, abs=0.01)
    assert rms(speech.samples[: int(e1 * 22_050)]) > 0.01 and rms(speech.samples[int(s2 * 22_050):]) > 0.01


def test_piper_through_the_speak_stage_and_cache(piper_engine, tmp_path):
    segment = Segment(id="intro", kind="intro", title="Intro", text="Welcome. This is the intro.")
    (first,) = speak([segment], piper_engine, SpeechCache(tmp_path), workers=1)
    (again,) = speak([segment], piper_engine, SpeechCache(tmp_path), workers=1)
    assert first.spoken and not again.spoken and first.path == again.path


def test_offline_process_pool_gives_the_same_speech_as_serial(tmp_path, monkeypatch):
    from podcast.speech import speak as stage

    engine = make_engine(Config(), "hi", engine="espeak")
    segments = [Segment(id=f"paper-{i}", kind="paper", title="t", text=f"{HINDI} यह खंड {i} है।") for i in range(4)]
    serial = speak(segments, engine, SpeechCache(tmp_path / "serial"), workers=1)
    pools = []
    real_pool = stage.process_pool
    monkeypatch.setattr(stage, "process_pool", lambda n: pools.append(n) or real_pool(n))
    monkeypatch.setattr(type(engine), "process_pool_chars", 1)  # any amount of text goes to the pool
    pooled = speak(segments, engine, SpeechCache(tmp_path / "pool"), workers=2)
    assert pools == [2]
    # Each piece comes from a freshly loaded espeak-ng, so worker processes give the very same samples.
    for a, b in zip(pooled, serial):
        assert a.sentences == b.sentences
        assert a.path.read_bytes() == b.path.read_bytes()


def test_a_configured_piper_voice_for_the_language_becomes_the_default(tmp_path):
    import json

    from podcast.speech.engines.piper import default_model

    model = tmp_path / "hi_IN-test-medium.onnx"
    model.symlink_to(default_model())  # the weights are the English voice's; only its config says Hindi
    info = json.loads(default_model().with_name(default_model().name + ".json").read_text())
    info["language"] = {"code": "hi_IN"}
    (tmp_path / "hi_IN-test-medium.onnx.json").write_text(json.dumps(info))
    config = Config()
    config.parts["engine"] = {"piper": {"model": str(model)}}
    engine = make_engine(config, "hi")
    assert engine.name == "piper" and engine.model_path() == model
    assert make_engine(Config(), "hi").name == "espeak"
    assert make_engine(config, "hi", voice="hi_IN-test-medium").model_path() == model
