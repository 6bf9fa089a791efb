"""Benchmark `podcast video` on an 80-minute, 52-slide synthetic episode.

Times the whole video (slide drawing + ffmpeg) in both styles, and, as the baseline measured in the
same run, a bare ffmpeg concat of the same PNGs with the same encoder settings. Prints real-time
factors and the ratio to the baseline. Targets: slides >= 200x real time, ratio <= 3, read-along >= 60x.

    python scripts/bench_video.py [--minutes 80] [--papers 50]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from podcast.audio import ffmpeg_exe
from podcast.config import Config
from podcast.files import EpisodeDir
from podcast.models import Episode, Paper, Segment, Sentence, Timeline, TimelineEntry
from podcast.video.encode import X264, concat_list, render_video
from podcast.video.render import Painter, draw_stills, plan

WORDS = ("model attention token retrieval benchmark reasoning scaling training data agent memory latency "
         "accuracy policy reward sparse dense expert routing context window evaluation").split()
SENTENCES_PER_PAPER = 15


def sentence(i: int, j: int) -> str:
    words = [WORDS[(i * 7 + j * 3 + k) % len(WORDS)] for k in range(14)]
    return " ".join(words).capitalize() + f" improves by {i + j}.{j}% over the baseline."


def synthetic_episode(folder: Path, minutes: float, papers: int) -> None:
    """papers.json, timeline.json and an 80-minute MP3 (the MP3 is not timed)."""
    duration = minutes * 60
    items = [Paper(id=f"2501.{i:05d}", title=f"Paper {i}: " + " ".join(WORDS[i % 7: i % 7 + 8]).title(),
                   links=[f"https://arxiv.org/abs/2501.{i:05d}"], authors=[f"Author {k}" for k in range(5)],
                   summary=" ".join(sentence(i, j) for j in range(8))) for i in range(1, papers + 1)]
    segments = [Segment("intro", "intro", "Intro", "x")] + [
        Segment(f"paper-{p.id}", "paper", p.title, "x", paper=p.id) for p in items] + [
        Segment("outro", "outro", "Outro", "x")]
    episode = Episode(id="bench", show="Paper Cuts", title="Paper Cuts: a benchmark month", date="2025-02-28",
                      papers=items, segments=segments)
    length = duration / len(segments)
    entries = []
    for n, segment in enumerate(segments):
        start = n * length
        step = length / SENTENCES_PER_PAPER
        sentences = [Sentence(round(start + j * step, 3), round(start + (j + 0.9) * step, 3), sentence(n, j))
                     for j in range(SENTENCES_PER_PAPER)]
        entries.append(TimelineEntry(segment.id, segment.kind, segment.title, round(start, 3),
                                     round(start + length, 3), sentences=sentences))
    dir_ = EpisodeDir(folder)
    episode.save(dir_.papers)
    Timeline(duration=duration, entries=entries).save(dir_.timeline)
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", f"anoisesrc=d={duration}:a=0.05",
                    "-ac", "1", "-ar", "44100", "-b:a", "96k", str(dir_.mp3)], check=True)


def bare_concat(folder: Path, config: Config) -> tuple[float, int]:
    """The same PNGs, drawn beforehand (untimed), then only the ffmpeg concat + encode, timed."""
    episode = Episode.load(EpisodeDir(folder).papers)
    timeline = Timeline.load(EpisodeDir(folder).timeline)
    stills = plan(timeline, "slides", False, timeline.duration)
    work = Path(tempfile.mkdtemp(dir=folder))
    paths = draw_stills(stills, (episode, timeline, config, "slides", False), work, os.cpu_count() or 1,
                        lambda d, t: None)
    (work / "list.ffconcat").write_text(concat_list(paths, stills))
    start = time.perf_counter()
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(work / "list.ffconcat"),
                    "-i", str(folder / "episode.mp3"), "-map", "0:v", "-map", "1:a", *X264, "-c:a", "copy",
                    "-movflags", "+faststart", str(work / "bare.mp4")], check=True)
    return time.perf_counter() - start, len(paths)


def timed(folder: Path, config: Config) -> float:
    start = time.perf_counter()
    render_video(EpisodeDir(folder), config)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=80.0)
    parser.add_argument("--papers", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench"
        synthetic_episode(folder, args.minutes, args.papers)
        seconds = args.minutes * 60
        config = Config()
        Painter(Episode.load(EpisodeDir(folder).papers), Timeline.load(EpisodeDir(folder).timeline), config,
                "slides", False)  # fonts loaded once, as any run does before drawing
        bare, count = bare_concat(folder, config)
        slides = timed(folder, config)
        config.values["video"]["style"] = "read-along"
        read_along = timed(folder, config)
        stills = len(plan(Timeline.load(EpisodeDir(folder).timeline), "read-along", False, seconds))
    load = os.getloadavg()
    print(f"episode: {args.minutes:.0f} min, {count} slides, {stills} read-along stills; "
          f"{os.cpu_count()} cores, load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"bare ffmpeg concat of the same PNGs : {bare:6.2f} s  {seconds / bare:7.0f}x real time")
    print(f"podcast video (slides, total)       : {slides:6.2f} s  {seconds / slides:7.0f}x real time  "
          f"ratio to bare {slides / bare:.2f}  (targets: >=200x, ratio <=3)")
    print(f"podcast video (read-along, total)   : {read_along:6.2f} s  {seconds / read_along:7.0f}x real time  "
          f"(target: >=60x)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
