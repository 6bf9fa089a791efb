"""Collecting an episode over the month: add, remove, list, and `podcast episode` making it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import invoke as _invoke
from podcast.models import Episode

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
YAML = FIXTURES / "papers.yaml"


def invoke(*args: str):
    return _invoke(*args, catch_exceptions=False)


def papers(episode_id: str) -> list[str]:
    return [p.title for p in Episode.load(Path("output") / episode_id / "papers.json").papers]


def test_add_defaults_to_this_month_and_keeps_summaries(bundled_sample):
    result = invoke("add", str(bundled_sample))
    assert result.exit_code == 0, result.stderr
    month = dt.date.today().strftime("%Y-%m")
    episode = Episode.load(Path("output") / month / "papers.json")
    assert [p.title for p in episode.papers][:1] == ["Attention Is All You Need"]
    assert all(p.summary for p in episode.papers)
    assert f"Episode:  {month} (4 papers, 4 added now)" in result.output


def test_adding_a_paper_twice_gives_a_note_not_a_duplicate(bundled_sample):
    assert invoke("add", str(bundled_sample), "--episode", "ep-1").exit_code == 0
    assert invoke("add", str(YAML), "--episode", "ep-1").exit_code == 0
    again = invoke("add", str(YAML), "--episode", "ep-1")
    assert again.exit_code == 0
    assert "'The Bitter Lesson' is already paper 7 of episode ep-1; not added twice" in again.stderr
    assert "(7 papers, 0 added now)" in again.output
    assert len(papers("ep-1")) == 7


def test_the_same_paper_by_another_link_or_title_case_is_a_duplicate(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"papers": [{"title": "Attention Is All You Need",
                                           "link": "https://arxiv.org/abs/1706.03762", "summary": "A."}]}))
    two = tmp_path / "two.json"
    two.write_text(json.dumps({"papers": [{"title": "ATTENTION is all you need!", "summary": "B."},
                                          {"title": "Other", "link": "http://arxiv.org/abs/1706.03762v5/"}]}))
    assert invoke("add", str(one), "--episode", "e").exit_code == 0
    result = invoke("add", str(two), "--episode", "e")
    assert result.exit_code == 0
    assert papers("e") == ["Attention Is All You Need"]
    assert result.stderr.count("not added twice") == 2


def test_remove_by_number_and_by_id(bundled_sample):
    assert invoke("add", str(bundled_sample), "--episode", "ep").exit_code == 0
    result = invoke("remove", "2", "1706.03762", "--episode", "ep")
    assert result.exit_code == 0, result.stderr
    assert papers("ep") == ["Denoising Diffusion Probabilistic Models",
                            "Language Models are Unsupervised Multitask Learners"]


def test_removing_an_unknown_paper_changes_nothing(bundled_sample):
    assert invoke("add", str(bundled_sample), "--episode", "ep").exit_code == 0
    before = Path("output/ep/papers.json").read_bytes()
    result = invoke("remove", "1", "9", "--episode", "ep")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: episode ep has no paper '9' (give a number from 1 to 4 or an id; see `podcast list ep`)"]
    assert Path("output/ep/papers.json").read_bytes() == before


def test_remove_from_a_missing_episode_writes_nothing():
    result = invoke("remove", "1", "--episode", "nope")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not Path("output").exists()


def test_list_shows_episodes_and_each_papers_progress(bundled_sample, fake_engine):
    assert invoke("add", str(bundled_sample), "--episode", "ep").exit_code == 0
    listed = invoke("list", "ep")
    assert listed.exit_code == 0
    rows = [line.split() for line in listed.output.splitlines()[2:]]
    assert [row[:7] for row in rows] == [[str(n), "input", "-", "-", "-", "-", "-"] for n in range(1, 5)]

    made = invoke("episode", "ep", "--engine", "fake")
    assert made.exit_code == 0, made.stderr
    assert "ingest" in made.output and "off  (not enabled)" in made.output
    rows = [line.split() for line in invoke("list", "ep").output.splitlines()[2:]]
    # no video ([video] enabled is off) and no site (no [feed] base_url): built, not yet published
    assert [row[:7] for row in rows] == [[str(n), "input", "yes", "yes", "yes", "-", "-"] for n in range(1, 5)]

    assert invoke("add", str(YAML), "--episode", "ep").exit_code == 0
    rows = [line.split() for line in invoke("list", "ep").output.splitlines()[2:]]
    assert [row[2:7] for row in rows[4:]] == [["-", "-", "-", "-", "-"]] * 3  # added since the build

    overview = invoke("list")
    assert overview.exit_code == 0
    assert overview.output.splitlines()[1].split()[:2] == ["ep", "7"]


def _list(episode_id: str) -> tuple[list[list[str]], str]:
    """`podcast list ID`: each paper's columns from the number to "pub", and what it says on stderr."""
    listed = invoke("list", episode_id)
    assert listed.exit_code == 0, listed.stderr
    assert listed.output.splitlines()[1].split()[:8] == ["#", "summary", "script", "spoken", "mp3", "video", "pub",
                                                         "title"]
    return [line.split()[:7] for line in listed.output.splitlines()[2:]], listed.stderr


def test_list_shows_which_papers_are_in_the_video_and_published(bundled_sample, fake_engine):
    site = '[feed]\nbase_url = "https://example.com/pod"\n'
    Path("podcast.toml").write_text("[video]\nenabled = true\n" + site)
    assert invoke("add", str(bundled_sample), "--episode", "ep").exit_code == 0
    made = invoke("episode", "ep", "--engine", "fake")
    assert made.exit_code == 0, made.stderr
    rows, notes = _list("ep")
    assert rows == [[str(n), "input", "yes", "yes", "yes", "yes", "yes"] for n in range(1, 5)] and notes == ""

    # Papers added since: in neither; the video and the site still hold the first four as they are.
    assert invoke("add", str(YAML), "--episode", "ep").exit_code == 0
    rows, notes = _list("ep")
    assert [row[2:] for row in rows] == [["yes"] * 5] * 4 + [["-"] * 5] * 3 and notes == ""

    # Rebuilt without the video and without updating the site: the MP3 has all seven, the others are older.
    Path("podcast.toml").write_text('[feed]\nbase_url = "https://example.com/pod"\npublish = false\n')
    made = invoke("episode", "ep", "--engine", "fake")
    assert made.exit_code == 0, made.stderr
    assert (Path("output/ep/episode.mp4")).exists()  # the old video is still there, but not of this MP3
    rows, notes = _list("ep")
    assert [row[2:] for row in rows] == [["yes", "yes", "yes", "-", "-"]] * 7
    assert notes.splitlines() == [
        "note: output/ep/episode.mp4 was made from an earlier MP3; `podcast episode ep` with [video] enabled = true "
        "makes it again", "note: output/public has an earlier MP3 of this episode; `podcast publish` updates it"]

    published = invoke("publish")
    assert published.exit_code == 0, published.stderr
    rows, notes = _list("ep")
    assert [row[2:] for row in rows] == [["yes", "yes", "yes", "-", "yes"]] * 7
    assert notes.splitlines() == [notes.splitlines()[0]] and "episode.mp4" in notes  # the site is current now

    # An episode the feed does not list is not published, whatever files lie in public/.
    feed = Path("output/public/feed.xml")
    feed.write_text(feed.read_text().replace(json.loads(Path("output/ep/published.json").read_text())["guid"], "x"))
    rows, _ = _list("ep")
    assert [row[6] for row in rows] == ["-"] * 7


def test_episode_reruns_only_what_an_added_paper_changes(bundled_sample, fake_engine):
    assert invoke("add", str(bundled_sample), "--episode", "ep").exit_code == 0
    assert invoke("episode", "ep", "--engine", "fake").exit_code == 0
    fake_engine.calls.clear()
    assert invoke("add", str(YAML), "--episode", "ep").exit_code == 0
    dry = invoke("episode", "ep", "--engine", "fake", "--dry-run")
    assert dry.exit_code == 0
    lines = {line.split()[0]: line for line in dry.output.splitlines()[1:]}
    assert "papers.json changed" in lines["script"]
    assert not Path("output/ep/state.json").read_text().count('"runs": 2')  # a dry run changes nothing
    made = invoke("episode", "ep", "--engine", "fake")
    assert made.exit_code == 0
    assert "Segments: 9 (" in made.output
    spoken = " ".join(fake_engine.calls)
    assert "Auto-Encoding" in spoken and "Attention Is All You Need" not in spoken  # old papers came from cache


def test_episode_without_papers_says_how_to_add_some():
    result = invoke("episode", "2031-01")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: episode 2031-01 has no papers (output/2031-01/papers.json does not exist) "
        "(add some first: podcast add FILE|ARXIV-ID --episode 2031-01)"]
    assert not Path("output").exists()
