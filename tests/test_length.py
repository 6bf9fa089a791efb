"""--minutes: episodes fitted to a length, measured on the built MP3 (espeak-ng, a real offline voice)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from conftest import FakeEngine, invoke
from podcast.ingest import ingest
from podcast.config import load_config
from podcast.hosts import resolve_hosts
from podcast.length import fit_summaries, keep, ranked_sentences, target_for
from podcast.speech.base import ENGINES
from podcast.speech.text import split_sentences

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "llm"))
from fake_openai import FakeOpenAI, task, user_text  # noqa: E402

NEWSLETTER = Path(__file__).parent / "fixtures" / "length" / "newsletter.txt"  # 8 papers, about 11 minutes


@pytest.fixture
def espeak():
    reason = ENGINES.get("espeak").unavailable_reason()
    if reason:
        pytest.skip(f"espeak-ng cannot run here: {reason}")


def papers():
    return ingest([str(NEWSLETTER)]).papers


def paper_texts(folder: Path) -> dict[str, str]:
    text = re.sub(r"<!--.*?-->", "", (folder / "script.md").read_text(), flags=re.DOTALL)
    parts = re.split(r"^## \[([^\]]+)\].*$", text, flags=re.MULTILINE)
    return {seg: body for seg, body in zip(parts[1::2], parts[2::2]) if seg.startswith("paper-")}


@pytest.mark.parametrize("minutes", [5, 6.5, 8])
def test_reading_episode_lands_within_ten_percent_of_the_target(minutes, espeak):
    result = invoke("build", str(NEWSLETTER), "--engine", "espeak", "--minutes", str(minutes), "--episode", "fit")
    assert result.exit_code == 0, result.stderr
    folder = Path("output/fit")
    seconds = MP3(folder / "episode.mp3").info.length
    assert abs(seconds / (60 * minutes) - 1) <= 0.10, f"{seconds:.0f} s for a {minutes}-minute target"
    texts = paper_texts(folder)
    assert len(texts) == len(papers())  # no paper dropped
    for paper in papers():
        spoken = " ".join(texts[f"paper-{paper.id}"].split())
        assert paper.title in spoken
        first = split_sentences(paper.summary)[0]
        assert first in spoken  # the claim is always kept
    preview = invoke("preview", str(folder), "--engine", "espeak", "--json")
    data = json.loads(preview.output)
    assert data["target_seconds"] == 60 * minutes
    assert abs(data["estimate_seconds"] / seconds - 1) < 0.05  # preview's estimate is what was built
    shown = invoke("preview", str(folder), "--engine", "espeak").output
    assert re.search(rf"Length: about \d+:\d\d with music and pauses, against a target of {int(minutes)}:"
                     rf"{round(60 * (minutes % 1)):02d} \([+-]\d+%\)", shown)


def test_a_longer_target_keeps_more_of_every_summary_in_order(espeak):
    short = {p.id: keep(p.summary, 40, "en") for p in papers()}
    longer = {p.id: keep(p.summary, 120, "en") for p in papers()}
    for paper in papers():
        sentences = split_sentences(paper.summary)
        kept_short, kept_long = split_sentences(short[paper.id]), split_sentences(longer[paper.id])
        assert set(kept_short) <= set(kept_long) and len(kept_long) > len(kept_short)
        assert [s for s in sentences if s in kept_long] == kept_long  # in the summary's own order


def test_claim_then_results_then_paragraph_leads():
    summary = ("We claim a thing.\nThe method is a method. It has steps.\nResults show a 12% gain. More numbers.\n"
               "Critics may object.")
    order = [s for _, s, _ in sorted(ranked_sentences(summary), key=lambda item: item[2])]
    assert order[:4] == ["We claim a thing.", "Results show a 12% gain.", "The method is a method.",
                         "Critics may object."]
    one_paragraph = "A claim here. Some context. It outperforms the baseline. A caveat."
    assert [s for _, s, r in ranked_sentences(one_paragraph) if r < 2] == ["A claim here.",
                                                                          "It outperforms the baseline."]


def test_richer_summaries_keep_more_and_every_summary_keeps_a_sentence():
    rich = " ".join(f"Sentence number {n} of the rich summary says something." for n in range(20))
    poor = "A poor summary has one claim. And one more sentence."
    kept = fit_summaries([rich, poor, "Only one."], 60, "en")
    assert len(kept[0].split()) > len(kept[1].split()) and kept[2] == "Only one."
    tiny = fit_summaries([rich, poor], 1, "en")
    assert [len(split_sentences(k)) for k in tiny] == [1, 1]


class SteadyFake(FakeEngine):
    """A voice at a person's pace with no speed option to raise."""

    name = "steady"
    words_per_minute = 150.0


@pytest.fixture
def steady(fake_engine):
    ENGINES.register(SteadyFake)
    yield SteadyFake
    ENGINES.unregister(SteadyFake.name)


def test_too_short_a_target_keeps_a_title_and_a_sentence_each_and_says_so(steady):
    result = invoke("build", str(NEWSLETTER), "--engine", "steady", "--minutes", "1", "--episode", "tiny")
    assert result.exit_code == 0, result.stderr
    texts = paper_texts(Path("output/tiny"))
    for paper in papers():
        body = texts[f"paper-{paper.id}"].strip().split("\n\n")
        assert paper.title in body[0] and body[1:] == [split_sentences(paper.summary)[0]]
    assert "the episode cannot be as short as 1:00" in result.stderr  # the fake voice has no speed to raise


def test_papers_that_overrun_even_at_their_smallest_are_spoken_faster(espeak):
    result = invoke("build", str(NEWSLETTER), "--engine", "espeak", "--minutes", "1.6", "--episode", "fast")
    assert result.exit_code == 0, result.stderr
    state = json.loads(Path("output/fast/script.json").read_text())
    assert 1.1 < state["speedup"] < 1.4 and "faster to fit 1:36" in result.stderr
    seconds = MP3("output/fast/episode.mp3").info.length
    assert abs(seconds / 96 - 1) <= 0.10, f"{seconds:.0f} s for a 96 s target"
    texts = paper_texts(Path("output/fast"))
    bodies = [t.strip().split("\n\n")[1:] for t in texts.values()]  # after the line that names the paper
    assert all(len(body) == 1 and len(split_sentences(body[0])) == 1 for body in bodies)


def test_changing_the_target_rewrites_the_script(fake_engine):
    assert invoke("script", str(NEWSLETTER), "--minutes", "5", "--episode", "x").exit_code == 0
    five = Path("output/x/script.md").read_text()
    again = invoke("script", str(NEWSLETTER), "--minutes", "8", "--episode", "x")
    assert again.exit_code == 0 and "the target length changed" in again.stderr
    assert len(Path("output/x/script.md").read_text()) > len(five)


@pytest.mark.parametrize("writer, kind", [("openai", "commentary"), ("dialogue", "dialogue")])
def test_llm_writers_ask_each_paper_for_its_share_of_words(writer, kind, fake_engine):
    with FakeOpenAI() as server:
        Path("podcast.toml").write_text(f'[writer.openai]\nbase_url = "{server.base_url}"\n')
        result = invoke("script", str(NEWSLETTER), "--writer", writer, "--minutes", "6", "--episode", "llm")
        asked = {re.search(r"Paper: (.*)", user_text(r))[1]: int(re.search(r"about (?:\d+ turns and )?(\d+) words",
                                                                           user_text(r))[1])
                 for r in server.requests if task(r) == kind}
    assert result.exit_code == 0, result.stderr
    sizes = {p.title: len(p.summary.split()) for p in papers()}
    richest, poorest = max(sizes, key=sizes.get), min(sizes, key=sizes.get)
    assert asked[richest] > asked[poorest]
    hosts = resolve_hosts(load_config(), 2 if writer == "dialogue" else 1)
    fill = target_for(load_config(), 6, "en", hosts).words(len(sizes) + 3)  # words six minutes hold
    assert 0.6 * fill < sum(asked.values()) < fill  # most of it; intro, overview and outro take the rest
