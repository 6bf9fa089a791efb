"""Slides: long, non-Latin and hostile titles saved as PNG; no text leaves its box; real glyphs, never boxes."""

from __future__ import annotations

import unicodedata

import pytest
from PIL import Image, ImageChops, ImageDraw

from podcast.config import Config
from podcast.errors import ConfigError
from podcast.models import Episode, Paper, Sentence, TimelineEntry
from podcast.video import fonts as fontlib
from podcast.video.readalong import BODY, ReadAlong, with_caption
from podcast.video.slides import HEIGHT, WIDTH, Theme, key_points, outro_slide, paper_slide, title_slide
from podcast.video.text import Box, layout

FRAME = 48  # px at every edge that must stay background

TITLES = {
    "long": "A Very Long Title About " + "Scaling Laws, Mixture-of-Experts Routing and Retrieval " * 8,
    "one-word": "Supercalifragilistic" * 15,
    "hostile": "<script>alert('x')</script> \u202eevil\u202c \x00\x07 ../../etc/passwd %s {0} $(rm -rf /)",
    "zalgo": "Z\u0351\u0352a\u0353\u0354l\u0355\u0356g\u0357o" * 6,
    "emoji-and-unknown": "Rocket 🚀 and \U00013000 hieroglyph",
    "hindi": "बड़े भाषा मॉडल में तर्क क्षमता का मूल्यांकन: एक व्यापक सर्वेक्षण और नई दिशाएँ",
    "korean": "대규모 언어 모델의 추론 능력을 평가하기 위한 새로운 벤치마크 똠 뷁 쌰",
    "japanese": "大規模言語モデルにおける推論能力の評価と、その限界についての包括的な調査研究",
    "arabic": "تقييم قدرات الاستدلال في نماذج اللغة الكبيرة: دراسة شاملة لـ GPT-4 و Llama",
    "empty": "",
}
NON_LATIN = {"hindi", "korean", "japanese", "arabic"}


def _config(**video) -> Config:
    config = Config()
    config.values["video"].update(video)
    config.values["show"]["website"] = "https://example.org/show"
    return config


def _episode(papers: list[Paper]) -> Episode:
    return Episode(id="2025-02", show="Paper Cuts", title="Paper Cuts: February 2025", date="2025-02-28",
                   papers=papers)


def _ink(run) -> tuple[float, float, float, float]:
    """The real ink box of a drawn run, measured by Pillow independently of the layout's own numbers."""
    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    return draw.textbbox((run.x, run.baseline), run.text, font=run.font.at(run.size), anchor="ls")


def assert_inside(slide) -> None:
    """Every run's ink lies in its box, and every box on the slide, away from the edge frame."""
    for block, placed in slide.blocks:
        box = block.box
        assert FRAME <= box.x and box.right <= WIDTH - FRAME and FRAME <= box.y and box.bottom <= HEIGHT - FRAME
        for run in placed:
            left, top, right, bottom = _ink(run)
            assert box.x - 1 <= left and right <= box.right + 1, (run.text, box, (left, right))
            assert box.y - 1 <= top and bottom <= box.bottom + 1, (run.text, box, (top, bottom))


def assert_frame_clear(path, background) -> None:
    """The saved PNG's outer frame is plain background: nothing spilled to the edges."""
    image = Image.open(path).convert("RGB")
    plain = Image.new("RGB", image.size, background)
    diff = ImageChops.difference(image, plain).convert("L")
    inner = Image.new("L", image.size, 0)
    ImageDraw.Draw(inner).rectangle((FRAME, FRAME, WIDTH - FRAME - 1, HEIGHT - FRAME - 1), fill=255)
    frame_diff = ImageChops.multiply(diff, ImageChops.invert(inner))
    assert frame_diff.getbbox() is None, f"pixels drawn in the edge frame at {frame_diff.getbbox()}"


def assert_real_glyphs(slide, title: str) -> None:
    """Each letter of the title is drawn by a font that has it, and its glyph differs from that font's .notdef."""
    drawn = "".join(run.text for block, placed in slide.blocks for run in placed)
    letters = [c for c in unicodedata.normalize("NFD", title) if unicodedata.category(c).startswith("L")]
    assert letters
    for block, placed in slide.blocks:
        for run in placed:
            face = run.font.at(run.size)
            missing = _glyph(face, "\U0010fffd")
            for char in set(run.text):
                if unicodedata.category(char).startswith("L"):
                    assert run.font.covers(char), (char, run.font.name)
                    assert ImageChops.difference(_glyph(face, char), missing).getbbox(), (char, run.font.name)
    assert all(c in unicodedata.normalize("NFD", drawn) for c in letters)


def _glyph(face, char: str) -> Image.Image:
    image = Image.new("L", (200, 200), 0)
    ImageDraw.Draw(image).text((20, 150), char, font=face, fill=255, anchor="ls")
    return image


@pytest.mark.parametrize("name", sorted(TITLES))
def test_paper_slide_keeps_every_title_inside_its_box(name, tmp_path):
    title = TITLES[name]
    paper = Paper(id="2501.00343", title=title, links=["https://arxiv.org/abs/2501.00343v2"],
                  authors=["Ada Lovelace", "Alan Turing", "김민수", "محمد علي"] * 4,
                  summary=("We propose a method. It improves accuracy by 12.5% on three benchmarks. "
                           "It is cheap to train. It needs 4 GPUs. The code is released. " + title))
    theme = Theme.from_config(_config())
    slide = paper_slide(paper, 7, 51, _episode([paper]), theme)
    path = tmp_path / f"{name}.png"
    slide.image.save(path)
    assert Image.open(path).size == (1920, 1080)
    assert_inside(slide)
    assert_frame_clear(path, theme.background)
    if name in NON_LATIN:
        assert_real_glyphs(slide, title)


@pytest.mark.parametrize("name", sorted(NON_LATIN))
def test_bilingual_title_shows_both_and_title_card_fits(name, tmp_path):
    paper = Paper(id="x1", title=TITLES[name], title_alt="An English Title for the Same Paper",
                  links=["https://example.org/paper"], summary="- first point\n- second point\n- third point")
    episode = _episode([paper])
    episode.title = TITLES[name]
    theme = Theme.from_config(_config())
    for slide in (paper_slide(paper, 1, 1, episode, theme), title_slide(episode, theme, _config())):
        path = tmp_path / f"{name}.png"
        slide.image.save(path)
        assert_inside(slide)
        assert_frame_clear(path, theme.background)
        assert_real_glyphs(slide, TITLES[name])
    drawn = " ".join(run.text for _, placed in paper_slide(paper, 1, 1, episode, theme).blocks for run in placed)
    assert "English Title" in drawn and "first point" in drawn


def test_hostile_text_is_drawn_without_controls_or_overrides():
    slide = paper_slide(Paper(id="h", title=TITLES["hostile"]), 1, 1, _episode([]), Theme.from_config(_config()))
    drawn = "".join(run.text for _, placed in slide.blocks for run in placed)
    assert "<script>" in drawn and "\u202e" not in drawn and "\x00" not in drawn and "\x07" not in drawn


def test_a_character_no_font_has_becomes_the_replacement_mark_not_a_box():
    chain = fontlib.chain(False)
    assert all(not f.covers("\U00013000") for f in chain)
    cleaned = fontlib.clean("A \U00013000 B", chain)
    assert cleaned == "A \ufffd B" and fontlib.font_for("\ufffd", chain) is not None


def test_shipped_fonts_alone_cover_the_four_scripts():
    shipped = fontlib.chain(False, system=False)
    for name in NON_LATIN:
        text = fontlib.clean(TITLES[name], shipped)
        assert "\ufffd" not in text
        assert all(fontlib.font_for(c, shipped) for c in text if not c.isspace())


def test_text_shrinks_to_fit_then_cuts_with_an_ellipsis():
    box = Box(100, 100, 600, 120)
    short = layout("Short", box, max_size=80, min_size=20)
    long = layout("word " * 60, box, max_size=80, min_size=20)
    huge = layout("word " * 2000, box, max_size=80, min_size=20)
    assert short.size == 80 and long.size < 80 and huge.size == 20
    assert huge.height <= box.h and huge.lines[-1][-1].text == "…"
    for block in (short, long, huge):
        assert all(block._line_width(line) <= box.w for line in block.lines)


def test_arabic_lines_are_right_aligned_and_shaped():
    box = Box(100, 100, 1200, 300)
    block = layout(TITLES["arabic"], box, max_size=60, min_size=20)
    assert block.rtl
    image = Image.new("RGB", (1400, 500))
    placed = block.draw(ImageDraw.Draw(image), "white")
    right = max(_ink(run)[2] for run in placed if run.baseline == placed[0].baseline)
    assert right >= box.right - 8  # starts at the right edge
    # Shaped: the word drawn joined is narrower than its letters drawn one by one in isolated forms
    face = fontlib.chain(False)[2].at(60)
    word = "الاستدلال"
    assert face.getlength(word) < sum(face.getlength(c) for c in word)


def test_key_points_come_from_the_summary():
    bullets = key_points("Intro line.\n- one thing\n- two things\n* three things\n1. four things")
    assert bullets == ["one thing", "two things", "three things", "four things"]
    prose = ("We study routing. The router is learned. It reaches 91% accuracy. Training is stable. "
             "Costs drop by 3x. Latency is unchanged. We release code.")
    points = key_points(prose)
    assert len(points) == 5 and points[0] == "We study routing." and "It reaches 91% accuracy." in points
    assert "Costs drop by 3x." in points
    assert len(key_points("One clause here; another clause there; a third clause at the end.")) == 3
    assert key_points("") == []
    assert all(len(p) <= 221 for p in key_points("word " * 400 + ". Next one here. And a third one."))


def test_theme_from_config_checks_colours_and_logo(tmp_path):
    with pytest.raises(ConfigError, match="video.accent"):
        Theme.from_config(_config(accent="not-a-colour"))
    with pytest.raises(ConfigError, match="video.logo"):
        Theme.from_config(_config(logo=str(tmp_path / "missing.png")))
    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 100), (255, 0, 0)).save(logo)
    theme = Theme.from_config(_config(logo=str(logo), background="#000000"))
    slide = outro_slide(_episode([]), theme, _config())
    red = [(x, y) for x in range(WIDTH - 400, WIDTH) for y in range(0, 200, 4)
           if slide.image.getpixel((x, y)) == (255, 0, 0)]
    assert red and theme.background == (0, 0, 0)


def test_read_along_highlights_each_sentence_and_pages_long_segments(tmp_path):
    sentences = [Sentence(i * 2.0, i * 2.0 + 1.8, f"Sentence number {i} says something about the paper at length.")
                 for i in range(60)]
    for s in sentences[:3]:
        s.speaker = "Ada"
    entry = TimelineEntry("paper-1", "paper", "A Paper", 0.0, 120.0, sentences=sentences)
    theme = Theme.from_config(_config())
    reader = ReadAlong(entry, "01 · A Paper", theme, "Paper Cuts")
    assert len(reader.pages) > 1
    assert sum(len({t.group for line in p.block.lines for t in line}) for p in reader.pages) == 60
    previous = None
    for index in (0, 1, 59):
        slide = reader.still(index)
        path = tmp_path / f"read-{index}.png"
        slide.image.save(path)
        assert_inside(slide)
        assert_frame_clear(path, theme.background)
        page = reader.page_of(index)
        assert page.block.height <= BODY.h and page.block.size >= 30
        # the highlight bar (accent colour) is where the sentence is drawn
        assert theme.accent in {c for _, c in slide.image.getcolors(1 << 20)}
        assert previous is None or ImageChops.difference(previous, slide.image).getbbox()
        previous = slide.image
    drawn = " ".join(run.text for _, placed in reader.still(1).blocks for run in placed)
    assert "Ada" in drawn
    caption = with_caption(reader.still(None).image, TITLES["korean"], theme, "Ada")
    assert_inside(caption)
    assert_real_glyphs(caption, TITLES["korean"])
