"""Shared fixtures: a fast FakeEngine registered like any engine, paths to samples."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import numpy as np
import pytest

from podcast.speech.base import ENGINES, Engine, Speech, Voice

ROOT = Path(__file__).resolve().parent.parent
# $PODCAST_SHARED_SAMPLE points a clone that has no ../shared beside it at the sample.
SHARED_SAMPLE = Path(os.environ.get("PODCAST_SHARED_SAMPLE") or ROOT.parent / "shared" / "samples" / "newsletter-2025-02.txt")
BUNDLED_SAMPLE = ROOT / "assets" / "samples" / "newsletter-sample.txt"

FAKE_RATE = 16_000  # Hz
FAKE_SECONDS_PER_WORD = 0.05  # keeps fake episodes short


class FakeEngine(Engine):
    """A deterministic tone per sentence: pitch from the text's hash, length from its word count."""

    name = "fake"
    description = "test engine: tones instead of words"
    languages = ("en", "hi", "ko", "de")
    text_limit = 400
    words_per_minute = 1_200.0
    calls: list[str] = []  # every text synthesized, in order (class-level so tests can inspect it)

    @classmethod
    def voices(cls) -> list[Voice]:
        return [Voice("tone", cls.languages, "a sine tone")]

    def synthesize(self, text: str) -> Speech:
        FakeEngine.calls.append(text)
        sentences = [s for s in re.split(r"(?<=[.!?।])\s+", text.strip()) if s]
        chunks, timings, cursor = [], [], 0.0
        for sentence in sentences:
            seconds = max(0.1, FAKE_SECONDS_PER_WORD * len(sentence.split()))
            pitch = 200 + int(hashlib.sha256(sentence.encode()).hexdigest()[:4], 16) % 400
            t = np.arange(int(seconds * FAKE_RATE)) / FAKE_RATE
            chunks.append((0.3 * np.sin(2 * np.pi * pitch * t)).astype(np.float32))
            timings.append((cursor, cursor + seconds, sentence))
            cursor += seconds
        return Speech(np.concatenate(chunks), FAKE_RATE, timings)


def invoke(*args: str, catch_exceptions: bool = True):
    """Run the CLI in-process with stderr kept apart from stdout (as a terminal shows them)."""
    from click.testing import CliRunner

    from podcast.cli import cli

    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2 mixes them unless told not to
    except TypeError:
        runner = CliRunner()
    return runner.invoke(cli, list(args), catch_exceptions=catch_exceptions)


@pytest.fixture
def fake_engine():
    """Register FakeEngine as "fake" for the test, and remove it afterwards."""
    ENGINES.register(FakeEngine)
    FakeEngine.calls = []
    yield FakeEngine
    ENGINES.unregister(FakeEngine.name)


@pytest.fixture
def shared_sample() -> Path:
    """The real 51-paper newsletter from ../shared, or skip when this checkout has none beside it."""
    if not SHARED_SAMPLE.exists():
        pytest.skip(f"shared sample not found at {SHARED_SAMPLE}")
    return SHARED_SAMPLE


@pytest.fixture
def bundled_sample() -> Path:
    """The small sample newsletter the quick start builds."""
    return BUNDLED_SAMPLE


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No real credentials or config leak into tests; each test runs in its own folder."""
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PODCAST_CONFIG", "PODCAST_ARXIV_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
