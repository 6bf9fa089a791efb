"""youtube.json: title, description with chapters and links, tags, category, privacy, languages."""

from __future__ import annotations

import re

import pytest

from podcast.config import Config
from podcast.errors import ConfigError
from podcast.models import Episode, Paper, Segment, Timeline, TimelineEntry
from podcast.video.youtube import DESCRIPTION_LIMIT, build_metadata, tags_length

CLOCK = re.compile(r"^(?:(\d+):)?(\d+):(\d\d) (.+)$")


def _episode(titles: list[str], seconds: list[float], language: str = "en", title: str = "") -> tuple:
    papers = [Paper(id=f"2501.{i:05d}", title=t, links=[f"https://arxiv.org/abs/2501.{i:05d}"],
                    categories=["cs.CL", "cs.LG", f"cat-{i}"]) for i, t in enumerate(titles, 1)]
    segments = [Segment("intro", "intro", "Intro", "hi")] + [
        Segment(f"paper-{p.id}", "paper", p.title, "text", paper=p.id) for p in papers] + [
        Segment("outro", "outro", "Outro", "bye")]
    entries, cursor = [], 0.0
    for segment, length in zip(segments, seconds):
        entries.append(TimelineEntry(segment.id, segment.kind, segment.title, cursor, cursor + length))
        cursor += length
    episode = Episode(id="2025-02", show="Paper Cuts", language=language, title=title or "Paper Cuts: February",
                      papers=papers, segments=segments)
    return episode, Timeline(duration=cursor, entries=entries)


def _config(**youtube) -> Config:
    config = Config()
    config.values["youtube"].update(youtube)
    config.values["show"]["website"] = "https://example.org"
    return config


def chapters_of(description: str) -> list[tuple[int, str]]:
    found = []
    for line in description.splitlines():
        match = CLOCK.match(line)
        if match:
            hours, minutes, seconds, title = match.groups()
            found.append((int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds), title))
    return found


def assert_youtube_rules(metadata: dict, duration: float) -> list[tuple[int, str]]:
    snippet, status = metadata["snippet"], metadata["status"]
    assert set(metadata) == {"snippet", "status"}
    assert 0 < len(snippet["title"]) <= 100 and not set("<>") & set(snippet["title"])
    description = snippet["description"]
    assert len(description.encode("utf-8")) <= DESCRIPTION_LIMIT and not set("<>") & set(description)
    found = chapters_of(description)
    if found:
        starts = [s for s, _ in found]
        assert starts[0] == 0 and len(found) >= 3
        assert all(b - a >= 10 for a, b in zip(starts, starts[1:] + [int(duration)]))
    assert tags_length(snippet["tags"]) <= 500
    assert snippet["categoryId"] == "28" and status["privacyStatus"] == "private"
    return found


def test_a_normal_episode_keeps_every_chapter_and_title():
    episode, timeline = _episode([f"Paper number {i}" for i in range(1, 11)], [20.0] + [90.0] * 10 + [15.0])
    metadata = build_metadata(episode, timeline, _config())
    found = assert_youtube_rules(metadata, timeline.duration)
    assert [t for _, t in found] == ["Intro"] + [f"{i}. Paper number {i}" for i in range(1, 11)] + ["Outro"]
    description = metadata["snippet"]["description"]
    assert "https://arxiv.org/abs/2501.00007" in description and "example.org" in description
    assert metadata["snippet"]["defaultLanguage"] == metadata["snippet"]["defaultAudioLanguage"] == "en"


@pytest.mark.parametrize("word", ["Scaling", "확장성과", "<Inject>"])
def test_many_long_titles_shorten_then_merge_until_it_fits(word):
    titles = [f"{word} " * 40 + str(i) for i in range(120)]
    seconds = [12.0] + [30.0 + (i % 7) * 10 for i in range(120)] + [11.0]
    episode, timeline = _episode(titles, seconds, language="ko" if word == "확장성과" else "en")
    metadata = build_metadata(episode, timeline, _config())
    found = assert_youtube_rules(metadata, timeline.duration)
    assert 3 <= len(found) < 122  # merged, but chapters remain
    assert metadata["snippet"]["defaultLanguage"] == ("ko" if word == "확장성과" else "en")


def test_titles_are_shortened_before_any_chapter_is_merged():
    titles = [("Long title words " * 12) + str(i) for i in range(40)]
    episode, timeline = _episode(titles, [15.0] + [60.0] * 40 + [15.0])
    found = assert_youtube_rules(build_metadata(episode, timeline, _config()), timeline.duration)
    assert len(found) == 42 and all(len(t) < 100 for _, t in found) and found[5][1].endswith("…")


def test_short_segments_join_a_neighbour_and_too_few_chapters_means_none():
    episode, timeline = _episode(["A", "B", "C", "D"], [4.0, 30.0, 3.0, 40.0, 25.0, 2.0])
    found = assert_youtube_rules(build_metadata(episode, timeline, _config()), timeline.duration)
    assert [s for s, _ in found] == [0, 37, 77]
    episode, timeline = _episode(["Only"], [5.0, 30.0, 5.0])
    metadata = build_metadata(episode, timeline, _config())
    assert chapters_of(metadata["snippet"]["description"]) == []
    assert "Chapters:" not in metadata["snippet"]["description"]


def test_title_limit_and_angle_brackets():
    episode, timeline = _episode(["A", "B", "C"], [20.0] * 5, title="<b>Episode</b> " + "very long words " * 20)
    metadata = build_metadata(episode, timeline, _config())
    assert_youtube_rules(metadata, timeline.duration)
    assert metadata["snippet"]["title"].startswith("‹b›Episode")


def test_tags_stay_under_500_characters_and_config_tags_win():
    episode, timeline = _episode([f"P{i}" for i in range(200)], [20.0] * 202)
    tags = build_metadata(episode, timeline, _config())["snippet"]["tags"]
    assert tags[0] == "Paper Cuts" and "cs.CL" in tags and tags_length(tags) <= 500 and len(tags) < 200
    assert len(tags) == len({t.lower() for t in tags})
    custom = build_metadata(episode, timeline, _config(tags=["AI", " papers ", "", "deep learning"]))["snippet"]["tags"]
    assert custom == ["AI", "papers", "deep learning"]


def test_privacy_category_and_schedule():
    episode, timeline = _episode(["A", "B", "C"], [20.0] * 5)
    scheduled = build_metadata(episode, timeline, _config(publish_at="2030-03-01T10:00:00+01:00"))
    assert scheduled["status"] == {"privacyStatus": "private", "selfDeclaredMadeForKids": False,
                                   "publishAt": "2030-03-01T09:00:00Z"}
    unlisted = build_metadata(episode, timeline, _config(privacy="unlisted"))
    assert unlisted["status"]["privacyStatus"] == "unlisted" and "publishAt" not in unlisted["status"]
    for options, message in [({"privacy": "secret"}, "youtube.privacy"),
                             ({"privacy": "public", "publish_at": "2030-01-01T00:00:00Z"}, "publish_at"),
                             ({"publish_at": "next tuesday"}, "ISO 8601"),
                             ({"publish_at": "2030-01-01T00:00:00"}, "time zone"),
                             ({"category": "science"}, "category")]:
        with pytest.raises(ConfigError, match=message):
            build_metadata(episode, timeline, _config(**options))


def test_an_untitled_episode_is_named_as_the_feed_and_tags_name_it():
    from podcast.titles import episode_title

    episode, timeline = _episode(["One", "Two", "Three"], [60, 60, 60])
    episode.title, episode.date, episode.show = "", "2025-02-01", "Paper Cuts"
    metadata = build_metadata(episode, timeline, _config())
    assert metadata["snippet"]["title"] == episode_title(episode) == "Paper Cuts: February 2025"
