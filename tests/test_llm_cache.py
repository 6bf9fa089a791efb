"""LLM replies are cached by server, model and prompt: an interrupted `--writer openai` run does not pay twice."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import invoke

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "llm"))
from fake_openai import FakeOpenAI, error, faithful_text, user_text  # noqa: E402

NEWSLETTER = Path(__file__).parent / "fixtures" / "llm" / "newsletter.txt"


def configure(server: FakeOpenAI, extra: str = "") -> None:
    Path("podcast.toml").write_text(f'[writer.openai]\nbase_url = "{server.base_url}"\nmax_retries = 0\n{extra}')


def script(*extra: str):
    return invoke("script", str(NEWSLETTER), "--writer", "openai", "--episode", "ep", *extra)


def test_an_interrupted_run_resends_only_the_prompts_that_got_no_answer():
    answered: list[str] = []

    def dies_after_three(request, number):
        if number > 3:
            return error(500, "the server fell over", "server_error")
        answered.append(user_text(request))
        return faithful_text(request)

    with FakeOpenAI(dies_after_three) as server:
        configure(server)
        failed = script()
    assert failed.exit_code == 5 and len(failed.stderr.strip().splitlines()) == 1
    assert not Path("output/ep/script.md").exists()
    assert len(answered) == 3
    with FakeOpenAI() as server:
        configure(server)
        done = script()
    assert done.exit_code == 0, done.stderr
    resent = {user_text(r) for r in server.requests}
    assert not resent & set(answered)  # the three answers came from the cache
    assert len(server.requests) == 6 - 3  # themes, overview, outro and three papers, minus the cached three
    assert "3 replies from the cache" in done.output
    entries = list(Path("output/.cache/llm").glob("*/*.json"))
    assert len(entries) == 6
    assert all(json.loads(p.read_text())["model"] == "gpt-4o-mini" for p in entries)


def test_another_model_or_temperature_asks_again():
    with FakeOpenAI() as server:
        configure(server)
        assert script().exit_code == 0
        first = len(server.requests)
        configure(server, "model = 'other-model'\n")
        assert script("--force").exit_code == 0
        assert len(server.requests) == 2 * first
        configure(server, "model = 'other-model'\ntemperature = 0.2\n")
        assert script("--force").exit_code == 0
        assert len(server.requests) == 3 * first
        assert script("--force").exit_code == 0  # same again: all cached
        assert len(server.requests) == 3 * first


def test_a_corrupt_cache_entry_is_a_miss_not_an_error():
    with FakeOpenAI() as server:
        configure(server)
        assert script().exit_code == 0
        first = len(server.requests)
        victim = sorted(Path("output/.cache/llm").glob("*/*.json"))[0]
        victim.write_text("{not json")
        assert script("--force").exit_code == 0
        assert len(server.requests) == first + 1
        assert json.loads(victim.read_text())["reply"]
