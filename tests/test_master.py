"""Mastering: the MP3 a listener gets — duration, loudness, tags, chapters, cover, companions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from podcast import master, publish
from podcast.audio import measure_loudness, write_wav
from podcast.config import Config
from podcast.errors import AudioError
from podcast.files import EpisodeDir
from podcast.models import Episode, Paper, Segment, Timeline

RATE = 22_050  # Hz


@dataclass
class Spoken:
    """Stands in for speech.speak.SpokenSegment: what mastering reads."""

    id: str
    path: Path
    sample_rate: int
    duration: float
    sentences: list = field(default_factory=list)
    keys: list = field(default_factory=list)
    spoken: bool = True


def speechlike(seconds: float, seed: int) -> np.ndarray:
    """Noise shaped like syllables: bursts at ~4 Hz with pauses, about -25 dBFS RMS."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = np.clip(np.sin(2 * np.pi * 4 * t), 0, None) ** 2 * (np.sin(2 * np.pi * 0.3 * t) > -0.6)
    carrier = np.sin(2 * np.pi * 180 * t) + 0.4 * rng.standard_normal(len(t))
    return (0.12 * envelope * carrier).astype(np.float32)


def make_episode(tmp: Path, seconds: float = 3.0) -> tuple[Episode, list[Spoken]]:
    papers = [Paper(id=f"2501.0000{i}", title=f"Paper number {i}", links=[f"https://arxiv.org/abs/2501.0000{i}"],
                    summary="A summary.") for i in range(1, 4)]
    episode = Episode(id="2025-03", show="Test Show", date="2025-03-01", papers=papers)
    episode.segments = ([Segment("intro", "intro", "Introduction", "Welcome.")]
                        + [Segment(f"paper-{p.id}", "paper", p.title, "Text.", paper=p.id) for p in papers]
                        + [Segment("outro", "outro", "Outro", "Bye.")])
    spoken = []
    for i, seg in enumerate(episode.segments):
        path = tmp / f"{seg.id}.wav"
        write_wav(path, speechlike(seconds, i), RATE)
        spoken.append(Spoken(seg.id, path, RATE, seconds, [(0.2, 1.4, "First sentence."), (1.6, 2.8, "Second.")]))
    return episode, spoken


@pytest.fixture(scope="module")
def mastered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("master")
    episode, spoken = make_episode(tmp)
    folder = EpisodeDir(tmp / "2025-03")
    folder.root.mkdir()
    timeline = master.master(episode, spoken, folder, Config())
    publish.write_companions(episode, timeline, folder, Config())
    return episode, folder, timeline


def test_mp3_duration_matches_timeline(mastered):
    _, folder, timeline = mastered
    audio = MP3(folder.mp3)
    assert audio.info.sample_rate == 44_100
    assert audio.info.bitrate == 96_000 and audio.info.channels == 1
    assert abs(audio.info.length - timeline.duration) < 0.1
    intro_music = 6.0 - 1.5  # bundled intro length minus the crossfade
    assert timeline.duration == pytest.approx(intro_music + 5 * 3.0 + 4 * 0.9 + 6.5 - 1.5, abs=0.05)


def test_loudness_is_podcast_standard(mastered):
    _, folder, _ = mastered
    integrated, true_peak = measure_loudness(folder.mp3)
    assert abs(integrated - -16.0) <= 0.5, integrated
    assert true_peak <= -1.0, true_peak


def test_id3_tags(mastered):
    episode, folder, _ = mastered
    tags = ID3(folder.mp3)
    assert str(tags["TIT2"]) == "Test Show: March 2025"
    assert str(tags["TALB"]) == "Test Show"
    assert str(tags["TPE1"]) == "Paper Cuts"
    assert str(tags["TDRC"]) == "2025-03-01"
    assert str(tags["TCON"]) == "Podcast"
    cover = tags.getall("APIC")[0]
    assert cover.mime == "image/jpeg" and cover.data[:2] == b"\xff\xd8"


def test_one_chapter_per_segment_in_order(mastered):
    episode, folder, timeline = mastered
    tags = ID3(folder.mp3)
    toc = tags.getall("CTOC")[0]
    chapters = [tags[f"CHAP:{cid}"] for cid in toc.child_element_ids]
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == [s.title for s in episode.segments]
    assert chapters[0].start_time == 0
    starts = [c.start_time for c in chapters]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert chapters[1].sub_frames.getall("WXXX")[0].url == "https://arxiv.org/abs/2501.00001"
    assert chapters[-1].end_time == int(timeline.duration * 1000)


def test_timeline_round_trips_and_places_sentences(mastered):
    _, folder, timeline = mastered
    again = Timeline.load(folder.timeline)
    assert again == timeline
    paper = again.entries[1]
    assert paper.sentences[0].start == pytest.approx(paper.start + 0.2, abs=0.002)
    for entry, following in zip(again.entries, again.entries[1:]):
        assert entry.end == following.start


def test_transcripts_and_notes(mastered):
    episode, folder, _ = mastered
    vtt = folder.vtt.read_text()
    assert vtt.startswith("WEBVTT\n") and vtt.count(" --> ") == 10
    srt = folder.srt.read_text().split("\n\n")
    assert srt[0].splitlines()[0] == "1" and "," in srt[0].splitlines()[1]
    notes = folder.notes.read_text()
    assert "[Paper number 1](https://arxiv.org/abs/2501.00001)" in notes
    assert "## Chapters" in notes and "- 0:00 Introduction" in notes


def test_silent_episode_is_refused(tmp_path):
    episode, spoken = make_episode(tmp_path, seconds=1.0)
    for s in spoken:
        write_wav(s.path, np.zeros(RATE, dtype=np.float32), RATE)
    config = Config()
    config.set("audio", "intro", str(spoken[0].path))
    config.set("audio", "outro", str(spoken[0].path))
    folder = EpisodeDir(tmp_path / "ep")
    with pytest.raises(AudioError, match="silent"):
        master.master(episode, spoken, folder, config)
    assert not folder.mp3.exists()
    assert not list(tmp_path.glob("**/.episode*"))


def _decoded(path: Path, rate: int = 44_100) -> np.ndarray:
    from podcast.audio import run_ffmpeg

    proc = run_ffmpeg(["-i", str(path), "-f", "f32le", "-ac", "1", "-ar", str(rate), "pipe:1"])
    return np.frombuffer(proc.stdout, dtype="<f4").astype(np.float64)


def test_loudness_measured_independently_with_pyloudnorm(mastered):
    import pyloudnorm

    _, folder, _ = mastered
    level = pyloudnorm.Meter(44_100).integrated_loudness(_decoded(folder.mp3))
    assert abs(level - -16.0) <= 0.5, level


def test_mastering_report_is_measured_on_the_encoded_file(mastered):
    import json

    _, folder, timeline = mastered
    report = json.loads(folder.mastering.read_text())
    integrated, true_peak = measure_loudness(folder.mp3)
    assert report["integrated_lufs"] == pytest.approx(integrated, abs=0.05)
    assert report["true_peak_dbtp"] == pytest.approx(true_peak, abs=0.05) and report["true_peak_dbtp"] <= -1.0
    assert report["loudness_range_lu"] >= 0
    info = MP3(folder.mp3).info
    assert report["duration_s"] == pytest.approx(info.length, abs=0.001)
    assert report["duration_s"] == pytest.approx(timeline.duration, abs=0.1)
    assert (report["bitrate_kbps"], report["sample_rate_hz"], report["channels"]) == (96, 44_100, 1)
    assert report["size_bytes"] == folder.mp3.stat().st_size


def test_ffmpeg_reads_the_chapters_in_time_order_from_zero(mastered):
    import re

    from podcast.audio import run_ffmpeg

    episode, folder, timeline = mastered
    probe = run_ffmpeg(["-i", str(folder.mp3), "-f", "ffmetadata", "-"]).stdout.decode()
    starts = [int(s) for s in re.findall(r"^START=(\d+)$", probe, re.M)]
    sections = probe.split("[CHAPTER]")[1:]
    titles = [re.search(r"^title=(.*)$", section, re.M).group(1) for section in sections]
    assert starts[0] == 0 and starts == sorted(starts) and len(starts) == len(timeline.entries)
    assert titles == [s.title for s in episode.segments]
    # and in the file itself: CTOC first, then CHAP frames by start time (players read file order)
    raw = folder.mp3.read_bytes()[:200_000]
    positions = [raw.index(f"chp{i}\0".encode()) for i in range(len(timeline.entries))]
    assert raw.index(b"CTOC") < positions[0] and positions == sorted(positions)


def test_stereo_is_configurable(tmp_path):
    episode, spoken = make_episode(tmp_path, seconds=2.0)
    config = Config()
    config.set("audio", "channels", 2)
    folder = EpisodeDir(tmp_path / "ep")
    folder.root.mkdir()
    master.master(episode, spoken, folder, config)
    info = MP3(folder.mp3).info
    assert (info.channels, info.bitrate, info.sample_rate) == (2, 128_000, 44_100)


def test_tpe1_is_the_configured_host_and_the_title_names_the_month_in_hindi(tmp_path):
    episode, spoken = make_episode(tmp_path, seconds=1.0)
    episode.language = "hi"
    config = Config()
    config.set("show", "author", "Asha Rao")
    folder = EpisodeDir(tmp_path / "ep")
    folder.root.mkdir()
    master.master(episode, spoken, folder, config)
    tags = ID3(folder.mp3)
    assert str(tags["TPE1"]) == "Asha Rao"
    assert str(tags["TIT2"]) == "Test Show: मार्च 2025"


@pytest.mark.parametrize("size, mode, kind, message", [
    ((1000, 1000), "RGB", "JPEG", "1000×1000 px; it must be square, 1400–3000 px"),
    ((1400, 1500), "RGB", "PNG", "1400×1500 px; it must be square"),
    ((3200, 3200), "RGB", "PNG", "3200×3200 px"),
    ((1400, 1400), "CMYK", "JPEG", "CMYK colour mode, not RGB"),
    ((1400, 1400), "RGB", "GIF", "is GIF, not JPEG or PNG"),
])
def test_a_cover_outside_the_directories_rules_is_refused(tmp_path, size, mode, kind, message):
    from PIL import Image

    from podcast.errors import ConfigError

    episode, spoken = make_episode(tmp_path, seconds=1.0)
    cover = tmp_path / f"cover.{kind.lower()}"
    Image.new(mode if kind != "GIF" else "P", size).save(cover, kind)
    config = Config()
    config.set("show", "cover", str(cover))
    folder = EpisodeDir(tmp_path / "ep")
    with pytest.raises(ConfigError, match=message):
        master.master(episode, spoken, folder, config)
    assert not folder.mp3.exists()


def test_the_bundled_cover_meets_the_rules():
    from podcast.cover import check_cover, cover_path

    assert check_cover(cover_path(Config())) == ".jpg"
