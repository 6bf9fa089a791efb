"""Synthesize the bundled intro/outro music and draw the cover art (no third-party material).

Run from the repository root:  python scripts/make_assets.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from podcast.audio import write_wav  # noqa: E402

SAMPLE_RATE = 44_100  # Hz
COVER_SIZE = 1_400  # pixels; Apple Podcasts asks for 1400–3000 square
A4 = 440.0  # Hz


def note(semitones_from_a4: float) -> float:
    """Frequency of a note, in Hz."""
    return A4 * 2 ** (semitones_from_a4 / 12)


def bell(freq: float, seconds: float, decay: float = 2.5) -> np.ndarray:
    """A soft bell: a few inharmonic partials with an exponential decay."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    tone = sum(a * np.sin(2 * np.pi * freq * r * t) for r, a in ((1, 1.0), (2.0, 0.35), (3.01, 0.12), (4.2, 0.05)))
    attack = np.minimum(1.0, t / 0.005)
    return tone * attack * np.exp(-decay * t)


def pad(freqs: list[float], seconds: float) -> np.ndarray:
    """A warm chord that swells in and fades out."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    chord = sum(np.sin(2 * np.pi * f * t) + 0.3 * np.sin(2 * np.pi * 2 * f * t + 0.5) for f in freqs)
    envelope = np.minimum(1.0, t / 1.2) * np.minimum(1.0, (seconds - t) / 2.0)
    vibrato = 1 + 0.04 * np.sin(2 * np.pi * 0.3 * t)
    return chord * envelope * vibrato


def place(track: np.ndarray, sound: np.ndarray, at: float) -> None:
    """Mix ``sound`` into ``track`` starting at ``at`` seconds."""
    start = int(at * SAMPLE_RATE)
    end = min(len(track), start + len(sound))
    track[start:end] += sound[: end - start]


def jingle(arpeggio: list[int], chord: list[int], seconds: float) -> np.ndarray:
    """An arpeggio of bells over a pad, peak-normalized to -3 dBFS."""
    track = np.zeros(int(seconds * SAMPLE_RATE))
    place(track, 0.25 * pad([note(s) for s in chord], seconds), 0.0)
    for i, semis in enumerate(arpeggio):
        place(track, 0.5 * bell(note(semis), 2.5), 0.35 + 0.28 * i)
    return (track / np.abs(track).max() * 10 ** (-3 / 20)).astype(np.float32)


def draw_cover(path: Path, title: str = "Paper Cuts", subtitle: str = "AI papers of the month") -> None:
    """A simple typographic cover with a waveform motif."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (COVER_SIZE, COVER_SIZE), (18, 24, 38))
    draw = ImageDraw.Draw(img)
    rng = np.random.default_rng(7)
    mid, bars = COVER_SIZE * 0.62, 56
    width = COVER_SIZE / bars
    for i in range(bars):
        height = (0.15 + 0.85 * abs(np.sin(i / 5.0)) * rng.uniform(0.5, 1.0)) * COVER_SIZE * 0.16
        x = i * width + width * 0.2
        draw.rounded_rectangle([x, mid - height, x + width * 0.6, mid + height], radius=6, fill=(255, 170, 60))
    font_path = ROOT / "assets" / "fonts" / "DejaVuSans-Bold.ttf"
    big = ImageFont.truetype(str(font_path), 170) if font_path.exists() else ImageFont.load_default(170)
    small = ImageFont.truetype(str(font_path), 64) if font_path.exists() else ImageFont.load_default(64)
    draw.text((COVER_SIZE / 2, COVER_SIZE * 0.24), title, font=big, fill=(245, 245, 245), anchor="mm")
    draw.text((COVER_SIZE / 2, COVER_SIZE * 0.36), subtitle, font=small, fill=(170, 190, 220), anchor="mm")
    img.save(path, "JPEG", quality=88, optimize=True)


def main() -> None:
    """Write assets/intro.wav, assets/outro.wav and assets/cover.jpg."""
    assets = ROOT / "assets"
    assets.mkdir(exist_ok=True)
    # C major pentatonic rising for the intro, falling for the outro (semitones from A4).
    write_wav(assets / "intro.wav", jingle([-9, -5, -2, 3, 7, 10], [-21, -17, -14], 6.0), SAMPLE_RATE)
    write_wav(assets / "outro.wav", jingle([10, 7, 3, -2, -5, -9], [-21, -17, -14], 6.5), SAMPLE_RATE)
    draw_cover(assets / "cover.jpg")
    print(f"wrote {assets / 'intro.wav'}, {assets / 'outro.wav'}, {assets / 'cover.jpg'}")


if __name__ == "__main__":
    main()
