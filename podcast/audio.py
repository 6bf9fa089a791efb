"""Audio plumbing over the ffmpeg that imageio-ffmpeg ships (there is no ffprobe)."""

from __future__ import annotations

import re
import struct
import subprocess
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import AudioError



@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """Path to the bundled ffmpeg binary."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(args: list[str], *, input: bytes | None = None, timeout: float | None = None,
               what: str = "process audio", hint: str = "check the input audio file and free disk space",
               ) -> subprocess.CompletedProcess:
    """Run ffmpeg with ``args``; a failure is an AudioError carrying ffmpeg's last line."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", *args]
    try:
        proc = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AudioError(f"ffmpeg took longer than {timeout:.0f} s to {what}", hint) from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AudioError(f"ffmpeg could not {what}: {lines[-1] if lines else 'no output'}", hint)
    return proc


def read_audio(path: Path, sample_rate: int) -> np.ndarray:
    """Decode any audio file to mono float32 at ``sample_rate``."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"audio file {path} does not exist", "check the path in podcast.toml [audio]")
    if path.suffix.lower() == ".wav":
        samples, rate = parse_wav(path.read_bytes())
        if rate == sample_rate:
            return samples
    proc = run_ffmpeg(["-i", str(path), "-f", "f32le", "-ac", "1", "-ar", str(sample_rate), "-"])
    return np.frombuffer(proc.stdout, dtype="<f4").copy()


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    """Write mono samples as a 16-bit WAV (callers write to a temp path, then rename)."""
    Path(path).write_bytes(wav_bytes(samples, sample_rate))


PCM_BLOCK = 1 << 20  # samples converted at a time, so an 80-minute episode needs no float64 copy of itself


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] as 16-bit integers (clipped, rounded)."""
    out = np.empty(len(samples), dtype="<i2")
    for start in range(0, len(samples), PCM_BLOCK):
        block = np.asarray(samples[start:start + PCM_BLOCK], dtype=np.float64) * 32768.0
        out[start:start + PCM_BLOCK] = np.clip(np.round(block), -32768, 32767)
    return out


def wav_bytes(samples: np.ndarray, sample_rate: int) -> bytes:
    """A 16-bit mono PCM WAV file holding ``samples`` (float in [-1, 1] or int16)."""
    pcm = samples.astype("<i2") if samples.dtype == np.int16 else to_pcm16(samples)
    data = pcm.tobytes()
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE"
    fmt = struct.pack("<HHIIHH", 1, 1, sample_rate, sample_rate * 2, 2, 16)
    return header + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data


def parse_wav(data: bytes, strict: bool = False) -> tuple[np.ndarray, int]:
    """Float32 mono samples and the sample rate from PCM WAV bytes (8/16/32-bit int or 32-bit float).

    Streaming servers often write 0 or 0xFFFFFFFF as the data size; unless ``strict``, the data then
    runs to the end of the file. With ``strict``, a size that disagrees with the file is an error.
    """
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioError("not a WAV file", "the audio is damaged; delete it and rebuild")
    pos, fmt = 12, None
    while pos + 8 <= len(data):
        chunk, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = pos + 8
        if chunk == b"fmt ":
            fmt = struct.unpack("<HHIIHH", data[body:body + 16])
        elif chunk == b"data":
            if fmt is None:
                break
            end = body + size
            if end > len(data) or (size == 0 and not strict):
                if strict:
                    raise AudioError("truncated WAV data", "the audio is damaged; delete it and rebuild")
                end = len(data)
            return _pcm_to_float(data[body:end], fmt), fmt[2]
        pos = body + size + (size & 1)
    raise AudioError("WAV file without audio data", "the audio is damaged; delete it and rebuild")


def _pcm_to_float(raw: bytes, fmt: tuple[int, ...]) -> np.ndarray:
    tag, channels, _, _, _, bits = fmt
    width = bits // 8
    raw = raw[: len(raw) - len(raw) % (width * channels)]
    if tag == 3 and bits == 32:
        samples = np.frombuffer(raw, "<f4").astype(np.float32)
    elif tag in (1, 0xFFFE) and bits == 16:
        samples = np.frombuffer(raw, "<i2").astype(np.float32) / 32768.0
    elif tag in (1, 0xFFFE) and bits == 32:
        samples = (np.frombuffer(raw, "<i4") / 2147483648.0).astype(np.float32)
    elif tag in (1, 0xFFFE) and bits == 8:
        samples = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    else:
        raise AudioError(f"unsupported WAV encoding (format {tag}, {bits} bit)", "use 16-bit PCM")
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    return samples.astype(np.float32)


def decode(data: bytes) -> tuple[np.ndarray, int]:
    """Mono float32 samples and the sample rate from audio bytes: WAV directly, anything else via ffmpeg."""
    if data[:4] == b"RIFF":
        return parse_wav(data)
    if not data:
        raise AudioError("the speech service returned no audio", "try again; if it persists, try another engine")
    result = run_ffmpeg(["-loglevel", "error", "-i", "pipe:0", "-ac", "1", "-c:a", "pcm_s16le", "-f", "wav",
                         "pipe:1"], input=data, what="decode speech audio",
                        hint="the service returned audio in an unexpected format")
    if not result.stdout:
        raise AudioError("ffmpeg could not decode speech audio: no output",
                         "the service returned audio in an unexpected format")
    return parse_wav(result.stdout)


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
    after, _ = measure_loudness(proc.stdout)
    if before < SILENCE_LUFS or after < SILENCE_LUFS:
        return 0.0
    return after - before


def measure_loudness(audio: Path | str | bytes) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBTP) of an audio file or its bytes, per EBU R128."""
    data = audio if isinstance(audio, bytes) else None
    source = "pipe:0" if data is not None else str(audio)
    proc = run_ffmpeg(["-nostats", "-i", source, "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                      input=data)
    text = proc.stderr.decode("utf-8", "replace")
    integrated, peak = _summary_value(text, "I", "LUFS"), _summary_value(text, "Peak", "dBFS")
    if integrated is None or peak is None:
        raise AudioError("could not measure loudness: ffmpeg printed no ebur128 summary")
    return integrated, peak
