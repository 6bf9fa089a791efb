"""Splitting text for engines: sentence boundaries, limits, never mid-word; audio joins without clicks."""

from __future__ import annotations

import numpy as np
import pytest

from podcast.audio import parse_wav, wav_bytes
from podcast.speech.audio import align_sentences, join
from podcast.speech.text import pack, split_long, split_sentences, split_text

TEXT = ("Chunk-distilled models retrieve spans from a datastore. They skip the decoder, e.g. for repeated "
        "phrases! Smith et al. report 3.5% gains over J. Doe's baseline? Results hold across domains.\n\n"
        "A second paragraph without a final stop")


def test_sentences_respect_abbreviations_initials_and_paragraphs():
    assert split_sentences(TEXT) == [
        "Chunk-distilled models retrieve spans from a datastore.",
        "They skip the decoder, e.g. for repeated phrases!",
        "Smith et al. report 3.5% gains over J. Doe's baseline?",
        "Results hold across domains.",
        "A second paragraph without a final stop",
    ]


@pytest.mark.parametrize("text, expected", [
    ("नमस्ते दुनिया। यह एक परीक्षण है।", ["नमस्ते दुनिया।", "यह एक परीक्षण है।"]),
    ("안녕하세요. 이것은 시험입니다.", ["안녕하세요.", "이것은 시험입니다."]),
    ("第一句。第二句！", ["第一句。", "第二句！"]),
    ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
])
def test_sentences_in_other_scripts_and_quotes(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize("limit", [40, 60, 120, 4096])
def test_pieces_fit_the_limit_and_never_cut_words(limit):
    pieces = split_text(TEXT, limit)
    assert all(len(p) <= limit for p in pieces)
    assert " ".join(pieces).split() == " ".join(split_sentences(TEXT)).split()  # nothing lost, no word cut


def test_pieces_end_at_sentence_boundaries_when_sentences_fit():
    pieces = split_text(TEXT, 120)
    sentences = split_sentences(TEXT)
    assert pieces == [" ".join(sentences[0:2]), " ".join(sentences[2:4]), sentences[4]]


def test_a_sentence_longer_than_the_limit_splits_at_clauses_then_words():
    sentence = ("This very long sentence, which keeps going with clause after clause, never seems to stop "
                "because the writer loved commas and subordinate ideas far too much.")
    parts = split_long(sentence, 50)
    assert all(len(p) <= 50 for p in parts)
    assert " ".join(parts) == sentence
    assert parts[0] == "This very long sentence,"  # cut after the comma first
    words = set(sentence.split())
    assert all(set(p.split()) <= words for p in parts)


def test_pack_groups_whole_sentences():
    assert pack(["aaa.", "bbb.", "ccc."], 9) == [["aaa.", "bbb."], ["ccc."]]


def test_join_has_no_clicks_even_when_pieces_end_loud():
    rate = 22_050
    t = np.arange(rate // 2) / rate
    loud = (0.9 * np.sin(2 * np.pi * 440 * t + 1.0)).astype(np.float32)  # starts and ends far from zero
    samples, starts = join([loud, loud, loud], rate, pause=0.3)
    steps = np.abs(np.diff(samples))
    inside = np.abs(np.diff(loud)).max()  # the largest step the tone itself takes
    assert steps.max() <= inside + 1e-6
    assert samples[0] == 0 and abs(samples[-1]) < 0.01
    assert starts == [0.0, pytest.approx(0.8), pytest.approx(1.6)]


def test_wav_round_trip_is_exact_and_streamed_sizes_are_read():
    pcm = (np.arange(-32768, 32768, 7)).astype(np.int16)
    data = wav_bytes(pcm, 16_000)
    samples, rate = parse_wav(data, strict=True)
    assert rate == 16_000
    assert np.array_equal(wav_bytes(samples, rate), data)
    streamed = data[:40] + b"\xff\xff\xff\xff" + data[44:]
    assert len(parse_wav(streamed)[0]) == len(pcm)
    with pytest.raises(Exception, match="truncated"):
        parse_wav(data[:-100], strict=True)


def test_alignment_snaps_boundaries_to_pauses():
    rate = 16_000
    tone = lambda s: np.sin(np.arange(int(s * rate)) / rate * 2 * np.pi * 300).astype(np.float32)  # noqa: E731
    gap = np.zeros(int(0.3 * rate), dtype=np.float32)
    samples = np.concatenate([tone(1.0), gap, tone(3.0), gap, tone(1.0)])
    # Character counts suggest boundaries at 1/3 and 2/3 of the audio; the pauses are elsewhere.
    spans = align_sentences(samples, rate, ["Short one here.", "A much longer middle sentence.", "Short end."])
    assert 1.0 <= spans[1][0] <= 1.3
    assert 4.3 <= spans[2][0] <= 4.6
    assert spans[0][0] == 0 and spans[-1][1] == pytest.approx(len(samples) / rate)
