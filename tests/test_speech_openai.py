"""The openai engine: the real SDK against a local /v1/audio/speech server; retries, failures, fault injection."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pytest

from podcast.config import Config
from podcast.errors import AuthError, EngineError, NetworkError, ServiceError
from podcast.models import Segment
from podcast.speech.cache import SpeechCache
from podcast.speech.select import make_engine
from podcast.speech.speak import speak

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "speech"))
from speech_servers import GAP_SECONDS, RATE, WORD_SECONDS, SpeechServer  # noqa: E402

KEY = "sk-test-secret-key-123456"
FAST = 0.005  # s, backoff base so retries are quick in tests


def engine_for(server: SpeechServer, monkeypatch, **options):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    config = Config()
    config.parts["engine"] = {"openai": {"base_url": f"{server.url}/v1", **options}}
    return make_engine(config, "en", engine="openai")


def segments(n: int, words: int = 6) -> list[Segment]:
    return [Segment(id=f"paper-{i}", kind="paper", title=f"Paper {i}",
                    text=" ".join(f"Paper {i} sentence {j} says {'word ' * words}".strip() + "." for j in range(3)))
            for i in range(n)]


def test_success_sends_the_request_openai_documents(tmp_path, monkeypatch):
    with SpeechServer() as server:
        engine = engine_for(server, monkeypatch, model="gpt-4o-mini-tts", voice="coral", speed=1.1,
                            instructions="Calm and clear.")
        spoken = speak(segments(1), engine, SpeechCache(tmp_path / "cache"), backoff=FAST)
    (request,) = server.requests
    assert request["path"] == "/v1/audio/speech"
    assert request["headers"]["authorization"] == f"Bearer {KEY}"
    body = request["body"]
    assert body["model"] == "gpt-4o-mini-tts" and body["voice"] == "coral" and body["speed"] == 1.1
    assert body["instructions"] == "Calm and clear." and body["response_format"] == "wav"
    assert body["input"].startswith("Paper 0 sentence 0")
    (segment,) = spoken
    assert segment.sample_rate == RATE and segment.spoken
    assert [t for _, _, t in segment.sentences] == [f"Paper 0 sentence {j} says word word word word word word."
                                                   for j in range(3)]
    # Sentences are aligned to the pauses the server put after each one (a tone per word, then silence).
    tone = WORD_SECONDS * len(segment.sentences[0][2].split())
    for j, (start, end, _) in enumerate(segment.sentences[1:], 1):
        assert abs(start - j * (tone + GAP_SECONDS)) < 0.3


def test_streamed_wav_replies_decode(monkeypatch):
    with SpeechServer() as server:
        server.streaming_wav = True
        streamed = engine_for(server, monkeypatch).synthesize("One short sentence here.")
    assert streamed.sample_rate == RATE
    assert abs(streamed.duration - (WORD_SECONDS * 4 + GAP_SECONDS)) < 0.01


def test_429_then_success_retries(tmp_path, monkeypatch):
    with SpeechServer(fail=lambda n, body: 429 if n == 0 else None) as server:
        spoken = speak(segments(1), engine_for(server, monkeypatch), SpeechCache(tmp_path), backoff=FAST)
    assert server.outcomes() == [429, 200]
    assert spoken[0].duration > 1


def test_5xx_and_resets_are_retried_until_they_pass(tmp_path, monkeypatch):
    script = {0: 500, 1: 503, 2: "reset"}
    with SpeechServer(fail=lambda n, body: script.get(n)) as server:
        speak(segments(1), engine_for(server, monkeypatch), SpeechCache(tmp_path), backoff=FAST)
    assert server.outcomes() == [500, 503, "reset", 200]


def test_persistent_5xx_gives_up_after_the_retries(tmp_path, monkeypatch):
    with SpeechServer(fail=lambda n, body: 502) as server:
        with pytest.raises(ServiceError) as err:
            speak(segments(1), engine_for(server, monkeypatch), SpeechCache(tmp_path), retries=2, backoff=FAST)
    assert len(server.requests) == 3
    assert "HTTP 502" in err.value.message and "gave up after 3 attempts" in err.value.message


def test_401_fails_fast_in_one_line_without_the_key(tmp_path, monkeypatch):
    with SpeechServer(fail=lambda n, body: 401) as server:
        with pytest.raises(AuthError) as err:
            speak(segments(6), engine_for(server, monkeypatch), SpeechCache(tmp_path), backoff=FAST)
    text = str(err.value)
    assert "rejected the API key (HTTP 401)" in text and "\n" not in text
    assert KEY not in text and "sk-" not in text
    assert len(server.requests) <= 4  # at most the requests already in flight; none retried


def test_offline_fails_fast(tmp_path, monkeypatch):
    with socket_closed() as url:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        config = Config()
        config.parts["engine"] = {"openai": {"base_url": f"{url}/v1"}}
        engine = make_engine(config, "en", engine="openai")
        started = time.monotonic()
        with pytest.raises(NetworkError) as err:
            speak(segments(8), engine, SpeechCache(tmp_path), retries=5, backoff=1.0)
    assert time.monotonic() - started < 3  # no backoff waits
    assert "cannot reach the speech service" in str(err.value)


def _raised(error: BaseException, cause: BaseException | None) -> BaseException:
    """``error`` as raised from ``cause``, so its __cause__ and __context__ are set as Python sets them."""
    try:
        try:
            if cause is not None:
                raise cause
        except BaseException as inner:
            raise error from inner
        raise error
    except BaseException as raised:
        return raised


@pytest.mark.parametrize("module", ["httpx", "httpx2", "httpcore"])
def test_connection_errors_of_any_sdk_transport_are_classified(module):
    """openai 1.x wraps httpx errors, 3.x httpx2 ones: offline vs broken is told by class name, imported from neither."""
    import openai

    from podcast.speech.engines.openai import _translate

    def transport_error(name: str) -> Exception:
        return type(name, (Exception,), {"__module__": module})("[Errno 111] Connection refused")

    refused = _raised(openai.APIConnectionError(request=None), transport_error("ConnectError"))
    broken = _raised(openai.APIConnectionError(request=None), transport_error("RemoteProtocolError"))
    assert isinstance(_translate(refused, "example.test"), NetworkError)
    error = _translate(broken, "example.test")
    assert isinstance(error, ServiceError) and "connection to the speech service at example.test broke" in error.message
    timeout = _raised(openai.APITimeoutError(request=None), transport_error("ReadTimeout"))
    assert "timed out" in _translate(timeout, "example.test").message


def test_missing_key_and_unknown_voice_are_refused_before_any_request(monkeypatch):
    config = Config()
    with pytest.raises(EngineError, match=r"needs \$OPENAI_API_KEY"):
        make_engine(config, "en", engine="openai")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    from podcast.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        make_engine(config, "en", engine="openai", voice="robot")
    assert "unknown voice 'robot'" in err.value.message and "alloy" in err.value.hint
    with pytest.raises(EngineError, match="does not speak language 'tlh'"):
        make_engine(config, "tlh", engine="openai")


def test_fault_injection_30_percent_gives_the_same_audio(tmp_path, monkeypatch):
    rng = random.Random(1234)
    faults = [429, 500, 502, 503, "reset"]

    def flaky(number, body):
        return rng.choice(faults) if rng.random() < 0.30 else None

    with SpeechServer() as clean:
        reference = speak(segments(12), engine_for(clean, monkeypatch), SpeechCache(tmp_path / "a"), backoff=FAST)
    with SpeechServer(fail=flaky) as server:
        engine = engine_for(server, monkeypatch)
        result = speak(segments(12), engine, SpeechCache(tmp_path / "b"), retries=8, backoff=FAST, workers=4)
    failures = [o for o in server.outcomes() if o != 200]
    assert len(failures) >= 3, "the seed should inject several faults"
    assert server.outcomes().count(200) == 12
    for ref, got in zip(reference, result):
        assert ref.path.read_bytes() == got.path.read_bytes()
        assert ref.sentences == got.sentences


def test_parallel_requests_are_bounded_by_workers(tmp_path, monkeypatch):
    with SpeechServer(latency=0.5) as server:  # long enough for four workers' requests to overlap on a busy machine
        speak(segments(8), engine_for(server, monkeypatch), SpeechCache(tmp_path), workers=4, backoff=FAST)
    assert len(server.requests) == 8
    assert server.max_in_flight == 4  # four at once: parallel, yet never more than the workers


class socket_closed:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""

    def __enter__(self) -> str:
        import socket

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc):
        return False


def test_cached_segments_make_no_requests(tmp_path, monkeypatch):
    with SpeechServer() as server:
        engine = engine_for(server, monkeypatch)
        first = speak(segments(3), engine, SpeechCache(tmp_path), backoff=FAST)
        second = speak(segments(3), engine, SpeechCache(tmp_path), backoff=FAST)
    assert len(server.requests) == 3
    assert not any(s.spoken for s in second)
    assert [a.path.read_bytes() for a in first] == [b.path.read_bytes() for b in second]


def test_a_segment_over_4096_characters_is_split_at_sentences(tmp_path, monkeypatch):
    sentences = [f"Sentence number {i} describes one more result of this rather long paper in detail." for i in range(70)]
    text = " ".join(sentences)
    assert len(text) > 4_096
    segment = Segment(id="paper-long", kind="paper", title="Long", text=text)
    with SpeechServer() as server:
        (spoken,) = speak([segment], engine_for(server, monkeypatch), SpeechCache(tmp_path), backoff=FAST)
    inputs = sorted((r["body"]["input"] for r in server.requests), key=lambda i: int(i.split()[2]))  # sent in parallel
    assert len(inputs) == 2 and all(len(i) <= 4_096 for i in inputs)
    assert all(i.endswith("in detail.") for i in inputs)  # each piece ends at a sentence end
    assert " ".join(inputs).split() == text.split()
    assert [t for _, _, t in spoken.sentences] == sentences
