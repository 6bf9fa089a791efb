"""Audio helpers for the speech stage: WAV bytes in and out, decoding, click-free joins, sentence alignment."""

from __future__ import annotations

import struct
import subprocess

import numpy as np

from ..errors import AudioError

FADE = 0.008  # s, fade at every join so pieces never start or end on a jump
SENTENCE_PAUSE = 0.30  # s of silence between sentences an engine speaks one by one
PIECE_PAUSE = 0.30  # s of silence between the pieces of a segment
SNAP_WINDOW = 0.8  # s either side of an estimated sentence boundary searched for the quietest spot
QUIET_FRAME = 0.02  # s, the energy window used when looking for pauses
FFMPEG_TIMEOUT = 120  # s for decoding one piece


def to_int16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] as 16-bit integers (clipped, rounded)."""
    return np.clip(np.round(np.asarray(samples, dtype=np.float64) * 32768.0), -32768, 32767).astype("<i2")


def wav_bytes(samples: np.ndarray, sample_rate: int) -> bytes:
    """A 16-bit mono PCM WAV file holding ``samples`` (float in [-1, 1] or int16)."""
    pcm = samples.astype("<i2") if samples.dtype == np.int16 else to_int16(samples)
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
    import imageio_ffmpeg

    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", "pipe:0",
           "-ac", "1", "-c:a", "pcm_s16le", "-f", "wav", "pipe:1"]
    try:
        result = subprocess.run(cmd, input=data, capture_output=True, timeout=FFMPEG_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise AudioError("ffmpeg took too long to decode speech audio", "check the audio the service returns") from None
    if result.returncode != 0 or not result.stdout:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AudioError(f"ffmpeg could not decode speech audio: {detail[-1] if detail else 'no output'}",
                         "the service returned audio in an unexpected format")
    return parse_wav(result.stdout)


def fade_edges(samples: np.ndarray, sample_rate: int, seconds: float = FADE) -> np.ndarray:
    """A copy of ``samples`` with short linear fades in and out (no jump at either end)."""
    out = np.asarray(samples, dtype=np.float32).copy()
    n = min(int(seconds * sample_rate), len(out) // 2)
    if n > 0:
        ramp = np.linspace(0.0, 1.0, n, endpoint=False, dtype=np.float32)
        out[:n] *= ramp
        out[-n:] *= ramp[::-1]
    return out


def join(parts: list[np.ndarray], sample_rate: int, pause: float) -> tuple[np.ndarray, list[float]]:
    """Concatenate ``parts`` with faded edges and ``pause`` seconds of silence between them.

    Returns the joined samples and the start time (s) of each part.
    """
    gap = np.zeros(int(round(pause * sample_rate)), dtype=np.float32)
    chunks: list[np.ndarray] = []
    starts: list[float] = []
    length = 0
    for i, part in enumerate(parts):
        if i:
            chunks.append(gap)
            length += len(gap)
        starts.append(length / sample_rate)
        faded = fade_edges(part, sample_rate)
        chunks.append(faded)
        length += len(faded)
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    return samples, starts


def join_sentences(parts: list[np.ndarray], texts: list[str], sample_rate: int,
                   pause: float = SENTENCE_PAUSE) -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    """Join per-sentence audio and return it with each sentence's (start, end, text)."""
    samples, starts = join(parts, sample_rate, pause)
    sentences = [(start, start + len(part) / sample_rate, text) for start, part, text in zip(starts, parts, texts)]
    return samples, sentences


def align_sentences(samples: np.ndarray, sample_rate: int, texts: list[str]) -> list[tuple[float, float, str]]:
    """Estimate each sentence's span in audio that speaks ``texts`` in one go.

    Boundaries are first placed in proportion to the sentences' lengths, then moved to the
    quietest moment within ``SNAP_WINDOW`` of that estimate (speakers pause between sentences).
    """
    duration = len(samples) / sample_rate
    if not texts:
        return []
    if len(texts) == 1 or duration == 0:
        return [(0.0, duration, texts[0])] + [(duration, duration, t) for t in texts[1:]]
    frame = max(1, int(QUIET_FRAME * sample_rate))
    frames = len(samples) // frame
    energy = np.square(samples[: frames * frame].astype(np.float64)).reshape(frames, frame).mean(axis=1)
    weights = np.array([max(len(t), 1) for t in texts], dtype=np.float64)
    cuts = np.cumsum(weights)[:-1] / weights.sum() * duration
    bounds = [0.0]
    for cut in cuts:
        lo = max(int((cut - SNAP_WINDOW) * sample_rate / frame), int(bounds[-1] * sample_rate / frame) + 1)
        hi = min(int((cut + SNAP_WINDOW) * sample_rate / frame), frames - 1)
        if lo < hi:
            quiet = lo + int(np.argmin(energy[lo:hi + 1]))
            cut = (quiet + 0.5) * frame / sample_rate
        bounds.append(max(cut, bounds[-1]))
    bounds.append(duration)
    return [(bounds[i], bounds[i + 1], text) for i, text in enumerate(texts)]
