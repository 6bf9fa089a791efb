"""`podcast video`: the MP4 probed with ffmpeg (codec, duration, faststart) and played in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from conftest import BUNDLED_SAMPLE, FakeEngine, invoke
from podcast.audio import ffmpeg_exe
from podcast.models import Timeline
from podcast.speech.base import ENGINES
from podcast.video.encode import mp3_duration

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A short episode built once with the fake engine; each test copies it."""
    root = tmp_path_factory.mktemp("video-episode")
    ENGINES.register(FakeEngine)
    try:
        result = invoke("build", str(BUNDLED_SAMPLE), "--engine", "fake", "--out", str(root))
    finally:
        ENGINES.unregister(FakeEngine.name)
    assert result.exit_code == 0, result.stderr
    return next(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


@pytest.fixture
def episode(built, tmp_path) -> Path:
    target = tmp_path / built.name
    shutil.copytree(built, target)
    return target


def probe(path: Path) -> dict:
    """Streams and duration as ffmpeg reports them (imageio-ffmpeg ships no ffprobe)."""
    text = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True).stderr
    hours, minutes, seconds = re.search(r"Duration: (\d+):(\d+):([\d.]+)", text).groups()
    video = re.search(r"Stream #0:\d+.*Video: (\w+).*?, (\w+)\(?.*?, (\d+)x(\d+)", text)
    audio = re.search(r"Stream #0:\d+.*Audio: (\w+)", text)
    return {"duration": int(hours) * 3600 + int(minutes) * 60 + float(seconds), "video": video.group(1),
            "pix_fmt": video.group(2), "size": (int(video.group(3)), int(video.group(4))),
            "audio": audio.group(1) if audio else None, "streams": len(re.findall(r"Stream #0:", text))}


def top_level_atoms(path: Path) -> list[str]:
    """The MP4's top-level boxes in file order."""
    atoms, data = [], path.read_bytes()
    offset = 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8:offset + 16])[0]
        atoms.append(kind.decode("latin-1"))
        if size < 8:
            break
        offset += size
    return atoms


def video_frames(path: Path) -> int:
    """How many video frames the file holds (framecrc lists one line per packet)."""
    out = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:v", "-c", "copy", "-f",
                          "framecrc", "-"], capture_output=True, text=True).stdout
    return sum(1 for line in out.splitlines() if line.startswith("0,"))


def check_mp4(folder: Path, audio: str = "mp3") -> dict:
    mp4 = folder / "episode.mp4"
    info = probe(mp4)
    assert info["video"] == "h264" and info["pix_fmt"] == "yuv420p" and info["size"] == (1920, 1080)
    assert info["audio"] == audio and info["streams"] == 2
    assert abs(info["duration"] - mp3_duration(folder / "episode.mp3")) <= 0.5
    atoms = top_level_atoms(mp4)
    assert atoms.index("moov") < atoms.index("mdat"), atoms  # faststart
    thumb = folder / "thumbnail.jpg"
    with Image.open(thumb) as image:
        assert image.size == (1280, 720) and image.format == "JPEG"
    assert thumb.stat().st_size < 2_000_000
    assert not [p for p in folder.iterdir() if p.name.startswith(".")], "temporary files left behind"
    return info


def test_slides_video_is_h264_faststart_one_frame_per_slide(episode):
    result = invoke("video", str(episode))
    assert result.exit_code == 0, result.stderr
    assert "episode.mp4" in result.stdout
    check_mp4(episode)
    entries = len(Timeline.load(episode / "timeline.json").entries)
    assert video_frames(episode / "episode.mp4") == entries + 1  # the last still is repeated once, by concat


def test_read_along_and_captions_make_one_still_per_sentence(episode):
    timeline = Timeline.load(episode / "timeline.json")
    sentences = sum(len(e.sentences) for e in timeline.entries)
    for args in (["--style", "read-along"], ["--captions"]):
        result = invoke("video", str(episode), *args)
        assert result.exit_code == 0, result.stderr
        check_mp4(episode)
        frames = video_frames(episode / "episode.mp4")
        assert sentences <= frames <= sentences + len(timeline.entries) + 1


def test_aac_audio_from_config(episode, tmp_path):
    config = tmp_path / "podcast.toml"
    config.write_text('[video]\naudio = "aac"\naccent = "tomato"\n')
    result = invoke("video", str(episode), "--config", str(config))
    assert result.exit_code == 0, result.stderr
    check_mp4(episode, audio="aac")


@pytest.mark.parametrize("setup, message", [
    (lambda folder: (folder / "episode.mp3").unlink(), "episode.mp3 does not exist"),
    (lambda folder: (folder / "episode.mp3").write_bytes(b"\0" * 4096), "not a readable MP3"),
    (lambda folder: (folder / "timeline.json").write_text('{"duration": 3, "entries": []}'), "has no segments"),
])
def test_bad_inputs_give_one_line_and_leave_no_video(episode, setup, message):
    setup(episode)
    result = invoke("video", str(episode))
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not (episode / "episode.mp4").exists()
    assert not [p for p in episode.iterdir() if p.name.startswith(".")]


def test_bad_config_and_missing_folder(episode, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[video]\nstyle = "kaleidoscope"\n')
    result = invoke("video", str(episode), "--config", str(config))
    assert result.exit_code == 2 and "read-along" in result.stderr
    result = invoke("video", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "not an episode folder" in result.stderr


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (.ci/run installs it)")
def test_mp4_plays_in_headless_chromium(episode, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    assert invoke("video", str(episode)).exit_code == 0
    page_file = episode / "player.html"
    page_file.write_text('<!doctype html><video id="v" src="episode.mp4" muted playsinline preload="auto"></video>')
    expected = mp3_duration(episode / "episode.mp3")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--autoplay-policy=no-user-gesture-required"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=str(CHROMIUM),
                                                       args=args, headless=True)
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            page.wait_for_function("document.getElementById('v').readyState >= 1", timeout=60_000)
            state = page.evaluate("""async () => {
                const v = document.getElementById('v');
                await v.play();
                await new Promise(r => setTimeout(r, 1500));
                return {duration: v.duration, time: v.currentTime, error: v.error && v.error.code,
                        width: v.videoWidth, height: v.videoHeight, paused: v.paused};
            }""")
        finally:
            browser.close()
    assert state["error"] is None
    assert abs(state["duration"] - expected) <= 0.5
    assert (state["width"], state["height"]) == (1920, 1080)
    assert state["time"] > 0 and not state["paused"]


def test_video_stage_runs_in_build_when_enabled_and_skips_when_unchanged(fake_engine, tmp_path):
    config = tmp_path / "podcast.toml"
    config.write_text("[video]\nenabled = true\n")
    out = tmp_path / "out"
    first = invoke("build", str(BUNDLED_SAMPLE), "--engine", "fake", "--out", str(out), "--config", str(config))
    assert first.exit_code == 0, first.stderr
    folder = next(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    check_mp4(folder)
    state = json.loads((folder / "state.json").read_text())
    assert "video" in json.dumps(state)
    made = (folder / "episode.mp4").stat().st_mtime_ns
    again = invoke("episode", folder.name, "--out", str(out), "--config", str(config), "--engine", "fake")
    assert again.exit_code == 0, again.stderr
    assert (folder / "episode.mp4").stat().st_mtime_ns == made  # unchanged: not rendered again
    config.write_text('[video]\nenabled = true\naccent = "#00ff00"\n')
    dry = invoke("episode", folder.name, "--out", str(out), "--config", str(config), "--dry-run")
    assert re.search(r"video\s+run", dry.stdout), dry.stdout
