"""Benchmark the speech stage; every figure is a ratio against a baseline measured in the same run.

1. Real-time factor (synthesis time / audio time) and speaking rate of each offline engine.
2. A 30-segment episode with the default engine: cold build serial (baseline) vs. with the process
   pool, an unchanged rebuild, and a rebuild after editing one segment (exactly one re-spoken).
3. Parallel vs. serial synthesis against a local OpenAI-compatible server with fixed latency.

Usage: python scripts/bench_speech.py [--engine piper|espeak] [--segments 30] [--latency 0.3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import struct
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from podcast.config import Config  # noqa: E402
from podcast.models import Segment  # noqa: E402
from podcast.speech.cache import SpeechCache  # noqa: E402
from podcast.speech.select import make_engine  # noqa: E402
from podcast.speech.speak import speak  # noqa: E402

SERVER_RATE = 24_000  # Hz of the fake service's audio
SENTENCES = [
    "Layer normalization rescales each example's activations across its features.",
    "It needs no batch statistics, so training and inference behave the same.",
    "Dropout silences random units while training, which discourages co-adaptation.",
    "Residual connections let very deep networks train by learning small corrections.",
    "Attention lets every position look at every other position in one step.",
    "The authors report faster convergence with fewer tuning choices.",
    "A critique is that the gains shrink on the largest models they tried.",
    "Code and checkpoints are available for anyone who wants to reproduce it.",
]


def episode(n: int, edited: int | None = None) -> list[Segment]:
    """``n`` segments of two sentences each; ``edited`` changes one segment's text."""
    segments = []
    for i in range(n):
        a, b = SENTENCES[i % len(SENTENCES)], SENTENCES[(i * 3 + 1) % len(SENTENCES)]
        text = f"Paper {i + 1}. {a} {b}"
        if i == edited:
            text += " This sentence was added by hand."
        segments.append(Segment(id=f"paper-{i}", kind="paper", title=f"Paper {i}", text=text))
    return segments


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


SHARED_SAMPLE = ROOT.parent / "shared" / "samples" / "newsletter-2025-02.txt"
BUNDLED_SAMPLE = ROOT / "assets" / "samples" / "newsletter-sample.txt"
RATE_PAPERS = 6  # papers of the newsletter read to measure the speaking rate


def newsletter_paragraphs() -> tuple[str, list[str]]:
    """Paragraphs of a real newsletter (the shared sample if present) as the engine receives them.

    The reading writer writes the written text; the speak stage makes each sentence speakable and
    applies the lexicon, so rates are measured (and preview counts words) on that spoken form.
    """
    from podcast.ingest import ingest
    from podcast.spoken import normalizer, spoken_text
    from podcast.writers.reading import ReadingWriter

    source = SHARED_SAMPLE if SHARED_SAMPLE.exists() else BUNDLED_SAMPLE
    episode = ingest([str(source)])
    episode.papers = episode.papers[:RATE_PAPERS]
    segments = ReadingWriter().write(episode)
    normalize = normalizer(episode.language)
    return source.name, [p for s in segments if s.kind == "paper"
                         for p in spoken_text(s.text, normalize).split("\n\n")]


def offline_rates() -> None:
    name, paragraphs = newsletter_paragraphs()
    words = sum(len(p.split()) for p in paragraphs)
    print(f"1. Offline engines ({words} words of {name}, {RATE_PAPERS} papers, model already loaded)")
    for engine_name in ("piper", "espeak"):
        engine = make_engine(Config(), "en", engine=engine_name)
        engine.synthesize("Warm up.")
        start, duration = time.perf_counter(), 0.0
        for paragraph in paragraphs:
            duration += engine.synthesize(paragraph).duration
        seconds = time.perf_counter() - start
        print(f"   {engine_name:7s} real-time factor {seconds / duration:.3f} "
              f"({duration:.1f} s of audio in {seconds:.2f} s); speaking rate {words / (duration / 60):.0f} words/min")


def rebuilds(engine_name: str, count: int, work: Path) -> None:
    engine = make_engine(Config(), "en", engine=engine_name)
    engine.synthesize("Warm up.")  # the model load is not part of any figure
    print(f"2. {count}-segment episode with {engine_name} ({os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at the start)")
    serial_dir, pool_dir = work / "serial", work / "pool"
    serial, cold_serial = timed(lambda: speak(episode(count), engine, SpeechCache(serial_dir), workers=1))
    audio = sum(s.duration for s in serial)
    print(f"   cold build, serial (baseline)   {cold_serial:7.2f} s  1.00x  ({audio:.0f} s of audio, "
          f"real-time factor {cold_serial / audio:.3f})")
    cores = os.cpu_count() or 1
    _, cold_pool = timed(lambda: speak(episode(count), engine, SpeechCache(pool_dir), workers=cores))
    print(f"   cold build, {cores} worker processes  {cold_pool:7.2f} s  {cold_pool / cold_serial:.2f}x  "
          f"(speedup {cold_serial / cold_pool:.2f}x, including loading the model in each)")
    unchanged, rebuild = timed(lambda: speak(episode(count), engine, SpeechCache(pool_dir)))
    print(f"   unchanged rebuild               {rebuild:7.2f} s  {rebuild / cold_serial:.4f}x  "
          f"({sum(s.spoken for s in unchanged)} segments re-spoken)")
    edited, one = timed(lambda: speak(episode(count, edited=7), engine, SpeechCache(pool_dir)))
    print(f"   rebuild after editing 1 segment {one:7.2f} s  {one / cold_serial:.4f}x  "
          f"({sum(s.spoken for s in edited)} segment re-spoken: {[s.id for s in edited if s.spoken]})")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    latency = 0.3  # s

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        time.sleep(self.latency)
        seconds = 0.06 * len(body["input"].split())
        pcm = (3000 * np.sin(np.arange(int(seconds * SERVER_RATE)) / SERVER_RATE * 2 * np.pi * 220)).astype("<i2")
        data = pcm.tobytes()
        payload = (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack("<I", 16)
                   + struct.pack("<HHIIHH", 1, 1, SERVER_RATE, SERVER_RATE * 2, 2, 16)
                   + b"data" + struct.pack("<I", len(data)) + data)
        self.send_response(200)
        self.send_header("Content-Type", "audio/wav")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def network_parallel(count: int, latency: float, work: Path) -> None:
    _Handler.latency = latency
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    os.environ.setdefault("OPENAI_API_KEY", "bench-not-a-key")
    config = Config()
    config.parts["engine"] = {"openai": {"base_url": f"http://127.0.0.1:{server.server_address[1]}/v1"}}
    engine = make_engine(config, "en", engine="openai")
    print(f"3. openai engine, {count} segments, local server with {latency:.2f} s latency per request")
    try:
        _, serial = timed(lambda: speak(episode(count), engine, SpeechCache(work / "net-1"), workers=1))
        print(f"   serial (baseline)  {serial:6.2f} s  1.00x")
        for workers in (4, 8):
            _, parallel = timed(lambda: speak(episode(count), engine, SpeechCache(work / f"net-{workers}"),
                                              workers=workers))
            print(f"   {workers} workers          {parallel:6.2f} s  {parallel / serial:.2f}x  "
                  f"(speedup {serial / parallel:.2f}x)")
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="piper", choices=["piper", "espeak"])
    parser.add_argument("--segments", type=int, default=30)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per request of the fake service")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-speech-"))
    try:
        offline_rates()
        rebuilds(args.engine, args.segments, work)
        network_parallel(args.segments, args.latency, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
