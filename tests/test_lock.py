"""One run per episode: a second run is refused at once naming the holder; a dead holder's lock is taken over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import invoke
from podcast.errors import BusyError
from podcast.pipeline.lock import EpisodeLock

HOLD = """
import sys, time
from podcast.pipeline.lock import EpisodeLock
with EpisodeLock(sys.argv[1], command="podcast episode 2025-03"):
    print("held", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def holder():
    """Another process holding output/2025-03's lock until the test ends."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, "output/2025-03"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    yield proc
    proc.stdin.close()
    proc.wait(timeout=30)


def test_a_second_run_is_refused_at_once_naming_the_holder(holder, bundled_sample, fake_engine):
    result = invoke("build", str(bundled_sample), "--engine", "fake")
    assert result.exit_code == 8
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: output/2025-03 is in use by process {holder.pid} (podcast episode 2025-03) "
                               "since ")
    assert lines[0].endswith("(wait for it to finish, or stop that process)")
    assert fake_engine.calls == []
    assert sorted(p.name for p in Path("output/2025-03").iterdir()) == [".lock"]  # nothing else written


def test_add_remove_and_episode_are_refused_too(holder, bundled_sample):
    papers = Path("output/2025-03/papers.json")
    papers.write_text('{"id": "2025-03", "show": "S", "papers": [{"id": "a", "title": "A"}]}')
    before = papers.read_bytes()
    for args in (("add", str(bundled_sample), "--episode", "2025-03"), ("episode", "2025-03"),
                 ("remove", "1", "--episode", "2025-03")):
        result = invoke(*args)
        assert result.exit_code == 8, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and f"process {holder.pid}" in result.stderr
    assert papers.read_bytes() == before


def test_a_lock_left_by_a_dead_process_is_taken_over(bundled_sample, fake_engine):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = Path("output/2025-03")
    folder.mkdir(parents=True)
    (folder / ".lock").write_text(json.dumps({"pid": dead.pid, "host": os.uname().nodename, "command": "podcast"}))
    result = invoke("build", str(bundled_sample), "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    assert (folder / "episode.mp3").is_file()
    assert not (folder / ".lock").exists()


def test_the_lock_names_this_process_while_held_and_goes_away_after(tmp_path):
    with EpisodeLock(tmp_path / "ep", command="podcast build x") as lock:
        info = json.loads(lock.path.read_text())
        assert info["pid"] == os.getpid() and info["command"] == "podcast build x"
        with pytest.raises(BusyError):
            EpisodeLock(tmp_path / "ep").acquire()  # even within one process: a second open file is refused
    assert not (tmp_path / "ep" / ".lock").exists()
    with pytest.raises(RuntimeError):
        with EpisodeLock(tmp_path / "ep"):
            raise RuntimeError("a failing run")
    assert not (tmp_path / "ep" / ".lock").exists()
    EpisodeLock(tmp_path / "ep").acquire()  # free again
