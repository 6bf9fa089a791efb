"""Benchmark the ingest stage on the shared 51-paper newsletter (target: well under a second).

Figures are ratios against a baseline measured in the same run: reading the file and splitting
it into lines, the least any parser must do. Run from the repository root:

    python scripts/bench_ingest.py [path/to/newsletter.txt]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from podcast.ingest import ingest  # noqa: E402
from podcast.language import detect_language  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "samples" / "newsletter-2025-02.txt"
RUNS = 20  # timed repetitions; the median is reported
TARGET = 1.0  # seconds for the whole sample


def median_seconds(func) -> float:
    """Median wall time of ``func()`` over RUNS calls, after one warm-up call."""
    func()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print baseline, ingest and language-detection times, and their ratios."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    if not path.exists():
        sys.exit(f"sample not found: {path}")
    text = path.read_text(encoding="utf-8")
    baseline = median_seconds(lambda: path.read_bytes().decode("utf-8").splitlines())
    full = median_seconds(lambda: ingest([str(path)]))
    language = median_seconds(lambda: detect_language(text))
    papers = len(ingest([str(path)]).papers)
    print(f"input: {path.name}, {len(text):,} characters, {papers} papers")
    print(f"baseline (read + split lines): {baseline * 1e3:8.2f} ms   1.0x")
    print(f"ingest, whole stage:           {full * 1e3:8.2f} ms  {full / baseline:6.1f}x baseline")
    print(f"  of which language detection: {language * 1e3:7.2f} ms  {language / baseline:6.1f}x baseline")
    print(f"target {TARGET:.1f} s: ingest takes {full / TARGET:.1%} of it")


if __name__ == "__main__":
    main()
