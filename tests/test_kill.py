"""kill -9 at several moments, then a rerun: it finishes, reuses finished work, and gives the same decoded
audio as a clean build in another folder with its own cache (espeak-ng is deterministic)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from podcast.audio import ffmpeg_exe

NEWSLETTER = Path(__file__).parent / "fixtures" / "pipeline" / "newsletter.txt"
POLL = 0.005  # s between looks at the folder while waiting for a kill point
GIVE_UP = 600  # s: a kill point that never comes fails the test (it is not a speed limit)


def espeak_available() -> str | None:
    from podcast.speech.base import ENGINES

    return ENGINES.get("espeak").unavailable_reason()


pytestmark = pytest.mark.skipif(bool(espeak_available()), reason=f"espeak-ng cannot run here: {espeak_available()}")


def build(out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "podcast", "build", str(NEWSLETTER), "--engine", "espeak",
                             "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def kill_when(out: Path, ready) -> None:
    """Start a build and SIGKILL it the moment ``ready(episode folder)`` holds; it must still be running then."""
    proc = build(out)
    folder = out / "2025-05"
    deadline = time.monotonic() + GIVE_UP
    while not ready(folder):
        assert proc.poll() is None, f"the build ended before the kill point: {proc.communicate()}"
        assert time.monotonic() < deadline, "the kill point never came"
        time.sleep(POLL)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    state = folder / "state.json"
    if state.exists():
        json.loads(state.read_text())  # never half-written
    mp3 = folder / "episode.mp3"
    assert not mp3.exists() or decoded(mp3)  # absent or whole


def stage_started(name: str):
    def ready(folder: Path) -> bool:
        try:
            return name in json.loads((folder / "state.json").read_text()).get("unfinished", [])
        except (OSError, ValueError):
            return False
    return ready


def speech_entries(out: Path) -> int:
    return len(list((out / ".cache" / "speech").glob("*/*.json")))


def decoded(mp3: Path) -> bytes:
    proc = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-"],
                          capture_output=True, check=True)
    return proc.stdout


def test_kill_9_at_several_points_then_a_rerun_matches_a_clean_build(tmp_path):
    work, clean = tmp_path / "work", tmp_path / "clean"
    kill_when(work, lambda folder: (folder / "papers.json").exists())  # after ingest
    kill_when(work, lambda folder: speech_entries(work) >= 2)  # in the middle of speaking
    kill_when(work, stage_started("master"))  # while mastering
    assert not (work / "2025-05" / "episode.mp3").exists()

    final = build(work)
    out, err = final.communicate()
    assert final.returncode == 0, err
    assert "Segments: 6 (0 spoken now, 6 from cache)" in out  # the killed runs had spoken everything
    state = json.loads((work / "2025-05" / "state.json").read_text())
    last = state["runs"]
    assert state["unfinished"] == []
    reran = sorted(name for name, record in state["stages"].items() if record["run"] == last)
    assert reran == ["master", "publish"]  # ingest, script and speak were finished work, reused

    reference = build(clean)
    assert reference.communicate()[0] and reference.returncode == 0
    assert not (clean / ".cache" / "speech").samefile(work / ".cache" / "speech")
    assert decoded(work / "2025-05" / "episode.mp3") == decoded(clean / "2025-05" / "episode.mp3")
    for name in ("timeline.json", "transcript.vtt", "show-notes.md", "script.md"):
        assert (work / "2025-05" / name).read_bytes() == (clean / "2025-05" / name).read_bytes(), name
