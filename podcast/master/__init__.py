"""Mastering: lay the segments out with music and pauses, set loudness from measured parts, encode in pieces.

The episode is never held in memory. ``layout`` places every part; ``measure`` gives each part's BS.1770
measurements (cached by file); ``fit`` finds the gain that lands the episode on the target through a
model of the limiter, checked by ``calibrate`` on a real excerpt; ``chunks`` encodes each part with the
gain and limiter on every core, keeps the pieces, and measures them as decoded for ``mastering.json``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import numpy as np

from ..audio import run_ffmpeg
from ..config import Config
from ..errors import AudioError
from ..files import EpisodeDir, temp_path_for
from ..models import Episode, Timeline
from . import chunks, loudness
from .layout import Layout, Part, frames, layout, timeline
from .measure import MeasureCache, ffmpeg_input, measure_audio
from .settings import (CODEC_DELAY, LIMITER_ATTACK, LIMITER_RELEASE, OUTPUT_RATE, asset, bitrate, chain,
                       channels, codec, limiter_ceiling)

__all__ = ["Layout", "Part", "asset", "bitrate", "channels", "codec", "frames", "inputs_digest", "layout",
           "master", "OUTPUT_RATE"]

SILENCE_LUFS = -70.0  # an episode this quiet has nothing in it
CALIBRATION_SECONDS = 30.0  # of one segment, run through the real limiter and encoder
CALIBRATION_TOLERANCE = 0.05  # LU; a smaller model error is left alone
GAIN_HOLD = 0.15  # LU; a re-master whose last gain still lands this close to the target keeps it, and its pieces


def inputs_digest(episode: Episode, spoken: list, config: Config) -> str:
    """A hash of everything mastering reads; equal hashes mean episode.mp3 would come out the same."""
    from .. import __version__

    from ..cover import cover_path

    files = [asset(config, "intro", "intro.wav"), asset(config, "outro", "outro.wav"), cover_path(config)]
    data = {
        "version": __version__,
        "speech": [(s.id, s.keys) for s in spoken],
        "segments": [(s.id, s.kind, s.title, s.paper) for s in episode.segments],
        "episode": [episode.id, episode.show, episode.title, episode.date, episode.language,
                    [(p.id, p.title, p.url) for p in episode.papers]],
        "settings": [config.values["show"], config.values["audio"]],
        "files": [(str(f), f.stat().st_size, f.stat().st_mtime_ns) if f.exists() else str(f) for f in files],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def measure_parts(plan: Layout, cache_dir: Path | None = None) -> np.ndarray:
    """The laid-out episode's slot measures (K-weighted energy, peaks), from each part's own, on all cores."""
    cache = MeasureCache(cache_dir)
    slot = round(plan.slot * plan.rate)

    def one(part: Part) -> np.ndarray:
        return measure_audio(part.samples, plan.rate, plan.slot) if part.path is None else \
            cache.measures(part.path, plan.rate, plan.slot)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # the work runs in ffmpeg processes
        measures = list(pool.map(one, plan.parts))
    return loudness.place([(p.start // slot, m) for p, m in zip(plan.parts, measures)], plan.slot,
                          plan.total / plan.rate)


def _model(plan: Layout, slots: np.ndarray, config: Config, gain: float) -> float:
    """The loudness the model expects after ``gain`` dB and the limiter."""
    return loudness.gated_loudness(loudness.block_energies(
        loudness.limited(slots, gain, limiter_ceiling(config), plan.slot, LIMITER_ATTACK / 1000,
                         LIMITER_RELEASE / 1000), plan.slot, plan.total / plan.rate))


def fit(plan: Layout, slots: np.ndarray, config: Config, offset: float = 0.0) -> tuple[float, float]:
    """(gain dB, loudness expected after the limiter) that land the episode on audio.loudness.

    ``offset`` is how much louder the real chain comes out than the model predicts (see calibrate).
    """
    seconds = plan.total / plan.rate
    if loudness.integrated(slots, plan.slot, seconds) <= SILENCE_LUFS:
        raise AudioError("the episode is silent", "check the speech engine's output with `podcast voices`")
    gain, expected = loudness.fit_gain(slots, plan.slot, seconds, config.get("audio", "loudness") - offset,
                                       limiter_ceiling(config), LIMITER_ATTACK / 1000, LIMITER_RELEASE / 1000)
    return gain, expected + offset


def calibrate(plan: Layout, slots: np.ndarray, gain: float, config: Config, work: Path) -> float:
    """LU by which the real limiter and MP3 encoder land above the model, measured on an excerpt.

    CBR MP3 reads a few tenths of a LU quieter than its input, and the limiter model is an estimate;
    CALIBRATION_SECONDS of a middle segment through the real chain says by how much, for this material.
    """
    speech = [p for p in plan.parts if p.path is not None] or plan.parts
    part = speech[len(speech) // 2]
    first = part.start // round(plan.slot * plan.rate)  # the part's own measures, already placed in ``slots``
    count = min(math.ceil(part.length / (plan.slot * plan.rate)), round(CALIBRATION_SECONDS / plan.slot))
    measures = slots[:, first: first + count]
    seconds = measures.shape[1] * plan.slot
    if seconds < loudness.BLOCK * 2:
        return 0.0
    model = loudness.gated_loudness(loudness.block_energies(
        loudness.limited(measures, gain, limiter_ceiling(config), plan.slot, LIMITER_ATTACK / 1000,
                         LIMITER_RELEASE / 1000), plan.slot, seconds))
    excerpt = temp_path_for(work / "calibration.mp3")
    try:
        args, data = ffmpeg_input(part.audio, plan.rate)
        run_ffmpeg(["-v", "error", *args, "-t", f"{seconds:.3f}", "-af", f"aresample={plan.rate},{chain(gain, config)}",
                    *codec(config), "-f", "mp3", "-y", str(excerpt)], input=data, what="calibrate the encoder")
        heard = measure_audio(excerpt, OUTPUT_RATE, plan.slot)
    finally:
        excerpt.unlink(missing_ok=True)
    actual = loudness.integrated(heard, plan.slot, heard.shape[1] * plan.slot)
    if not (math.isfinite(actual) and math.isfinite(model)) or min(actual, model) <= SILENCE_LUFS:
        return 0.0
    return actual - model


def _gain(plan: Layout, slots: np.ndarray, config: Config, previous: dict, work: Path) -> tuple[float, float, float]:
    """(gain dB, expected loudness, calibration offset LU) for this master.

    When the last master's gain, with its calibration, still lands within GAIN_HOLD of the target, it is
    kept (and its encoded pieces with it) and nothing is fitted or calibrated again; otherwise the fit is
    checked on an excerpt through the real chain.
    """
    held, prior = previous.get("gain_db"), previous.get("calibration_lu")
    if isinstance(held, (int, float)) and isinstance(prior, (int, float)):
        expected = _model(plan, slots, config, held) + prior
        if abs(expected - config.get("audio", "loudness")) <= GAIN_HOLD:
            return float(held), expected, float(prior)
    gain, expected = fit(plan, slots, config)
    offset = calibrate(plan, slots, gain, config, work)
    if abs(offset) > CALIBRATION_TOLERANCE:
        gain, expected = fit(plan, slots, config, offset)
    return gain, expected, offset


def master(episode: Episode, spoken: list, folder: EpisodeDir, config: Config,
           progress: Callable[[int, int], None] | None = None, cache_dir: Path | None = None,
           pieces_dir: Path | None = None) -> Timeline:
    """Write episode.mp3 (tagged), mastering.json and timeline.json; return the timeline.

    ``cache_dir`` keeps the segments' loudness measurements and ``pieces_dir`` the encoded pieces, so a
    re-master redoes only what changed; without them, pieces go to a temporary folder.
    """
    from ..cover import checked_cover
    from .report import read_report

    step = progress or (lambda done, total: None)
    cover = checked_cover(config)
    plan = layout(episode, spoken, config)
    step(0, 100)
    folder.root.mkdir(parents=True, exist_ok=True)
    slots = measure_parts(plan, cache_dir)
    gain, expected, offset = _gain(plan, slots, config, read_report(folder.mastering), folder.root)
    step(10, 100)
    scratch = None if pieces_dir else Path(tempfile.mkdtemp(prefix=".pieces-", dir=folder.root))
    try:
        result = _encode(episode, spoken, folder, config, plan, gain, expected, offset, pieces_dir or scratch,
                         cover, lambda share: step(10 + int(85 * share), 100))
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    step(100, 100)
    return result


def _encode(episode: Episode, spoken: list, folder: EpisodeDir, config: Config, plan: Layout, gain: float,
            expected: float, offset: float, pieces_dir: Path, cover: Path | None,
            progress: Callable[[float], None]) -> Timeline:
    """Encode the pieces, join them into episode.mp3 with its tags, and write mastering.json and timeline.json."""
    from ..tags import tag_mp3
    from .report import write_report

    encoded = chunks.encode_pieces(plan, gain, config, pieces_dir, progress)
    at = chunks.starts(encoded)
    duration = (at[-1] + encoded[-1][1].samples) / OUTPUT_RATE
    mapping = [(piece.part.start, begin) for (piece, _), begin in zip(encoded, at)]

    def clock(sample: int) -> float:  # a layout sample to seconds in the MP3
        start, begin = next((s, b) for s, b in reversed(mapping) if s <= sample)
        return (begin + CODEC_DELAY) / OUTPUT_RATE + (sample - start) / plan.rate

    result = timeline(episode, spoken, plan, clock, duration)
    tmp = temp_path_for(folder.mp3)
    try:
        chunks.join(encoded, tmp)
        tag_mp3(tmp, episode, result, config, cover)
        write_report(tmp, folder.mastering, chunks.measured(encoded), gain_db=round(gain, 3),
                     calibration_lu=round(offset, 3), measured_before_encoding_lufs=round(expected, 2))
        os.replace(tmp, folder.mp3)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    result.save(folder.timeline)
    return result
