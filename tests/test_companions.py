"""Captions, chapters JSON and show notes, parsed the way players and browsers read them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from podcast.config import Config
from podcast.files import EpisodeDir
from podcast.models import Episode, Paper, Sentence, Timeline, TimelineEntry
from podcast.publish import chapters_json, cues, show_notes, show_notes_html, to_srt, to_vtt, write_companions

HOSTILE = '<script>alert("x")</script> & "Friends"'
LONG = ("Retrieval-augmented generation with a learned index lets a seven-billion-parameter model match "
        "one ten times its size on open-domain question answering, while cutting latency by forty percent "
        "and memory by half.")


def timeline_for(sentences: list[str], cps: float = 14.0, gap: float = 0.4, title: str = "Paper") -> Timeline:
    """Sentences spoken at ``cps`` characters per second with ``gap`` s between them."""
    out, t = [], 1.0
    for text in sentences:
        out.append(Sentence(round(t, 3), round(t + len(text) / cps, 3), text))
        t += len(text) / cps + gap
    entries = [TimelineEntry("intro", "intro", "Introduction", 0.0, 1.0),
               TimelineEntry("paper-1", "paper", title, 1.0, round(t, 3), "https://arxiv.org/abs/2501.00001", out)]
    return Timeline(round(t + 1, 3), entries)


SENTENCES = ["Short one.", LONG, "A sentence of middling length that needs two lines on screen.",
             "Einsatz für Wörter wie Größenordnung, naïve und coöperation bleibt lesbar.",
             "एक हिंदी वाक्य भी उसी नियम से टूटता है, दो पंक्तियों में।",
             "https://example.org/a/very/long/url/that/has/no/spaces/at/all/and/keeps/going/on/and/on"]


@pytest.mark.parametrize("cps", [11.0, 14.0, 16.5])
def test_cues_fit_two_lines_of_42_and_read_at_17_cps(cps):
    timeline = timeline_for(SENTENCES, cps=cps)
    result = cues(timeline)
    for cue in result:
        assert 1 <= len(cue.lines) <= 2 and all(len(line) <= 42 for line in cue.lines), cue
        assert len(cue.text) / (cue.end - cue.start) <= 17.0 + 1e-6, cue
    assert [c.start for c in result] == sorted(c.start for c in result)
    for cue, following in zip(result, result[1:]):
        assert cue.end <= following.start + 1e-9
    # nothing lost or reordered: the cues read back as the written sentences
    words = " ".join(c.text for c in result).split()
    assert "".join(words) == "".join(" ".join(SENTENCES).split())


def test_a_long_sentence_is_split_in_proportion_to_its_text():
    timeline = timeline_for([LONG])
    result = cues(timeline)
    assert len(result) >= 3
    sentence = timeline.entries[1].sentences[0]
    assert result[0].start == sentence.start
    spans = [(c.end - c.start) / len(c.text) for c in result]
    assert max(spans) - min(spans) < 0.02  # seconds per character, the same for every piece


def test_vtt_and_srt_parse_and_match_the_cues():
    import srt
    import webvtt

    timeline = timeline_for(SENTENCES + [f"The paper {HOSTILE} wins."])
    expected = cues(timeline)
    vtt = webvtt.from_string(to_vtt(timeline))
    assert len(vtt.captions) == len(expected)
    for caption, cue in zip(vtt.captions, expected):
        assert caption.start_in_seconds + caption.start_time.milliseconds / 1000 == pytest.approx(cue.start, abs=0.002)
        assert caption.lines == [line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                                 for line in cue.lines]
    assert "<script>" not in to_vtt(timeline) and "&lt;script&gt;" in to_vtt(timeline)
    subtitles = list(srt.parse(to_srt(timeline)))
    assert [s.index for s in subtitles] == list(range(1, len(expected) + 1))
    assert [s.content for s in subtitles] == ["\n".join(c.lines) for c in expected]
    assert subtitles[0].start.total_seconds() == pytest.approx(expected[0].start, abs=0.001)


def hostile_episode() -> Episode:
    papers = [Paper("2501.00001", HOSTILE, ["https://arxiv.org/abs/2501.00001", "javascript:alert(1)"],
                    summary="Results: <b>bold</b> & more.\n\nSecond paragraph [link](x)."),
              Paper("2501.00002", "Plain", ["https://arxiv.org/abs/2501.00002"], summary="Fine.")]
    return Episode("2025-02", "Show <i>", "en", date="2025-02-01", papers=papers)


def test_hostile_text_is_escaped_in_html_and_markdown_notes():
    from html.parser import HTMLParser

    episode = hostile_episode()
    timeline = timeline_for(["Hello."], title=HOSTILE)
    page = show_notes_html(episode, timeline, Config(), ["Voice: <em>x</em>"])

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.text, self.hrefs = [], [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.hrefs += [v for k, v in attrs if k == "href"]

        def handle_data(self, data):
            self.text.append(data)

    parser = Collect()
    parser.feed(page)
    text = "".join(parser.text)
    assert "script" not in parser.tags and "b" not in parser.tags and "em" not in parser.tags
    assert HOSTILE in text and "<b>bold</b> & more." in text
    assert not any(h.startswith("javascript") for h in parser.hrefs)
    assert "https://arxiv.org/abs/2501.00001" in parser.hrefs
    notes = show_notes(episode, timeline, Config())
    assert "<script>" not in notes and "&lt;script&gt;" in notes and "javascript:" not in notes


def test_chapters_json_is_podcasting_2_0(tmp_path):
    timeline = timeline_for(["Hello."])
    data = json.loads(chapters_json(timeline, "https://example.com/pod/2025-02/cover.jpg"))
    assert data["version"] == "1.2.0"
    first, paper = data["chapters"]
    assert first == {"startTime": 0.0, "endTime": 1.0, "title": "Introduction",
                     "img": "https://example.com/pod/2025-02/cover.jpg"}
    assert paper["url"] == "https://arxiv.org/abs/2501.00001" and paper["startTime"] == 1.0


def test_write_companions_writes_every_file_with_urls_from_base_url(tmp_path):
    config = Config()
    config.set("feed", "base_url", "https://example.com/pod/")
    folder = EpisodeDir(tmp_path / "2025-02")
    episode = hostile_episode()
    write_companions(episode, timeline_for(["Hello."]), folder, config)
    for path in (folder.vtt, folder.srt, folder.notes, folder.notes_html, folder.chapters):
        assert path.is_file(), path
    data = json.loads(folder.chapters.read_text())
    assert data["chapters"][0]["img"] == "https://example.com/pod/2025-02/cover.jpg"
    assert "<title>Show &lt;i&gt;: February 2025</title>" in folder.notes_html.read_text()
