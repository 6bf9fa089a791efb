"""Several inputs make one episode: order, sources, episode id from dates, languages, `podcast papers`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import invoke
from podcast.errors import InputError
from podcast.ingest import ingest

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

WEEK = """Weekly Reading Pile — {date}

1. {title}
Summary
{summary}
Paper link
https://arxiv.org/abs/{arxiv}

2. A Companion Paper For Week {n}
Summary
Another short note about a second paper of week {n}, so that the labels recur.
Paper link
https://example.org/week{n}/companion
"""

WEEKS = [("2025/09/01 ~ 07", "Sparse Attention Revisited", "2501.00001"),
         ("2025/09/08 ~ 14", "Tiny Recursive Reasoners", "2501.00002"),
         ("2025/09/15 ~ 21", "Sparse Attention Revisited", "2501.00001"),  # the same paper again
         ("2025/09/22 ~ 28", "Speculative Decoding at Scale", "2501.00004")]


def _weeks(tmp_path: Path) -> list[str]:
    paths = []
    for n, (date, title, arxiv) in enumerate(WEEKS, 1):
        path = tmp_path / f"week{n}.txt"
        summary = f"What week {n} says about {title.lower()}: it is shorter and it works."
        path.write_text(WEEK.format(date=date, title=title, summary=summary, arxiv=arxiv, n=n), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_four_weeklies_make_the_month(tmp_path):
    paths = _weeks(tmp_path)
    episode = ingest(paths)
    assert (episode.id, episode.date, episode.language) == ("2025-09", "2025-09-01", "en")
    assert [p.id for p in episode.papers] == [
        "2501.00001", "a-companion-paper-for-week-1", "2501.00002", "a-companion-paper-for-week-2",
        "a-companion-paper-for-week-3", "2501.00004", "a-companion-paper-for-week-4"]
    assert [p.input for p in episode.papers] == [paths[0]] * 2 + [paths[1]] * 2 + [paths[2]] * 1 + [paths[3]] * 2
    sparse = episode.papers[0]
    assert sparse.summary.startswith("What week 1 says")  # the first arrival wins, the second is merged in
    assert episode.notes == [f"arXiv 2501.00001 is in both {paths[0]} and {paths[2]}: merged into one paper (paper 1)"]


def test_order_is_the_order_of_the_inputs(tmp_path):
    paths = _weeks(tmp_path)
    episode = ingest([paths[3], paths[1]])
    assert [p.input for p in episode.papers] == [paths[3]] * 2 + [paths[1]] * 2
    assert episode.papers[0].title == "Speculative Decoding at Scale"
    assert episode.id == "2025-09"


def test_inputs_across_months_take_the_month_most_of_them_are_in(tmp_path):
    paths = _weeks(tmp_path)
    late = tmp_path / "late.txt"
    late.write_text(Path(paths[0]).read_text(encoding="utf-8").replace("2025/09/01 ~ 07", "2025/10/01 ~ 07"),
                    encoding="utf-8")
    assert ingest([str(late), paths[1], paths[3]]).id == "2025-09"
    assert ingest([str(late), paths[1]]).id == "2025-09"  # a tie: the earlier month


def test_one_weekly_keeps_its_day():
    assert ingest([str(FIXTURES / "digest-en.txt")]).id == "2024-01-15"


def test_files_of_different_formats_combine():
    episode = ingest([str(FIXTURES / "newsletter.txt"), str(FIXTURES / "papers.yaml"), str(FIXTURES / "digest-en.txt")])
    sources = [p.source for p in episode.papers]
    assert sources == ["newsletter"] * 4 + ["structured"] * sources.count("structured") + ["digest"] * 3
    assert episode.intro_text.startswith("Welcome to the Paper Cuts monthly newsletter")
    assert episode.closing_text.startswith("That's all for this week.")  # the last input's closing words
    assert len({p.id for p in episode.papers}) == len(episode.papers)


def test_different_languages_need_language(tmp_path):
    ko, en = str(FIXTURES / "digest-ko.txt"), str(FIXTURES / "digest-en.txt")
    with pytest.raises(InputError) as info:
        ingest([ko, en])
    assert info.value.message == f"the inputs are in different languages ({ko} is ko, {en} is en)"
    assert "--language" in info.value.hint
    episode = ingest([ko, en], language="ko")
    assert episode.language == "ko" and len(episode.papers) == 6


def test_a_missing_input_among_several_is_named_before_anything_is_read(tmp_path):
    paths = _weeks(tmp_path)
    with pytest.raises(InputError) as info:
        ingest([paths[0], str(tmp_path / "week9.txt"), "2501.00001"])
    assert info.value.message == f"not files or arXiv IDs: {str(tmp_path / 'week9.txt')!r}"


def test_papers_command_lists_what_ingest_found(tmp_path):
    paths = _weeks(tmp_path)
    result = invoke("papers", paths[0], paths[1], "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Episode 2025-09 · language en · date 2025-09-01 · 4 papers from 2 inputs"
    assert lines[1:4] == ["1. Sparse Attention Revisited", "   link: https://arxiv.org/abs/2501.00001",
                          f"   summary 14 words · abstract 0 words · from {paths[0]}"]
    assert not (tmp_path / "out").exists()


def test_papers_command_json(tmp_path):
    paths = _weeks(tmp_path)
    result = invoke("papers", *paths, "--json", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["episode"] == "2025-09" and len(data["papers"]) == 7
    first = data["papers"][0]
    assert (first["number"], first["title"], first["link"], first["input"]) == (
        1, "Sparse Attention Revisited", "https://arxiv.org/abs/2501.00001", paths[0])
    assert result.stderr.startswith("note: arXiv 2501.00001 is in both")
    assert not (tmp_path / "out").exists()


def test_papers_command_bad_input_is_one_line(tmp_path):
    path = tmp_path / "diary.txt"
    path.write_text("Dear diary,\nToday I read nothing at all.\n", encoding="utf-8")
    result = invoke("papers", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {path}")


def test_script_command_makes_one_episode_of_several_inputs(tmp_path):
    paths = _weeks(tmp_path)
    out = tmp_path / "out"
    result = invoke("script", *paths, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "note: arXiv 2501.00001 is in both" in result.stderr
    saved = json.loads((out / "2025-09" / "papers.json").read_text(encoding="utf-8"))
    assert [p["input"] for p in saved["papers"]][::2] == [paths[0], paths[1], paths[2], paths[3]]
    script = (out / "2025-09" / "script.md").read_text(encoding="utf-8")
    assert script.index("Sparse Attention Revisited") < script.index("Tiny Recursive Reasoners") \
        < script.index("Speculative Decoding at Scale")
    assert invoke("script", *paths, "--out", str(out), "--episode", "september").exit_code == 0
    assert (out / "september" / "script.md").is_file()


def test_build_refuses_mixed_languages_and_writes_nothing(tmp_path, fake_engine):
    out = tmp_path / "out"
    result = invoke("build", str(FIXTURES / "digest-ko.txt"), str(FIXTURES / "digest-en.txt"), "--engine", "fake",
                    "--out", str(out))
    assert result.exit_code == 2 and "different languages" in result.stderr and "--language" in result.stderr
    assert result.stderr.count("\n") == 1 and not out.exists()


def test_the_same_input_under_another_path_does_not_rewrite_the_script(tmp_path):
    copy = tmp_path / "elsewhere" / "digest-en.txt"
    copy.parent.mkdir()
    copy.write_bytes((FIXTURES / "digest-en.txt").read_bytes())
    out = tmp_path / "out"
    assert invoke("script", str(FIXTURES / "digest-en.txt"), "--out", str(out)).exit_code == 0
    again = invoke("script", str(copy), "--out", str(out))
    assert again.exit_code == 0, again.stderr
    assert "input changed" not in again.stderr and "rewrote" not in again.stderr
    saved = json.loads((out / "2024-01-15" / "papers.json").read_text(encoding="utf-8"))
    assert saved["papers"][0]["input"] == str(copy)


def test_build_makes_one_episode_of_several_inputs(tmp_path, fake_engine):
    paths = _weeks(tmp_path)[:2]
    out = tmp_path / "out"
    result = invoke("build", *paths, "--engine", "fake", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Papers:   4" in result.stdout
    assert (out / "2025-09" / "episode.mp3").is_file()
    timeline = json.loads((out / "2025-09" / "timeline.json").read_text(encoding="utf-8"))
    titles = [entry["title"] for entry in timeline["entries"] if entry["kind"] == "paper"]
    assert titles == ["Sparse Attention Revisited", "A Companion Paper For Week 1", "Tiny Recursive Reasoners",
                      "A Companion Paper For Week 2"]
