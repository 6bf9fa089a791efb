"""Read-along stills: a sentence is patched into a page drawn once, and looks exactly as a full redraw would."""

from __future__ import annotations

import pytest
from PIL import ImageChops, ImageDraw

from podcast.config import Config
from podcast.models import Sentence, Timeline, TimelineEntry
from podcast.video.readalong import SPEAKER, ReadAlong
from podcast.video.render import plan
from podcast.video.slides import Theme
from podcast.video.text import layout

TEXTS = {
    "english": [f"Sentence {i} explains how the routing of tokens to experts {'changes the loss curve ' * (i % 4)}"
                f"and why it matters (p < 0.05, 1.4x faster)." for i in range(40)],
    "arabic": ["تقييم قدرات الاستدلال في نماذج اللغة الكبيرة دراسة شاملة.", "نتائج GPT-4 و Llama على المعيار الجديد.",
               "يتحسن الأداء بنسبة 12% مع بيانات أقل بكثير من السابق."] * 5,
    "mixed": ["대규모 언어 모델의 추론 능력을 평가합니다.", "बड़े भाषा मॉडल में तर्क क्षमता का मूल्यांकन।",
              "大規模言語モデルにおける推論能力の評価。", "Then back to English with descenders: gjpqy."] * 6,
}


def _reader(name: str, speakers: bool = False, **video) -> tuple[ReadAlong, Theme]:
    config = Config()
    config.values["video"].update(video)
    theme = Theme.from_config(config)
    sentences = [Sentence(i * 3.0, i * 3.0 + 2.5, text) for i, text in enumerate(TEXTS[name])]
    if speakers:
        for i, sentence in enumerate(sentences):
            sentence.speaker = "Ada" if i % 3 else "Ben Benjamin"
    entry = TimelineEntry("paper-1", "paper", "A Paper", 0.0, sentences[-1].end, sentences=sentences)
    return ReadAlong(entry, "01 · A Paper with a heading", theme, "Paper Cuts"), theme


def full_redraw(reader: ReadAlong, theme: Theme, sentence: int | None):
    """The still drawn the simple way: the whole page, highlight and all, on a fresh copy of the slide."""
    image = reader.base.image.copy()
    draw = ImageDraw.Draw(image)
    page = reader.page_of(sentence or 0)
    local = None if sentence is None else sentence - page.first
    page.block.draw(draw, theme.muted, highlight=local, highlight_fill=theme.background, highlight_bg=theme.accent)
    speaker = getattr(reader.entry.sentences[sentence], "speaker", "") if sentence is not None else ""
    if speaker:
        layout(speaker, SPEAKER, max_size=32, min_size=20, max_lines=1, align="center").draw(draw, theme.accent)
    return image


@pytest.mark.parametrize("name, speakers, colours", [
    ("english", False, {}),
    ("arabic", True, {"background": "#fdf6e3", "accent": "#b58900", "muted": "#586e75"}),
    ("mixed", True, {"accent": "tomato"}),
])
def test_patched_still_is_pixel_identical_to_a_full_redraw(name, speakers, colours):
    reader, theme = _reader(name, speakers, **colours)
    count = len(reader.entry.sentences)
    # every sentence of a short entry; for the long one, each page's first, second and last sentence
    picks = range(count) if count <= 30 else sorted({i for p in reader.pages for i in (p.first, p.first + 1)}
                                                    | {count - 1})
    for sentence in [None, *picks]:
        fast = reader.still(sentence).image
        assert ImageChops.difference(fast, full_redraw(reader, theme, sentence)).getbbox() is None, sentence


def test_highlight_changes_the_page_only_inside_the_sentences_bars():
    reader, theme = _reader("english")
    assert len(reader.pages) > 1
    for sentence in (0, 5, len(reader.entry.sentences) - 1):
        page = reader.page_of(sentence)
        plain = _plain(reader, theme, page)
        highlighted = reader.still(sentence).image
        # the sentence's bars, and its words' ink (below a bar, a descender drawn in the background colour)
        boxes = page.block.highlight_boxes(sentence - page.first) + page.block.ink_boxes(sentence - page.first)
        assert boxes
        changed = ImageChops.difference(plain, highlighted).getbbox()
        assert changed is not None
        left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
        assert left - 1 <= changed[0] and top - 1 <= changed[1] and changed[2] <= right + 2 \
            and changed[3] <= bottom + 2, (changed, (left, top, right, bottom))
        # the bar is the accent colour, and the sentence's text is drawn on it in the background colour
        region = highlighted.crop(changed)
        colours = {c for _, c in region.getcolors(1 << 20)}
        assert theme.accent in colours and theme.background in colours


def _plain(reader: ReadAlong, theme: Theme, page):
    image = reader.base.image.copy()
    page.block.draw(ImageDraw.Draw(image), theme.muted)
    return image


def test_frame_draws_in_place_and_restores_the_page():
    reader, theme = _reader("mixed", speakers=True)
    for sentence in (None, 0, 3, 7, 0):
        with reader.frame(sentence) as image:
            assert ImageChops.difference(image, full_redraw(reader, theme, sentence)).getbbox() is None
        page = reader.page_of(sentence or 0)
        assert ImageChops.difference(image, _plain(reader, theme, page)).getbbox() is None  # undone


def test_read_along_stills_are_timed_by_each_segments_sentences():
    starts = [10.0, 12.0, 14.0, 16.0, 16.02, 18.0]  # the fourth is too short to show: folded into the next
    sentences = [Sentence(start, start + 1.5, f"Sentence {i}.") for i, start in enumerate(starts)]
    entries = [TimelineEntry("intro", "intro", "Intro", 0.0, 10.0, sentences=[Sentence(0.5, 9.0, "Hello.")]),
               TimelineEntry("paper-1", "paper", "A Paper", 10.0, 22.0, sentences=sentences)]
    stills = plan(Timeline(duration=25.0, entries=entries), "read-along", False, 25.0)
    # the intro's title page until its sentence starts; the paper's page starts highlighted (no empty moment)
    assert [(s.entry, s.sentence) for s in stills] == [
        (0, None), (0, 0), (1, 0), (1, 1), (1, 2), (1, 4), (1, 5)]
    assert [s.start for s in stills] == [0.0, 0.5, 10.0, 12.0, 14.0, 16.0, 18.0]
    assert all(a.end == b.start for a, b in zip(stills, stills[1:])) and stills[-1].end == 25.0
    assert all(s.kind == "read" for s in stills)
