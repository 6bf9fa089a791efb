"""`podcast script --writer openai` end to end: the real openai SDK, a local server, the CLI runner."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from podcast.cli import cli

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "llm"))
from fake_openai import FakeOpenAI, error, faithful_text, task  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "llm"
NEWSLETTER = FIXTURES / "newsletter.txt"
KEY = "sk-test-VERYSECRET0123456789"
PAPER_IDS = ["paper-2504.01001", "paper-2504.01002", "paper-2504.01003"]


def configure(server: FakeOpenAI) -> Path:
    """A podcast.toml pointing the openai writer at the local server."""
    path = Path("podcast.toml")
    path.write_text(f'[writer.openai]\nbase_url = "{server.base_url}"\n')
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def script(*extra: str):
    return run("script", str(NEWSLETTER), "--writer", "openai", "--episode", "test", *extra)


def test_script_with_the_openai_writer():
    with FakeOpenAI() as server:
        configure(server)
        result = script()
    assert result.exit_code == 0, result.output
    text = Path("output/test/script.md").read_text()
    headings = [line for line in text.splitlines() if line.startswith("## [")]
    assert headings == ["## [intro] Introduction", "## [overview] This month's themes",
                        "## [paper-2504.01001] Sparse Lanterns for Long Context",
                        "## [paper-2504.01002] Counting Sheep with Diffusion",
                        "## [paper-2504.01003] Polite Agents Negotiate Better", "## [outro] Outro"]
    assert "written by the 'openai' writer" in text
    assert "Let's talk about Counting Sheep with Diffusion." in text
    calls = len(server.requests)
    assert calls == 6  # themes, overview, outro, 3 papers
    assert f"LLM:      {calls * 100:,} prompt + {calls * 40:,} completion tokens with gpt-4o-mini " \
           "(cost unknown for this model)" in result.output
    assert "Script:   output/test/script.md (6 segments," in result.output
    state = json.loads(Path("output/test/script.json").read_text())
    assert state["writer"] == "openai"
    assert state["usage"] == {"model": "gpt-4o-mini", "prompt_tokens": calls * 100, "completion_tokens": calls * 40,
                              "total_tokens": calls * 140, "cost_usd": None}


def test_rerun_reuses_the_script_and_edits_need_force():
    with FakeOpenAI() as server:
        configure(server)
        assert script().exit_code == 0
        first = len(server.requests)
        assert script().exit_code == 0  # up to date: no new requests
        assert len(server.requests) == first
        path = Path("output/test/script.md")
        path.write_text(path.read_text().replace("Let's talk about Counting Sheep", "Now, Counting Sheep"))
        refused = CliRunner().invoke(cli, ["script", str(NEWSLETTER), "--writer", "openai", "--episode", "test"])
        assert refused.exit_code == 2 and "has hand edits; not overwriting it" in refused.output
        assert "Now, Counting Sheep" in path.read_text()
        forced = script("--force")
    assert forced.exit_code == 0
    assert "replacing your hand edits" in forced.output
    assert len(server.requests) == first  # the same prompts: every reply came from the LLM reply cache
    assert f"{first} replies from the cache" in forced.output
    assert "Now, Counting Sheep" not in path.read_text()


def test_rejected_key_is_one_line_without_the_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with FakeOpenAI(lambda r, n: error(401, f"Incorrect API key provided: {KEY}", "invalid_api_key")) as server:
        configure(server)
        result = CliRunner().invoke(cli, ["script", str(NEWSLETTER), "--writer", "openai", "--episode", "t"])
    assert result.exit_code == 4
    assert result.output.strip().splitlines() == [
        "error: the OpenAI-compatible server rejected the API key "
        "(check OPENAI_API_KEY; for a local server any non-empty value works)"]
    assert "VERYSECRET" not in result.output
    assert not Path("output/t/script.md").exists()


def test_invented_claims_are_retried_once_then_flagged_stored_and_previewed(fake_engine):
    def inventive(request, number):
        if task(request) in ("commentary", "revise"):
            return "Remarkably, it beats GPT-5 with 99.9% accuracy."
        return faithful_text(request)

    with FakeOpenAI(inventive) as server:
        configure(server)
        result = script()
    assert result.exit_code == 0, result.output
    assert server.tasks().count("revise") == 3  # one retry per paper, not more
    flags = json.loads(Path("output/test/script.json").read_text())["flags"]
    expected = ["not in the source: GPT-5", "not in the source: 99.9%"]
    assert flags == {pid: expected for pid in PAPER_IDS}
    shown = run("preview", "output/test", "--segment", "paper-2504.01002", "--engine", "fake")
    assert shown.exit_code == 0
    assert "faithfulness: not in the source: GPT-5" in shown.output
    assert "faithfulness: not in the source: 99.9%" in shown.output
    data = json.loads(run("preview", "output/test", "--json", "--engine", "fake").output)
    assert {s["id"]: s["flags"] for s in data["segments"] if s["flags"]} == flags


def test_a_retry_that_fixes_the_text_leaves_no_flag():
    def fixable(request, number):
        if task(request) == "commentary":
            return "It beats GPT-5."
        if task(request) == "revise":
            return "It is a careful paper."
        return faithful_text(request)

    with FakeOpenAI(fixable) as server:
        configure(server)
        assert script().exit_code == 0
    assert json.loads(Path("output/test/script.json").read_text())["flags"] == {}
    assert "It is a careful paper." in Path("output/test/script.md").read_text()


def test_summarize_writes_missing_summaries_and_saves_them():
    with FakeOpenAI() as server:
        configure(server)
        result = run("script", str(FIXTURES / "abstracts.json"), "--writer", "openai", "--summarize")
    assert result.exit_code == 0, result.output
    assert server.tasks().count("summarize") == 2
    papers = json.loads(Path("output/2025-05/papers.json").read_text())["papers"]
    assert [p["summary"].split(". ", 1)[0] for p in papers] == ["The paper asserts the following"] * 2
    assert "median norm" in papers[0]["summary"]


def test_summarize_needs_the_llm_writer():
    result = CliRunner().invoke(cli, ["script", str(FIXTURES / "abstracts.json"), "--summarize"])
    assert result.exit_code == 2
    assert "the 'reading' writer cannot write summaries" in result.output


@pytest.mark.parametrize("setting,message", [("temperature = 9", "temperature = 9.0 is out of range"),
                                              ("colour = 1", "unknown key writer.openai.colour")])
def test_bad_writer_config_is_reported_before_any_request(setting, message):
    with FakeOpenAI() as server:
        configure(server)
        Path("podcast.toml").write_text(Path("podcast.toml").read_text() + setting + "\n")
        result = CliRunner().invoke(cli, ["script", str(NEWSLETTER), "--writer", "openai"])
    assert result.exit_code == 2 and message in result.output
    assert server.requests == []


def test_a_model_without_the_themes_json_still_writes_the_script_and_says_so():
    def respond(request, number):
        return "I would group them by topic." if task(request) == "themes" else faithful_text(request)

    with FakeOpenAI(respond) as server:
        configure(server)
        result = script()
    assert result.exit_code == 0, result.output
    assert "fallback: the LLM server at 127.0.0.1 twice answered the themes request" in result.output
    state = json.loads(Path("output/test/script.json").read_text())
    assert len(state["fallbacks"]) == 1 and "one theme" in state["fallbacks"][0]
    text = Path("output/test/script.md").read_text()
    assert all(f"## [{pid}]" in text for pid in PAPER_IDS) and "## [overview]" in text
