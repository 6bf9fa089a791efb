"""The LLM writer through the real openai SDK against a local OpenAI-compatible server."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from podcast.errors import ConfigError
from podcast.models import Episode, Paper
from podcast.speech.text import split_text
from podcast.writers.base import WRITERS
from podcast.writers.llm import LLMWriter, parse_themes

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "llm"))
from fake_openai import (COMPLETION_TOKENS, PROMPT_TOKENS, FakeOpenAI, Reply, between,  # noqa: E402
                         completion, faithful_text, task, user_text)


def episode(count: int = 3, summary: str = "It improves recall by 12% on the Needle Sweep benchmark.") -> Episode:
    papers = [Paper(id=f"2504.0100{i}", title=f"Paper number {i}", summary=summary) for i in range(count)]
    return Episode(id="2025-04", show="Test Bench", date="2025-04-01", papers=papers)


def writer(server: FakeOpenAI, **options) -> LLMWriter:
    return WRITERS.get("openai")({"base_url": server.base_url, **options})


def test_registered_as_openai_with_network():
    assert WRITERS.get("openai") is LLMWriter and LLMWriter.network


def test_writes_intro_overview_papers_outro_and_counts_tokens():
    ep = episode()
    with FakeOpenAI() as server:
        segments = writer(server, model="llama3.2", temperature=0.2).write(ep)
    assert [s.id for s in segments] == ["intro", "overview", "paper-2504.01000", "paper-2504.01001",
                                        "paper-2504.01002", "outro"]
    assert [s.kind for s in segments] == ["intro", "overview", "paper", "paper", "paper", "outro"]
    paper = segments[2]
    assert paper.title == "Paper number 0" and paper.paper == "2504.01000" and paper.flags == []
    assert paper.text == ("Let's talk about Paper number 0. "  # written; made speakable at speak time
                          "It improves recall by 12% on the Needle Sweep benchmark.")
    assert "Test Bench" in segments[0].text
    assert sorted(server.tasks()) == ["commentary"] * 3 + ["outro", "overview", "themes"]
    assert {r["model"] for r in server.requests} == {"llama3.2"}
    assert {r["temperature"] for r in server.requests} == {0.2}
    assert set(server.authorization) == {"Bearer not-needed"}  # a local server gets a dummy key


def test_usage_sums_every_call_and_prices_come_from_config():
    with FakeOpenAI() as server:
        w = writer(server, price_input=2.0, price_output=8.0)
        w.write(episode())
    calls = len(server.requests)
    assert w.usage == {"model": "gpt-4o-mini", "prompt_tokens": calls * PROMPT_TOKENS,
                       "completion_tokens": calls * COMPLETION_TOKENS,
                       "total_tokens": calls * (PROMPT_TOKENS + COMPLETION_TOKENS),
                       "cost_usd": pytest.approx(calls * (PROMPT_TOKENS * 2.0 + COMPLETION_TOKENS * 8.0) / 1e6)}


def test_cost_is_unknown_for_a_local_model_without_prices():
    with FakeOpenAI() as server:
        w = writer(server)
        w.write(episode(1))
    assert w.usage["cost_usd"] is None and w.usage["total_tokens"] > 0


def test_transitions_name_the_previous_paper_and_the_theme():
    with FakeOpenAI() as server:
        writer(server).write(episode(2))
    prompts = [user_text(r) for r in server.requests if task(r) == "commentary"]
    first = next(p for p in prompts if "Paper: Paper number 0" in p)
    second = next(p for p in prompts if "Paper: Paper number 1" in p)
    assert "This is the first paper of the episode." in first
    assert "Previous paper: Paper number 0" in second
    assert "Theme: Theme 2" in second  # the fake puts item 2 in the second theme


def test_concurrency_is_bounded():
    def slow(request, number):
        return Reply(body=completion(faithful_text(request)), delay=0.15)

    with FakeOpenAI(slow) as server:
        writer(server, concurrency=3).write(episode(8))
    assert server.max_in_flight == 3


def test_long_summary_is_split_not_truncated():
    tags = [f"tag{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(40)]  # stays as is when made speakable
    sentences = [f"Sentence {tag} says the method scores well on the Needle Sweep benchmark." for tag in tags]
    summary = " ".join(sentences)  # about 3,000 characters
    with FakeOpenAI() as server:
        segments = writer(server, max_input_chars=800).write(episode(1, summary))
    pieces = [between(user_text(r), "Summary to rewrite:\n", "\n\nRewrite this summary")
              for r in server.requests if task(r) == "commentary"]
    assert len(pieces) >= 4 and all(len(p) <= 800 for p in pieces)
    assert " ".join(pieces).split() == summary.split()  # every word sent once, in order
    assert all("This is part" in user_text(r) for r in server.requests if task(r) == "commentary")
    positions = [segments[2].text.find(f" {tag} ") for tag in tags]
    assert -1 not in positions and positions == sorted(positions)  # every part's reply, in order


def test_split_text_keeps_every_word_and_respects_the_limit():
    text = "First paragraph. " * 30 + "\n\n" + "x" * 50 + " " + "averyveryverylongword " * 40
    pieces = split_text(text, 200)
    assert all(len(p) <= 200 for p in pieces)
    assert " ".join(pieces).split() == text.split()
    # The same splitter as speech: an abbreviation does not end a piece.
    text = "Models such as e.g. Adam-trained transformers work well here. " * 6
    pieces = split_text(text, 130)
    assert len(pieces) == 3 and all(p.endswith("work well here.") for p in pieces)


def test_many_papers_are_grouped_in_batches_then_merged():
    ep = episode(30)
    for i, paper in enumerate(ep.papers):
        paper.title = f"A rather long and descriptive paper title, number {i}, about retrieval and agents"
    with FakeOpenAI() as server:
        segments = writer(server, max_input_chars=1000).write(ep)
    themes = [user_text(r) for r in server.requests if task(r) == "themes"]
    assert len(themes) >= 3  # at least two batches and one merge
    assert "1. Theme 1" in themes[-1]  # the merge groups the batches' themes
    overview = next(user_text(r) for r in server.requests if task(r) == "overview")
    assert sum(int(n) for n in re.findall(r"\((\d+) papers\)", overview)) == 30
    assert len(segments) == 33


def test_themes_reply_is_repaired_when_items_are_missing_or_repeated():
    reply = ('Sure! ```json\n{"themes": [{"name": "Agents", "items": [1, 2]}, '
             '{"name": "Retrieval", "items": [2, 4]}]}```')
    assert parse_themes(reply, 5) == [("Agents", [0, 1, 2]), ("Retrieval", [3, 4])]


def test_parse_themes_folds_extra_themes_into_neighbours():
    reply = json.dumps({"themes": [{"name": f"T{k}", "items": [k + 1]} for k in range(7)]
                        + [{"name": "Big", "items": [8, 9, 10]}]})
    themes = parse_themes(reply, 10)
    assert len(themes) == 5
    assert sorted(i for _, members in themes for i in members) == list(range(10))
    assert themes[-1][0] == "Big"
    with pytest.raises(ValueError):
        parse_themes('{"topics": []}', 3)


def test_prompt_folder_overrides_one_file(tmp_path):
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "outro.md").write_text("Task: write the closing words for {show}, in {language}. Be brief.")
    with FakeOpenAI() as server:
        writer(server, prompts=str(folder)).write(episode(1))
    outro = next(user_text(r) for r in server.requests if task(r) == "outro")
    assert outro == "Task: write the closing words for Test Bench, in English. Be brief."
    commentary = next(user_text(r) for r in server.requests if task(r) == "commentary")
    assert "Summary to rewrite:" in commentary  # the packaged prompt still applies


@pytest.mark.parametrize("name,text,message", [
    ("outro.md", "Say {nonsense}.", "unknown placeholder(s) nonsense"),
    ("outros.md", "Hi.", "prompt files the writer does not use: outros.md"),
])
def test_bad_prompt_files_are_config_errors(tmp_path, name, text, message):
    (tmp_path / name).write_text(text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        LLMWriter({"prompts": str(tmp_path)})


@pytest.mark.parametrize("options,message", [
    ({"modle": "x"}, "unknown key writer.openai.modle"),
    ({"temperature": "hot"}, "must be a float"),
    ({"temperature": 3}, "temperature = 3.0 is out of range"),
    ({"concurrency": 0}, "concurrency = 0 is out of range"),
    ({"prompts": "/no/such/folder"}, "prompt folder /no/such/folder does not exist"),
    ({"base_url": "localhost:11434"}, "is not an http(s) URL"),
])
def test_bad_options_are_config_errors(options, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        w = LLMWriter(options)
        w.write(episode(1))


def test_openai_needs_a_key_but_local_servers_do_not(monkeypatch):
    with pytest.raises(ConfigError, match=r"needs \$OPENAI_API_KEY") as info:
        LLMWriter({}).write(episode(1))
    assert "base_url" in info.value.hint
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-abcdefgh12345")
    with FakeOpenAI() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)  # the environment names the endpoint
        LLMWriter({}).write(episode(1))
    assert set(server.authorization) == {"Bearer sk-test-abcdefgh12345"}


def test_summarize_fills_only_missing_summaries_in_the_newsletter_style():
    ep = episode(2, summary="")
    ep.papers[0].abstract = "We propose Sparse Lanterns, which keeps 98% recall."
    ep.papers[1].summary = "Already summarized."
    with FakeOpenAI() as server:
        w = writer(server)
        w.summarize(ep)
    assert server.tasks() == ["summarize"]
    prompt = user_text(server.requests[0])
    assert "core assertions, the methodology, the results" in prompt and "Sparse Lanterns" in prompt
    assert ep.papers[0].summary == ("The paper asserts the following. "
                                    "We propose Sparse Lanterns, which keeps 98% recall.")
    assert ep.papers[1].summary == "Already summarized."
    assert w.usage["total_tokens"] == PROMPT_TOKENS + COMPLETION_TOKENS


def test_summary_with_invented_figures_is_flagged_on_the_paper_segment():
    ep = episode(1, summary="")
    ep.papers[0].abstract = "We propose Sparse Lanterns for long context."

    def inventive(request, number):
        if task(request) in ("summarize", "revise") and "Abstract:" in json.dumps(request):
            return "Sparse Lanterns reaches 91% on MMLU."
        return faithful_text(request)

    with FakeOpenAI(inventive) as server:
        w = writer(server)
        w.summarize(ep)
        segments = w.write(ep)
    assert segments[2].flags == ["not in the source: 91% (in the LLM-written summary)",
                                 "not in the source: MMLU (in the LLM-written summary)"]
