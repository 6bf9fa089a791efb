"""Audio plumbing over the ffmpeg that imageio-ffmpeg ships (there is no ffprobe)."""

from __future__ import annotations

import re
import tempfile
import subprocess
import wave
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import AudioError

PCM_MAX = 32_767  # largest 16-bit sample value


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """Path to the bundled ffmpeg binary."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(args: list[str], *, input: bytes | None = None) -> subprocess.CompletedProcess:
    """Run ffmpeg with ``args``; a failure is an AudioError carrying ffmpeg's last line."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", *args]
    proc = subprocess.run(cmd, input=input, capture_output=True)
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AudioError(f"ffmpeg failed: {lines[-1] if lines else 'no output'}",
                         "check the input audio file and free disk space")
    return proc


def read_audio(path: Path, sample_rate: int) -> np.ndarray:
    """Decode any audio file to mono float32 at ``sample_rate``."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"audio file {path} does not exist", "check the path in podcast.toml [audio]")
    if path.suffix.lower() == ".wav":
        with wave.open(str(path), "rb") as handle:
            if handle.getframerate() == sample_rate and handle.getsampwidth() == 2:
                data = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2")
                frames = data.reshape(-1, handle.getnchannels()).mean(axis=1)
                return (frames / PCM_MAX).astype(np.float32)
    proc = run_ffmpeg(["-i", str(path), "-f", "f32le", "-ac", "1", "-ar", str(sample_rate), "-"])
    return np.frombuffer(proc.stdout, dtype="<f4").copy()


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    """Write mono float samples as a 16-bit WAV (callers write to a temp path, then rename)."""
    pcm = to_pcm16(samples)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(sample_rate)
        handle.writeframes(pcm.tobytes())


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] as little-endian int16."""
    return (np.clip(samples, -1.0, 1.0) * PCM_MAX).astype("<i2")


# Speech dynamics, applied after a first gain brings the mix near the target: a gentle compressor
# evens out sentence-to-sentence level, and a sample-peak limiter keeps the true peak under the ceiling.
COMPRESSOR = "acompressor=threshold=-20dB:ratio=2:attack=20:release=250:knee=6"
LIMITER_MARGIN = 1.0  # dB below the true-peak target for the sample-peak limiter (inter-sample and codec overs)
SILENCE_LUFS = -70.0  # below this the mix counts as silent (EBU R128 absolute gate)
LOUDNESS_TOLERANCE = 0.1  # LU; fitting stops when the chain lands this close to the target
FIT_ROUNDS = 4  # at most this many full-chain measurements
CALIBRATION_SECONDS = 40.0  # excerpt encoded to learn the MP3 encoder's loudness offset
FIT_SECONDS = 600.0  # longer mixes are fitted on this much audio, in slices spread over the whole
FIT_SLICE = 30.0  # seconds per slice


def _summary_value(text: str, label: str, unit: str) -> float | None:
    summary = text[text.rfind("Summary:"):]
    match = re.search(rf"{label}:\s+(-?[\d.]+|-inf) {unit}", summary)
    return float(match.group(1)) if match else None


def _pcm_input(sample_rate: int) -> list[str]:
    return ["-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "-"]


def integrated_loudness(pcm: bytes, sample_rate: int, chain: str = "") -> float:
    """Integrated loudness (LUFS) of mono 16-bit PCM after the filter ``chain``, per EBU R128."""
    full = f"{chain},ebur128=framelog=verbose" if chain else "ebur128=framelog=verbose"
    proc = run_ffmpeg(["-nostats", *_pcm_input(sample_rate), "-af", full, "-f", "null", "-"], input=pcm)
    value = _summary_value(proc.stderr.decode("utf-8", "replace"), "I", "LUFS")
    if value is None:
        raise AudioError("could not measure loudness: ffmpeg printed no ebur128 summary")
    return value


def mastering_filter(pre_gain: float, makeup: float, true_peak: float, out_rate: int | None = None) -> str:
    """Gain, compressor, make-up gain, optional resample, then the sample-peak limiter."""
    ceiling = 10 ** ((true_peak - LIMITER_MARGIN) / 20)
    resample = f"aresample={out_rate}," if out_rate else ""
    return (f"volume={pre_gain:.2f}dB,{COMPRESSOR},volume={makeup:.2f}dB,{resample}"
            f"alimiter=limit={ceiling:.4f}:level=false:attack=5:release=50")


def representative(pcm: bytes, rate: int) -> bytes:
    """The whole mix if short, else FIT_SECONDS of evenly spaced slices: its loudness is the same
    within a tenth of a LU for speech, and fitting takes minutes less on an 80-minute episode."""
    frame = 2  # bytes per mono 16-bit sample
    total = len(pcm) // frame
    if total <= FIT_SECONDS * rate * 1.2:
        return pcm
    size = int(FIT_SLICE * rate)
    count = int(FIT_SECONDS / FIT_SLICE)
    step = (total - size) // (count - 1)
    return b"".join(pcm[i * step * frame: (i * step + size) * frame] for i in range(count))


def fit_mastering(pcm: bytes, rate: int, target_lufs: float, true_peak: float,
                  start: tuple[float, float] | None = None) -> tuple[float, float]:
    """(pre-gain, make-up gain) in dB that land the mastering chain on ``target_lufs``.

    Compression and limiting take back loudness in a way that depends on the material,
    so the make-up gain is found by measuring the whole chain (secant steps, a few rounds).
    ``start`` continues from an earlier fit.
    """
    pcm = representative(pcm, rate)
    if start:
        pre, makeup = start
    else:
        raw = integrated_loudness(pcm, rate)
        if raw <= SILENCE_LUFS:
            raise AudioError("the episode is silent", "check the speech engine's output with `podcast voices`")
        pre, makeup = target_lufs - raw, 0.0
    points: list[tuple[float, float]] = []  # (make-up gain, loudness)
    for _ in range(FIT_ROUNDS):
        loudness = integrated_loudness(pcm, rate, mastering_filter(pre, makeup, true_peak))
        points.append((makeup, loudness))
        if abs(loudness - target_lufs) <= LOUDNESS_TOLERANCE:
            break
        slope = 1.0
        if len(points) > 1:
            (g0, l0), (g1, l1) = points[-2], points[-1]
            slope = min(1.0, max(0.2, (l1 - l0) / (g1 - g0))) if g1 != g0 else 1.0
        makeup += (target_lufs - loudness) / slope
    return pre, makeup


def encoder_offset(pcm: bytes, rate: int, chain: str, encode_args: list[str]) -> float:
    """How much the MP3 encoder changes loudness (LU), measured on an excerpt from the middle."""
    bytes_per_second = rate * 2
    size = int(CALIBRATION_SECONDS * bytes_per_second)
    start = max(0, (len(pcm) - size) // 2) // 2 * 2
    excerpt = pcm[start: start + size]
    before = integrated_loudness(excerpt, rate, chain)
    proc = run_ffmpeg([*_pcm_input(rate), "-af", chain, *encode_args, "-f", "mp3", "-"], input=excerpt)
    tmp = Path(tempfile.mkstemp(suffix=".mp3")[1])
    try:
        tmp.write_bytes(proc.stdout)
        after, _ = measure_loudness(tmp)
    finally:
        tmp.unlink(missing_ok=True)
    if before < SILENCE_LUFS or after < SILENCE_LUFS:
        return 0.0
    return after - before


def measure_loudness(path: Path) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBTP) of a finished file, per EBU R128."""
    proc = run_ffmpeg(["-nostats", "-i", str(path), "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"])
    text = proc.stderr.decode("utf-8", "replace")
    integrated, peak = _summary_value(text, "I", "LUFS"), _summary_value(text, "Peak", "dBFS")
    if integrated is None or peak is None:
        raise AudioError("could not measure loudness: ffmpeg printed no ebur128 summary")
    return integrated, peak
