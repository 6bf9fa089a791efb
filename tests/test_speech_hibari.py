"""The hibari engine for real: speech, seeded samples, speed, voices outside the wheel, no network."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import invoke
from podcast.config import Config
from podcast.errors import ConfigError, EngineError
from podcast.speech.base import ENGINES
from podcast.speech.select import make_engine

pytest.importorskip("hibari", reason="hibari-tts is not installed")

TEXT = "Hibari reads the papers aloud. It runs offline, on one core!"


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples.astype(np.float64)))))


@pytest.fixture(scope="module")
def hibari():
    return make_engine(Config(), "en", engine="hibari")


def test_hibari_speaks_each_sentence_with_its_timing(hibari):
    speech = hibari.synthesize(TEXT)
    assert speech.sample_rate == 24_000
    (s1, e1, t1), (s2, e2, t2) = speech.sentences
    assert (t1, t2) == ("Hibari reads the papers aloud.", "It runs offline, on one core!")
    assert s1 == 0 and e1 < s2 and e2 == pytest.approx(speech.duration, abs=0.01)
    assert 0.2 <= s2 - e1 <= 0.3  # the pause between sentences
    for start, end, _ in speech.sentences:  # each span holds speech, not hibari's padding
        assert rms(speech.samples[int(start * 24_000):int(end * 24_000)]) > 0.02
    words = len(TEXT.split())
    assert 0.25 < speech.duration / words < 0.8


def test_same_text_and_options_give_identical_samples_and_the_seed_matters(hibari):
    first = hibari.synthesize(TEXT).samples
    hibari.synthesize("Something else in between, to move any state along.")
    assert np.array_equal(first, hibari.synthesize(TEXT).samples)
    config = Config()
    config.parts["engine"] = {"hibari": {"seed": 7}}
    other = make_engine(config, "en", engine="hibari").synthesize(TEXT).samples
    assert len(other) == len(first) and not np.array_equal(other, first)


def test_speed_changes_duration_and_bad_values_are_refused(hibari):
    config = Config()
    config.parts["engine"] = {"hibari": {"speed": 1.5}}
    fast = make_engine(config, "en", engine="hibari").synthesize(TEXT)
    assert fast.duration < 0.8 * hibari.synthesize(TEXT).duration
    config.parts["engine"] = {"hibari": {"speed": 3}}
    with pytest.raises(EngineError, match="hibari speed 3 is out of range"):
        make_engine(config, "en", engine="hibari")
    config.parts["engine"] = {"hibari": {"speed": "fast"}}
    with pytest.raises(ConfigError, match="speed must be a int or float"):
        make_engine(config, "en", engine="hibari")


def test_hibari_declares_what_it_speaks():
    cls = ENGINES.get("hibari")
    assert cls.languages == ("en",) and cls.text_limit > 0 and cls.rate_measured and not cls.network
    assert [v.id for v in cls.voices()] == ["heart"]
    with pytest.raises(EngineError, match="does not speak language 'ko'"):
        make_engine(Config(), "ko", engine="hibari")


@pytest.mark.parametrize("voice", ["fenrir", "emma"])
def test_voices_outside_the_wheel_are_refused_in_one_line(voice, bundled_sample):
    result = invoke("build", str(bundled_sample), "--engine", "hibari", "--voice", voice)
    assert result.exit_code == 6
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert f"hibari voice {voice!r} is not inside the installed package" in lines[0]
    assert "never downloads" in lines[0] and "--voice heart" in lines[0]


def test_unknown_hibari_voice_lists_the_usable_ones():
    with pytest.raises(ConfigError) as err:
        make_engine(Config(), "en", engine="hibari", voice="nobody")
    assert "unknown voice 'nobody'" in err.value.message and "heart" in err.value.hint


def test_voices_lists_hibari():
    from test_speech_cli import table_rows

    result = invoke("voices")
    rows = table_rows(result.stdout)
    assert rows["hibari"][1] == "heart" and rows["hibari"][2] == "en" and rows["hibari"][3:] == ["yes", "offline"]


NO_NETWORK = r"""
import json, sys
opened = []
def audit(event, args):
    if event.startswith(("socket.", "urllib.Request")) and event not in ("socket.__new__",):
        opened.append(event)
    if event == "socket.__new__":
        opened.append(event)
sys.addaudithook(audit)
from podcast.config import Config
from podcast.errors import EngineError
from podcast.speech.select import make_engine
speech = make_engine(Config(), "en", engine="hibari").synthesize("No network is needed for this sentence.")
try:
    make_engine(Config(), "en", engine="hibari", voice="kore")
    refused = False
except EngineError:
    refused = True
print(json.dumps({"seconds": speech.duration, "refused": refused, "network": opened}))
"""


def test_nothing_reaches_the_network(tmp_path):
    """An audit hook sees every socket and URL opened: synthesis and a refused voice open none."""
    env = {**os.environ, "HIBARI_HOME": str(tmp_path / "hibari-home"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", NO_NETWORK], env=env, capture_output=True, text=True, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["seconds"] > 1 and found["refused"]
    assert found["network"] == []
    assert not (tmp_path / "hibari-home").exists() and not (tmp_path / "cache").exists()
