"""The speech cache and the speak stage: hits, misses, corrupt entries, resume, prune, lexicon, timings."""

from __future__ import annotations

import json

import numpy as np
import pytest

from podcast.errors import AuthError
from podcast.models import Segment
from podcast.speech.base import Speech
from podcast.speech.cache import SpeechCache
from podcast.speech.speak import SEPARATOR, speak


def seg(i: int, text: str | None = None) -> Segment:
    return Segment(id=f"paper-{i}", kind="paper", title=f"Paper {i}",
                   text=text or f"Paper {i} is about retrieval. It reports gains on {i + 2} benchmarks.")


def test_put_get_round_trip(tmp_path):
    cache = SpeechCache(tmp_path)
    key = cache.key({"engine": "x"}, "hello")
    assert cache.get(key) is None  # miss
    speech = Speech(np.linspace(-0.5, 0.5, 1000, dtype=np.float32), 8000, [(0.0, 0.125, "hello")])
    cache.put(key, speech)
    entry = cache.get(key)
    assert entry and entry.sample_rate == 8000 and entry.duration == pytest.approx(0.125)
    assert entry.sentences == [(0.0, 0.125, "hello")]
    assert np.allclose(cache.load(key).samples, speech.samples, atol=1 / 32768)


def test_key_depends_on_engine_identity_and_text():
    a = SpeechCache.key({"engine": "piper", "voice": "a"}, "text")
    assert a == SpeechCache.key({"voice": "a", "engine": "piper"}, "text")
    assert a != SpeechCache.key({"engine": "piper", "voice": "b"}, "text")
    assert a != SpeechCache.key({"engine": "piper", "voice": "a"}, "text!")


@pytest.mark.parametrize("damage", ["truncate", "flip", "json", "missing_json", "missing_wav"])
def test_corrupt_entries_are_misses_and_get_redone(tmp_path, fake_engine, damage):
    cache = SpeechCache(tmp_path)
    (first,) = speak([seg(1)], fake_engine(), cache)
    piece = first.keys[0]
    wav, meta = cache.wav_path(piece), cache.wav_path(piece).with_suffix(".json")
    good = wav.read_bytes()
    if damage == "truncate":
        wav.write_bytes(good[: len(good) // 2])
    elif damage == "flip":
        wav.write_bytes(good[:-10] + bytes(10))
    elif damage == "json":
        meta.write_text("{not json")
    elif damage == "missing_json":
        meta.unlink()
    else:
        wav.unlink()
    first.path.unlink()  # the joined segment too, so the pieces are needed again
    assert cache.get(piece) is None
    fake_engine.calls.clear()
    (again,) = speak([seg(1)], fake_engine(), cache)
    assert len(fake_engine.calls) == 1 and again.spoken
    assert wav.read_bytes() == good


def test_rebuild_speaks_only_changed_segments(tmp_path, fake_engine):
    cache = SpeechCache(tmp_path)
    segments = [seg(i) for i in range(5)]
    first = speak(segments, fake_engine(), cache)
    assert all(s.spoken for s in first) and len(fake_engine.calls) == 5
    fake_engine.calls.clear()
    segments[2] = seg(2, "Paper 2 was edited by hand. Only it is spoken again.")
    second = speak(segments, fake_engine(), cache)
    assert [s.spoken for s in second] == [False, False, True, False, False]
    assert fake_engine.calls == [f"Paper 2 was edited by hand.{SEPARATOR}Only it is spoken again."]
    assert [s.path for i, s in enumerate(second) if i != 2] == [s.path for i, s in enumerate(first) if i != 2]


def test_interrupted_run_resumes_where_it_stopped(tmp_path, fake_engine):
    class Failing(fake_engine):
        def synthesize(self, text):
            if "Paper 3" in text:
                raise AuthError("the service rejected the API key", "check it")
            return super().synthesize(text)

    cache = SpeechCache(tmp_path)
    segments = [seg(i) for i in range(5)]
    with pytest.raises(AuthError):
        speak(segments, Failing(), cache, workers=1)
    assert len(fake_engine.calls) == 3  # papers 0-2 done, then the failure
    fake_engine.calls.clear()
    speak(segments, fake_engine(), cache)
    assert [c.split(" ")[1] for c in fake_engine.calls] == ["3", "4"]


def test_segment_wav_timings_and_keys(tmp_path, fake_engine):
    fake_engine.text_limit = 40  # forces several pieces per segment
    try:
        (spoken,) = speak([seg(7)], fake_engine(), SpeechCache(tmp_path))
    finally:
        fake_engine.text_limit = 400
    assert len(spoken.keys) == 3  # two pieces and the joined segment
    samples, rate = _read(spoken.path)
    assert rate == spoken.sample_rate and len(samples) / rate == pytest.approx(spoken.duration)
    texts = [t for _, _, t in spoken.sentences]
    assert texts == ["Paper 7 is about retrieval.", "It reports gains on 9 benchmarks."]
    (s1, e1, _), (s2, e2, _) = spoken.sentences
    assert 0 == s1 < e1 < s2 < e2 <= spoken.duration
    assert s2 - e1 == pytest.approx(0.30, abs=0.01)  # the pause between pieces


def test_lexicon_is_applied_before_synthesis_and_captions_keep_the_written_text(tmp_path, fake_engine):
    class Lexicon:
        def apply(self, text: str) -> str:
            return text.replace("GPipe", "gee pipe")

    segment = seg(1, "GPipe splits models. It pipelines GPipe micro-batches.")
    (spoken,) = speak([segment], fake_engine(), SpeechCache(tmp_path), lexicon=Lexicon())
    assert fake_engine.calls == [f"gee pipe splits models.{SEPARATOR}It pipelines gee pipe micro-batches."]
    assert [t for _, _, t in spoken.sentences] == ["GPipe splits models.", "It pipelines GPipe micro-batches."]


def test_the_real_lexicon_changes_what_is_spoken(tmp_path, fake_engine):
    from podcast.lexicon import Lexicon

    user = tmp_path / "lexicon.toml"
    user.write_text('[en]\n"Zorblax" = "zor blacks"\n', encoding="utf-8")
    lexicon = Lexicon.load("en", user)
    speak([seg(1, "Zorblax beats the baseline.")], fake_engine(), SpeechCache(tmp_path / "c"), lexicon=lexicon)
    assert fake_engine.calls == ["zor blacks beats the baseline."]


def test_progress_counts_pieces_including_cached_ones(tmp_path, fake_engine):
    cache = SpeechCache(tmp_path)
    speak([seg(0), seg(1)], fake_engine(), cache)
    seen = []
    speak([seg(0), seg(1), seg(2)], fake_engine(), cache, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(2, 3), (3, 3)]


def test_size_and_prune(tmp_path, fake_engine):
    cache = SpeechCache(tmp_path)
    kept = speak([seg(0)], fake_engine(), cache)[0]
    speak([seg(1)], fake_engine(), cache)
    (tmp_path / kept.keys[0][:2] / ".leftover.wav.tmp").write_bytes(b"x" * 100)
    entries, size = cache.size()
    assert entries == 4 and size > 100
    removed, freed = cache.prune(set(kept.keys))
    assert removed == 2 and freed > 100
    assert cache.size()[0] == 2
    assert all(cache.get(k) for k in kept.keys)


def _read(path):
    from podcast.audio import parse_wav

    return parse_wav(path.read_bytes(), strict=True)


def test_sidecar_records_checksum_and_sentences(tmp_path, fake_engine):
    (spoken,) = speak([seg(3)], fake_engine(), SpeechCache(tmp_path))
    meta = json.loads(spoken.path.with_suffix(".json").read_text())
    assert set(meta) >= {"sha256", "sample_rate", "frames", "sentences"}
    assert len(meta["sentences"]) == 2


def test_a_one_piece_segment_is_stored_once(tmp_path, fake_engine):
    cache = SpeechCache(tmp_path)
    (spoken,) = speak([seg(4)], fake_engine(), cache)
    piece, joined = spoken.keys
    assert piece != joined and spoken.path == cache.wav_path(joined)
    assert cache.wav_path(piece).stat().st_ino == cache.wav_path(joined).stat().st_ino  # one file on disk
    audio = cache.wav_path(piece).stat().st_size
    sidecars = sum(cache.wav_path(k).with_suffix(".json").stat().st_size for k in spoken.keys)
    assert cache.size() == (2, audio + sidecars)
    # The segment's own sidecar labels its sentences with the written text; the piece's has what was spoken.
    assert [t for _, _, t in spoken.sentences] == ["Paper 4 is about retrieval.", "It reports gains on 6 benchmarks."]
    assert cache.get(joined).duration == cache.get(piece).duration == spoken.duration
    # Pruning the piece leaves the segment's audio whole.
    cache.prune({joined})
    assert cache.load(joined) is not None and cache.get(piece) is None


def test_a_segment_of_several_pieces_still_gets_its_own_joined_audio(tmp_path, fake_engine):
    fake_engine.text_limit = 40
    try:
        (spoken,) = speak([seg(7)], fake_engine(), SpeechCache(tmp_path))
    finally:
        fake_engine.text_limit = 400
    inodes = {SpeechCache(tmp_path).wav_path(k).stat().st_ino for k in spoken.keys}
    assert len(spoken.keys) == 3 and len(inodes) == 3


def test_a_cache_written_before_aliases_is_still_used(tmp_path, fake_engine):
    """An older build stored the one-piece segment as a copy: it is read as it is, nothing re-spoken."""
    cache = SpeechCache(tmp_path)
    (first,) = speak([seg(2)], fake_engine(), cache)
    piece, joined = first.keys
    copy = cache.load(joined)
    cache.wav_path(joined).unlink()
    cache.put(joined, copy)  # a separate file, as the old cache had it
    assert cache.wav_path(piece).stat().st_ino != cache.wav_path(joined).stat().st_ino
    fake_engine.calls.clear()
    (again,) = speak([seg(2)], fake_engine(), cache)
    assert not again.spoken and fake_engine.calls == [] and again.sentences == first.sentences
