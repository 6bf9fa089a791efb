"""Benchmark the LLM writer's concurrency and `podcast preview` start-up.

Writer: a 51-paper episode against a local OpenAI-compatible server that answers each request
after a fixed latency; concurrency 1 is the baseline. Preview: the time to run
`python -m podcast preview --json` in a fresh process, against `python -c pass` and
`python -m podcast --help` measured in the same run.

    python scripts/bench_llm.py [--papers 51] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "fixtures" / "llm")]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's podcast package, in child processes too

from fake_openai import FakeOpenAI, Reply, completion, faithful_text  # noqa: E402

from podcast.models import Episode, Paper  # noqa: E402
from podcast.writers.llm import LLMWriter  # noqa: E402

SUMMARY_WORDS = 180  # about the length of one newsletter summary
RUNS = 5  # fresh processes per start-up measurement


def episode(papers: int) -> Episode:
    """A synthetic episode: numbered papers with summaries of a newsletter's length."""
    vocabulary = ("the model learns sparse attention over retrieved memory blocks and reports lower perplexity "
                  "on three benchmarks while critics question whether results transfer to longer contexts").split()
    words = " ".join(vocabulary[i % len(vocabulary)] for i in range(SUMMARY_WORDS))
    return Episode(id="bench", show="Bench", date="2025-02-01", papers=[
        Paper(id=f"2502.{i:05d}", title=f"Paper {i}", summary=f"Paper {i} claims {i}. {words}.")
        for i in range(papers)])


def write_time(papers: int, latency: float, concurrency: int) -> tuple[float, int]:
    """Seconds to write the episode's script, and the server's most requests in flight."""
    def slow(request, number):
        return Reply(body=completion(faithful_text(request)), delay=latency)

    with FakeOpenAI(slow) as server:
        writer = LLMWriter({"base_url": server.base_url, "concurrency": concurrency})
        start = time.perf_counter()
        writer.write(episode(papers))
        return time.perf_counter() - start, server.max_in_flight


def startup(args: list[str], cwd: Path) -> float:
    """Median wall time of ``python args`` in fresh processes."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], cwd=cwd, check=True, capture_output=True, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=51)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    options = parser.parse_args()

    print(f"LLM writer, {options.papers} papers, {options.latency * 1000:.0f} ms per request:")
    write_time(2, 0.0, 1)  # warm up: import the SDK once
    baseline, _ = write_time(options.papers, options.latency, 1)
    print(f"  concurrency  1: {baseline:6.2f} s  1.00x (baseline)")
    for concurrency in (4, 8):
        seconds, in_flight = write_time(options.papers, options.latency, concurrency)
        print(f"  concurrency {concurrency:2d}: {seconds:6.2f} s  {baseline / seconds:.2f}x faster, "
              f"at most {in_flight} requests in flight")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sample = ROOT / "tests" / "fixtures" / "llm" / "newsletter.txt"
        subprocess.run([sys.executable, "-m", "podcast", "script", str(sample), "--episode", "bench"], cwd=folder,
                       check=True, capture_output=True, env=ENV)
        python = startup(["-c", "pass"], folder)
        helptext = startup(["-m", "podcast", "--help"], folder)
        preview = startup(["-m", "podcast", "preview", "output/bench", "--json"], folder)
    print(f"Start-up (median of {RUNS} fresh processes):")
    print(f"  python -c pass           {python * 1000:6.0f} ms  1.00x (baseline)")
    print(f"  podcast --help           {helptext * 1000:6.0f} ms  {helptext / python:.2f}x")
    print(f"  podcast preview --json   {preview * 1000:6.0f} ms  {preview / python:.2f}x "
          f"({preview / helptext:.2f}x podcast --help)")


if __name__ == "__main__":
    main()
