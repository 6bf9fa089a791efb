"""The stage runner: state.json records each stage, unchanged stages are reused, and only what depends
on a change reruns (asserted through state.json's run numbers, never through timing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import invoke as _invoke
from podcast.pipeline import STAGES, Stage, register

CORE = ["ingest", "summarize", "script", "speak", "master", "publish"]
FOLDER = Path("output/2025-03")


def invoke(*args: str):
    return _invoke(*args, catch_exceptions=False)


def state() -> dict:
    return json.loads((FOLDER / "state.json").read_text())


def rerun_stages() -> list[str]:
    """The stages whose record was made by the latest run, in run order."""
    data = state()
    return [name for name in STAGES.names() if data["stages"].get(name, {}).get("run") == data["runs"]]


def build(sample, *extra):
    result = invoke("build", str(sample), "--engine", "fake", *extra)
    assert result.exit_code == 0, result.stderr
    return result


def test_the_core_stages_in_order():
    assert [n for n in STAGES.names() if n in CORE] == CORE


def test_state_records_every_stage_with_fingerprint_outputs_and_time(bundled_sample, fake_engine):
    result = build(bundled_sample)
    data = state()
    assert data["runs"] == 1 and data["unfinished"] == []
    assert set(data["stages"]) == {"ingest", "script", "speak", "master", "publish"}  # summarize was not asked
    for name, record in data["stages"].items():
        assert len(record["fingerprint"]) == 16 and record["seconds"] >= 0 and record["run"] == 1
        for output in record["outputs"]:
            assert (FOLDER / output).exists() or Path(output).exists(), (name, output)
    assert data["stages"]["master"]["outputs"] == ["episode.mp3", "timeline.json", "mastering.json"]
    assert set(data["stages"]["publish"]["outputs"]) == {"transcript.vtt", "transcript.srt", "show-notes.md",
                                                         "show-notes.html", "chapters.json"}
    assert "Stages:   5 ran, 0 reused" in result.output


def test_an_unchanged_rebuild_reruns_nothing(bundled_sample, fake_engine):
    build(bundled_sample)
    before = state()["stages"]
    again = build(bundled_sample)
    assert rerun_stages() == []
    assert state()["stages"] == before
    assert "Stages:   0 ran, 5 reused" in again.output
    assert fake_engine.calls[len(fake_engine.calls):] == []


def test_a_mastering_setting_reruns_master_and_publish_only(bundled_sample, fake_engine):
    build(bundled_sample)
    Path("podcast.toml").write_text("[audio]\npause = 2.0\n")
    build(bundled_sample)
    assert rerun_stages() == ["master", "publish"]


def test_a_show_description_reruns_master_and_publish(bundled_sample, fake_engine):
    build(bundled_sample)
    Path("podcast.toml").write_text('[show]\ndescription = "Another description."\n')
    build(bundled_sample)
    assert rerun_stages() == ["master", "publish"]
    assert "Another description." in (FOLDER / "show-notes.md").read_text()


def test_editing_one_segment_reruns_script_speak_master_publish(bundled_sample, fake_engine):
    build(bundled_sample)
    script = FOLDER / "script.md"
    script.write_text(script.read_text().replace("First up:", "Our first paper:"))
    fake_engine.calls.clear()
    dry = invoke("episode", "2025-03", "--dry-run", "--engine", "fake")
    assert dry.exit_code == 0, dry.stderr
    assert "speak" in dry.output and "1 segment changed" in dry.output
    build(bundled_sample)
    assert rerun_stages() == ["script", "speak", "master", "publish"]
    assert len(fake_engine.calls) == 1 and fake_engine.calls[0].startswith("Our first paper:")


def test_a_comment_in_the_script_does_not_respeak(bundled_sample, fake_engine):
    build(bundled_sample)
    script = FOLDER / "script.md"
    script.write_text(script.read_text() + "\n<!-- a note to myself -->\n")
    build(bundled_sample)
    assert rerun_stages() == ["script"]  # it re-read the script; the speech and the MP3 are the same


def test_a_deleted_output_reruns_its_stage_only(bundled_sample, fake_engine):
    build(bundled_sample)
    (FOLDER / "transcript.srt").unlink()
    build(bundled_sample)
    assert rerun_stages() == ["publish"]
    assert (FOLDER / "transcript.srt").is_file()


def test_a_changed_input_reruns_from_ingest(bundled_sample, fake_engine, tmp_path):
    changed = tmp_path / "newsletter.txt"
    changed.write_text(bundled_sample.read_text())
    build(changed)
    changed.write_text(changed.read_text().replace("Attention Is All You Need", "Attention Is Still All You Need"))
    build(changed)
    assert rerun_stages() == ["ingest", "script", "speak", "master", "publish"]


class _Counter(Stage):
    """A stage added by a test, as a later issue adds one: nothing else is edited."""

    name = "count-words"
    label = "Counting words"
    after = ("publish",)
    reads = ("show-notes.md",)
    writes = ("words.txt",)
    runs = 0

    def run(self, ctx):
        type(self).runs += 1
        words = len((ctx.folder.root / "show-notes.md").read_text().split())
        (ctx.folder.root / "words.txt").write_text(f"{words}\n")
        return {"words": words}


@pytest.fixture
def counter_stage():
    register(_Counter)
    _Counter.runs = 0
    yield _Counter
    STAGES.unregister(_Counter.name)


def test_a_new_stage_plugs_in_without_touching_the_runner(bundled_sample, fake_engine, counter_stage):
    build(bundled_sample)
    assert STAGES.names().index("count-words") > STAGES.names().index("publish")
    assert counter_stage.runs == 1 and (FOLDER / "words.txt").is_file()
    assert state()["stages"]["count-words"]["data"]["words"] > 10
    build(bundled_sample)
    assert counter_stage.runs == 1  # unchanged: reused
    Path("podcast.toml").write_text('[show]\ndescription = "Changed."\n')
    build(bundled_sample)
    assert counter_stage.runs == 2
    assert rerun_stages() == ["master", "publish", "count-words"]


def test_a_files_hash_is_kept_for_the_run_until_the_file_is_replaced(tmp_path, monkeypatch):
    """Each file is hashed once per run, yet an output rewritten in place (same size and time) is seen as new."""
    import os

    from podcast import files
    from podcast.config import Config
    from podcast.pipeline.context import Context

    calls = []
    real = files.file_digest
    monkeypatch.setattr("podcast.pipeline.context.file_digest", lambda path: calls.append(path) or real(path))
    ctx = Context(config=Config())
    path = tmp_path / "episode.mp3"
    files.atomic_write_bytes(path, b"first")
    first = ctx.file_digest(path)
    assert ctx.file_digest(path) == first and len(calls) == 1
    stamp = path.stat().st_mtime_ns
    files.atomic_write_bytes(path, b"other")  # as a stage writes: beside, then renamed into place
    os.utime(path, ns=(stamp, stamp))
    assert ctx.file_digest(path) != first and len(calls) == 2
