"""Mastering in pieces: each part encoded on its own and kept, the report measured on what a decoder gets,
and a timeline that says where each segment really starts in the joined MP3."""

from __future__ import annotations

import json

import numpy as np
import pytest
from mutagen.mp3 import MP3

from podcast import master
from podcast.audio import measure_loudness, run_ffmpeg, write_wav
from podcast.config import Config
from podcast.files import EpisodeDir
from podcast.master import loudness, measure
from test_master import RATE, make_episode, speechlike

OUT = 44_100  # Hz


def _decoded(path, channels: int = 1) -> np.ndarray:
    proc = run_ffmpeg(["-v", "error", "-i", str(path), "-f", "f32le", "pipe:1"])
    assert not proc.stderr.strip(), proc.stderr  # a clean stream: no decoder complaints at the joins
    return np.frombuffer(proc.stdout, dtype="<f4").reshape(-1, channels).astype(np.float64)


def _master(tmp, episode, spoken, config=None, pieces=True):
    folder = EpisodeDir(tmp / "ep")
    folder.root.mkdir(exist_ok=True)
    timeline = master.master(episode, spoken, folder, config or Config(),
                             pieces_dir=tmp / "pieces" if pieces else None)
    return folder, timeline


@pytest.fixture(scope="module")
def mastered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pieces")
    episode, spoken = make_episode(tmp, seconds=4.0)
    folder, timeline = _master(tmp, episode, spoken)
    return tmp, episode, spoken, folder, timeline


def test_the_report_agrees_with_independent_measures_of_the_decoded_mp3(mastered):
    import pyloudnorm
    from scipy.signal import resample_poly

    *_, folder, _ = mastered
    report = json.loads(folder.mastering.read_text())
    audio = _decoded(folder.mp3)[:, 0]
    assert report["integrated_lufs"] == pytest.approx(pyloudnorm.Meter(OUT).integrated_loudness(audio), abs=0.05)
    true_peak = 20 * np.log10(np.abs(resample_poly(audio, 4, 1)).max())
    assert report["true_peak_dbtp"] == pytest.approx(true_peak, abs=0.1)
    summary = run_ffmpeg(["-nostats", "-i", str(folder.mp3), "-af", "ebur128", "-f", "null", "-"]).stderr.decode()
    lra = float(summary[summary.rfind("Summary:"):].split("LRA:")[1].split()[0])
    assert report["loudness_range_lu"] == pytest.approx(lra, abs=0.3)
    assert abs(report["integrated_lufs"] - -16.0) <= 0.5 and report["true_peak_dbtp"] <= -1.0


def test_the_pieces_join_into_one_clean_stream_as_long_as_the_timeline(mastered):
    tmp, *_, folder, timeline = mastered
    metas = list((tmp / "pieces").glob("*.npz"))
    assert len(metas) == len(list((tmp / "pieces").glob("*.mp3"))) >= 3
    samples = sum(int(np.load(m)["samples"]) for m in metas)
    assert len(_decoded(folder.mp3)) == samples and samples % 1152 == 0  # whole frames, nothing lost or added
    assert timeline.duration == pytest.approx(samples / OUT, abs=0.001)
    assert MP3(folder.mp3).info.length == pytest.approx(timeline.duration, abs=0.03)
    for piece in (tmp / "pieces").glob("*.mp3"):  # bare frames: no ID3, no Xing header in the middle
        head = piece.read_bytes()[:4096]
        assert not head.startswith(b"ID3") and b"Xing" not in head and b"Info" not in head


def test_each_segment_starts_in_the_mp3_where_the_timeline_says(tmp_path):
    episode, spoken = make_episode(tmp_path, seconds=3.0)
    click = 0.5  # s into each segment
    for i, segment in enumerate(spoken):
        audio = speechlike(3.0, i)
        audio[: int(1.0 * RATE)] = 0.0  # silence around a click, so that it is the loudest thing near it
        audio[int(click * RATE)] = 0.9
        write_wav(segment.path, audio, RATE)
    folder, timeline = _master(tmp_path, episode, spoken)
    decoded = np.abs(_decoded(folder.mp3)[:, 0])
    for entry in timeline.entries[1:-1]:  # papers: the intro and outro have music over them
        expected = entry.start + click
        window = decoded[int((expected - 0.1) * OUT): int((expected + 0.1) * OUT)]
        found = expected - 0.1 + np.argmax(window) / OUT
        assert found == pytest.approx(expected, abs=0.002), entry.segment


def test_a_one_segment_edit_encodes_one_piece_and_keeps_the_gain(tmp_path):
    episode, spoken = make_episode(tmp_path, seconds=4.0)
    folder, before = _master(tmp_path, episode, spoken)
    pieces = tmp_path / "pieces"
    kept = {p.name: p.stat().st_mtime_ns for p in pieces.glob("*.mp3")}
    first = json.loads(folder.mastering.read_text())

    write_wav(spoken[2].path, speechlike(4.5, 99), RATE)  # one paper spoken again, a little longer
    _, after = _master(tmp_path, episode, spoken)
    now = {p.name: p.stat().st_mtime_ns for p in pieces.glob("*.mp3")}
    assert len(set(now) - set(kept)) == 1 and len(set(kept) - set(now)) == 1  # one new piece, its old one gone
    assert all(kept[name] == now[name] for name in set(now) & set(kept))  # the rest not touched
    report = json.loads(folder.mastering.read_text())
    assert (report["gain_db"], report["calibration_lu"]) == (first["gain_db"], first["calibration_lu"])
    integrated, true_peak = measure_loudness(folder.mp3)
    assert abs(integrated - -16.0) <= 0.5 and true_peak <= -1.0
    assert after.entries[3].start == pytest.approx(before.entries[3].start + 0.5, abs=0.03)

    clean = tmp_path / "clean"
    clean.mkdir()
    _, fresh = _master(clean, episode, spoken)  # the same inputs from nothing: the same places
    assert [e.start for e in fresh.entries] == [e.start for e in after.entries]


def test_a_gain_change_encodes_every_piece_again(tmp_path):
    episode, spoken = make_episode(tmp_path, seconds=3.0)
    _master(tmp_path, episode, spoken)
    before = {p.name for p in (tmp_path / "pieces").glob("*.mp3")}
    config = Config()
    config.set("audio", "loudness", -19.0)
    folder, _ = _master(tmp_path, episode, spoken, config)
    after = {p.name for p in (tmp_path / "pieces").glob("*.mp3")}
    assert not before & after and len(after) == len(before)
    assert abs(measure_loudness(folder.mp3)[0] - -19.0) <= 0.5


def test_leftovers_of_an_interrupted_master_are_cleared_and_damage_is_redone(tmp_path):
    episode, spoken = make_episode(tmp_path, seconds=3.0)
    folder, _ = _master(tmp_path, episode, spoken)
    first = folder.mp3.read_bytes()
    pieces = tmp_path / "pieces"
    (pieces / ".half-written.mp3").write_bytes(b"\xff\xfb" * 100)
    damaged = sorted(pieces.glob("*.npz"))[1]
    damaged.write_bytes(b"not numpy")
    folder.mastering.unlink()
    _master(tmp_path, episode, spoken)
    assert not (pieces / ".half-written.mp3").exists()
    assert np.load(damaged)["samples"] > 0
    assert folder.mp3.read_bytes() == first  # the same bytes: encoding is deterministic


def test_without_a_pieces_folder_nothing_is_left_behind(tmp_path):
    episode, spoken = make_episode(tmp_path, seconds=2.0)
    folder, _ = _master(tmp_path, episode, spoken, pieces=False)
    assert sorted(p.name for p in folder.root.iterdir()) == ["episode.mp3", "mastering.json", "timeline.json"]


def test_stereo_lands_on_the_target_too(tmp_path):
    episode, spoken = make_episode(tmp_path, seconds=3.0)
    config = Config()
    config.set("audio", "channels", 2)
    folder, _ = _master(tmp_path, episode, spoken, config)
    report = json.loads(folder.mastering.read_text())
    integrated, true_peak = measure_loudness(folder.mp3)
    assert report["channels"] == 2 and abs(integrated - -16.0) <= 0.5 and true_peak <= -1.0
    assert report["integrated_lufs"] == pytest.approx(integrated, abs=0.06)


@pytest.mark.parametrize("rate", [22_050, 24_000, 44_100, 48_000])
def test_ffmpegs_k_weighting_matches_the_standards_filter(tmp_path, rate):
    signal = speechlike(2.0, 5)
    path = tmp_path / "x.wav"
    write_wav(path, signal, RATE)
    resampled = np.frombuffer(run_ffmpeg(["-i", str(path), "-f", "f32le", "-ar", str(rate), "-ac", "1",
                                          "pipe:1"]).stdout, dtype="<f4")
    slot = loudness.slot_seconds(rate)
    ours = measure.measure_audio(resampled, rate, slot)
    reference = loudness.slot_measures(resampled, rate, slot)  # scipy's sosfilt of the same coefficients
    assert ours.shape == reference.shape
    np.testing.assert_allclose(ours[1:], reference[1:])  # sample peaks: the same samples
    loud = reference[0] > reference[0].max() * 1e-4
    np.testing.assert_allclose(ours[0][loud], reference[0][loud], rtol=1e-3)


def test_a_decoder_failure_is_one_audio_error(tmp_path):
    from podcast.errors import AudioError

    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"this is not audio" * 10)
    with pytest.raises(AudioError, match="could not measure"):
        measure.measure_encoded(bad, OUT, 1, 0.02)
