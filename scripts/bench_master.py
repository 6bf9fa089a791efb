"""Mastering speed and memory on the 51-paper sample, against a bare MP3 encode of the same PCM.

    python scripts/bench_master.py [--engine espeak] [--work /tmp/bench-master] [--repeat 3] [SAMPLE]

Builds the sample once (its speech is cached under WORK, so later runs only master), then times in
separate processes, in this run:
  bare      ffmpeg's libmp3lame encoding the finished episode PCM (44.1 kHz WAV), the same settings
  master    podcast's mastering with nothing cached but the speech: layout, BS.1770 per part, gain and
            limiter, every piece encoded and measured as decoded, joined, tagged, mastering.json
  remaster  the same with the per-segment loudness cached but no encoded piece kept (a gain change)
  edit      one piece (the longest segment) encoded again, as after editing one segment
It runs --repeat rounds of the four, interleaved, and prints for each the best and the median wall
time as a ratio to the bare encode's; the CPU time of its process tree (mastering uses every core
and a bare encode about one, so on a busy machine the wall ratio tends to the CPU ratio); the peak
memory of the whole process tree (sampled every 10 ms from /proc, RSS summed over the processes);
and the loudness and true peak of the result. Targets: <= 1.3x, <= 300 MB, -16 +- 0.5 LUFS, true
peak <= -1 dBTP.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = next((p for p in (ROOT.parent / "shared" / "samples" / "newsletter-2025-02.txt",
                            ROOT.parent.parent / "shared" / "samples" / "newsletter-2025-02.txt") if p.exists()),
              ROOT / "assets" / "samples" / "newsletter-sample.txt")
EPISODE = "bench"
POLL = 0.01  # s between memory samples
# As installed: Python keeps compiled bytecode (this sandbox turns that off with PYTHONDONTWRITEBYTECODE).
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def tree_rss_mb(root: int) -> float:
    """RSS in MB summed over ``root`` and all its descendants, read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    family, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in family} - family
        grew, family = bool(more), family | more
    return sum(rss.get(pid, 0) for pid in family) / 2**20


def run_child(*args: str) -> dict:
    """Run this script in a child process; its JSON line, with the peak RSS of its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, env=ENV)
    peak = [0.0]

    def watch() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))
            time.sleep(POLL)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    watcher.join()
    if proc.returncode:
        raise SystemExit(f"bench child {args} failed with exit {proc.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the child and every process it waited for
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak[0]
    result["cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return result


def child_master(work: Path, mode: str) -> None:
    """Run in a fresh process: master the episode from the pickled spoken segments; print figures as JSON."""
    from podcast import master
    from podcast.config import load_config
    from podcast.files import EpisodeDir

    episode, spoken = pickle.loads((work / "spoken.pickle").read_bytes())
    config = load_config(work / "podcast.toml")
    folder = EpisodeDir(work / "master")
    folder.root.mkdir(exist_ok=True)
    measures, pieces = work / "loudness", work / "pieces"
    if mode in ("cold", "remaster"):
        shutil.rmtree(pieces, ignore_errors=True)
        folder.mastering.unlink(missing_ok=True)  # no earlier gain to hold on to
    if mode == "cold":
        shutil.rmtree(measures, ignore_errors=True)
    if mode == "edit":  # the longest segment's piece, as if that segment had been spoken again
        longest = max(pieces.glob("*.mp3"), key=lambda p: p.stat().st_size)
        longest.unlink()
    start = time.perf_counter()
    master.master(episode, spoken, folder, config, cache_dir=measures, pieces_dir=pieces)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "report": json.loads(folder.mastering.read_text())}))


def child_bare(work: Path) -> None:
    """Run in a fresh process: encode the episode's PCM with libmp3lame, the same settings as mastering."""
    from podcast import master
    from podcast.audio import ffmpeg_exe
    from podcast.config import load_config

    config = load_config(work / "podcast.toml")
    start = time.perf_counter()
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i",
                    str(work / "episode.wav"), *master.codec(config), "-f", "mp3", str(work / "bare.mp3")],
                   check=True)
    print(json.dumps({"seconds": time.perf_counter() - start}))


def prepare(sample: Path, work: Path, engine: str) -> None:
    """Build the sample once (speech cached), pickle its spoken segments, write the episode's PCM."""
    from podcast import master
    from podcast.audio import ffmpeg_exe
    from podcast.config import load_config
    from podcast.pipeline.context import Context
    from podcast.pipeline.episode import open_episode
    from podcast.pipeline.stages.speak import load_spoken

    out = work / "output"
    if not (out / EPISODE / "episode.mp3").exists():
        print(f"building the sample with {engine} once (its speech is cached under {out})...", flush=True)
        subprocess.run([sys.executable, "-m", "podcast", "build", str(sample), "--engine", engine, "--out", str(out),
                        "--episode", EPISODE], check=True, cwd=work, env=ENV)
    config = load_config(work / "podcast.toml")
    ctx = Context(config=config, out=out, episode_id=EPISODE, engine=engine)
    open_episode(ctx)
    spoken = load_spoken(ctx)
    (work / "spoken.pickle").write_bytes(pickle.dumps((ctx.episode, spoken)))
    if not (work / "episode.wav").exists():  # the same layout, no gain or limiter: what the bare encode gets
        plan = master.layout(ctx.episode, spoken, config)
        temp = work / "pcm"
        temp.mkdir(exist_ok=True)
        inputs, chains = [], []
        for i, part in enumerate(plan.parts):
            path = part.path
            if part.samples is not None:
                path = temp / f"mix{i}.f32"
                part.samples.astype("<f4").tofile(path)
                inputs += ["-f", "f32le", "-ar", str(plan.rate), "-ac", "1"]
            following = plan.parts[i + 1].start if i + 1 < len(plan.parts) else plan.total
            inputs += ["-i", str(path)]
            chains.append(f"[{i}:a]aresample={plan.rate},aformat=sample_fmts=flt:channel_layouts=mono,"
                          f"apad=whole_len={following - part.start}[p{i}]")
        graph = ";".join(chains) + ";" + "".join(f"[p{i}]" for i in range(len(plan.parts))) + \
            f"concat=n={len(plan.parts)}:v=0:a=1,aresample={master.OUTPUT_RATE}[out]"
        subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *inputs, "-filter_complex", graph,
                        "-map", "[out]", "-c:a", "pcm_s16le", str(work / "episode.wav")], check=True)
        shutil.rmtree(temp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sample", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--engine", default="espeak", help="engine that speaks the sample once [espeak: fast]")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-master"))
    parser.add_argument("--repeat", type=int, default=3, help="rounds of every run [3]")
    parser.add_argument("--child", choices=["cold", "remaster", "edit", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = args.work.resolve()
    if args.child == "bare":
        return child_bare(work)
    if args.child:
        return child_master(work, args.child)
    work.mkdir(parents=True, exist_ok=True)
    if not (work / "podcast.toml").exists():
        (work / "podcast.toml").write_text("")  # defaults: -16 LUFS, -1.5 dBTP, 96k mono
    prepare(args.sample, work, args.engine)
    load = os.getloadavg()
    runs: dict[str, list[dict]] = {"bare": [], "master": [], "remaster": [], "edit": []}
    for _ in range(args.repeat):  # interleaved, so that a slow spell of the machine touches every row alike
        runs["bare"].append(run_child("--child", "bare", "--work", str(work)))
        for mode in ("cold", "remaster", "edit"):
            runs["master" if mode == "cold" else mode].append(run_child("--child", mode, "--work", str(work)))
    report = runs["master"][-1]["report"]
    print(f"sample: {args.sample.name}, {report['duration_s'] / 60:.1f} min of audio, engine {args.engine}; "
          f"load average {load[0]:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"best and median of {args.repeat}")
    best = {name: min(r["seconds"] for r in rows) for name, rows in runs.items()}
    median = {name: statistics.median(r["seconds"] for r in rows) for name, rows in runs.items()}
    cpu = {name: min(r["cpu"] for r in rows) for name, rows in runs.items()}
    print(f"{'run':<10}{'best s':>9}{'x bare':>9}{'median s':>10}{'x bare':>9}{'cpu s':>9}{'x bare':>9}"
          f"{'peak MB':>10}")
    for name in runs:
        print(f"{name:<10}{best[name]:>9.2f}{best[name] / best['bare']:>9.2f}{median[name]:>10.2f}"
              f"{median[name] / median['bare']:>9.2f}{cpu[name]:>9.2f}{cpu[name] / cpu['bare']:>9.2f}"
              f"{max(r['peak_mb'] for r in runs[name]):>10.0f}")
    for name in ("master", "remaster", "edit"):
        r = runs[name][-1]["report"]
        print(f"{name}: {r['integrated_lufs']:.2f} LUFS (target -16.0), true peak {r['true_peak_dbtp']:.2f} dBTP, "
              f"LRA {r['loudness_range_lu']:.1f} LU, {r['bitrate_kbps']} kb/s, {r['sample_rate_hz']} Hz, "
              f"{r['channels']} channel(s)")
    peak = max(r["peak_mb"] for name in ("master", "remaster", "edit") for r in runs[name])
    print(f"targets: <= 1.3x bare: master {best['master'] / best['bare']:.2f}x, remaster "
          f"{best['remaster'] / best['bare']:.2f}x (best of {args.repeat}); peak <= 300 MB: {peak:.0f} MB "
          f"(process tree)")

if __name__ == "__main__":
    main()
