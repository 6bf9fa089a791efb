"""The content cache: synthesized audio keyed by engine, voice, options and text.

Each entry is ``<root>/<k[:2]>/<k>.wav`` (16-bit mono) plus ``<k>.json``, a sidecar holding the
sample rate, the sentence timings and the WAV's SHA-256. Both are written atomically, the WAV
first, so a sidecar only ever describes a complete WAV; an entry whose files are missing,
truncated or do not match the checksum is treated as a miss and gets redone.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AudioError
from ..files import atomic_write_bytes, atomic_write_text
from ..audio import parse_wav, wav_bytes
from .base import Speech

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

    def _files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [p for p in self.root.glob("*/*") if p.is_file()]

    def size(self) -> tuple[int, int]:
        """(number of entries, bytes on disk, including leftovers of interrupted writes)."""
        files = self._files()
        entries = sum(1 for p in files if p.suffix == ".json" and not p.name.startswith("."))
        return entries, sum(_size(p) for p in files)

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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
