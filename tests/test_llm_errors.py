"""How the LLM writer behaves when the server rate-limits, rejects the key, answers badly or not at all."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

import pytest

from podcast.errors import AuthError, ConfigError, NetworkError, ServiceError
from podcast.models import Episode, Paper
from podcast.writers.llm import LLMWriter

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "llm"))
from fake_openai import FakeOpenAI, Reply, completion, error, faithful_text, task, user_text  # noqa: E402

KEY = "sk-test-VERYSECRET0123456789"
QUICK = {"retry-after-ms": "10"}  # the SDK honours the server's requested backoff; keeps tests fast


def episode() -> Episode:
    return Episode(id="2025-04", show="Test Bench", papers=[
        Paper(id="2504.01001", title="Sparse Lanterns", summary="It keeps 98% recall."),
        Paper(id="2504.01002", title="Counting Sheep", summary="It counts sheep with 1.3 error.")])


def write(server: FakeOpenAI, **options):
    return LLMWriter({"base_url": server.base_url, **options}).write(episode())


def test_429_then_success_retries_with_backoff():
    def limited(request, number):
        if number == 1:
            return error(429, "Rate limit reached", "rate_limit_exceeded", **QUICK)
        return faithful_text(request)

    with FakeOpenAI(limited) as server:
        segments = write(server)
    assert len(server.requests) == 1 + 5  # the first request again, then overview, outro, 2 papers
    assert server.requests[0] == server.requests[1]
    assert [s.id for s in segments][-1] == "outro"


def test_5xx_then_success_retries():
    def flaky(request, number):
        return error(503, "overloaded", "server_error", **QUICK) if number <= 2 else faithful_text(request)

    with FakeOpenAI(flaky) as server:
        write(server)
    assert len(server.requests) == 2 + 5


def test_persistent_429_gives_up_with_one_line():
    with FakeOpenAI(lambda r, n: error(429, "Rate limit reached", **QUICK)) as server:
        with pytest.raises(ServiceError) as info:
            write(server, max_retries=2)
    assert len(server.requests) == 3
    assert str(info.value) == ("the LLM server at 127.0.0.1 is rate-limiting requests, after 3 attempts "
                               "(wait, or lower writer.openai.concurrency)")


def test_401_is_an_auth_error_that_never_shows_the_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with FakeOpenAI(lambda r, n: error(401, f"Incorrect API key provided: {KEY}.", "invalid_api_key")) as server:
        with pytest.raises(AuthError) as info:
            write(server)
    assert len(server.requests) == 1  # a rejected key is not retried
    assert server.authorization == [f"Bearer {KEY}"]
    assert info.value.message == "the OpenAI-compatible server rejected the API key"
    assert "OPENAI_API_KEY" in info.value.hint
    assert "VERYSECRET" not in str(info.value) and KEY not in repr(info.value.args)


@pytest.mark.parametrize("reply", [
    Reply(body={"id": "x", "object": "chat.completion", "choices": []}),
    Reply(body=completion(None)),
    Reply(body=completion("   ")),
    Reply(body=b"<html>Bad gateway</html>"),
    Reply(body={"unexpected": True}),
], ids=["no-choices", "null-content", "blank-content", "not-json", "wrong-shape"])
def test_malformed_reply_is_a_service_error(reply):
    with FakeOpenAI(lambda r, n: reply) as server:
        with pytest.raises(ServiceError, match="the LLM server at 127.0.0.1"):
            write(server)


def test_themes_reply_that_is_not_json_is_asked_once_more_then_one_theme_is_used():
    def respond(request, number):
        return "Here are some themes: agents, retrieval." if task(request) == "themes" else faithful_text(request)

    with FakeOpenAI(respond) as server:
        writer = LLMWriter({"base_url": server.base_url})
        segments = writer.write(episode())
    themes = [r for r in server.requests if task(r) == "themes"]
    assert len(themes) == 2 and themes[0]["response_format"] == {"type": "json_object"}
    assert [s.id for s in segments] == ["intro", "overview", "paper-2504.01001", "paper-2504.01002", "outro"]
    assert all(s.text for s in segments)  # the commentary is written all the same
    commentary = [user_text(r) for r in server.requests if task(r) == "commentary"]
    assert len(commentary) == 2 and all("This episode's papers" in text for text in commentary)
    assert writer.fallbacks == ["the LLM server at 127.0.0.1 twice answered the themes request without the JSON "
                                "asked for, so the overview treats all 2 papers as one theme; a more capable "
                                "writer.openai.model groups them"]


@pytest.mark.parametrize("reply", [error(400, "response_format json_object is not supported"), completion("  ")],
                         ids=["json-mode-refused", "empty-reply"])
def test_a_server_that_cannot_answer_the_themes_request_degrades_to_one_theme(reply):
    def answer(request, number):
        if task(request) != "themes":
            return faithful_text(request)
        return reply if isinstance(reply, Reply) else Reply(body=reply)

    with FakeOpenAI(answer) as server:
        writer = LLMWriter({"base_url": server.base_url, "max_retries": 0})
        segments = writer.write(episode())
    assert len(segments) == 5 and len(writer.fallbacks) == 1
    assert "twice answered the themes request with an error" in writer.fallbacks[0]
    assert KEY not in writer.fallbacks[0]


def test_timeout_is_a_network_error_naming_the_host():
    with FakeOpenAI(lambda r, n: Reply(body=completion("late"), delay=1.0)) as server:
        start = time.monotonic()
        with pytest.raises(NetworkError) as info:
            write(server, timeout=0.2, max_retries=0)
    assert time.monotonic() - start < 1.0
    assert str(info.value).startswith("the LLM server at 127.0.0.1 did not answer within 0.2 s, after 1 attempt")


def test_timeout_then_success_is_retried():
    def slow_once(request, number):
        return Reply(body=completion(faithful_text(request)), delay=1.0 if number == 1 else 0.0)

    with FakeOpenAI(slow_once) as server:
        write(server, timeout=0.3, max_retries=1)
    assert len(server.requests) == 1 + 5


def test_unreachable_server_is_a_network_error():
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(NetworkError, match="cannot reach the LLM server at 127.0.0.1"):
        LLMWriter({"base_url": f"http://127.0.0.1:{port}/v1", "max_retries": 0}).write(episode())


def test_unknown_model_is_a_config_error():
    with FakeOpenAI(lambda r, n: error(404, "model 'llama9' not found, try pulling it first")) as server:
        with pytest.raises(ConfigError, match="has no model 'llama9'") as info:
            write(server, model="llama9")
    assert "ollama pull" in info.value.hint
