"""Audio checks: empty, silent, too short, too long or holed speech is an error naming the segment, never a gap."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import FAKE_RATE, invoke
from podcast.config import Config
from podcast.errors import ConfigError, EngineError, ServiceError
from podcast.models import Segment
from podcast.speech.base import Speech
from podcast.speech.cache import SpeechCache
from podcast.speech.checks import Bounds, count_words, problem
from podcast.speech.select import make_engine
from podcast.speech.speak import speak

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "speech"))
from speech_servers import RATE, SpeechServer, TranslateServer, intercept_gtts  # noqa: E402

TEXT = "Ten words of text for the checks to weigh right here."  # 11 words


class Voice:
    """Just what the checks read from an engine: a name, whether it is online and its speaking rate."""

    name, network, options = "voice", False, {}

    def __init__(self, words_per_minute: float = 150.0):
        self.wpm = words_per_minute

    def speaking_rate(self, options):
        return self.wpm


def tone(seconds: float, rate: int = 16_000, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


@pytest.mark.parametrize("samples, expected", [
    (np.zeros(0, np.float32), "is empty"),
    (np.zeros(16_000 * 4, np.float32), "is silent"),
    (tone(4, level=0.001), "is silent"),  # -60 dBFS: below the silence line
    (np.full(16_000 * 4, np.nan, np.float32), "invalid samples"),
    (tone(1.0), "is too short: 1.0 s for 11 words (expected at least 2.8 s"),
    (tone(16.0), "is too long: 16.0 s for 11 words (expected at most 14.2 s"),
    (np.concatenate([tone(2), np.zeros(16_000 * 5, np.float32), tone(2)]), "has 5.0 s of silence in it"),
])
def test_unusable_audio_is_named(samples, expected):
    found = problem(Speech(samples, 16_000), TEXT, Voice(), Bounds())
    assert found is not None and expected in found


def test_usable_audio_passes_and_bounds_follow_the_voice_and_config():
    assert problem(Speech(tone(4.0), 16_000), TEXT, Voice(), Bounds()) is None
    # A voice declaring twice the reference rate may take half the time per word, and no more than half.
    assert problem(Speech(tone(1.6), 16_000), TEXT, Voice(300), Bounds()) is None
    assert "too long" in problem(Speech(tone(9.0), 16_000), TEXT, Voice(300), Bounds())
    assert problem(Speech(tone(1.0), 16_000), TEXT, Voice(), Bounds(0.05, 1.2)) is None


def test_words_are_counted_as_heard_in_any_script():
    assert count_words("It's 2025-04-01, and GPT-4o (a model) scores 87.5%.") == 8
    assert count_words("नमस्ते दुनिया। यह एक छोटा परीक्षण है।") == 7  # vowel signs do not split words
    assert count_words("안녕하세요 여러분.") == 2
    assert count_words("小型模型也在学习推理。") == 5  # ten characters, about five words
    assert count_words("— … !") == 0


def test_bounds_come_from_the_config_and_bad_ones_are_refused(tmp_path):
    config = Config()
    assert Bounds.from_config(config) == Bounds(0.25, 1.2)
    config.set("speech", "min_seconds_per_word", 2.0)
    with pytest.raises(ConfigError, match="min_seconds_per_word .2.0. must be at least 0 and below"):
        Bounds.from_config(config)
    (tmp_path / "podcast.toml").write_text("[speech]\nmax_seconds_per_word = -1\n")
    result = invoke("build", str(Path(__file__).parent / "fixtures" / "speech" / "newsletter.txt"))
    assert result.exit_code == 2 and "max_seconds_per_word" in result.stderr


def seg(i: int) -> Segment:
    return Segment(id=f"paper-{i}", kind="paper", title=f"Paper {i}",
                   text=f"Paper {i} is about retrieval. It reports gains on {i + 2} benchmarks.")


@pytest.mark.parametrize("fault", ["silent", "short", "empty"])
def test_an_offline_engine_that_returns_bad_audio_stops_the_build_naming_the_segment(tmp_path, fake_engine, fault):
    class Broken(fake_engine):
        def synthesize(self, text):
            speech = super().synthesize(text)
            if "Paper 2" not in text:
                return speech
            if fault == "silent":
                return Speech(np.zeros_like(speech.samples), speech.sample_rate, speech.sentences)
            if fault == "short":
                return Speech(speech.samples[: FAKE_RATE // 20], speech.sample_rate, speech.sentences)
            return Speech(np.zeros(0, np.float32), speech.sample_rate, [])

    cache = SpeechCache(tmp_path)
    segments = [seg(i) for i in range(4)]
    with pytest.raises(EngineError) as err:
        speak(segments, Broken(), cache, workers=1)
    assert "segment paper-2 from engine 'fake'" in err.value.message
    assert ("is silent" if fault == "silent" else "is too short" if fault == "short" else "is empty") in \
        err.value.message
    # Nothing of the bad piece was cached; the good ones were, so a rerun with a working engine resumes.
    fake_engine.calls.clear()
    spoken = speak(segments, fake_engine(), cache)
    assert len(fake_engine.calls) == 2 and [s.spoken for s in spoken] == [False, False, True, True]


def openai_engine(server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-checks-test-key-000111")
    config = Config()
    config.parts["engine"] = {"openai": {"base_url": f"{server.url}/v1"}}
    return make_engine(config, "en", engine="openai")


def test_an_online_engine_that_sends_silence_once_is_retried(tmp_path, monkeypatch):
    sent = []

    def once_silent(samples):
        sent.append(len(sent))
        return np.zeros_like(samples) if len(sent) == 1 else samples

    with SpeechServer() as server:
        server.mangle = once_silent
        (spoken,) = speak([seg(1)], openai_engine(server, monkeypatch), SpeechCache(tmp_path), backoff=0.001)
    assert len(server.requests) == 2 and spoken.duration > 2


def test_an_online_engine_that_keeps_sending_cut_off_audio_fails_after_its_retries(tmp_path, monkeypatch):
    with SpeechServer() as server:
        server.mangle = lambda samples: samples[: RATE // 10]  # a tenth of a second, whatever was asked
        with pytest.raises(ServiceError) as err:
            speak([seg(0), seg(1)], openai_engine(server, monkeypatch), SpeechCache(tmp_path), retries=2,
                  backoff=0.001, workers=1)
    assert "the speech for segment paper-0 from engine 'openai' is too short" in err.value.message
    assert "gave up after 3 attempts" in err.value.message and len(server.requests) == 3


def test_gtts_silence_through_the_cli_is_one_line_and_no_episode(tmp_path, monkeypatch):
    with TranslateServer() as server:
        server.mangle = np.zeros_like
        intercept_gtts(monkeypatch, server)
        (tmp_path / "podcast.toml").write_text("[speech]\nretries = 1\n")
        result = invoke("build", str(Path(__file__).parent / "fixtures" / "speech" / "newsletter.txt"),
                        "--engine", "gtts", "--out", str(tmp_path / "out"))
    assert result.exit_code == 5
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "from engine 'gtts' is silent (gave up after 2 attempts)" in lines[0]
    assert re.search(r"the speech for segment (intro|outro|paper-\S+) from", lines[0])
    assert not list((tmp_path / "out").glob("*/episode.mp3"))
