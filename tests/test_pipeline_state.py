"""What a rerun keeps: the script's writer, LLM summaries, flags; and choices checked before writing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import invoke as _invoke
from podcast.models import Episode, Segment
from podcast.writers.base import WRITERS, Writer
from podcast.writers.reading import paper_segment_id

INPUT = [{"title": "Attention Is All You Need", "link": "https://arxiv.org/abs/1706.03762",
          "summary": "Transformers use attention alone."},
         {"title": "Denoising Diffusion Probabilistic Models", "link": "https://arxiv.org/abs/2006.11239"}]


class StubWriter(Writer):
    """A writer with a recognizable voice, a summarizer, and one faithfulness flag."""

    name = "stub"
    calls = 0

    def summarize(self, episode: Episode, progress=None) -> None:
        for paper in episode.papers:
            if not paper.summary:
                paper.summary = f"A stub summary of {paper.title}."

    def write(self, episode: Episode, progress=None) -> list[Segment]:
        StubWriter.calls += 1
        segments = [Segment("intro", "intro", "Introduction", "Stub intro.")]
        for paper in episode.papers:
            segments.append(Segment(paper_segment_id(paper.id), "paper", paper.title,
                                    f"Stub commentary on {paper.title}. {paper.summary}", paper=paper.id,
                                    flags=["unsupported number: 42"]))
        return segments + [Segment("outro", "outro", "Outro", "Stub outro.")]


@pytest.fixture
def stub_writer():
    WRITERS.register(StubWriter)
    StubWriter.calls = 0
    yield StubWriter
    WRITERS.unregister("stub")


@pytest.fixture
def papers_file(tmp_path) -> Path:
    path = tmp_path / "papers.json"
    path.write_text(json.dumps({"date": "2025-04-01", "papers": INPUT}))
    return path


def invoke(*args: str):
    return _invoke(*args, catch_exceptions=False)


def test_plain_build_keeps_the_writer_of_the_existing_script(stub_writer, fake_engine, papers_file):
    assert invoke("script", str(papers_file), "--writer", "stub", "--summarize").exit_code == 0
    result = invoke("build", str(papers_file), "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    assert "rewrote" not in result.stderr
    assert stub_writer.calls == 1  # the script was reused, not rewritten by the default writer
    state = json.loads(Path("output/2025-04/script.json").read_text())
    assert state["writer"] == "stub"
    assert any(call.startswith("Stub commentary") for call in fake_engine.calls)


def test_summaries_survive_the_next_run(stub_writer, fake_engine, papers_file):
    assert invoke("script", str(papers_file), "--writer", "stub", "--summarize").exit_code == 0
    assert invoke("build", str(papers_file), "--engine", "fake").exit_code == 0
    papers = Episode.load(Path("output/2025-04/papers.json")).papers
    assert papers[1].summary == "A stub summary of Denoising Diffusion Probabilistic Models."
    assert papers[0].summary == "Transformers use attention alone."
    notes = Path("output/2025-04/show-notes.md").read_text()
    assert "A stub summary of Denoising Diffusion Probabilistic Models." in notes
    assert stub_writer.calls == 1


def test_a_changed_input_rewrites_an_unedited_script_and_says_so(stub_writer, papers_file):
    assert invoke("script", str(papers_file), "--writer", "stub").exit_code == 0
    data = json.loads(papers_file.read_text())
    data["papers"][0]["summary"] = "Transformers use attention alone, and train fast."
    papers_file.write_text(json.dumps(data))
    result = invoke("script", str(papers_file))
    assert result.exit_code == 0
    assert "because the input changed" in result.stderr
    assert json.loads(Path("output/2025-04/script.json").read_text())["writer"] == "stub"


def test_flags_disappear_when_their_segment_is_edited(stub_writer, papers_file):
    assert invoke("script", str(papers_file), "--writer", "stub").exit_code == 0
    preview = json.loads(invoke("preview", "output/2025-04", "--json").output)
    flagged = {s["id"] for s in preview["segments"] if s["flags"]}
    assert flagged == {"paper-1706.03762", "paper-2006.11239"}
    script = Path("output/2025-04/script.md")
    script.write_text(script.read_text().replace("Stub commentary on Attention", "Commentary on Attention"))
    preview = json.loads(invoke("preview", "output/2025-04", "--json").output)
    assert {s["id"] for s in preview["segments"] if s["flags"]} == flagged - {"paper-1706.03762"}


@pytest.mark.parametrize("option", [("--language", "xx"), ("--engine", "nope"), ("--voice", "nope"),
                                    ("--writer", "nope")])
def test_bad_choices_fail_before_anything_is_written(papers_file, tmp_path, option):
    result = invoke("build", str(papers_file), *option, "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_missing_api_key_fails_before_anything_is_written(papers_file, tmp_path):
    result = invoke("build", str(papers_file), "--engine", "openai", "--out", str(tmp_path / "out"))
    assert result.exit_code != 0 and "OPENAI_API_KEY" in result.stderr
    assert not (tmp_path / "out").exists()


def test_region_codes_are_reduced_to_the_language(papers_file):
    assert invoke("script", str(papers_file), "--language", "en-US").exit_code == 0
    assert Episode.load(Path("output/2025-04/papers.json")).language == "en"
