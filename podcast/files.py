"""File helpers: atomic writes, safe file names, the episode folder layout."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_NAME = 80  # characters in a file-name stem built from a title


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _make_temp(path: Path, prefix: str, suffix: str, mode: int | None = None) -> tuple[int, str]:
    """mkstemp beside ``path``, with ``mode``, else the permissions a plain open() would give (mkstemp uses 0600)."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix)
    except OSError as exc:  # name the file being written, not a random temporary name
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    os.chmod(tmp, 0o666 & ~_umask() if mode is None else mode)
    return fd, tmp


def assets_dir() -> Path:
    """The bundled media folder: ``podcast.assets`` when installed, ``assets/`` in a source checkout."""
    try:
        from . import assets
    except ImportError:  # running from a checkout that was never installed
        return Path(__file__).resolve().parent.parent / "assets"
    return Path(assets.__file__).resolve().parent


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one (with ``mode``, if given)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _make_temp(path, f".{path.name}.", ".tmp", mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_private(path: Path, text: str) -> None:
    """Write UTF-8 text atomically, readable by its owner only (0600): tokens and other capabilities."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=0o600)


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def create_new(path: Path, text: str) -> bool:
    """Write a new file whole, never replacing one: False (and nothing written) if ``path`` exists."""
    path = Path(path)
    fd, tmp = _make_temp(path, f".{path.name}.", ".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)  # fails if path exists, unlike a rename
    except FileExistsError:
        return False
    finally:
        Path(tmp).unlink(missing_ok=True)
    return True


def temp_path_for(path: Path) -> Path:
    """A hidden temporary path beside ``path``, for tools that write files themselves."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _make_temp(path, f".{path.stem}.", path.suffix)
    os.close(fd)
    return Path(tmp)


def file_digest(path: Path, length: int | None = 16) -> str | None:
    """The SHA-256 of a file's bytes, its first ``length`` hex digits (as state.json records what a stage
    read; None for all 64); None if the file is missing."""
    import hashlib

    sha = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
    except OSError:
        return None
    return sha.hexdigest()[:length]


def safe_name(text: str, fallback: str = "untitled") -> str:
    """A file-name stem from arbitrary text: no separators, no dots first, bounded length."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE).strip("-_.").lower()
    text = re.sub(r"-{2,}", "-", text)[:MAX_NAME].strip("-_")
    return text or fallback


@dataclass(frozen=True)
class EpisodeDir:
    """Where each stage's artifact lives inside ``output/<episode-id>/``."""

    root: Path

    @property
    def papers(self) -> Path:
        return self.root / "papers.json"

    @property
    def script(self) -> Path:
        return self.root / "script.md"

    @property
    def script_state(self) -> Path:
        return self.root / "script.json"

    @property
    def speech(self) -> Path:
        return self.root / "speech.json"

    @property
    def state(self) -> Path:
        return self.root / "state.json"

    @property
    def timeline(self) -> Path:
        return self.root / "timeline.json"

    @property
    def mp3(self) -> Path:
        return self.root / "episode.mp3"

    @property
    def notes(self) -> Path:
        return self.root / "show-notes.md"

    @property
    def vtt(self) -> Path:
        return self.root / "transcript.vtt"

    @property
    def srt(self) -> Path:
        return self.root / "transcript.srt"

    @property
    def notes_html(self) -> Path:
        return self.root / "show-notes.html"

    @property
    def chapters(self) -> Path:
        return self.root / "chapters.json"

    @property
    def mastering(self) -> Path:
        return self.root / "mastering.json"
