"""The speak stage: segments to WAV files, through the cache, in parallel, with sentence timings."""

from __future__ import annotations

import bisect
import concurrent.futures as cf
import hashlib
import itertools
import json
import multiprocessing
import os
import random
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import AudioError
from ..models import Segment
from .audio import PIECE_PAUSE, join
from .base import Engine, Speech
from .cache import FORMAT, SpeechCache
from .retry import BACKOFF, call_with_retries
from .text import pack_labelled, split_long, split_sentences

TURN_PAUSE = 0.25  # s between two hosts' turns by default (audio.turn_pause)

NETWORK_WORKERS = 4  # concurrent requests to a speech service by default
SEPARATOR = "\n\n"  # between the sentences of a piece: engines that re-split text find the same sentences

Progress = Callable[[int, int], None]


@dataclass
class SpokenSegment:
    """One segment's speech: a WAV of the whole segment and where each sentence falls in it."""

    id: str  # Segment.id
    path: Path  # a 16-bit mono WAV of the whole segment (pieces joined click-free)
    sample_rate: int  # Hz
    duration: float  # seconds
    sentences: list[tuple[float, float, str]]  # (start s, end s, written text) within the segment
    keys: list[str]  # cache keys this segment used (the pipeline stores them in speech.json for `cache --prune`)
    spoken: bool  # True if any piece was synthesized in this run (False = all from cache)
    speakers: list[str] = field(default_factory=list)  # host name per sentence; empty for one voice
    said: list[str] = field(default_factory=list)  # the spoken text of each sentence, as the engine got it


Label = tuple[int, str, str]  # (sentence number in the segment, written sentence, spoken text of this part)


@dataclass
class _Plan:
    segment: Segment
    texts: list[str]  # the text of each piece, as the engine gets it
    labels: list[list[Label]]  # the sentences (or parts of a long one) of each piece
    keys: list[str]  # one per piece
    joined: str  # the key of the whole segment's WAV
    engines: list[Engine] = field(default_factory=list)  # who speaks each piece
    speakers: list[str] = field(default_factory=list)  # host name per piece ("" for one voice)
    gaps: list[float] = field(default_factory=list)  # silence (s) before each piece after the first


def plan(segments: list[Segment], engine: Engine, lexicon: Any = None, voices: dict[str, Engine] | None = None,
         turn_pause: float = TURN_PAUSE, normalize: Callable[[str], str] | None = None) -> list[_Plan]:
    """Split each segment into turns (one per host paragraph run) and pieces under the engine's limit; key them.

    With ``voices`` (host name → engine), ``Name: …`` paragraphs are spoken by that host's engine, and no
    piece spans two turns, so editing one turn re-speaks only its pieces. Each written sentence is
    spoken as ``normalize`` makes it (else as ``lexicon`` makes it, else as written); a spoken
    sentence over the engine's limit is cut at clauses into parts.
    """
    from ..hosts import split_turns

    say = normalize or (lambda s: lexicon.apply(s) if lexicon is not None else s)
    names = list(voices or {})
    plans = []
    for segment in segments:
        p = _Plan(segment, [], [], [], "")
        number = 0
        for speaker, text in (split_turns(segment.text, names) if names else [("", segment.text)]):
            voice = voices.get(speaker, engine) if voices else engine
            items: list[tuple[str, Label]] = []
            for written in split_sentences(text):
                spoken = say(written).strip()
                items += [(part, (number, written, part)) for part in split_long(spoken, voice.text_limit) if spoken]
                number += 1
            pieces = pack_labelled(items, voice.text_limit, gap=len(SEPARATOR))
            for n, piece in enumerate(pieces):
                if p.texts:
                    p.gaps.append(PIECE_PAUSE if n else turn_pause)
                p.texts.append(SEPARATOR.join(t for t, _ in piece))
                p.labels.append([label for _, label in piece])
                p.keys.append(SpeechCache.key(voice.identity(), p.texts[-1]))
                p.engines.append(voice)
                p.speakers.append(speaker)
        layout = {"format": FORMAT, "pieces": p.keys, "labels": p.labels, "pause": PIECE_PAUSE}
        if names:
            layout.update(gaps=p.gaps, speakers=p.speakers)
        p.joined = hashlib.sha256(json.dumps(layout).encode()).hexdigest()
        plans.append(p)
    return plans


def speak(segments: list[Segment], engine: Engine, cache: SpeechCache, *, lexicon: Any = None,
          normalize: Callable[[str], str] | None = None, workers: int = 0, retries: int = 5, progress: Progress | None = None,
          backoff: float = BACKOFF, voices: dict[str, Engine] | None = None,
          turn_pause: float = TURN_PAUSE) -> list[SpokenSegment]:
    """Speak every segment into a WAV, synthesizing only the pieces the cache lacks.

    Network engines run ``workers`` requests at once (default 4) with retries, exponential backoff and
    jitter on transient errors; auth errors and being offline stop everything at once. Offline engines
    use a process pool when there is enough text to repay starting it. Finished pieces stay cached
    if a later one fails, so a rerun resumes. ``voices`` gives each host its own engine (see plan()).
    """
    plans = plan(segments, engine, lexicon, voices, turn_pause, normalize)
    pending = [p for p in plans if cache.get(p.joined) is None]
    todo: dict[str, tuple[Engine, str]] = {}
    for p in pending:
        for key, text, voice in zip(p.keys, p.texts, p.engines):
            if key not in todo and cache.get(key) is None:
                todo[key] = (voice, text)
    total = len({k for p in plans for k in p.keys})
    report = progress or (lambda done, total: None)
    report(total - len(todo), total)
    finished = 0
    for voice in {id(v): v for v, _ in todo.values()}.values():  # one pool per host's engine
        mine = {key: text for key, (v, text) in todo.items() if v is voice}
        _synthesize_all(mine, voice, cache, workers, retries, backoff,
                        lambda n, base=finished: report(total - len(todo) + base + n, total))
        finished += len(mine)
    return [_assemble(p, cache, spoken=any(k in todo for k in p.keys)) for p in plans]


def _synthesize_all(todo: dict[str, str], engine: Engine, cache: SpeechCache, workers: int, retries: int,
                    backoff: float, done: Callable[[int], None]) -> None:
    if not todo:
        return
    rng = random.Random()
    if engine.network:
        count = workers or NETWORK_WORKERS
    else:
        count = workers or os.cpu_count() or 1  # speech.workers = 1 keeps a busy machine responsive
        chars = sum(len(t) for t in todo.values())
        if count < 2 or not engine.process_pool_chars or chars < engine.process_pool_chars:
            for n, (key, text) in enumerate(todo.items(), 1):
                speech = call_with_retries(lambda: engine.synthesize(text), retries=retries, base=backoff, rng=rng)
                cache.put(key, speech)
                done(n)
            return
    cancelled = threading.Event()
    if engine.network:
        executor: cf.Executor = cf.ThreadPoolExecutor(min(count, len(todo)), thread_name_prefix="speak")
        submit = lambda text: executor.submit(_synthesize_in_thread, engine, text, retries, backoff,  # noqa: E731
                                              rng, cancelled)
    else:
        executor = process_pool(min(count, len(todo)))
        submit = lambda text: executor.submit(_synthesize_in_worker, engine, text, retries, backoff)  # noqa: E731
    futures: dict[cf.Future, str] = {}
    stored: set[cf.Future] = set()
    try:
        futures.update({submit(text): key for key, text in todo.items()})
        for n, future in enumerate(cf.as_completed(futures), 1):
            cache.put(futures[future], future.result())
            stored.add(future)
            done(n)
    except BaseException as error:
        cancelled.set()
        executor.shutdown(wait=True, cancel_futures=True)
        first = None
        for future, key in futures.items():  # keep what finished meanwhile, so a rerun resumes
            if future.done() and not future.cancelled() and future not in stored:
                failure = future.exception()
                if failure is None:
                    cache.put(key, future.result())
                elif first is None and not isinstance(failure, _Cancelled):
                    first = failure
        if isinstance(error, _Cancelled) and first is not None:
            raise first from None
        raise
    executor.shutdown(wait=True)


def process_pool(workers: int) -> cf.ProcessPoolExecutor:
    """Worker processes for offline engines; spawned, because forking after onnxruntime starts threads is unsafe."""
    return cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


class _Cancelled(Exception):
    """Internal: a queued piece skipped because another failed for good (never escapes speak())."""


def _synthesize_in_thread(engine: Engine, text: str, retries: int, backoff: float, rng: random.Random,
                          cancelled: threading.Event) -> Speech:
    """One piece, with retries; a fatal error stops the pieces still queued from sending anything."""
    if cancelled.is_set():
        raise _Cancelled()
    try:
        return call_with_retries(lambda: engine.synthesize(text), retries=retries, base=backoff, rng=rng,
                                 cancelled=cancelled)
    except BaseException:
        cancelled.set()
        raise


def _synthesize_in_worker(engine: Engine, text: str, retries: int, backoff: float) -> Speech:
    """Runs in a worker process; the engine's model is loaded once per process and reused."""
    return call_with_retries(lambda: engine.synthesize(text), retries=retries, base=backoff)


def _assemble(p: _Plan, cache: SpeechCache, spoken: bool) -> SpokenSegment:
    entry = cache.get(p.joined)
    if entry is None:
        speeches = [cache.load(key) for key in p.keys]
        if any(s is None for s in speeches):
            raise AudioError(f"cached speech for segment {p.segment.id} vanished while building",
                             "run the same command again")
        rates = {s.sample_rate for s in speeches}
        if len(rates) > 1 and not any(p.speakers):
            raise AudioError(f"segment {p.segment.id} mixes sample rates {sorted(rates)}", "clear the speech cache")
        rate = max(rates) if rates else 22_050
        if len(rates) > 1:  # two hosts' engines: bring every turn to the higher rate
            from .voices import resample

            speeches = [Speech(resample(s.samples, s.sample_rate, rate), rate, s.sentences) for s in speeches]
        samples, starts = join([s.samples for s in speeches], rate, p.gaps or PIECE_PAUSE)
        timings: list[tuple[float, float]] = []
        for speech, start, labels in zip(speeches, starts, p.labels):
            timings += [(start + a, start + b) for a, b in _per_label(speech.sentences, labels)]
        sentences = _merge(timings, p)[0]
        entry = cache.put(p.joined, Speech(samples, rate, sentences))
    _, said, speakers = _merge([(s, e) for s, e, _ in entry.sentences], p)
    if len(said) != len(entry.sentences):
        said, speakers = [t for _, _, t in entry.sentences], speakers[:len(entry.sentences)]
    return SpokenSegment(id=p.segment.id, path=entry.path, sample_rate=entry.sample_rate, duration=entry.duration,
                         sentences=entry.sentences, keys=[*p.keys, p.joined], spoken=spoken,
                         speakers=speakers if any(p.speakers) else [], said=said)


def _per_label(found: list[tuple[float, float, str]], labels: list[Label]) -> list[tuple[float, float]]:
    """(start, end) of each label in a piece, from the sentences the engine found in it.

    Engines split a piece with :func:`split_sentences`, so a label whose spoken text holds two
    sentences ("… et cetera. Then …") gets two; when the counts still differ, each of the engine's
    sentences goes to the label at the same relative position in the text.
    """
    counts = [max(1, len(split_sentences(said))) for _, _, said in labels]
    if sum(counts) == len(found):
        owner = [k for k, count in enumerate(counts) for _ in range(count)]
    else:
        bounds = list(itertools.accumulate(len(said) + 1 for _, _, said in labels))
        lengths = [len(text) + 1 for _, _, text in found]
        owner, position, total = [], 0, sum(lengths) or 1
        for length in lengths:
            middle = (position + length / 2) / total * bounds[-1]
            owner.append(min(bisect.bisect_right(bounds, middle), len(labels) - 1))
            position += length
    spans: list[tuple[float, float]] = []
    for k in range(len(labels)):
        mine = [found[i] for i, o in enumerate(owner) if o == k]
        if mine:
            spans.append((mine[0][0], mine[-1][1]))
        else:  # nothing heard for it: a zero-length span where it would be
            at = spans[-1][1] if spans else (found[0][0] if found else 0.0)
            spans.append((at, at))
    return spans


def _merge(timings: list[tuple[float, float]], p: _Plan) -> tuple[list[tuple[float, float, str]], list[str], list[str]]:
    """One timed sentence per written sentence (parts of one cut to fit the limit are joined): its
    (start, end, written text), its spoken text and its speaker."""
    labels = [(label, speaker) for labels, speaker in zip(p.labels, p.speakers or [""] * len(p.labels))
              for label in labels]
    sentences: list[tuple[float, float, str]] = []
    said: list[str] = []
    speakers: list[str] = []
    last = None
    for (start, end), ((number, written, part), speaker) in zip(timings, labels):
        if number == last:
            sentences[-1] = (sentences[-1][0], end, written)
            said[-1] = f"{said[-1]} {part}"
        else:
            sentences.append((start, end, written))
            said.append(part)
            speakers.append(speaker)
        last = number
    return sentences, said, speakers
