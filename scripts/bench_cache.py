"""Should the speech cache store FLAC instead of WAV? Size and time, as ratios to WAV, in one run.

Speaks the first papers of the newsletter with the default engine (the baseline: synthesis CPU time),
then stores and reads back every piece both ways: 16-bit WAV as the cache writes it, and lossless FLAC
(libsndfile through the `soundfile` package, if installed). The bar from issue 9: FLAC is worth it if
it halves the size (ratio <= 0.50) for no more than 10% more time for the speech stage (ratio <= 1.10).

Usage: python scripts/bench_cache.py [--papers 4] [--engine hibari]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_voices import paragraphs, sample_text  # noqa: E402
from podcast.audio import parse_wav, wav_bytes  # noqa: E402
from podcast.config import Config  # noqa: E402
from podcast.files import atomic_write_bytes  # noqa: E402
from podcast.speech.select import make_engine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=4)
    parser.add_argument("--engine", default="")
    args = parser.parse_args()
    try:
        import soundfile
    except ImportError:
        sys.exit("needs the soundfile package (pip install soundfile) to write FLAC")
    engine = make_engine(Config(), "en", engine=args.engine or None)
    engine.synthesize("Warm up.")
    texts = paragraphs(sample_text(), args.papers)
    speeches, synth = [], 0.0
    for text in texts:
        start = time.process_time()
        speeches.append(engine.synthesize(text))
        synth += time.process_time() - start
    audio = sum(s.duration for s in speeches)
    work = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    wav_size = flac_size = 0
    wav_time = flac_time = 0.0
    for i, speech in enumerate(speeches):
        start = time.process_time()
        data = wav_bytes(speech.samples, speech.sample_rate)
        atomic_write_bytes(work / f"{i}.wav", data)
        parse_wav((work / f"{i}.wav").read_bytes(), strict=True)
        wav_time += time.process_time() - start
        wav_size += len(data)
        start = time.process_time()
        pcm = np.frombuffer(data[44:], dtype="<i2")
        buffer = io.BytesIO()
        soundfile.write(buffer, pcm, speech.sample_rate, format="FLAC", subtype="PCM_16")
        atomic_write_bytes(work / f"{i}.flac", buffer.getvalue())
        back, _ = soundfile.read(work / f"{i}.flac", dtype="int16")
        flac_time += time.process_time() - start
        flac_size += len(buffer.getvalue())
        assert np.array_equal(back, pcm), "FLAC must be lossless"
    for path in work.iterdir():
        path.unlink()
    work.rmdir()
    size_ratio = flac_size / wav_size
    time_ratio = (synth + flac_time) / (synth + wav_time)
    print(f"{len(speeches)} pieces, {audio:.0f} s of audio from {engine.name} (synthesis {synth:.2f} s CPU); "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"   WAV  (baseline) {wav_size / 2**20:7.2f} MB  store+read {wav_time:6.3f} s CPU  1.00x size")
    print(f"   FLAC            {flac_size / 2**20:7.2f} MB  store+read {flac_time:6.3f} s CPU  "
          f"{size_ratio:.2f}x size; speech stage {time_ratio:.3f}x time")
    verdict = "meets" if size_ratio <= 0.5 and time_ratio <= 1.10 else "misses"
    print(f"   FLAC {verdict} the bar (size <= 0.50x for time <= 1.10x)")


if __name__ == "__main__":
    main()
