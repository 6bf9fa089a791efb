"""A full disk, a file past the size limit, or a folder that cannot be written: one line on stderr, exit 9,
no traceback, no half-written file, the finished work and the speech cache kept, and a rerun with room
finishes, reusing them."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED_SAMPLE

HELPER = Path(__file__).parent / "fake_podcast.py"
EPISODE = "2025-03"  # the bundled sample's month
PAGE = 4096  # bytes: tmpfs counts whole pages
BEFORE_MASTER = ("papers.json", "script.md", "script.json", "speech.json")  # what the earlier stages leave


def podcast(*args: str, fsize: int | None = None) -> subprocess.CompletedProcess:
    """Run the CLI in its own process; ``fsize`` caps the size of any file it (or ffmpeg) writes."""
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run([sys.executable, str(HELPER), *args], capture_output=True, text=True,
                          preexec_fn=limit if fsize else None)


def build(out: Path, **kwargs) -> subprocess.CompletedProcess:
    return podcast("build", str(BUNDLED_SAMPLE), "--engine", "fake", "--out", str(out), **kwargs)


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """A build with room to spare: what every build here must end as."""
    out = tmp_path_factory.mktemp("reference") / "out"
    done = build(out)
    assert done.returncode == 0, done.stderr
    return out


def check_failed_and_kept(failed: subprocess.CompletedProcess, out: Path, reference: Path, starts: str) -> None:
    """One line, exit 9, no traceback; no episode.mp3 nor temporary file; the earlier work as the reference's."""
    assert failed.returncode == 9, (failed.returncode, failed.stderr)
    assert "Traceback" not in failed.stderr + failed.stdout
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {starts}"), failed.stderr
    assert "then run the same command again: finished work is kept and reused" in lines[0]
    folder = out / EPISODE
    assert not (folder / "episode.mp3").exists()  # never half-written: encoded beside it, renamed when whole
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []  # no temporary leftovers
    for name in BEFORE_MASTER:
        assert (folder / name).read_bytes() == (reference / EPISODE / name).read_bytes(), name
    assert tree(out / ".cache" / "speech") == tree(reference / ".cache" / "speech")  # every segment, whole
    state = json.loads((folder / "state.json").read_text())
    assert {"ingest", "script", "speak"} <= set(state["stages"]) and state["unfinished"] == ["master"]


def check_rerun_reuses(out: Path, reference: Path) -> None:
    again = build(out)
    assert again.returncode == 0, again.stderr
    assert "Segments: 6 (0 spoken now, 6 from cache)" in again.stdout
    state = json.loads((out / EPISODE / "state.json").read_text())
    last = state["runs"]
    assert sorted(name for name, record in state["stages"].items() if record["run"] == last) == ["master", "publish"]
    for name in ("timeline.json", "transcript.vtt", "show-notes.md"):
        assert (out / EPISODE / name).read_bytes() == (reference / EPISODE / name).read_bytes(), name


def sizes(reference: Path) -> tuple[int, int]:
    """The largest file the stages before mastering write, and the MP3's size."""
    before = [p.stat().st_size for p in (reference / ".cache" / "speech").rglob("*") if p.is_file()]
    before += [(reference / EPISODE / name).stat().st_size for name in BEFORE_MASTER]
    return max(before), (reference / EPISODE / "episode.mp3").stat().st_size


@pytest.mark.parametrize("where", [0.0, 0.5, 1.0])  # from just above the largest cached segment to just below the MP3
def test_a_file_past_the_size_limit_is_one_line_and_loses_nothing(where, reference, tmp_path):
    largest, mp3 = sizes(reference)
    assert largest < mp3
    limit = int(largest + 1 + where * (mp3 - largest - 2))
    out = tmp_path / "out"
    failed = build(out, fsize=limit)
    check_failed_and_kept(failed, out, reference, "a file is too large for the file-size limit: ")
    assert "ulimit -f" in failed.stderr
    check_rerun_reuses(out, reference)


def _mount_tmpfs(folder: Path, size: int) -> str | None:
    """Mount a tmpfs of ``size`` bytes on ``folder``; the reason it cannot be done here, or None."""
    if not shutil.which("mount") or os.geteuid() != 0:
        return "mounting a tmpfs needs root and mount(8)"
    folder.mkdir(parents=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    return f"mount -t tmpfs failed here: {done.stderr.strip()}" if done.returncode else None


def test_a_full_disk_is_one_line_and_loses_nothing(reference, tmp_path):
    largest, mp3 = sizes(reference)
    needed = sum(-(-p.stat().st_size // PAGE) * PAGE for p in reference.rglob("*")
                 if p.is_file() and p.name != "episode.mp3")
    out = tmp_path / "out"
    # Room for everything but the MP3: the disk fills up while mastering.
    reason = _mount_tmpfs(out, needed + PAGE * 16)
    if reason:
        pytest.skip(reason)
    try:
        failed = build(out)
        check_failed_and_kept(failed, out, reference, "the disk is full: ")
        assert "free some space on it" in failed.stderr
        subprocess.run(["mount", "-o", f"remount,size={64 << 20}", str(out)], check=True)
        check_rerun_reuses(out, reference)
    finally:
        subprocess.run(["umount", "-l", str(out)], check=False)


def test_a_folder_that_cannot_be_written_is_one_line(reference, tmp_path):
    out = tmp_path / "out"
    if os.geteuid() != 0:
        out.mkdir()
        out.chmod(0o555)
        starts, code = "permission denied: ", errno.EACCES
    else:  # root may write anywhere; a read-only file system stops it too
        reason = _mount_tmpfs(out, 1 << 20)
        if reason:
            pytest.skip(reason)
        subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
        starts, code = "the file system is read-only: ", errno.EROFS
    try:
        failed = build(out)
        assert failed.returncode == 9, (failed.returncode, failed.stderr, os.strerror(code))
        assert "Traceback" not in failed.stderr
        lines = failed.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {starts}{out / EPISODE}"), failed.stderr
        assert "--out" in lines[0]
        assert list(out.iterdir()) == []
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(out)], check=False)
        else:
            out.chmod(0o755)


def _raised(error: BaseException, wrapped: BaseException, suppress: bool) -> BaseException:
    """``wrapped`` as raised while handling ``error``, with ``from None`` or plainly."""
    try:
        try:
            raise error
        except OSError:
            if suppress:
                raise wrapped from None
            raise wrapped
    except BaseException as exc:  # noqa: BLE001
        return exc


@pytest.mark.parametrize("suppress", [True, False])
def test_an_input_that_cannot_be_read_keeps_its_own_message(suppress):
    """A read refused is a bad input (exit 2, its own advice), not a disk that cannot be written."""
    from podcast.errors import InputError, storage_error

    refused = OSError(errno.EACCES, "Permission denied", "news.txt")
    error = _raised(refused, InputError("cannot read news.txt: permission denied", "check the file"), suppress)
    assert storage_error(error) is None


def test_a_library_error_raised_from_a_full_disk_is_a_storage_error():
    from podcast.errors import StorageError, storage_error

    full = OSError(errno.ENOSPC, "No space left on device", "episode.mp3")
    error = _raised(full, RuntimeError("the library could not save the tags"), suppress=False)
    found = storage_error(error)
    assert isinstance(found, StorageError) and found.exit_code == 9 and "the disk is full: episode.mp3" in str(found)
