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


def _summary_value(text: str, label: str, unit: str) -> float | None:
    summary = text[text.rfind("Summary:"):]
    match = re.search(rf"{label}:\s+(-?[\d.]+|-inf) {unit}", summary)
    return float(match.group(1)) if match else None


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
