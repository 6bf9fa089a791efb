"""Benchmark the ingest stage: a 50-paper weekly digest (target: under 100 ms) and the shared newsletter.

Figures are ratios against a baseline measured in the same run: reading the file and splitting
it into lines, the least any parser must do. The digest is built from our own Hindi fixture
(tests/fixtures/ingest/weekly-hi.txt), its four papers repeated with new titles and arXiv IDs.
Run from the repository root:

    python scripts/bench_ingest.py [path/to/newsletter.txt]
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from podcast.ingest import ingest  # noqa: E402
from podcast.language import detect_language  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "samples" / "newsletter-2025-02.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "ingest" / "weekly-hi.txt"
PAPERS = 50  # papers in the generated digest
RUNS = 20  # timed repetitions; the median is reported
DIGEST_TARGET = 0.100  # seconds for the 50-paper digest
NEWSLETTER_TARGET = 1.0  # seconds for the shared newsletter


def timings(func, clock=time.perf_counter) -> tuple[float, float]:
    """(best, median) time of ``func()`` by ``clock`` over RUNS calls, after one warm-up call.

    The best run is what the code costs; the median shows what a busy machine adds to it.
    """
    func()
    times = []
    for _ in range(RUNS):
        start = clock()
        func()
        times.append(clock() - start)
    return min(times), statistics.median(times)


def make_digest(papers: int = PAPERS) -> str:
    """A weekly digest of ``papers`` papers: the fixture's front matter, papers and end matter."""
    text = FIXTURE.read_text(encoding="utf-8")
    head, rest = text.split("\n---\n", 1)
    body, tail = rest.rsplit("\n---\n", 1)
    blocks = [block for block in body.strip().split("\n\n") if block.strip()]
    out = []
    for n in range(papers):
        block = blocks[n % len(blocks)]
        title, sections = block.split("\n", 1)
        left, right = title.split(" / ")
        sections = re.sub(r"2509\.0100\d", f"2509.{10_000 + n:05d}", sections)
        out.append(f"{left} {n + 1} / {right} {n + 1}\n{sections}")
    return f"{head}\n---\n\n" + "\n\n".join(out) + f"\n\n---\n{tail}"


def measure(path: Path, target: float, label: str) -> None:
    """Print the baseline, ingest and language-detection times of one input, with ratios."""
    text = path.read_text(encoding="utf-8")
    baseline, _ = timings(lambda: path.read_bytes().decode("utf-8").splitlines())
    best, median = timings(lambda: ingest([str(path)]))
    cpu, _ = timings(lambda: ingest([str(path)]), time.process_time)
    language, _ = timings(lambda: detect_language(text))
    papers = len(ingest([str(path)]).papers)
    print(f"{label}: {path.name}, {len(text):,} characters, {papers} papers")
    print(f"  baseline (read + split lines), best of {RUNS}: {baseline * 1e3:7.2f} ms      1.0x")
    print(f"  ingest, whole stage, best of {RUNS}:          {best * 1e3:7.2f} ms  {best / baseline:7.1f}x baseline")
    print(f"  ingest, median of {RUNS} (load-inflated):     {median * 1e3:7.2f} ms  {median / baseline:7.1f}x baseline")
    print(f"  ingest, CPU time of this process, best:     {cpu * 1e3:7.2f} ms")
    print(f"  language detection of the whole text, best: {language * 1e3:7.2f} ms  {language / baseline:7.1f}x baseline")
    verdict = "within" if best < target else "OVER"
    print(f"  target {target * 1e3:.0f} ms: the best run takes {best / target:.1%} of it ({verdict} target), "
          f"the median {median / target:.1%}")


def main() -> None:
    """Measure the generated digest, then the shared newsletter when it is there."""
    with tempfile.TemporaryDirectory() as folder:
        digest = Path(folder) / f"digest-{PAPERS}-papers.txt"
        digest.write_text(make_digest(), encoding="utf-8")
        measure(digest, DIGEST_TARGET, f"{PAPERS}-paper weekly digest")
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    if path.exists():
        measure(path, NEWSLETTER_TARGET, "monthly newsletter")
    else:
        print(f"monthly newsletter: sample not found at {path}, skipped")


if __name__ == "__main__":
    main()
