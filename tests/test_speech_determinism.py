"""Deterministic synthesis: the same text, engine, voice and options give identical samples, whatever came before."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import invoke
from podcast.audio import read_audio
from podcast.config import Config
from podcast.speech.select import make_engine

FIXTURES = Path(__file__).parent / "fixtures" / "speech"
DECODE_RATE = 22_050  # Hz; any fixed rate compares the two builds alike


def _episode_audio(out: Path) -> tuple[np.ndarray, list[bytes]]:
    """The decoded episode.mp3 of the one episode under ``out``, and the bytes of every cached speech file."""
    (mp3,) = out.glob("*/episode.mp3")
    speech = sorted(p for p in (out / ".cache" / "speech").rglob("*") if p.is_file() and p.suffix != ".json")
    return read_audio(mp3, DECODE_RATE), [p.read_bytes() for p in speech]


@pytest.mark.parametrize("engine, source, language", [
    ("hibari", "newsletter.txt", "en"),
    ("piper", "newsletter.txt", "en"),
    ("espeak", "newsletter.txt", "en"),
    ("espeak", "digest-hi.txt", "hi"),
])
def test_two_cold_builds_in_fresh_folders_give_identical_audio(tmp_path, engine, source, language):
    """Both builds run in this one process, so the second one's model has already spoken the first's text."""
    for name in ("first", "second"):
        result = invoke("build", str(FIXTURES / source), "--out", str(tmp_path / name), "--engine", engine,
                        "--language", language)
        assert result.exit_code == 0, result.stderr
    first, first_files = _episode_audio(tmp_path / "first")
    second, second_files = _episode_audio(tmp_path / "second")
    assert len(first) > DECODE_RATE * 5 and np.abs(first).max() > 0.1
    assert np.array_equal(first, second)
    assert first_files and first_files == second_files


@pytest.mark.parametrize("engine", ["hibari", "piper", "espeak"])
def test_a_sentence_sounds_the_same_after_other_speech(engine):
    voice = make_engine(Config(), "en", engine=engine)
    text = "A seeded voice says this sentence the same way every time."
    before = voice.synthesize(text).samples
    voice.synthesize("Something quite different, spoken in between? Yes, and a second sentence.")
    assert np.array_equal(before, voice.synthesize(text).samples)
