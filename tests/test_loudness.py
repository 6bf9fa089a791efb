"""BS.1770 loudness from parts: exact when combined, agreeing with independent meters."""

from __future__ import annotations

import numpy as np
import pytest

from podcast.master import loudness
from podcast.audio import measure_loudness, wav_bytes


def voice(seconds: float, rate: int, seed: int, level: float = 0.2) -> np.ndarray:
    """Bursts of a harmonic tone and noise, like syllables, with pauses."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    pitch = 110 + 40 * seed
    tone = sum(np.sin(2 * np.pi * pitch * k * t) / k for k in range(1, 6))
    envelope = np.clip(np.sin(2 * np.pi * (3 + seed % 3) * t), 0, None) * (np.sin(2 * np.pi * 0.4 * t) > -0.5)
    return (level * envelope * (0.5 * tone + 0.3 * rng.standard_normal(len(t)))).astype(np.float32)


def whole(samples: np.ndarray, rate: int) -> float:
    slot = loudness.slot_seconds(rate)
    return loudness.integrated(loudness.slot_measures(samples, rate, slot), slot, len(samples) / rate)


@pytest.mark.parametrize("rate", [16_000, 22_050, 24_000, 44_100, 48_000])
def test_agrees_with_pyloudnorm_and_ffmpeg(rate):
    import pyloudnorm

    samples = voice(20, rate, seed=rate % 7)
    ours = whole(samples, rate)
    assert ours == pytest.approx(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)), abs=0.2)
    assert ours == pytest.approx(measure_loudness(wav_bytes(samples, rate))[0], abs=0.1)  # ffmpeg prints 0.1 LU


def test_the_1khz_reference_sine_reads_as_the_standard_says():
    rate = 48_000
    t = np.arange(rate * 10) / rate
    sine = np.sin(2 * np.pi * 997 * t).astype(np.float32)  # 0 dBFS peak: -3.01 LUFS in BS.1770
    assert whole(sine, rate) == pytest.approx(-3.01, abs=0.02)


@pytest.mark.parametrize("rate", [22_050, 24_000, 44_100])
def test_parts_on_the_grid_combine_to_the_whole_exactly(rate):
    slot = loudness.slot_seconds(rate)
    step = round(slot * rate)
    pieces = [voice(s, rate, i) for i, s in enumerate((3.3, 7.01, 1.234, 12.0))]
    track, parts, cursor = [], [], 0
    for piece in pieces:
        gap = -(-(len(piece) + int(0.7 * rate)) // step) * step - len(piece)  # pause up to the next slot
        parts.append((cursor // step, loudness.slot_measures(piece, rate, slot)))
        track += [piece, np.zeros(gap, np.float32)]
        cursor += len(piece) + gap
    episode = np.concatenate(track)
    placed = loudness.place(parts, slot, len(episode) / rate)
    assert loudness.integrated(placed, slot, len(episode) / rate) == pytest.approx(whole(episode, rate), abs=1e-3)


def test_silence_is_gated_out_and_a_much_quieter_stretch_is_too():
    rate = 24_000
    speech = voice(15, rate, 1)
    level = whole(speech, rate)
    padded = np.concatenate([np.zeros(rate * 30, np.float32), speech, np.zeros(rate * 30, np.float32)])
    # absolute gate: a minute of silence changes nothing but the few blocks that straddle the edges
    assert whole(padded, rate) == pytest.approx(level, abs=0.1)
    assert whole(np.concatenate([speech, np.zeros(rate * 600, np.float32)]), rate) > level - 0.1
    # relative gate: blocks 30 LU under the rest do not count; blocks 5 LU under do
    loud, quiet, near = 1e-2, 1e-5, 1e-2 * 10 ** -0.5
    assert loudness.gated_loudness(np.array([loud] * 100 + [quiet] * 100)) == pytest.approx(
        loudness.OFFSET + 10 * np.log10(loud), abs=1e-9)
    assert loudness.gated_loudness(np.array([loud] * 100 + [near] * 100)) == pytest.approx(
        loudness.OFFSET + 10 * np.log10((loud + near) / 2), abs=1e-9)
    assert whole(np.zeros(rate * 5, np.float32), rate) == -np.inf


def test_limiter_model_only_takes_loudness_away_and_more_so_lower():
    rate = 22_050
    slot = loudness.slot_seconds(rate)
    measures = loudness.slot_measures(voice(20, rate, 3, level=0.5), rate, slot)
    seconds = 20.0
    free = loudness.integrated(measures, slot, seconds)
    levels = [loudness.gated_loudness(loudness.block_energies(
        loudness.limited(measures, 6.0, ceiling, slot, 0.005, 0.05), slot, seconds)) for ceiling in (6.0, -1.0, -6.0)]
    assert levels[0] == pytest.approx(free + 6.0, abs=1e-6)  # nothing reaches a ceiling above the peaks
    assert levels[0] > levels[1] > levels[2]
    gain, expected = loudness.fit_gain(measures, slot, seconds, -16.0, -2.0, 0.005, 0.05)
    assert expected == pytest.approx(-16.0, abs=0.01) and gain > -16.0 - free


def test_the_limiter_model_equals_a_dense_computation_of_it():
    """limited() only visits intervals near peaks; the same model over every interval gives the same energies."""
    rng = np.random.default_rng(3)
    slots = np.vstack([rng.random(400) * 0.01, rng.random((loudness.PEAKS_PER_SLOT, 400)) ** 4])
    slot, attack, release, gain, ceiling = 0.02, 0.005, 0.05, 6.0, -2.0
    shapes = loudness._shapes(slot / loudness.PEAKS_PER_SLOT, attack, release)
    peaks = slots[1:].T.reshape(-1) * 10 ** (gain / 20)
    depth = np.clip(1 - 10 ** (ceiling / 20) / peaks, 0, 1)
    assert 0 < np.count_nonzero(depth) < len(depth) / 2
    worst = np.zeros((len(depth), loudness.SUBSTEPS))
    for t in range(len(depth)):  # every interval, every peak that can reach it
        for row, shape in enumerate(shapes):
            source = t - (row - 1)
            if 0 <= source < len(depth):
                worst[t] = np.maximum(worst[t], depth[source] * shape)
    dense = slots[0] * 10 ** (gain / 10) * ((1 - worst) ** 2).reshape(400, -1).mean(axis=1)
    np.testing.assert_allclose(loudness.limited(slots, gain, ceiling, slot, attack, release), dense, rtol=1e-5)
