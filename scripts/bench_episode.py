"""Benchmark `podcast build` end to end, offline, on the shared sample: time per stage for
a cold build, an unchanged rerun (target: at most 2% of the cold build) and a rebuild after editing
one segment (target: at most 10%), printed as ratios to the cold build measured in the same run.

Each build is a fresh `python -m podcast build` process (start-up and imports included), in a
temporary folder with its own caches. Stage times come from the episode's state.json.

Usage: python scripts/bench_episode.py [--sample FILE] [--engine espeak|piper|hibari] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_NAME = Path("shared") / "samples" / "newsletter-2025-02.txt"
TARGETS = {"unchanged": 0.02, "one edit": 0.10}  # share of the cold build's time
EDIT = " And one more sentence, added by hand to see what a small edit costs."


def find_sample() -> Path | None:
    """The shared 51-paper newsletter, looked for beside this checkout and its parents."""
    for base in (ROOT.parent, ROOT.parent.parent, Path("/work")):
        if (base / SAMPLE_NAME).is_file():
            return base / SAMPLE_NAME
    return None


# As a user's machine runs it: Python keeps compiled bytecode (pip writes it at install), which this
# sandbox turns off with PYTHONDONTWRITEBYTECODE; without it every run compiles the package again.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPATH": str(ROOT)}


def build(sample: Path, out: Path, engine: str) -> tuple[float, str]:
    """One build as a user runs it; (wall seconds, stdout)."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "podcast", "build", str(sample), "--engine", engine,
                           "--out", str(out)], capture_output=True, text=True, cwd=out.parent,
                          env=ENV)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"build failed ({proc.returncode}): {proc.stderr.strip()}")
    return seconds, proc.stdout


def stage_times(folder: Path) -> dict[str, float | None]:
    """Seconds of each stage that ran in the latest run; None for the stages it reused."""
    state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    last = state["runs"]
    return {name: (record["seconds"] if record["run"] == last else None)
            for name, record in state["stages"].items()}


def edit_one_segment(script: Path) -> str:
    """Append a sentence to the third paper's segment; return its id."""
    text = script.read_text(encoding="utf-8")
    headings = [m for m in re.finditer(r"^## \[(paper-[^\]]+)\].*$", text, re.MULTILINE)]
    target = headings[2]
    end = headings[3].start() if len(headings) > 3 else len(text)
    body = text[target.end():end].rstrip()
    script.write_text(text[:target.end()] + body + EDIT + "\n\n" + text[end:], encoding="utf-8")
    return target.group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=find_sample(), help="newsletter to build")
    parser.add_argument("--engine", default="espeak", help="offline engine (espeak is the fastest)")
    parser.add_argument("--keep", type=Path, help="build here and keep the result")
    args = parser.parse_args()
    args.sample = args.sample.resolve() if args.sample else None
    if not args.sample or not args.sample.is_file():
        sys.exit("the shared sample was not found; pass --sample FILE")
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-episode-"))
    work.mkdir(parents=True, exist_ok=True)
    out = work / "output"
    shutil.rmtree(out, ignore_errors=True)
    print(f"sample: {args.sample} ({len(args.sample.read_text(encoding='utf-8').split()):,} words), "
          f"engine {args.engine}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")

    runs: dict[str, tuple[float, dict]] = {}
    seconds, stdout = build(args.sample, out, args.engine)
    folder = next(p for p in out.iterdir() if (p / "state.json").exists())
    runs["cold"] = (seconds, stage_times(folder))
    duration = re.search(r"Duration: (\S+)", stdout)
    segments = re.search(r"Segments: (\d+)", stdout)
    print(f"episode {folder.name}: {duration.group(1) if duration else '?'} of audio, "
          f"{segments.group(1) if segments else '?'} segments")
    seconds, _ = build(args.sample, out, args.engine)
    runs["unchanged"] = (seconds, stage_times(folder))
    edited = edit_one_segment(folder / "script.md")
    seconds, stdout = build(args.sample, out, args.engine)
    runs["one edit"] = (seconds, stage_times(folder))
    respoken = re.search(r"Segments: \d+ \((\d+) spoken now", stdout)
    print(f"edited segment [{edited}]; the rebuild spoke {respoken.group(1) if respoken else '?'} segment(s)\n")

    stages = list(runs["cold"][1])
    print(f"{'stage':<12}" + "".join(f"{name:>14}" for name in runs))
    for stage in stages:
        cells = []
        for _, times in runs.values():
            value = times.get(stage)
            cells.append(f"{'reused':>14}" if value is None else f"{value:>12.2f} s")
        print(f"{stage:<12}" + "".join(cells))
    cold = runs["cold"][0]
    print(f"{'total (wall)':<12}" + "".join(f"{seconds:>12.2f} s" for seconds, _ in runs.values()))
    print(f"{'ratio':<12}" + "".join(f"{seconds / cold:>14.4f}" for seconds, _ in runs.values()))
    print()
    for name, target in TARGETS.items():
        ratio = runs[name][0] / cold
        verdict = "meets" if ratio <= target else "misses"
        print(f"{name}: {ratio:.2%} of the cold build ({runs[name][0]:.2f} s of {cold:.2f} s); "
              f"target {target:.0%}: {verdict} it")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
