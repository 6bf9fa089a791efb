"""`podcast build` and `podcast script` end to end, offline, with the FakeEngine for speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from conftest import invoke as _invoke
from podcast.models import Episode, Timeline

TITLES = ["Attention Is All You Need", "LoRA: Low-Rank Adaptation of Large Language Models",
          "Denoising Diffusion Probabilistic Models", "Language Models are Unsupervised Multitask Learners"]


def invoke(*args: str):
    return _invoke(*args, catch_exceptions=False)


def test_build_writes_a_tagged_episode_with_every_paper_in_order(bundled_sample, fake_engine):
    result = invoke("build", str(bundled_sample), "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    folder = Path("output/2025-03")  # the sample's date gives the episode id
    assert "Papers:   4" in result.output
    assert "Segments: 6 (6 spoken now, 0 from cache)" in result.output
    assert f"MP3:      {folder / 'episode.mp3'}" in result.output
    report = json.loads((folder / "mastering.json").read_text())
    assert (f"Audio:    {report['integrated_lufs']:.1f} LUFS, LRA {report['loudness_range_lu']:.1f} LU, true peak "
            f"{report['true_peak_dbtp']:.1f} dBTP, 96 kb/s mono 44.1 kHz") in result.output

    episode = Episode.load(folder / "papers.json")
    assert [p.title for p in episode.papers] == TITLES
    tags = ID3(folder / "episode.mp3")
    toc = tags.getall("CTOC")[0]
    chapters = [str(tags[f"CHAP:{c}"].sub_frames["TIT2"]) for c in toc.child_element_ids]
    assert chapters == ["Introduction", *TITLES, "Outro"]
    assert str(tags["TALB"]) == "Paper Cuts" and str(tags["TCON"]) == "Podcast"
    assert str(tags["TDRC"]) == "2025-03-01"
    timeline = Timeline.load(folder / "timeline.json")
    assert abs(MP3(folder / "episode.mp3").info.length - timeline.duration) < 0.1
    assert f"Duration: {int(timeline.duration // 60)}:" in result.output
    spoken = " ".join(fake_engine.calls)
    assert "http" not in spoken and "**" not in spoken and "$" not in spoken
    for name in ("script.md", "script.json", "speech.json", "transcript.vtt", "transcript.srt", "show-notes.md",
                 "show-notes.html", "chapters.json", "mastering.json"):
        assert (folder / name).is_file(), name
    assert not [p for p in folder.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_rebuild_speaks_nothing_and_reuses_the_script(bundled_sample, fake_engine):
    assert invoke("build", str(bundled_sample), "--engine", "fake").exit_code == 0
    fake_engine.calls.clear()
    again = invoke("build", str(bundled_sample), "--engine", "fake")
    assert again.exit_code == 0
    assert "Segments: 6 (0 spoken now, 6 from cache)" in again.output
    assert "episode.mp3 is up to date" in again.stderr
    assert fake_engine.calls == []


def test_changed_settings_master_again(bundled_sample, fake_engine, tmp_path):
    assert invoke("build", str(bundled_sample), "--engine", "fake").exit_code == 0
    mp3 = Path("output/2025-03/episode.mp3")
    before = MP3(mp3).info.length
    Path("podcast.toml").write_text("[audio]\npause = 2.5\n")
    again = invoke("build", str(bundled_sample), "--engine", "fake")
    assert again.exit_code == 0
    assert "up to date" not in again.stderr
    assert "Segments: 6 (0 spoken now, 6 from cache)" in again.output
    assert MP3(mp3).info.length == pytest.approx(before + 5 * 1.6, abs=0.1)  # five gaps, each 1.6 s longer


def test_episode_and_out_options(bundled_sample, fake_engine, tmp_path):
    result = invoke("build", str(bundled_sample), "--engine", "fake", "--episode", "special-1", "--out",
                    str(tmp_path / "eps"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "eps" / "special-1" / "episode.mp3").is_file()


def test_hand_edits_are_kept_and_only_force_overwrites(bundled_sample):
    assert invoke("script", str(bundled_sample)).exit_code == 0
    script = Path("output/2025-03/script.md")
    script.write_text(script.read_text().replace("First up:", "Our first paper, a classic:"))

    refused = invoke("script", str(bundled_sample))
    assert refused.exit_code == 2
    assert "has hand edits; not overwriting it" in refused.stderr and "--force" in refused.stderr
    assert "Our first paper, a classic:" in script.read_text()

    forced = invoke("script", str(bundled_sample), "--force")
    assert forced.exit_code == 0
    assert "replacing your hand edits" in forced.stderr
    assert "Our first paper, a classic:" not in script.read_text()
    state = json.loads(Path("output/2025-03/script.json").read_text())
    assert state["writer"] == "reading"


def test_build_uses_an_edited_script_and_says_so(bundled_sample, fake_engine):
    assert invoke("script", str(bundled_sample)).exit_code == 0
    script = Path("output/2025-03/script.md")
    script.write_text(script.read_text().replace("First up:", "Our first paper, a classic:"))
    result = invoke("build", str(bundled_sample), "--engine", "fake")
    assert result.exit_code == 0
    assert "using your edited" in result.stderr
    assert any(call.startswith("Our first paper, a classic:") for call in fake_engine.calls)


def test_malformed_script_is_a_clear_error(bundled_sample, fake_engine):
    assert invoke("script", str(bundled_sample)).exit_code == 0
    script = Path("output/2025-03/script.md")
    script.write_text(script.read_text().replace("## [paper-2106.09685]", "## [paper-nonexistent]"))
    result = invoke("build", str(bundled_sample), "--engine", "fake")
    assert result.exit_code == 2
    assert "unknown segment id [paper-nonexistent]" in result.stderr
    assert not Path("output/2025-03/episode.mp3").exists()


def test_a_hindi_digest_gets_hindi_chapters_and_phrases(fake_engine):
    digest = Path(__file__).parent / "fixtures" / "ingest" / "digest-hi.txt"
    result = invoke("build", str(digest), "--engine", "fake", "--episode", "hi-1")
    assert result.exit_code == 0, result.stderr
    tags = ID3(Path("output/hi-1/episode.mp3"))
    chapters = [str(tags[f"CHAP:{c}"].sub_frames["TIT2"]) for c in tags.getall("CTOC")[0].child_element_ids]
    assert chapters[0] == "परिचय" and chapters[-1] == "समापन"
    assert str(tags["TLAN"]) == "hi"
    assert fake_engine.calls[0].startswith("Paper Cuts में आपका स्वागत है")


class _StopsAfter:
    """Mixed into FakeEngine: raises ``error`` on the third synthesis, as a Ctrl-C or a full disk would."""

    error: BaseException = KeyboardInterrupt()
    count = 0

    def synthesize(self, text):
        type(self).count += 1
        if type(self).count == 3:
            raise type(self).error
        return super().synthesize(text)


@pytest.mark.parametrize("error, code, message", [
    (KeyboardInterrupt(), 130, "error: interrupted; finished segments are cached, run the same command again to resume"),
    (OSError(28, "No space left on device", "/disk/full"), 9,
     "error: the disk is full: /disk/full (free some space on it, or write elsewhere with --out, then run the same "
     "command again: finished work is kept and reused)"),
])
def test_an_interrupted_build_says_so_in_one_line_and_resumes(bundled_sample, fake_engine, error, code, message):
    from podcast.speech.base import ENGINES

    stopping = type("fake", (_StopsAfter, fake_engine), {"error": error, "count": 0})
    ENGINES.register(stopping)
    result = _invoke("build", str(bundled_sample), "--engine", "fake")
    assert result.exit_code == code
    assert result.stderr.strip().splitlines() == [message]
    assert not Path("output/2025-03/episode.mp3").exists()

    spoken_before_the_stop = list(fake_engine.calls)
    assert len(spoken_before_the_stop) == 2

    ENGINES.register(fake_engine)
    fake_engine.calls.clear()
    resumed = invoke("build", str(bundled_sample), "--engine", "fake")
    assert resumed.exit_code == 0
    assert not set(spoken_before_the_stop) & set(fake_engine.calls)  # those came from the cache
    assert "Segments: 6 (5 spoken now, 1 from cache)" in resumed.output  # the intro was whole; paper 1 half
