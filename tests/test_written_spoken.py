"""script.md holds the written text; each sentence is made speakable at speak time, and the timeline keeps both."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import invoke as _invoke
from podcast.models import Timeline

NEWSLETTER = Path(__file__).parent / "fixtures" / "spoken" / "newsletter.txt"
FOLDER = Path("output/2025-06")


def invoke(*args: str):
    return _invoke(*args, catch_exceptions=False)


def test_script_is_written_and_the_engine_gets_the_spoken_form(fake_engine):
    result = invoke("build", str(NEWSLETTER), "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    script = (FOLDER / "script.md").read_text()
    assert "GPT-4o and Llama-3.1-8B both use 22B tokens" in script  # as written, for people to edit
    assert "LLMs' habit" in script and "L L M" not in script
    heard = "\n".join(fake_engine.calls)
    assert "both use twenty-two billion tokens" in heard and "G P T four" in heard
    assert not re.search(r"\d|https?://|LLMs", heard)

    timeline = Timeline.load(FOLDER / "timeline.json")
    sentences = [s for entry in timeline.entries for s in entry.sentences]
    paper = next(s for s in sentences if s.text.startswith("GPT-4o and Llama-3.1-8B"))
    assert paper.spoken.startswith("G P T four") and "twenty-two billion tokens" in paper.spoken
    assert all(s.spoken and s.text for s in sentences)
    assert all(a.end <= b.start + 1e-6 for a, b in zip(sentences, sentences[1:]))  # in order, no overlap
    captions = " ".join((FOLDER / "transcript.vtt").read_text().split())  # cues wrap at 42 characters
    assert "GPT-4o and Llama-3.1-8B both use 22B tokens" in captions  # captions show what was written
    assert "G P T" not in captions and "twenty-two billion" not in captions


def test_an_edit_respeaks_only_its_segment_and_keeps_the_cache_keyed_by_spoken_text(fake_engine):
    assert invoke("build", str(NEWSLETTER), "--engine", "fake").exit_code == 0
    script = FOLDER / "script.md"
    script.write_text(script.read_text().replace("We study LLMs' habit", "We study the LLMs' habit"))
    fake_engine.calls.clear()
    result = invoke("build", str(NEWSLETTER), "--engine", "fake")
    assert result.exit_code == 0 and "using your edited" in result.stderr
    assert fake_engine.calls and all("the L L M" in call for call in fake_engine.calls)
    keys = json.loads((FOLDER / "speech.json").read_text())["segments"]
    assert len(keys) == 4
    # an edit that changes only the written form (not what is said) reuses the audio
    script.write_text(script.read_text().replace("We study the LLMs' habit", "We study the LLMs’ habit"))
    fake_engine.calls.clear()
    assert invoke("build", str(NEWSLETTER), "--engine", "fake").exit_code == 0
    assert fake_engine.calls == []
    captions = " ".join((FOLDER / "transcript.vtt").read_text().split())
    assert "We study the LLMs’ habit" in captions


def test_a_script_written_by_the_old_version_still_builds(fake_engine):
    """Before, script.md held the spoken text; normalizing it again changes nothing a voice says."""
    assert invoke("script", str(NEWSLETTER)).exit_code == 0
    script = FOLDER / "script.md"
    old = ("## [paper-2506.01001] Sparse MoE Layers for RNNs: 3.5x Faster\n\n"
           "Next up: Sparse MoE Layers for R N N's, three point five times Faster.\n\n"
           "We study L L M's habit of overthinking. G P T four and R A-G use twenty-two billion tokens.")
    text = script.read_text()
    start = text.index("## [paper-2506.01001]")
    end = text.index("## [paper-2506.01002]")
    script.write_text(text[:start] + old + "\n\n" + text[end:])
    result = invoke("build", str(NEWSLETTER), "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    heard = next(c for c in fake_engine.calls if c.startswith("Next up: Sparse"))
    assert heard == ("Next up: Sparse M O E Layers for R N N's, three point five times Faster.\n\n"
                     "We study L L M's habit of overthinking.\n\nG P T four and R A-G use twenty-two billion tokens.")


def test_outro_points_to_the_show_notes_and_cut_off_summaries_warn(fake_engine):
    assert invoke("script", str(NEWSLETTER)).exit_code == 0
    script = (FOLDER / "script.md").read_text()
    assert "The code for every figure is here, linked in the show notes." in script
    result = _invoke("preview", str(FOLDER), "--engine", "fake", "--json")
    data = {s["id"]: s for s in json.loads(result.stdout)["segments"]}
    cut = data["paper-2506.01002"]
    assert cut["cut_off"] == ["stopped right in the middle of"]
    assert any(w.startswith("cut off mid-sentence: “…stopped right in the middle of”") for w in cut["warnings"])
    assert all(not s["cut_off"] for k, s in data.items() if k != "paper-2506.01002")


def test_intro_welcomes_once_and_says_the_newsletter_header_naturally(fake_engine):
    assert invoke("script", str(NEWSLETTER)).exit_code == 0
    script = (FOLDER / "script.md").read_text()
    intro = script.split("## [intro] Introduction\n\n", 1)[1].split("\n\n## ", 1)[0]
    assert intro.count("Welcome") == 1 and intro.startswith("Welcome to Paper Cuts. This is the episode for June 2025")
    assert "The papers come from the Margin Notes newsletter, where we skim a few papers every month." in intro
    assert "The newsletter was written by a tired human on 2025-06-01." in intro
