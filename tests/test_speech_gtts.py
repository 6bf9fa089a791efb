"""The gtts engine: real gTTS, its HTTP session intercepted by a transport adapter that reaches a local server."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from podcast.config import Config
from podcast.errors import ConfigError, NetworkError
from podcast.models import Segment
from podcast.speech.cache import SpeechCache
from podcast.speech.select import make_engine
from podcast.speech.speak import speak

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "speech"))
from speech_servers import GAP_SECONDS, RATE, WORD_SECONDS, TranslateServer, intercept_gtts  # noqa: E402

FAST = 0.005  # s backoff


def gtts_engine(language: str = "en", voice: str | None = None, **options):
    config = Config()
    config.parts["engine"] = {"gtts": options}
    return make_engine(config, language, engine="gtts", voice=voice)


def test_speaks_each_sentence_through_gtts_rpc(tmp_path, monkeypatch):
    with TranslateServer() as server:
        intercept_gtts(monkeypatch, server)
        segment = Segment(id="intro", kind="intro", title="Intro",
                          text="Welcome to the show. Today we read three papers!")
        (spoken,) = speak([segment], gtts_engine(voice="co.uk"), SpeechCache(tmp_path), backoff=FAST)
    bodies = [r["body"] for r in server.requests]
    assert [b["text"] for b in bodies] == ["Welcome to the show.", "Today we read three papers!"]
    assert all(b["rpc"] == "jQ1olc" and b["lang"] == "en" and b["slow"] is None for b in bodies)
    assert {r["headers"]["x-original-host"] for r in server.requests} == {"translate.google.co.uk"}
    assert spoken.sample_rate == RATE
    (s1, e1, t1), (s2, e2, t2) = spoken.sentences
    assert (t1, t2) == ("Welcome to the show.", "Today we read three papers!")
    # Exact per-sentence timing: each reply is a tone of WORD_SECONDS per word plus a pause (MP3 pads a little).
    assert s1 == 0 and abs((e1 - s1) - (4 * WORD_SECONDS + GAP_SECONDS)) < 0.08
    assert s2 > e1 and abs((e2 - s2) - (5 * WORD_SECONDS + GAP_SECONDS)) < 0.08


def test_hindi_and_korean_and_slow(tmp_path, monkeypatch):
    with TranslateServer() as server:
        intercept_gtts(monkeypatch, server)
        hindi = gtts_engine("hi", slow=True).synthesize("नमस्ते दुनिया। यह एक परीक्षण है।")
        korean = gtts_engine("ko").synthesize("안녕하세요. 시험입니다.")
    assert [(r["body"]["lang"], r["body"]["slow"]) for r in server.requests] == [("hi", True)] * 2 + [("ko", None)] * 2
    assert len(hindi.sentences) == 2 and len(korean.sentences) == 2
    assert hindi.duration > 0.5 and korean.duration > 0.5


def test_429_and_5xx_are_retried(tmp_path, monkeypatch):
    script = {0: 429, 1: 503}
    with TranslateServer(fail=lambda n, body: script.get(n)) as server:
        intercept_gtts(monkeypatch, server)
        segment = Segment(id="outro", kind="outro", title="Outro", text="Thanks for listening.")
        speak([segment], gtts_engine(), SpeechCache(tmp_path), backoff=FAST)
    assert server.outcomes() == [429, 503, 200]


def test_offline_fails_fast(tmp_path, monkeypatch):
    server = TranslateServer()  # never started, then closed: its port refuses connections
    server.httpd.server_close()
    intercept_gtts(monkeypatch, server)
    segment = Segment(id="outro", kind="outro", title="Outro", text="Thanks for listening.")
    with pytest.raises(NetworkError, match="cannot reach translate.google.com"):
        speak([segment], gtts_engine(), SpeechCache(tmp_path), retries=5, backoff=5.0)


def test_unknown_accent_is_refused_with_the_valid_ones():
    with pytest.raises(ConfigError) as err:
        gtts_engine(voice="co.nowhere")
    assert "unknown voice 'co.nowhere'" in err.value.message and "co.uk" in err.value.hint


def test_bad_option_type_is_a_config_error():
    with pytest.raises(ConfigError, match=r"\[engine.gtts\] slow must be a bool"):
        gtts_engine(slow="yes")
    with pytest.raises(ConfigError, match="unknown option 'speed' in \\[engine.gtts\\]"):
        gtts_engine(speed=2)
