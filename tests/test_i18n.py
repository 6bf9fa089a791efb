"""Spoken phrases: the month, transitions and chapter titles follow the episode's language."""

from __future__ import annotations

import pytest

from podcast import i18n


@pytest.mark.parametrize("language, spoken", [
    ("en", "February twenty twenty-five"),
    ("hi", "फ़रवरी 2025"),
    ("hi-IN", "फ़रवरी 2025"),
    ("ko", "2025년 2월"),
    ("de", "February twenty twenty-five"),  # no German phrases yet: the English intro says an English month
])
def test_spoken_month(language, spoken):
    assert i18n.spoken_month("2025-02-01", language) == spoken


def test_undated_episode_has_no_month():
    assert i18n.spoken_month("", "en") == ""


def test_transitions_are_deterministic_and_mark_first_and_last():
    lines = [i18n.transition(i, 5, f"T{i}", "en") for i in range(5)]
    assert lines[0] == "First up: T0." and lines[-1] == "And our final paper: T4."
    assert len(set(lines[1:4])) == 3
    assert lines == [i18n.transition(i, 5, f"T{i}", "en") for i in range(5)]


def test_segment_titles_fall_back_to_english():
    assert i18n.segment_title("outro", "ko") == "마무리"
    assert i18n.segment_title("overview", "de") == "This month's themes"
