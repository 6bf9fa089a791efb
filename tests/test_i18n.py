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


def test_transitions_vary_with_the_paper_not_its_position():
    papers = [(f"2501.{n:05d}", f"Title {n}") for n in range(40)]
    lines = i18n.transitions(papers, "en")
    assert lines[0] == "First up: Title 0." and lines[-1] == "And our final paper: Title 39."
    middle = [line.replace(f"Title {n}", "{title}") for n, line in enumerate(lines[1:-1], 1)]
    assert len(set(middle)) >= 8  # drawn from the whole pool
    assert all(a != b for a, b in zip(middle, middle[1:]))  # never the same twice in a row
    shuffled = i18n.transitions([papers[0], *reversed(papers[1:-1]), papers[-1]], "en")
    same = sum(a == b for a, b in zip(lines[1:-1], reversed(shuffled[1:-1])))
    assert same >= 25  # a paper keeps its wording wherever it sits (bar a clash with its new neighbour)


@pytest.mark.parametrize("title", ["Is Attention All You Need?", "Scaling Laws, Revisited.", "GPT-4o: a Report!"])
def test_transitions_read_well_before_any_title(title):
    for line in i18n.transitions([("a", "First"), ("b", title), ("c", "x"), ("d", "Last")], "en")[1:2]:
        assert line.endswith(title) and not line.endswith(("?.", "..", "!."))


def test_the_newsletter_header_is_not_a_second_welcome():
    header = "Welcome to the Friday Digest, where we read papers.\nThis post was written by a robot on 2025-01-01."
    assert i18n.spoken_header(header, "en") == ("The papers come from the Friday Digest, where we read papers.\n"
                                               "The newsletter was written by a robot on 2025-01-01.")
    assert i18n.spoken_header("स्वागत है", "hi") == "स्वागत है"


def test_closing_lines_whose_link_was_dropped_point_to_the_show_notes():
    closing = "Thanks for reading.\nThe scripts I use are here:"
    assert i18n.point_to_notes(closing, "en") == "Thanks for reading.\nThe scripts I use are here, linked in the show notes."
    assert i18n.point_to_notes("कोड यहाँ है:", "hi").endswith("लिंक शो नोट्स में है।")
