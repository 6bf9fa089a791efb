"""ITU-R BS.1770 loudness from parts: K-weighted energy per 20 ms slot, combined into gated blocks.

An episode is laid out as parts that start on a slot boundary and never overlap (speech segments,
and rendered stretches where music plays under the voice). Each part's slot energies are measured
once (and cached); placing them on the episode's grid gives every 400 ms block's energy exactly,
so the whole episode's integrated loudness is known without ever holding the episode.
"""

from __future__ import annotations

import math

import numpy as np

BLOCK = 0.4  # s, gating block (BS.1770)
HOP = 0.1  # s, 75% overlap between blocks
ABSOLUTE_GATE = -70.0  # LUFS
RELATIVE_GATE = -10.0  # LU below the loudness of the blocks above the absolute gate
OFFSET = -0.691  # dB, BS.1770's constant so that a 997 Hz sine at 0 dBFS reads -3.01 LUFS
GRIDS = (0.02, 0.04, 0.05, 0.1)  # s, candidate slot lengths; the first that is a whole number of samples
MEASURE_VERSION = 3  # bump when the measurement changes, to ignore cached slot energies


def slot_seconds(rate: int) -> float:
    """The slot length for a layout at ``rate``: 20 ms where that is a whole number of samples."""
    return next(g for g in GRIDS if abs(g * rate - round(g * rate)) < 1e-9)


def k_weighting(rate: int) -> np.ndarray:
    """The K-weighting filter (high shelf, then the RLB high-pass) as second-order sections at ``rate``.

    The analog prototypes of BS.1770 brought to any rate by the bilinear transform; at 48 kHz this gives
    the coefficients printed in the standard.
    """
    f0, gain, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = [(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
             1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    highpass = [1.0, -2.0, 1.0, 1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]
    return np.array([shelf, highpass], dtype=np.float64)


PEAKS_PER_SLOT = 4  # sample peaks kept per slot (5 ms each at 20 ms slots), for the limiter model


def slot_bounds(count: int, rate: int, slot: float) -> np.ndarray:
    """Sample index of every slot boundary (``count`` + 1 of them)."""
    return np.round(np.arange(count + 1) * slot * rate).astype(np.int64)


def slot_energy(power: np.ndarray, rate: int, slot: float) -> np.ndarray:
    """The mean of ``power`` (K-weighted squares) over each ``slot``-second slot; the last, partial slot's
    over the whole slot, as silence follows a part."""
    if not len(power):
        return np.zeros(0)
    count = math.ceil(len(power) / (slot * rate) - 1e-9)
    bounds = slot_bounds(count, rate, slot)
    sums = np.add.reduceat(np.asarray(power, dtype=np.float64), np.minimum(bounds[:-1], len(power) - 1))
    sums[bounds[:-1] >= len(power)] = 0.0
    return sums / np.diff(bounds)


def slot_measures(samples: np.ndarray, rate: int, slot: float, weighted: np.ndarray | None = None) -> np.ndarray:
    """Per ``slot``-second slot from the start of ``samples``: the K-weighted mean square (row 0) and the
    sample peak of each quarter of the slot (rows 1–4).

    ``weighted`` is the K-weighted signal when the caller has it (ffmpeg filters it in ``measure.py``);
    otherwise it is computed here with scipy.
    """
    samples = np.asarray(samples, dtype=np.float32)
    if not len(samples):
        return np.zeros((1 + PEAKS_PER_SLOT, 0), dtype=np.float64)
    if weighted is None:
        from scipy.signal import sosfilt

        weighted = sosfilt(k_weighting(rate).astype(np.float32), samples)
    count = math.ceil(len(samples) / (slot * rate) - 1e-9)
    fine = np.round(np.arange(count * PEAKS_PER_SLOT + 1) * slot * rate / PEAKS_PER_SLOT).astype(np.int64)
    padded = np.zeros(max(int(fine[-1]), len(samples)) + 1, dtype=np.float32)
    padded[: len(samples)] = np.abs(samples)
    peaks = np.maximum.reduceat(padded, fine[:-1]).astype(np.float64).reshape(count, PEAKS_PER_SLOT).T
    power = np.square(np.asarray(weighted, dtype=np.float32))
    return np.vstack([slot_energy(power, rate, slot)[:count], peaks])


def block_energies(slots: np.ndarray, slot: float, duration: float, block: float = BLOCK) -> np.ndarray:
    """Mean-square energy of every ``block``-second block (100 ms apart) that fits inside ``duration`` seconds."""
    per_block, per_hop = round(block / slot), round(HOP / slot)
    blocks = int(math.floor((duration - block) / HOP + 1e-9)) + 1
    if blocks <= 0:
        return np.zeros(0)
    needed = (blocks - 1) * per_hop + per_block
    padded = np.zeros(needed + 1)
    padded[1:1 + min(needed, len(slots))] = slots[:needed]
    total = np.cumsum(padded)
    starts = np.arange(blocks) * per_hop
    return (total[starts + per_block] - total[starts]) / per_block


def gated_loudness(blocks: np.ndarray) -> float:
    """Integrated loudness (LUFS) of block energies: absolute gate, then relative gate (BS.1770-4)."""
    with np.errstate(divide="ignore"):
        loud = OFFSET + 10 * np.log10(blocks)
    kept = blocks[loud > ABSOLUTE_GATE]
    if not len(kept):
        return -math.inf
    threshold = OFFSET + 10 * math.log10(kept.mean()) + RELATIVE_GATE
    gated = blocks[(loud > ABSOLUTE_GATE) & (loud > threshold)]
    return OFFSET + 10 * math.log10(gated.mean())


def place(parts: list[tuple[int, np.ndarray]], slot: float, duration: float) -> np.ndarray:
    """The episode's slot measures (rows × slots) from non-overlapping parts given as (first slot, measures)."""
    rows = parts[0][1].shape[0] if parts else 1 + PEAKS_PER_SLOT
    slots = np.zeros((rows, int(math.ceil(duration / slot)) + 1))
    for first, measures in parts:
        end = min(slots.shape[1], first + measures.shape[1])
        slots[:, first:end] += measures[:, : end - first]
    return slots


def integrated(slots: np.ndarray, slot: float, duration: float) -> float:
    """Integrated loudness (LUFS) of an episode's slot measures."""
    return gated_loudness(block_energies(slots[0], slot, duration))


SHORT_TERM = 3.0  # s, the short-term loudness window (EBU Tech 3341)
LRA_RELATIVE_GATE = -20.0  # LU (EBU Tech 3342)
LRA_PERCENTILES = (10, 95)


def loudness_range(slots: np.ndarray, slot: float, duration: float) -> float:
    """Loudness range (LU, EBU Tech 3342): the 10th to 95th percentile of gated 3 s short-term loudness."""
    windows = block_energies(slots[0], slot, duration, SHORT_TERM)
    with np.errstate(divide="ignore"):
        loud = OFFSET + 10 * np.log10(windows)
    kept = windows[loud > ABSOLUTE_GATE]
    if not len(kept):
        return 0.0
    threshold = OFFSET + 10 * math.log10(kept.mean()) + LRA_RELATIVE_GATE
    gated = loud[(loud > ABSOLUTE_GATE) & (loud > threshold)]
    low, high = np.percentile(gated, LRA_PERCENTILES)
    return float(high - low)


SUBSTEPS = 2  # points per peak interval at which the limiter's gain is modelled


def _shapes(interval: float, attack: float, release: float) -> np.ndarray:
    """How much of a peak's gain reduction remains (0..1) at each substep of the intervals around it.

    Row ``lag`` is the interval ``lag - 1`` after the one holding the peak (taken at its middle): the
    gain falls linearly over ``attack`` before the peak and recovers linearly over ``release`` after it.
    """
    after = int(math.ceil((release + interval / 2) / interval))
    lags = np.arange(-1, after + 1)
    times = (lags[:, None] + (np.arange(SUBSTEPS)[None, :] + 0.5) / SUBSTEPS) * interval - interval / 2
    return np.where(times < 0, np.clip(1 + times / attack, 0, 1), np.clip(1 - times / release, 0, 1))


def limited(slots: np.ndarray, gain_db: float, ceiling_db: float, slot: float, attack: float,
            release: float) -> np.ndarray:
    """Slot energies after ``gain_db`` and a look-ahead peak limiter at ``ceiling_db`` dBFS.

    A model of the limiter's effect on loudness: every 5 ms whose peak would pass the ceiling is pulled
    down to it, the gain ramping down over ``attack`` s before the peak and back up over ``release`` s;
    each slot's energy is scaled by the mean square of that gain over the slot.
    """
    gain = 10 ** (gain_db / 20)
    ceiling = 10 ** (ceiling_db / 20)
    peaks = slots[1:].T.reshape(-1)  # in time order, PEAKS_PER_SLOT per slot
    with np.errstate(divide="ignore", invalid="ignore"):
        depth = np.clip(1 - ceiling / (peaks * gain), 0, 1).astype(np.float32)
    energy = slots[0] * gain * gain
    if not depth.any():
        return energy
    shapes = _shapes(slot / PEAKS_PER_SLOT, attack, release).astype(np.float32)
    worst = np.zeros((len(depth), SUBSTEPS), dtype=np.float32)
    peaked = np.flatnonzero(depth)  # few intervals pass the ceiling: only their neighbourhoods change
    for row, shape in enumerate(shapes):
        at = peaked + (row - 1)  # the interval `row - 1` after each peak (the one before it for row 0)
        keep = (at >= 0) & (at < len(depth))
        target, source = at[keep], depth[peaked[keep]]
        worst[target] = np.maximum(worst[target], source[:, None] * shape[None, :])  # targets are distinct
    np.subtract(1, worst, out=worst)
    np.square(worst, out=worst)
    factor = worst.reshape(len(energy), -1).mean(axis=1, dtype=np.float64)
    return energy * factor


def fit_gain(slots: np.ndarray, slot: float, duration: float, target: float, ceiling_db: float,
             attack: float, release: float, rounds: int = 12) -> tuple[float, float]:
    """(gain dB, expected loudness LUFS) that bring the episode to ``target`` through the limiter model."""

    def after(gain: float) -> float:
        return gated_loudness(block_energies(limited(slots, gain, ceiling_db, slot, attack, release), slot, duration))

    level = integrated(slots, slot, duration)
    points = [(target - level, after(target - level))]
    gain = points[0][0] + (target - points[0][1])
    for _ in range(rounds):  # secant steps; the limiter only ever takes loudness away, so slopes are in (0, 1]
        points.append((gain, after(gain)))
        if abs(points[-1][1] - target) < 0.005:
            break
        (g0, l0), (g1, l1) = points[-2], points[-1]
        slope = min(1.0, max(0.05, (l1 - l0) / (g1 - g0))) if g1 != g0 else 1.0
        gain = g1 + (target - l1) / slope
    return min(points, key=lambda p: abs(p[1] - target))
