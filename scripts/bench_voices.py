"""Compare the offline voices on the same newsletter text, side by side, in one run.

For each offline engine (hibari, piper, espeak), in its own subprocess so peak memory is its own:
  * real-time factor: CPU seconds of synthesis per second of audio (model already loaded);
  * peak memory: the worker process's maximum resident set size (Python and numpy included);
  * word error rate: pocketsphinx (US English model, offline) transcribes each spoken sentence, and the
    word-level edit distance to the text the engine was given is divided by that text's word count;
  * cold build: `podcast build` of the bundled sample with a fresh cache (wall and CPU time).
Every figure is also given as a ratio to Piper's, measured in the same run.

Usage: python scripts/bench_voices.py [--papers 4] [--text FILE] [--engines hibari,piper,espeak] [--no-build]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENGINES = ("hibari", "piper", "espeak")
BASELINE = "piper"
RECOGNIZER_RATE = 16_000  # Hz, what pocketsphinx's US English model expects
SAMPLES = [ROOT.parent / "shared" / "samples" / "newsletter-2025-02.txt",
           ROOT.parent.parent / "shared" / "samples" / "newsletter-2025-02.txt"]  # beside a clone or a worktree
BUNDLED = ROOT / "assets" / "samples" / "newsletter-sample.txt"


def sample_text() -> Path:
    """The shared 51-paper newsletter when it is beside this checkout, else the bundled sample."""
    return next((p for p in SAMPLES if p.exists()), BUNDLED)


def paragraphs(source: Path, papers: int) -> list[str]:
    """What the speak stage gives an engine for the first ``papers`` papers: reading writer, then the lexicon."""
    from podcast.ingest import ingest
    from podcast.lexicon import Lexicon
    from podcast.writers.reading import ReadingWriter

    episode = ingest([str(source)])
    episode.papers = episode.papers[:papers]
    lexicon = Lexicon.load("en", None)
    segments = [s for s in ReadingWriter().write(episode) if s.kind == "paper"]
    return [lexicon.apply(p) for s in segments for p in s.text.split("\n\n") if p.strip()]


def worker(engine_name: str, work: Path) -> None:
    """Runs in a subprocess: load one engine, speak every paragraph, save 16 kHz audio per sentence."""
    from scipy.signal import resample_poly

    from podcast.config import Config
    from podcast.speech.select import make_engine

    texts = json.loads((work / "text.json").read_text(encoding="utf-8"))
    start = time.perf_counter()
    engine = make_engine(Config(), "en", engine=engine_name)
    engine.synthesize("Warm up.")  # loads the model
    load = time.perf_counter() - start
    cpu, audio, sentences = 0.0, 0.0, []
    for text in texts:
        before = time.process_time()
        speech = engine.synthesize(text)
        cpu += time.process_time() - before
        audio += speech.duration
        divisor = np.gcd(speech.sample_rate, RECOGNIZER_RATE)
        for s, e, said in speech.sentences:
            part = speech.samples[int(s * speech.sample_rate):int(e * speech.sample_rate)]
            pcm = resample_poly(part, RECOGNIZER_RATE // divisor, speech.sample_rate // divisor)
            sentences.append((said, np.clip(pcm * 32768, -32768, 32767).astype(np.int16)))
    np.savez(work / f"{engine_name}.npz", *[pcm for _, pcm in sentences])
    (work / f"{engine_name}.json").write_text(json.dumps([said for said, _ in sentences]), encoding="utf-8")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB -> MB on Linux
    print(json.dumps({"load": load, "cpu": cpu, "audio": audio, "peak_mb": peak}))


def words(text: str) -> list[str]:
    """Lower-case words without punctuation; hyphens split words, apostrophes inside a word stay."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"[-‐–—/]", " ", text)
    return [w.strip("'") for w in re.sub(r"[^a-z0-9' ]", " ", text).split() if w.strip("'")]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    """Word-level Levenshtein distance: substitutions, insertions and deletions."""
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def word_error_rate(engine_name: str, work: Path) -> float:
    """pocketsphinx's transcript of each sentence against the sentence's text: errors / reference words."""
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=RECOGNIZER_RATE, loglevel="FATAL")
    texts = json.loads((work / f"{engine_name}.json").read_text(encoding="utf-8"))
    audio = np.load(work / f"{engine_name}.npz")
    errors = total = 0
    for i, text in enumerate(texts):
        decoder.start_utt()
        decoder.process_raw(audio[f"arr_{i}"].tobytes(), full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
        ref = words(text)
        errors += edit_distance(ref, words(hyp.hypstr if hyp else ""))
        total += len(ref)
    return errors / max(total, 1)


def cold_build(engine_name: str, work: Path) -> tuple[float, float]:
    """Wall and CPU seconds of `podcast build` of the bundled sample with an empty cache."""
    out = work / f"build-{engine_name}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "podcast", "build", str(BUNDLED), "--out", str(out),
                    "--engine", engine_name], check=True, capture_output=True, cwd=work)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=4, help="papers of the newsletter to speak")
    parser.add_argument("--text", type=Path, help="newsletter to read [default: the shared sample, else bundled]")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--no-build", action="store_true", help="skip the cold builds of the bundled sample")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.work)
        return
    engines = [e for e in args.engines.split(",") if e]
    source = args.text or sample_text()
    work = Path(tempfile.mkdtemp(prefix="bench-voices-"))
    try:
        texts = paragraphs(source, args.papers)
        (work / "text.json").write_text(json.dumps(texts), encoding="utf-8")
        count = sum(len(words(t)) for t in texts)
        print(f"Offline voices on {count} words of {source.name} ({args.papers} papers); {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f} at the start")
        rows = {}
        for name in engines:
            done = subprocess.run([sys.executable, __file__, "--worker", name, "--work", str(work)],
                                  check=True, capture_output=True, text=True)
            rows[name] = json.loads(done.stdout.strip().splitlines()[-1])
            rows[name]["wer"] = word_error_rate(name, work)
            if not args.no_build:
                rows[name]["wall"], rows[name]["build_cpu"] = cold_build(name, work)
        base = rows.get(BASELINE) or next(iter(rows.values()))
        head = f"{'engine':8s} {'audio s':>8s} {'RTF (CPU)':>10s} {'x piper':>8s} {'peak MB':>8s} {'x piper':>8s} " \
               f"{'WER':>6s} {'x piper':>8s} {'load s':>7s}"
        if not args.no_build:
            head += f" {'build wall s':>12s} {'build CPU s':>11s} {'piper/this':>10s}"
        print(head)
        for name, r in rows.items():
            rtf = r["cpu"] / r["audio"]
            line = (f"{name:8s} {r['audio']:8.1f} {rtf:10.4f} {rtf / (base['cpu'] / base['audio']):8.2f} "
                    f"{r['peak_mb']:8.0f} {r['peak_mb'] / base['peak_mb']:8.2f} {r['wer']:6.3f} "
                    f"{r['wer'] / base['wer']:8.2f} {r['load']:7.2f}")
            if not args.no_build:
                line += f" {r['wall']:12.1f} {r['build_cpu']:11.1f} {base['wall'] / r['wall']:9.2f}x"
            print(line)
        print(f"load average {os.getloadavg()[0]:.1f} at the end; WER from pocketsphinx {_version()} en-us, "
              "per sentence; cold build = `podcast build` of the bundled sample with an empty cache")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _version() -> str:
    from importlib import metadata

    return metadata.version("pocketsphinx")


if __name__ == "__main__":
    main()
