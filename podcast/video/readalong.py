"""The read-along style (the segment's text, the spoken sentence highlighted) and burned-in captions."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from ..models import TimelineEntry
from .slides import HEIGHT, MARGIN, WIDTH, Canvas, Slide, Theme
from .text import Block, Box, layout

BODY = Box(MARGIN, 210, WIDTH - 2 * MARGIN, HEIGHT - 210 - MARGIN - 50)
BODY_MAX, BODY_MIN = 46, 30  # px; below BODY_MIN the segment is split into pages
CAPTION = Box(MARGIN + 40, HEIGHT - 250, WIDTH - 2 * MARGIN - 80, 170)
CAPTION_BAR = (0, HEIGHT - 280, WIDTH, HEIGHT - 50)  # px, the dark band behind captions


@dataclass
class Page:
    """Sentences of one segment that fit the body box together, laid out once."""

    first: int  # index of its first sentence in the entry
    block: Block


def pages(texts: list[str]) -> list[Page]:
    """Split a segment's sentences into pages that each fit at BODY_MIN or larger."""
    result: list[Page] = []
    start = 0
    while start < len(texts):
        end = len(texts)
        block = layout(texts[start:end], BODY, max_size=BODY_MAX, min_size=BODY_MIN)
        while end - start > 1 and _truncated(block, end - start):
            end = start + max(1, (end - start) * 2 // 3) if end - start > 8 else end - 1
            block = layout(texts[start:end], BODY, max_size=BODY_MAX, min_size=BODY_MIN)
        result.append(Page(start, block))
        start = end
    return result


def _truncated(block: Block, groups: int) -> bool:
    tokens = [t for line in block.lines for t in line]
    return block.height > BODY.h or not tokens or tokens[-1].group != groups - 1 or tokens[-1].text == "…"


class ReadAlong:
    """Draws one still per sentence for a timeline entry."""

    def __init__(self, entry: TimelineEntry, heading: str, theme: Theme, show: str):
        self.entry, self.theme = entry, theme
        texts = [s.text for s in entry.sentences] or [entry.title]
        self.pages = pages(texts)
        base = Canvas(theme)
        base.text(heading, Box(MARGIN, MARGIN // 2 + 10, WIDTH - 2 * MARGIN - 360, 130), theme.accent, bold=True,
                  max_size=48, min_size=26, max_lines=2)
        base.text(show, Box(MARGIN, HEIGHT - MARGIN // 2 - 50, 1100, 44), theme.muted, max_size=30, min_size=20,
                  max_lines=1)
        self.base = base

    def page_of(self, sentence: int) -> Page:
        """The page holding sentence number ``sentence`` (counted in the entry)."""
        return next(p for p in reversed(self.pages) if p.first <= sentence)

    def still(self, sentence: int | None) -> Slide:
        """The page with ``sentence`` highlighted (None: the first page, nothing highlighted)."""
        image = self.base.image.copy()
        draw = ImageDraw.Draw(image)
        page = self.page_of(sentence or 0)
        local = None if sentence is None else sentence - page.first
        placed = page.block.draw(draw, self.theme.muted, highlight=local, highlight_fill=self.theme.background,
                                 highlight_bg=self.theme.accent)
        blocks = list(self.base.blocks) + [(page.block, placed)]
        speaker = getattr(self.entry.sentences[sentence], "speaker", "") if sentence is not None else ""
        if speaker:
            block = layout(speaker, Box(WIDTH - MARGIN - 600, HEIGHT - MARGIN // 2 - 50, 600, 44), max_size=32,
                           min_size=20, max_lines=1, align="center")
            blocks.append((block, block.draw(draw, self.theme.accent)))
        return Slide(image, blocks)


def with_caption(slide: Image.Image, text: str, theme: Theme, speaker: str = "") -> Slide:
    """A copy of ``slide`` with ``text`` burned in at the bottom, on a dark band."""
    image = slide.copy()
    band = Image.new("RGB", (CAPTION_BAR[2] - CAPTION_BAR[0], CAPTION_BAR[3] - CAPTION_BAR[1]), (0, 0, 0))
    image.paste(Image.blend(image.crop(CAPTION_BAR), band, 0.78), CAPTION_BAR[:2])
    draw = ImageDraw.Draw(image)
    line = f"{speaker}: {text}" if speaker else text
    block = layout(line, CAPTION, max_size=44, min_size=26, max_lines=3, align="center")
    return Slide(image, [(block, block.draw(draw, (255, 255, 255)))])
