"""The content cache: synthesized audio keyed by engine, voice, options and text.

Each entry is ``<root>/<k[:2]>/<k>.wav`` (16-bit mono) plus ``<k>.json``, a sidecar holding the
sample rate, the sentence timings and the WAV's SHA-256. Both are written atomically, the WAV
first, so a sidecar only ever describes a complete WAV; an entry whose files are missing,
truncated or do not match the checksum is treated as a miss and gets redone. A segment spoken
in one piece is an *alias* of that piece: its WAV is a hard link to the piece's (stored once on
disk) and only its sidecar, with the segment's sentence labels, is its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AudioError
from ..files import atomic_write_bytes, atomic_write_text
from ..audio import parse_wav, wav_bytes
from .base import Speech

WAV_HEADER = 44  # bytes before the samples in the WAVs this cache writes
BYTES_PER_SAMPLE = 2  # 16-bit mono
FORMAT = 1  # bump to invalidate every entry when the stored format or the audio processing changes


@dataclass
class Entry:
    """A valid cache entry."""

    key: str
    path: Path  # the WAV
    sample_rate: int  # Hz
    duration: float  # s
    sentences: list[tuple[float, float, str]]


class SpeechCache:
    """Synthesized audio on disk, addressed by content."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @staticmethod
    def key(engine_identity: dict[str, Any], text: str) -> str:
        """The cache key for ``text`` spoken by an engine with this identity."""
        blob = json.dumps({"format": FORMAT, "engine": engine_identity, "text": text},
                          sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def wav_path(self, key: str) -> Path:
        """Where the entry's WAV lives (whether or not it exists)."""
        return self.root / key[:2] / f"{key}.wav"

    def _meta_path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def _read(self, key: str) -> tuple[np.ndarray, int, list[tuple[float, float, str]]] | None:
        try:
            meta = json.loads(self._meta_path(key).read_text(encoding="utf-8"))
            data = self.wav_path(key).read_bytes()
            if not isinstance(meta, dict) or hashlib.sha256(data).hexdigest() != meta.get("sha256"):
                return None
            samples, rate = parse_wav(data, strict=True)
            if rate != meta["sample_rate"] or len(samples) != meta["frames"]:
                return None
            sentences = [(float(s), float(e), str(t)) for s, e, t in meta["sentences"]]
        except (OSError, ValueError, KeyError, TypeError, AudioError):
            return None
        return samples, rate, sentences

    def get(self, key: str) -> Entry | None:
        """The entry for ``key``, or None if it is missing or corrupt (checked by its SHA-256, not decoded)."""
        try:
            meta = json.loads(self._meta_path(key).read_text(encoding="utf-8"))
            data = self.wav_path(key).read_bytes()
            # the checksum put() recorded vouches for the WAV it wrote, so there is no need to decode it
            if not isinstance(meta, dict) or hashlib.sha256(data).hexdigest() != meta.get("sha256"):
                return None
            rate, frames = int(meta["sample_rate"]), int(meta["frames"])
            sentences = [(float(s), float(e), str(t)) for s, e, t in meta["sentences"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if rate <= 0 or frames < 0 or len(data) < 44 + 2 * frames:
            return None
        return Entry(key, self.wav_path(key), rate, frames / rate, sentences)

    def load(self, key: str) -> Speech | None:
        """The entry's audio and timings as a Speech, or None if missing or corrupt."""
        found = self._read(key)
        return None if found is None else Speech(*found)

    def put(self, key: str, speech: Speech) -> Entry:
        """Store ``speech`` under ``key`` (atomically) and return the entry."""
        data = wav_bytes(np.asarray(speech.samples), speech.sample_rate)
        frames = (len(data) - 44) // 2
        atomic_write_bytes(self.wav_path(key), data)
        meta = {"format": FORMAT, "sample_rate": speech.sample_rate, "frames": frames,
                "sha256": hashlib.sha256(data).hexdigest(),
                "sentences": [[round(s, 4), round(e, 4), t] for s, e, t in speech.sentences]}
        atomic_write_text(self._meta_path(key), json.dumps(meta, ensure_ascii=False) + "\n")
        return Entry(key, self.wav_path(key), speech.sample_rate, frames / speech.sample_rate,
                     [(round(s, 4), round(e, 4), t) for s, e, t in speech.sentences])

    def alias(self, key: str, source: str, sentences: list[tuple[float, float, str]]) -> Entry:
        """Store ``key`` as the audio of ``source`` with its own sentence timings, without a second copy."""
        meta = json.loads(self._meta_path(source).read_text(encoding="utf-8"))
        target, origin = self.wav_path(key), self.wav_path(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.{os.getpid()}.link.tmp")
        temp.unlink(missing_ok=True)
        try:
            os.link(origin, temp)
        except OSError:  # a file system without hard links: a copy is still correct
            shutil.copyfile(origin, temp)
        os.replace(temp, target)
        meta["sentences"] = [[round(s, 4), round(e, 4), t] for s, e, t in sentences]
        atomic_write_text(self._meta_path(key), json.dumps(meta, ensure_ascii=False) + "\n")
        rate = meta["sample_rate"]
        return Entry(key, target, rate, meta["frames"] / rate, [(round(s, 4), round(e, 4), t) for s, e, t in sentences])

    def duration(self, key: str) -> float:
        """Seconds of audio in the entry, from its sidecar alone (0 when missing or unreadable)."""
        try:
            meta = json.loads(self._meta_path(key).read_text(encoding="utf-8"))
            return float(meta["frames"]) / float(meta["sample_rate"])
        except (OSError, ValueError, KeyError, TypeError, ZeroDivisionError):
            return 0.0

    def _files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [p for p in self.root.glob("*/*") if p.is_file()]

    def size(self) -> tuple[int, int]:
        """(number of entries, bytes on disk, including leftovers of interrupted writes; linked files once)."""
        entries, size, _ = self.stats()
        return entries, size

    def stats(self) -> tuple[int, int, float]:
        """(entries, bytes on disk, seconds of distinct audio): a hard-linked WAV counts once."""
        entries, size, seconds = 0, 0, 0.0
        seen: set[tuple[int, int]] = set()
        for path in self._files():
            try:
                info = path.stat()
            except OSError:
                continue
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            size += info.st_size
            if path.suffix == ".wav" and not path.name.startswith("."):
                seconds += max(0, info.st_size - WAV_HEADER) / BYTES_PER_SAMPLE / _rate(path)
            elif path.suffix == ".json" and not path.name.startswith("."):
                entries += 1
        return entries, size, seconds

    def prune(self, keep: set[str]) -> tuple[int, int]:
        """Delete every entry not in ``keep`` and any leftover temporary file; (entries removed, bytes freed)."""
        removed, freed = 0, 0
        for path in self._files():
            name = path.name
            key = name.split(".", 1)[0]
            if not name.startswith(".") and key in keep:
                continue
            freed += _size(path)
            path.unlink(missing_ok=True)
            if path.suffix == ".json" and not name.startswith("."):
                removed += 1
        for folder in self.root.glob("*/") if self.root.is_dir() else []:
            if folder.is_dir() and not any(folder.iterdir()):
                os.rmdir(folder)
        return removed, freed


def _rate(wav: Path) -> int:
    """The sample rate in a cached WAV's header (bytes 24-27), or 22,050 Hz if unreadable."""
    try:
        with open(wav, "rb") as handle:
            header = handle.read(28)
        return int.from_bytes(header[24:28], "little") or 22_050
    except OSError:
        return 22_050


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
