"""Mastering speed and memory on the 51-paper sample, against a bare MP3 encode of the same PCM.

    python scripts/bench_master.py [--engine espeak] [--work /tmp/bench-master] [SAMPLE]

Builds the sample once (its speech is cached under WORK, so later runs only master), then times in
separate processes, in this run:
  bare      ffmpeg's libmp3lame encoding the finished episode PCM (44.1 kHz mono WAV), same settings
  master    podcast's mastering with cold loudness measurements (layout, BS.1770 per part, one ffmpeg
            pass: concat, gain, limiter, encode; tags; mastering.json measured on the MP3)
  remaster  the same with the per-segment measurements cached (a settings change or a one-segment edit)
and prints wall time as a ratio to the bare encode, peak memory (the Python process and its largest
child, ffmpeg), and the loudness and true peak of the result. Targets: <= 1.3x, <= 300 MB,
-16 +- 0.5 LUFS, true peak <= -1 dBTP.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = next((p for p in (ROOT.parent / "shared" / "samples" / "newsletter-2025-02.txt",
                            ROOT.parent.parent / "shared" / "samples" / "newsletter-2025-02.txt") if p.exists()),
              ROOT / "assets" / "samples" / "newsletter-sample.txt")
EPISODE = "bench"


def _peaks() -> tuple[float, float]:
    """Peak RSS in MB of this process and of its largest finished child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def child_master(work: Path, cold: bool) -> None:
    """Run in a fresh process: master the episode from the pickled spoken segments; print figures as JSON."""
    from podcast import master
    from podcast.config import load_config
    from podcast.files import EpisodeDir

    episode, spoken = pickle.loads((work / "spoken.pickle").read_bytes())
    config = load_config(work / "podcast.toml")
    folder = EpisodeDir(work / "master")
    folder.root.mkdir(exist_ok=True)
    measures = work / "loudness"
    if cold:
        shutil.rmtree(measures, ignore_errors=True)
    start = time.perf_counter()
    master.master(episode, spoken, folder, config, cache_dir=measures)
    seconds = time.perf_counter() - start
    own, child = _peaks()
    print(json.dumps({"seconds": seconds, "python_mb": own, "ffmpeg_mb": child,
                      "report": json.loads(folder.mastering.read_text())}))


def child_bare(work: Path) -> None:
    """Run in a fresh process: encode the episode's PCM with libmp3lame, the same settings as mastering."""
    from podcast import master
    from podcast.audio import ffmpeg_exe
    from podcast.config import load_config

    config = load_config(work / "podcast.toml")
    start = time.perf_counter()
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i",
                    str(work / "episode.wav"), *master._codec(config), "-f", "mp3", str(work / "bare.mp3")],
                   check=True)
    seconds = time.perf_counter() - start
    own, child = _peaks()
    print(json.dumps({"seconds": seconds, "python_mb": own, "ffmpeg_mb": child}))


def prepare(sample: Path, work: Path, engine: str) -> None:
    """Build the sample once (speech cached), pickle its spoken segments, write the episode's PCM."""
    from podcast import master
    from podcast.config import load_config
    from podcast.pipeline.context import Context
    from podcast.pipeline.episode import open_episode
    from podcast.pipeline.stages.speak import load_spoken

    out = work / "output"
    if not (out / EPISODE / "episode.mp3").exists():
        print(f"building the sample with {engine} once (its speech is cached under {out})...", flush=True)
        subprocess.run([sys.executable, "-m", "podcast", "build", str(sample), "--engine", engine, "--out", str(out),
                        "--episode", EPISODE], check=True, cwd=work)
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
                path = temp / f"mix{i}.wav"
                master._float_wav(path, part.samples, plan.rate)
            following = plan.parts[i + 1].start if i + 1 < len(plan.parts) else plan.total
            inputs += ["-i", str(path)]
            chains.append(f"[{i}:a]aresample={plan.rate},aformat=sample_fmts=flt:channel_layouts=mono,"
                          f"apad=whole_len={following - part.start}[p{i}]")
        graph = ";".join(chains) + ";" + "".join(f"[p{i}]" for i in range(len(plan.parts))) + \
            f"concat=n={len(plan.parts)}:v=0:a=1,aresample={master.OUTPUT_RATE}[out]"
        from podcast.audio import ffmpeg_exe

        subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *inputs, "-filter_complex", graph,
                        "-map", "[out]", "-c:a", "pcm_s16le", str(work / "episode.wav")], check=True)
        shutil.rmtree(temp)


def run_child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sample", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--engine", default="espeak", help="engine that speaks the sample once [espeak: fast]")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-master"))
    parser.add_argument("--child", choices=["master-cold", "master-warm", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = args.work.resolve()
    if args.child == "bare":
        return child_bare(work)
    if args.child:
        return child_master(work, cold=args.child == "master-cold")
    work.mkdir(parents=True, exist_ok=True)
    if not (work / "podcast.toml").exists():
        (work / "podcast.toml").write_text("")  # defaults: -16 LUFS, -1.5 dBTP, 96k mono
    prepare(args.sample, work, args.engine)
    load = os.getloadavg()
    bare = run_child("--child", "bare", "--work", str(work))
    cold = run_child("--child", "master-cold", "--work", str(work))
    warm = run_child("--child", "master-warm", "--work", str(work))
    bare2 = run_child("--child", "bare", "--work", str(work))  # again, to see the machine's drift
    base = min(bare["seconds"], bare2["seconds"])
    report = warm["report"]
    print(f"sample: {args.sample.name}, {report['duration_s'] / 60:.1f} min of audio, engine {args.engine}; "
          f"load average {load[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'run':<10}{'wall s':>9}{'x bare':>9}{'python MB':>11}{'ffmpeg MB':>11}")
    for name, row in (("bare", bare), ("master", cold), ("remaster", warm), ("bare", bare2)):
        print(f"{name:<10}{row['seconds']:>9.2f}{row['seconds'] / base:>9.2f}{row['python_mb']:>11.0f}"
              f"{row['ffmpeg_mb']:>11.0f}")
    for name, row in (("master", cold), ("remaster", warm)):
        r = row["report"]
        print(f"{name}: {r['integrated_lufs']:.1f} LUFS (target -16.0), true peak {r['true_peak_dbtp']:.1f} dBTP, "
              f"LRA {r['loudness_range_lu']:.1f} LU, {r['bitrate_kbps']} kb/s, {r['sample_rate_hz']} Hz, "
              f"{r['channels']} channel(s)")
    print(f"targets: remaster <= 1.3x bare: {warm['seconds'] / base:.2f}x; peak <= 300 MB: "
          f"{max(warm['python_mb'] + warm['ffmpeg_mb'], cold['python_mb'] + cold['ffmpeg_mb']):.0f} MB "
          f"(python + ffmpeg, an upper bound)")


if __name__ == "__main__":
    main()
