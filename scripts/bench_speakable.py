"""Benchmark speakable() and Lexicon.apply() on a whole newsletter.

Target: speakable() on the 51-paper sample (~12k words) in < 0.5 s, and the speak stage's path
(the written form, then each sentence made speakable and run through the lexicon) in < 1 s.
Figures are printed as ratios against a baseline measured in the same run: one compiled
regex pass (whitespace collapse) over the same text, so that a slow or busy machine
shows up in the baseline too.

Usage: python scripts/bench_speakable.py [newsletter.txt] [--runs N]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path
from typing import Callable

from podcast.lexicon import Lexicon
from podcast.markup import written
from podcast.speakable import speakable, unspeakable_tokens
from podcast.spoken import normalizer, spoken_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / ".." / "shared" / "samples" / "newsletter-2025-02.txt"
TARGET = 0.5  # seconds for speakable() on the sample
SENTENCE_TARGET = 1.0  # seconds for the written form plus per-sentence normalization of the sample
_WHITESPACE = re.compile(r"\s+")


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``work()``, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("newsletter", nargs="?", default=str(SAMPLE))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = Path(args.newsletter).read_text(encoding="utf-8")
    lexicon = Lexicon.load("en")
    spoken = speakable(text)  # warm up: builds the cached lexicon and patterns

    baseline = best_of(args.runs, lambda: _WHITESPACE.sub(" ", text))
    normalize = best_of(args.runs, lambda: speakable(text))
    apply = best_of(args.runs, lambda: lexicon.apply(spoken))
    check = best_of(args.runs, lambda: unspeakable_tokens(spoken))
    script = written(text)
    say = normalizer("en", lexicon)
    per_sentence = best_of(args.runs, lambda: spoken_text(written(text), say))

    print(f"input: {len(text.split()):,} words, {len(text):,} characters; best of {args.runs} runs")
    print(f"baseline (one regex pass)  {baseline * 1000:8.1f} ms   1.0x")
    for name, seconds in (("speakable()", normalize), ("Lexicon.apply()", apply),
                          ("unspeakable_tokens()", check), ("written() + per sentence", per_sentence)):
        print(f"{name:26} {seconds * 1000:8.1f} ms {seconds / baseline:6.1f}x baseline")
    verdict = "meets" if normalize < TARGET else "MISSES"
    print(f"speakable() {verdict} the {TARGET:.1f} s target ({normalize / TARGET:.2f} of it)")
    verdict = "meets" if per_sentence < SENTENCE_TARGET else "MISSES"
    print(f"written() + per-sentence normalization ({len(script.split()):,} words) {verdict} the "
          f"{SENTENCE_TARGET:.1f} s target ({per_sentence / SENTENCE_TARGET:.2f} of it)")


if __name__ == "__main__":
    main()
