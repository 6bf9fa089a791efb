"""`podcast publish`: the feed parses, enclosures match files, GUIDs never change, input stays escaped."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import invoke
from podcast.publish.feed import podcast_guid

HOSTILE = '<script>alert("x")</script> & "Friends"'
BASE = "https://pod.example.org/paper-cuts"


def newsletter(path: Path, month: str, titles: list[str]) -> Path:
    """A small newsletter of our own with the given paper titles."""
    lines = [f"Paper Cuts — {month}", "", "A short monthly digest.", ""]
    for i, title in enumerate(titles, 1):
        lines += [f"# {title}", f"https://arxiv.org/abs/2502.{i:05d}", "",
                  f"This paper studies problem number {i}. It reports a clear improvement over the baseline.", ""]
    lines += ["Thanks for reading!", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def site(fake_engine, tmp_path):
    """Two built episodes (one with a hostile title) and a config with a base URL."""
    Path("podcast.toml").write_text(f'[show]\nemail = "host@example.org"\n[feed]\nbase_url = "{BASE}/"\n')
    first = newsletter(tmp_path / "jan.txt", "2025-01-15", [HOSTILE, "Sparse Mixtures at Scale"])
    for path, episode in ((first, "2025-01"),):
        result = invoke("build", str(path), "--engine", "fake", "--episode", episode)
        assert result.exit_code == 0, result.stderr
    return tmp_path


def feed_items(path: Path):
    import feedparser

    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def test_feed_parses_with_every_required_tag(site):
    from lxml import etree

    result = invoke("publish")
    assert result.exit_code == 0, result.stderr
    public = Path("output/public")
    assert f"Feed:     {BASE}/feed.xml" in result.output
    parsed = feed_items(public / "feed.xml")
    tree = etree.parse(str(public / "feed.xml"))
    ns = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd", "podcast": "https://podcastindex.org/namespace/1.0",
          "content": "http://purl.org/rss/1.0/modules/content/"}
    channel = tree.find("channel")
    for tag in ("title", "description", "language", "link", "itunes:image", "itunes:category", "itunes:explicit",
                "itunes:author", "itunes:owner", "podcast:guid", "podcast:locked"):
        assert channel.find(tag, ns) is not None, tag
    assert channel.find("itunes:image", ns).get("href") == f"{BASE}/cover.jpg"
    assert channel.find("podcast:guid", ns).text == podcast_guid(f"{BASE}/feed.xml")
    assert channel.find("podcast:locked", ns).get("owner") == "host@example.org"
    assert channel.find("itunes:owner/itunes:email", ns).text == "host@example.org"
    item = channel.find("item")
    for tag in ("title", "enclosure", "guid", "pubDate", "itunes:duration", "itunes:episode", "description",
                "content:encoded", "podcast:chapters"):
        assert item.find(tag, ns) is not None, tag
    transcripts = {t.get("type"): t.get("url") for t in item.findall("podcast:transcript", ns)}
    assert transcripts == {"text/vtt": f"{BASE}/2025-01/transcript.vtt",
                           "application/x-subrip": f"{BASE}/2025-01/transcript.srt"}
    entry = parsed.entries[0]
    assert entry.title == "Paper Cuts: January 2025"
    assert entry.enclosures[0].href == f"{BASE}/2025-01/episode.mp3"
    assert entry.enclosures[0].type == "audio/mpeg"
    chapters = json.loads((public / "2025-01" / "chapters.json").read_text())
    assert chapters["version"] == "1.2.0" and chapters["chapters"][1]["title"] == HOSTILE
    assert chapters["chapters"][1]["url"] == "https://arxiv.org/abs/2502.00001"
    assert chapters["chapters"][0]["img"] == f"{BASE}/2025-01/cover.jpg"
    every_url = [e.get("url") or e.get("href") for e in tree.iter() if e.get("url") or e.get("href")]
    assert all(u.startswith(BASE + "/") for u in every_url), every_url
    for path in public.rglob("*"):
        assert path.name.isascii(), path


def test_enclosure_lengths_equal_file_sizes_and_files_sit_beside_the_page(site):
    assert invoke("publish").exit_code == 0
    public = Path("output/public")
    for entry in feed_items(public / "feed.xml").entries:
        local = public / entry.enclosures[0].href[len(BASE) + 1:]
        assert int(entry.enclosures[0].length) == local.stat().st_size
        assert os.path.samefile(local, Path("output") / local.parent.name / "episode.mp3")  # a hard link
        for name in ("index.html", "chapters.json", "transcript.vtt", "transcript.srt", "cover.jpg"):
            assert (local.parent / name).is_file(), name


def test_publishing_again_after_a_new_episode_adds_it_and_changes_nothing_else(site, tmp_path):
    Path("podcast.toml").write_text(f'[feed]\nbase_url = "{BASE}/"\npublish = false\n')  # builds leave the site
    assert invoke("publish").exit_code == 0
    public = Path("output/public")
    before = feed_items(public / "feed.xml").entries[0]
    files = {p: p.read_bytes() for p in (public / "2025-01").iterdir()}
    times = {p: p.stat().st_mtime_ns for p in files}
    second = newsletter(tmp_path / "feb.txt", "2025-02-15", ["Faster Attention", "Smaller Models"])
    assert invoke("build", str(second), "--engine", "fake", "--episode", "2025-02").exit_code == 0
    again = invoke("publish")
    assert again.exit_code == 0 and "1 new" in again.output
    entries = feed_items(public / "feed.xml").entries
    assert [e.title for e in entries] == ["Paper Cuts: February 2025", "Paper Cuts: January 2025"]  # newest first
    old = entries[1]
    assert (old.id, old.enclosures[0].href, old.enclosures[0].length, old.published) == (
        before.id, before.enclosures[0].href, before.enclosures[0].length, before.published)
    assert entries[0].id != old.id and entries[0].itunes_episode == "2" and old.itunes_episode == "1"
    assert {p: p.read_bytes() for p in files} == files
    assert {p: p.stat().st_mtime_ns for p in files} == times  # not even rewritten
    index = (public / "index.html").read_text()
    assert index.index("2025-02/index.html") < index.index("2025-01/index.html")
    third = invoke("publish")
    assert "0 files written" in third.output


def test_guids_are_stable_even_if_the_site_is_published_elsewhere(site):
    assert invoke("publish").exit_code == 0
    guid = feed_items(Path("output/public/feed.xml")).entries[0].id
    Path("podcast.toml").write_text('[feed]\nbase_url = "https://elsewhere.example.com/"\n')
    assert invoke("publish").exit_code == 0
    assert feed_items(Path("output/public/feed.xml")).entries[0].id == guid


def test_hostile_title_stays_escaped_everywhere(site):
    assert invoke("publish").exit_code == 0
    public = Path("output/public")
    for path in [*public.rglob("*.html"), public / "feed.xml", *Path("output/2025-01").glob("show-notes.*"),
                 *Path("output/2025-01").glob("transcript.vtt")]:
        assert "<script>alert" not in path.read_text(encoding="utf-8"), path
    parsed = feed_items(public / "feed.xml")
    assert HOSTILE in parsed.entries[0].content[0].value.replace("&lt;", "<").replace("&gt;", ">").replace(
        "&quot;", '"').replace("&amp;", "&")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Friends&quot;" in (
        public / "2025-01" / "index.html").read_text()


def test_a_build_with_a_base_url_updates_the_site_as_a_stage(site, tmp_path):
    import feedparser

    public = Path("output/public")
    assert [e.title for e in feedparser.parse(str(public / "feed.xml")).entries] == ["Paper Cuts: January 2025"]
    state = json.loads(Path("output/2025-01/state.json").read_text())
    assert "site" in json.dumps(state)
    second = newsletter(tmp_path / "mar.txt", "2025-03-15", ["Third Month"])
    assert invoke("build", str(second), "--engine", "fake", "--episode", "2025-03").exit_code == 0
    assert len(feedparser.parse(str(public / "feed.xml")).entries) == 2
    assert "0 files written" in invoke("publish").output


def test_publish_without_a_base_url_says_how_to_fix_it(site):
    import shutil

    shutil.rmtree("output/public")
    Path("podcast.toml").write_text("")
    result = invoke("publish")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        'error: [feed] base_url is not set, and the feed needs absolute links (add [feed] base_url = '
        '"https://example.com/podcast" to podcast.toml)']
    assert not Path("output/public").exists()


def test_publish_with_nothing_built_is_one_line(tmp_path):
    Path("podcast.toml").write_text(f'[feed]\nbase_url = "{BASE}"\n')
    result = invoke("publish", "--out", str(tmp_path / "missing"))
    assert result.exit_code == 2 and "does not exist" in result.stderr and "Traceback" not in result.stderr
