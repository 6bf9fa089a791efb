"""Encoding in pieces: each part of the layout (with the pause after it) becomes MP3 frames of its own.

A part's frames depend only on its audio, the gain and the settings, so they are kept by that key:
a one-segment edit re-encodes one piece, and a cold master encodes pieces on every core. Each piece
is decoded and measured right after it is encoded (K-weighted energy, true peak), so the report is
measured on what a listener's decoder gets without decoding the whole episode again.

The pieces join at frame boundaries inside pauses. A piece starts with the codec's delay
(``CODEC_DELAY`` samples of near-silence) and is rendered short by that much, so each piece lasts
about as long as its place in the layout; the timeline is then taken from the real frame counts.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import shutil
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from ..audio import ffmpeg_exe, run_ffmpeg
from ..config import Config
from ..files import atomic_write_bytes, temp_path_for
from . import loudness
from .layout import Layout, Part
from .measure import ffmpeg_input, measure_encoded
from .settings import CODEC_DELAY, FRAME, OUTPUT_RATE, chain, channels, codec

CHUNK_VERSION = 1  # bump when a piece's encoding changes, so cached pieces are not reused
REPORT_SLOT = 0.02  # s, loudness slot of the encoded audio: 882 samples at 44.1 kHz
SPILL_MARGIN = 64  # output samples left free in a piece's last frame: resampling may add one or two


@dataclass
class Piece:
    """One part of the layout as it is encoded: ``length`` samples at the layout rate, pause included."""

    part: Part
    length: int
    key: str
    mp3: Path
    meta: Path

    @property
    def cached(self) -> bool:
        return self.mp3.is_file() and self.meta.is_file()


@dataclass
class Measured:
    """An encoded piece as decoded: its length in output samples, slot energies and true peak."""

    samples: int
    energy: np.ndarray
    true_peak: float


def render_length(part: Part, span: int, rate: int, last: bool) -> int:
    """Samples (at ``rate``) to render for a part whose place in the layout is ``span`` samples long.

    Whole frames nearest the span, less the codec delay, never cutting the part's own audio short.
    """
    span_out = span * OUTPUT_RATE / rate
    needed = part.length * OUTPUT_RATE / rate + CODEC_DELAY + SPILL_MARGIN
    count = math.ceil((span_out + CODEC_DELAY + SPILL_MARGIN) / FRAME) if last else max(round(span_out / FRAME),
                                                                          math.ceil(needed / FRAME))
    return max(part.length, int((count * FRAME - CODEC_DELAY - SPILL_MARGIN) * rate / OUTPUT_RATE))


def _identity(part: Part) -> list:
    if part.samples is not None:
        return ["mix", hashlib.sha256(np.ascontiguousarray(part.samples, "<f4").tobytes()).hexdigest()]
    stat = Path(part.path).stat()
    return ["file", str(Path(part.path).resolve()), stat.st_size, stat.st_mtime_ns]


def pieces(plan: Layout, gain: float, config: Config, folder: Path) -> list[Piece]:
    """The layout's parts as pieces to encode, each keyed by everything its frames depend on."""
    result, tool = [], ffmpeg_exe()
    for i, part in enumerate(plan.parts):
        last = i + 1 == len(plan.parts)
        span = (plan.total if last else plan.parts[i + 1].start) - part.start
        length = render_length(part, span, plan.rate, last)
        key = hashlib.sha256(json.dumps([CHUNK_VERSION, tool, _identity(part), part.length, part.rate,
                                         plan.rate, length, chain(gain, config), codec(config)]).encode()).hexdigest()
        result.append(Piece(part, length, key, folder / f"{key[:24]}.mp3", folder / f"{key[:24]}.npz"))
    return result


def _encode(piece: Piece, plan: Layout, gain: float, config: Config) -> None:
    part = piece.part
    source, data = ffmpeg_input(part.audio, plan.rate)
    resample = f"aresample={plan.rate}," if part.rate != plan.rate else ""
    graph = (f"[0:a]{resample}aformat=sample_fmts=flt:channel_layouts=mono,atrim=end_sample={part.length},"
             f"apad=whole_len={piece.length},{chain(gain, config)}[out]")
    tmp = temp_path_for(piece.mp3)
    try:  # bare frames: no ID3, no Xing header, so that pieces join by concatenation
        run_ffmpeg(["-v", "error", *source, "-filter_complex", graph, "-map", "[out]", *codec(config),
                    "-map_metadata", "-1", "-write_xing", "0", "-id3v2_version", "0", "-write_id3v1", "0",
                    "-f", "mp3", "-y", str(tmp)], input=data, what="master the episode",
                   hint="check the segment audio files and free disk space")
        os.replace(tmp, piece.mp3)
    finally:
        tmp.unlink(missing_ok=True)


def _measure(piece: Piece, config: Config) -> Measured:
    energy, peak, samples = measure_encoded(piece.mp3, OUTPUT_RATE, channels(config), REPORT_SLOT)
    buffer = io.BytesIO()
    np.savez(buffer, energy=energy, peak=np.float64(peak), samples=np.int64(samples))
    atomic_write_bytes(piece.meta, buffer.getvalue())
    return Measured(samples, energy, peak)


def _load(piece: Piece) -> Measured | None:
    try:
        with np.load(piece.meta, allow_pickle=False) as data:
            return Measured(int(data["samples"]), data["energy"], float(data["peak"]))
    except (OSError, ValueError, KeyError):
        return None  # damaged or gone: encode again


def encode_pieces(plan: Layout, gain: float, config: Config, folder: Path,
                  progress: Callable[[float], None] | None = None) -> list[tuple[Piece, Measured]]:
    """Encode and measure every piece not already kept in ``folder``, on all cores; pieces in order."""
    folder.mkdir(parents=True, exist_ok=True)
    todo, done = pieces(plan, gain, config, folder), {}
    for piece in todo:
        measured = _load(piece) if piece.cached else None
        if measured is not None:
            done[piece.key] = measured
    missing = [p for p in todo if p.key not in done]
    total = sum(p.length for p in missing) or 1
    finished = 0

    def work(piece: Piece) -> Measured:
        _encode(piece, plan, gain, config)
        return _measure(piece, config)

    if missing:
        workers = min(len(missing), (os.cpu_count() or 1) + 1)  # one more: each ffmpeg waits on pipes at times
        with ThreadPoolExecutor(max_workers=workers) as pool:  # the work runs in ffmpeg processes
            futures = {pool.submit(work, p): p for p in sorted(missing, key=lambda p: -p.length)}
            pending = set(futures)
            while pending:
                complete, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in complete:
                    if future.exception() is not None:
                        for other in pending:
                            other.cancel()
                        raise future.exception()
                    piece = futures[future]
                    done[piece.key] = future.result()
                    finished += piece.length
                    if progress:
                        progress(finished / total)
    keep = {p.mp3.name for p in todo} | {p.meta.name for p in todo}
    for stale in folder.iterdir():  # earlier versions of pieces, and leftovers of an interrupted run
        if stale.name not in keep:
            stale.unlink(missing_ok=True)
    return [(p, done[p.key]) for p in todo]


def join(encoded: list[tuple[Piece, Measured]], out: Path) -> None:
    """Concatenate the pieces' frames into ``out``."""
    with open(out, "wb") as handle:
        for piece, _ in encoded:
            with open(piece.mp3, "rb") as source:
                shutil.copyfileobj(source, handle, 1 << 20)


def starts(encoded: list[tuple[Piece, Measured]]) -> list[int]:
    """Each piece's first sample in the joined MP3, as a decoder counts them."""
    return [int(s) for s in np.cumsum([0] + [m.samples for _, m in encoded[:-1]])]


def measured(encoded: list[tuple[Piece, Measured]]) -> dict:
    """Integrated loudness, loudness range and true peak of the joined MP3, from the pieces' measures."""
    at = starts(encoded)
    samples = at[-1] + encoded[-1][1].samples
    seconds = samples / OUTPUT_RATE
    per_slot = REPORT_SLOT * OUTPUT_RATE
    slots = loudness.place([(int(round(a / per_slot)), m.energy[None, :]) for a, (_, m) in zip(at, encoded)],
                           REPORT_SLOT, seconds)
    return {"integrated_lufs": round(loudness.integrated(slots, REPORT_SLOT, seconds), 2),
            "loudness_range_lu": round(loudness.loudness_range(slots, REPORT_SLOT, seconds), 2),
            "true_peak_dbtp": round(max(m.true_peak for _, m in encoded), 2)}
