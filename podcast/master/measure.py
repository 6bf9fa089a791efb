"""Loudness measurements through ffmpeg: it decodes and K-weights (BS.1770) and finds the true peak; numpy
sums the weighted signal into slots. No episode-length signal is ever held, and scipy is not needed.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Iterator

import numpy as np

from ..audio import ffmpeg_exe
from ..errors import AudioError
from ..files import atomic_write_bytes
from . import loudness

OVERSAMPLE = 4  # true peak: the peak of the signal upsampled 4× (BS.1770 Annex 2)
TRUE_PEAK_TAPS = 16  # the interpolator's length per phase (BS.1770's example filter has 12)
FRAME_SAMPLES = 22_050  # samples per frame through ffmpeg's filters: MP3's 1152 cost a thread hand-off each
MEASURE_VERSION = 5  # bump when the measurement changes, to ignore cached slot energies


BLOCK_SLOTS = 500  # slots read from ffmpeg at a time: memory stays a few MB whatever the length


def k_filter(rate: int) -> str:
    """The K-weighting as ffmpeg biquad filters at ``rate``, in double precision."""
    return ",".join(f"biquad=b0={b0!r}:b1={b1!r}:b2={b2!r}:a0=1:a1={a1!r}:a2={a2!r}:precision=f64"
                    for b0, b1, b2, _, a1, a2 in loudness.k_weighting(rate).tolist())


class _Stream:
    """ffmpeg writing float32 frames of ``width`` channels to stdout, read a block at a time.

    Its log goes to a temporary file and is kept in ``log`` once the run has ended.
    """

    def __init__(self, args: list[str], data: bytes | None, width: int, what: str):
        self.args, self.data, self.width, self.what, self.log = args, data, width, what, ""

    def blocks(self, frames: int) -> Iterator[np.ndarray]:
        """The output, ``frames`` frames at a time (the last block may be shorter)."""
        with tempfile.TemporaryFile() as log:
            proc = subprocess.Popen([ffmpeg_exe(), "-hide_banner", "-nostdin", *self.args],
                                    stdin=subprocess.PIPE if self.data else subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=log)
            feeder = threading.Thread(target=self._feed, args=(proc,), daemon=True) if self.data else None
            if feeder:
                feeder.start()
            frame = 4 * self.width
            try:
                while chunk := proc.stdout.read(frames * frame):
                    yield np.frombuffer(chunk[: len(chunk) // frame * frame], dtype="<f4").reshape(-1, self.width)
                code = proc.wait()
            finally:
                if proc.poll() is None:  # the reader stopped early: stop ffmpeg too
                    proc.kill()
                    proc.wait()
                proc.stdout.close()
                if feeder:
                    feeder.join()
            log.seek(0)
            self.log = log.read().decode("utf-8", "replace")
        if code != 0:
            lines = self.log.strip().splitlines()
            raise AudioError(f"ffmpeg could not {self.what}: {lines[-1] if lines else f'exit {code}'}",
                             "check the audio files and free disk space")

    def _feed(self, proc: subprocess.Popen) -> None:
        try:
            proc.stdin.write(self.data)
            proc.stdin.close()
        except OSError:
            pass  # ffmpeg stopped reading; its exit status says why


def ffmpeg_input(source: Path | np.ndarray, rate: int) -> tuple[list[str], bytes | None]:
    """ffmpeg's input arguments for an audio file, or for mono float32 PCM at ``rate`` sent on stdin (and its bytes)."""
    if isinstance(source, np.ndarray):
        return ["-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0"], np.ascontiguousarray(source, "<f4").tobytes()
    return ["-i", str(source)], None


def measure_audio(source: Path | np.ndarray, rate: int, slot: float) -> np.ndarray:
    """Slot measures (:func:`loudness.slot_measures`) of an audio file, or of mono float32 PCM at ``rate``."""
    args, data = ffmpeg_input(source, rate)
    graph = (f"[0:a]aresample={rate},asetnsamples=n={FRAME_SAMPLES}:pad=0,aformat=sample_fmts=flt:channel_layouts=mono,"
             f"asplit[a][b];"
             f"[b]{k_filter(rate)}[k];[a][k]amerge=inputs=2[out]")
    stream = _Stream(["-v", "error", *args, "-filter_complex", graph, "-map", "[out]", "-f", "f32le", "pipe:1"],
                     data, 2, "measure loudness")
    parts = [loudness.slot_measures(block[:, 0], rate, slot, weighted=block[:, 1])
             for block in stream.blocks(round(slot * rate) * BLOCK_SLOTS)]
    return np.hstack(parts) if parts else loudness.slot_measures(np.zeros(0), rate, slot)


def _peak_db(log: str) -> float:
    match = re.findall(r"Peak level dB:\s*(-?inf|-?[\d.]+)", log)
    if not match:
        raise AudioError("could not measure the true peak: ffmpeg printed no peak level")
    return float(match[-1])


def measure_encoded(path: Path, rate: int, count: int, slot: float) -> tuple[np.ndarray, float, int]:
    """(K-weighted slot energies summed over channels, true peak in dBTP, samples per channel) of an
    encoded file with ``count`` channels at ``rate``: what a listener's decoder gets."""
    graph = (f"[0:a]asetnsamples=n={FRAME_SAMPLES}:pad=0,aformat=sample_fmts=flt,asplit[k][t];[k]{k_filter(rate)}[out];"
             f"[t]aresample={rate * OVERSAMPLE}:filter_size={TRUE_PEAK_TAPS},astats=measure_overall=Peak_level:measure_perchannel=none,anullsink")
    stream = _Stream(["-v", "info", "-nostats", "-i", str(path), "-filter_complex", graph, "-map", "[out]",
                      "-f", "f32le", "pipe:1"], None, count, "measure the episode's loudness")
    energies, samples = [], 0
    for block in stream.blocks(round(slot * rate) * BLOCK_SLOTS):
        energies.append(loudness.slot_energy(np.einsum("ij,ij->i", block, block, dtype=np.float64), rate, slot))
        samples += len(block)
    return (np.concatenate(energies) if energies else np.zeros(0)), _peak_db(stream.log), samples


class MeasureCache:
    """Slot measures of audio files, kept on disk by file identity so a re-master measures only what changed."""

    def __init__(self, root: Path | None):
        self.root = Path(root) if root else None

    def measures(self, path: Path, rate: int, slot: float) -> np.ndarray:
        """The slot measures of the audio file at ``path``, decoded at ``rate``."""
        path = Path(path)
        stat = path.stat()
        key = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{rate}|{slot}|"
                             f"{MEASURE_VERSION}".encode()).hexdigest()
        cached = self.root / key[:2] / f"{key}.npy" if self.root else None
        if cached is not None and cached.is_file():
            try:
                return np.load(cached, allow_pickle=False)
            except (OSError, ValueError):
                pass  # damaged: measure again
        measures = measure_audio(path, rate, slot)
        if cached is not None:
            buffer = io.BytesIO()
            np.save(buffer, measures.astype(np.float64), allow_pickle=False)
            atomic_write_bytes(cached, buffer.getvalue())
        return measures
