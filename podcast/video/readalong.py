"""The read-along style (the segment's text, the spoken sentence highlighted) and burned-in captions."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from PIL import Image, ImageDraw

from ..models import TimelineEntry
from .slides import HEIGHT, MARGIN, WIDTH, Canvas, Slide, Theme
from .text import Block, Box, Placed, layout

BODY = Box(MARGIN, 210, WIDTH - 2 * MARGIN, HEIGHT - 210 - MARGIN - 50)
BODY_MAX, BODY_MIN = 46, 30  # px; below BODY_MIN the segment is split into pages
CAPTION = Box(MARGIN + 40, HEIGHT - 250, WIDTH - 2 * MARGIN - 80, 170)
CAPTION_BAR = (0, HEIGHT - 280, WIDTH, HEIGHT - 50)  # px, the dark band behind captions
SPEAKER = Box(WIDTH - MARGIN - 600, HEIGHT - MARGIN // 2 - 50, 600, 44)  # the speaking host's name


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
    """Draws one still per sentence for a timeline entry.

    A page's text is drawn once; a sentence's still is that page with a patch pasted over the
    sentence's lines: the bars and the text there, drawn again on a crop of the empty slide. The
    result is the same, pixel for pixel, as drawing the whole page with the sentence highlighted.
    """

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
        self._drawn: tuple[Page, Image.Image, list] | None = None  # the last page drawn, and its runs

    def page_of(self, sentence: int) -> Page:
        """The page holding sentence number ``sentence`` (counted in the entry)."""
        return next(p for p in reversed(self.pages) if p.first <= sentence)

    def _page(self, page: Page) -> tuple[Image.Image, list]:
        """The page's text on the slide, nothing highlighted (the last one is kept)."""
        if self._drawn is None or self._drawn[0] is not page:
            image = self.base.image.copy()
            placed = page.block.draw(ImageDraw.Draw(image), self.theme.muted)
            self._drawn = (page, image, placed)
        return self._drawn[1], self._drawn[2]

    def patches(self, sentence: int | None) -> list[tuple[Image.Image, tuple[int, int], Block, list[Placed]]]:
        """What differs from the plain page for ``sentence``: picture, its top-left corner, the text on it."""
        if sentence is None:
            return []
        page = self.page_of(sentence)
        block, local = page.block, sentence - page.first
        out = []
        changed = changed_area(block, local)
        if changed:
            x0, y0, x1, y1 = changed
            patch = self.base.image.crop((x0, y0, x1, y1))
            placed = block.draw(ImageDraw.Draw(patch), self.theme.muted, highlight=local,
                                highlight_fill=self.theme.background, highlight_bg=self.theme.accent,
                                offset=(x0, y0), window=(y0, y1))
            out.append((patch, (x0, y0), block, placed))
        speaker = getattr(self.entry.sentences[sentence], "speaker", "")
        if speaker:
            x0, y0 = SPEAKER.x - 16, SPEAKER.y - 16
            patch = self._page(page)[0].crop((x0, y0, min(WIDTH, SPEAKER.right + 16),
                                              min(HEIGHT, SPEAKER.bottom + 16)))
            label = _speaker(speaker)
            runs = label.draw(ImageDraw.Draw(patch), self.theme.accent, offset=(x0, y0))
            out.append((patch, (x0, y0), label, runs))
        return out

    def still(self, sentence: int | None) -> Slide:
        """The page with ``sentence`` highlighted (None: the first page, nothing highlighted)."""
        page = self.page_of(sentence or 0)
        image, placed = self._page(page)
        image = image.copy()
        blocks = list(self.base.blocks) + [(page.block, placed)]
        for patch, corner, block, runs in self.patches(sentence):
            image.paste(patch, corner)
            if block is not page.block:  # the speaker's name
                blocks.append((block, runs))
        return Slide(image, blocks)

    @contextmanager
    def frame(self, sentence: int | None) -> Iterator[Image.Image]:
        """The still for ``sentence``, drawn into the cached page and undone afterwards (no full copy)."""
        image, _ = self._page(self.page_of(sentence or 0))
        patches = self.patches(sentence)
        saved = [(image.crop((x, y, x + p.width, y + p.height)), (x, y)) for p, (x, y), _, _ in patches]
        try:
            for patch, corner, _, _ in patches:
                image.paste(patch, corner)
            yield image
        finally:
            for patch, corner in reversed(saved):
                image.paste(patch, corner)



def changed_area(block: Block, group: int) -> tuple[int, int, int, int] | None:
    """The pixels highlighting ``group`` can change: its bars and its text's ink (which changes colour)."""
    boxes = block.highlight_boxes(group) + block.ink_boxes(group)
    if not boxes:
        return None
    spare = 3  # px: rounding of the bars' edges and antialiased ink
    return (max(0, int(min(b[0] for b in boxes)) - spare), max(0, int(min(b[1] for b in boxes)) - spare),
            min(WIDTH, int(max(b[2] for b in boxes)) + spare), min(HEIGHT, int(max(b[3] for b in boxes)) + spare))


@lru_cache(maxsize=16)
def _speaker(name: str) -> Block:
    return layout(name, SPEAKER, max_size=32, min_size=20, max_lines=1, align="center")


def with_caption(slide: Image.Image, text: str, theme: Theme, speaker: str = "") -> Slide:
    """A copy of ``slide`` with ``text`` burned in at the bottom, on a dark band."""
    image = slide.copy()
    band = Image.new("RGB", (CAPTION_BAR[2] - CAPTION_BAR[0], CAPTION_BAR[3] - CAPTION_BAR[1]), (0, 0, 0))
    image.paste(Image.blend(image.crop(CAPTION_BAR), band, 0.78), CAPTION_BAR[:2])
    draw = ImageDraw.Draw(image)
    line = f"{speaker}: {text}" if speaker else text
    block = layout(line, CAPTION, max_size=44, min_size=26, max_lines=3, align="center")
    return Slide(image, [(block, block.draw(draw, (255, 255, 255)))])
