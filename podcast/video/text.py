"""Text in a box: wrap, shrink to fit, never overflow; mixed scripts, right-to-left, highlighted sentences."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageDraw

from .fonts import FontFile, chain, clean, is_rtl, metrics, runs

ELLIPSIS = "…"
SIZE_STEP = 0.92  # each try shrinks the font by 8%
HIGHLIGHT_PAD = 6  # px around a highlighted word, clipped to the box


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in pixels."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h


@dataclass
class Token:
    """A piece of text the wrapper never splits (a word, or one CJK character), with its measurements."""

    text: str
    space_before: bool
    group: int = 0  # which sentence it belongs to (read-along highlights one group)
    parts: tuple[tuple[FontFile, str], ...] = ()
    advance: float = 0.0
    top: float = 0.0  # ink above the baseline (negative)
    bottom: float = 0.0  # ink below the baseline
    left_over: float = 0.0  # ink left of the pen position
    right_over: float = 0.0  # ink right of the advance
    direction: str = "N"  # L, R or N (neutral), for word-level bidi ordering
    space: float = 0.0  # width of the space before it, in its own font (a merged run draws that one)


@dataclass
class Placed:
    """One run as drawn: where, with which font, so tests can measure its real ink."""

    text: str
    font: FontFile
    size: int
    x: float
    baseline: float
    group: int


def _breaks_anywhere(char: str) -> bool:
    code = ord(char)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


def _split_word(word: str) -> list[str]:
    """A word as wrap units: CJK ideographs and kana each stand alone; punctuation stays with what precedes it."""
    pieces: list[str] = []
    for char in word:
        glue = unicodedata.category(char)[0] in "PM" or char in "\u200c\u200d"
        if pieces and not glue and (_breaks_anywhere(char) or _breaks_anywhere(pieces[-1][-1])):
            pieces.append(char)
        elif pieces:
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def tokenize(groups: list[str], fonts: tuple[FontFile, ...]) -> list[Token]:
    """Wrap units for a list of sentences (one group each), cleaned for drawing."""
    return list(_tokenize(tuple(groups), fonts))


@lru_cache(maxsize=1024)
def _tokenize(groups: tuple[str, ...], fonts: tuple[FontFile, ...]) -> tuple[Token, ...]:
    tokens: list[Token] = []
    for index, text in enumerate(groups):
        for w, word in enumerate(clean(text, fonts).split()):
            for p, piece in enumerate(_split_word(word)):
                tokens.append(Token(piece, space_before=bool(tokens) and p == 0, group=index,
                                    parts=runs(piece, fonts), direction=_direction(piece)))
    return tuple(tokens)


def _direction(text: str) -> str:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return "N"


def _measure(token: Token, size: int) -> Token:
    advance, top, bottom, left, right = 0.0, 0.0, 0.0, 0.0, 0.0
    for i, (font, text) in enumerate(token.parts):
        length, (x0, y0, x1, y1) = metrics(font, text, size)
        if i == 0:
            left = max(0.0, -x0)
        right = max(0.0, x1 - length)
        top, bottom = min(top, y0), max(bottom, y1)
        advance += length
    space = _space(token.parts[0][0], token.parts[0][1][0], size) if token.parts else 0.0
    return Token(token.text, token.space_before, token.group, token.parts, advance, top, bottom, left, right,
                 token.direction, space)


def _space(font: FontFile, char: str, size: int) -> float:
    """A space's width in context: some fonts space CJK wider than a lone space measures."""
    return metrics(font, char + " ", size)[0] - metrics(font, char, size)[0]


def _split_long(token: Token, size: int, width: float, fonts: tuple[FontFile, ...]) -> list[Token]:
    """Break a token wider than the box between characters (never inside a combining sequence)."""
    pieces, current = [], ""
    for char in token.text:
        trial = current + char
        glue = unicodedata.category(char)[0] == "M" or char in "\u200c\u200d"
        if current and not glue and _measure(Token(trial, False, parts=runs(trial, fonts)), size).advance > width:
            pieces.append(current)
            current = char
        else:
            current = trial
    pieces.append(current)
    return [_measure(Token(p, token.space_before and i == 0, token.group, runs(p, fonts), direction=token.direction),
                     size) for i, p in enumerate(pieces)]


@dataclass
class Block:
    """Laid-out text: lines of measured tokens at one size, inside ``box``."""

    box: Box
    size: int
    lines: list[list[Token]]
    pitch: float  # baseline to baseline
    first_baseline: float
    rtl: bool
    align: str
    space: float

    @property
    def height(self) -> float:
        """From the top of the first line's ink to the bottom of the last line's."""
        if not self.lines:
            return 0.0
        last_bottom = max(t.bottom for t in self.lines[-1])
        return self.first_baseline - self.box.y + self.pitch * (len(self.lines) - 1) + last_bottom

    def _visual(self, line: list[Token]) -> list[Token]:
        """Word-level bidi: neutral words take their neighbours' direction; opposite-direction runs reverse."""
        base = "R" if self.rtl else "L"
        dirs = [t.direction for t in line]
        for i, d in enumerate(dirs):
            if d == "N":
                before = next((x for x in reversed(dirs[:i]) if x != "N"), base)
                after = next((x for x in dirs[i + 1:] if x != "N"), base)
                dirs[i] = before if before == after else base
        groups: list[list[Token]] = []
        for token, d in zip(line, dirs):
            if groups and groups[-1][0] == d:
                groups[-1][1].append(token)
            else:
                groups.append([d, [token]])
        ordered = [list(reversed(g)) if d == "R" else g for d, g in groups]
        if self.rtl:
            ordered.reverse()
        return [t for g in ordered for t in g]

    def _line_width(self, line: list[Token]) -> float:
        return sum(t.advance for t in line) + sum(t.space for t in line[1:] if t.space_before) \
            + line[0].left_over + line[-1].right_over

    def placements(self) -> list[tuple[Token, float, float, float]]:
        """(token, x, baseline, gap after it) for every token, in drawing order."""
        out = []
        for n, line in enumerate(self.lines):
            baseline = self.first_baseline + n * self.pitch
            width = self._line_width(line)
            if self.align == "center":
                x = self.box.x + (self.box.w - width) / 2
            elif self.rtl:
                x = self.box.right - width
            else:
                x = self.box.x
            visual = self._visual(line)
            x += visual[0].left_over
            logical = {id(t): i for i, t in enumerate(line)}
            for i, token in enumerate(visual):
                nxt = visual[i + 1] if i + 1 < len(visual) else None
                later = max(token, nxt, key=lambda t: logical[id(t)]) if nxt else None
                gap = later.space if later is not None and later.space_before else 0.0
                out.append((token, x, baseline, gap if nxt else 0.0))
                x += token.advance + gap
        return out

    def highlight_boxes(self, group: int) -> list[tuple[float, float, float, float]]:
        """The bars behind the tokens of ``group`` (left, top, right, bottom), clipped to the box."""
        boxes = []
        for token, x, baseline, gap in self.placements():
            if token.group == group:
                top = max(self.box.y, baseline - self.size - HIGHLIGHT_PAD / 2)
                bottom = min(self.box.bottom, baseline + self.pitch - self.size)
                left = max(self.box.x, x - HIGHLIGHT_PAD)
                right = min(self.box.right, x + token.advance + max(gap, HIGHLIGHT_PAD))
                boxes.append((left, top, right, bottom))
        return boxes

    def ink_boxes(self, group: int) -> list[tuple[float, float, float, float]]:
        """The measured ink of the tokens of ``group`` (left, top, right, bottom)."""
        return [(x - token.left_over, baseline + token.top, x + token.advance + token.right_over,
                 baseline + token.bottom) for token, x, baseline, _ in self.placements() if token.group == group]

    def draw(self, draw: ImageDraw.ImageDraw, fill, *, highlight: int | None = None, highlight_fill=None,
             highlight_bg=None, offset: tuple[int, int] = (0, 0),
             window: tuple[float, float] | None = None) -> list[Placed]:
        """Draw the text; tokens of group ``highlight`` get their own colour on a bar. Returns the runs drawn.

        ``offset`` (whole pixels) is subtracted from every position, to draw into a crop of the slide;
        ``window`` (top, bottom, in slide pixels) skips the lines whose ink cannot reach it.
        """
        placed: list[Placed] = []
        items = self.placements()
        dx, dy = offset
        if window is not None:
            kept = set()
            for n, line in enumerate(self.lines):  # a line's ink, from its tokens' measurements, 2 px spare
                baseline = self.first_baseline + n * self.pitch
                if baseline + min(t.top for t in line) - 2 <= window[1] \
                        and baseline + max(t.bottom for t in line) + 2 >= window[0]:
                    kept.add(baseline)
            items = [item for item in items if item[2] in kept]
        if highlight is not None and highlight_bg is not None:
            for left, top, right, bottom in self.highlight_boxes(highlight):
                draw.rectangle((left - dx, top - dy, right - dx, bottom - dy), fill=highlight_bg)
        segment: list = []  # [font, colour, direction, x, baseline, [(token, gap)]]

        def flush() -> None:
            if not segment:
                return
            font, colour, direction, x, baseline, members = segment
            words = [t.parts[0][1] for t, _, _ in members]
            gaps = [" " if g else "" for _, g, _ in members[:-1]]  # gaps[i]: between visual words i and i+1
            if direction == "R":  # drawn right to left: join in logical order and let libraqm reorder
                words, gaps = words[::-1], gaps[::-1]
            text = "".join(w + g for w, g in zip(words, gaps + [""]))
            last_token, _, last_x = members[-1]
            planned = last_x + last_token.advance - x
            if abs(metrics(font, text, self.size)[0] - planned) <= 1.0:
                draw.text((x - dx, baseline - dy), text, font=font.at(self.size), fill=colour, anchor="ls")
                placed.append(Placed(text, font, self.size, x, baseline, members[0][0].group))
            else:  # the font spaces words differently in context: draw each where the layout put it
                for token, _, token_x in members:
                    draw.text((token_x - dx, baseline - dy), token.text, font=font.at(self.size), fill=colour,
                              anchor="ls")
                    placed.append(Placed(token.text, font, self.size, token_x, baseline, token.group))
            segment.clear()

        for token, x, baseline, gap in items:
            colour = highlight_fill if highlight is not None and token.group == highlight else fill
            single = len(token.parts) == 1
            if segment and single and segment[0] == token.parts[0][0] and segment[1] == colour \
                    and segment[4] == baseline and token.direction in ("N", segment[2]):
                segment[5].append((token, gap, x))
                continue
            flush()
            if single:
                segment.extend([token.parts[0][0], colour, token.direction if token.direction != "N" else "L",
                                x, baseline, [(token, gap, x)]])
                continue
            for font, text in token.parts:
                draw.text((x - dx, baseline - dy), text, font=font.at(self.size), fill=colour, anchor="ls")
                placed.append(Placed(text, font, self.size, x, baseline, token.group))
                x += metrics(font, text, self.size)[0]
        flush()
        return placed


def _wrap(tokens: list[Token], width: float, space: float) -> list[list[Token]]:
    lines: list[list[Token]] = []
    current: list[Token] = []
    used = 0.0
    for token in tokens:
        extra = token.advance + (token.space if current and token.space_before else 0.0)
        if current and used + extra + token.right_over > width:
            lines.append(current)
            current, used = [token], token.left_over + token.advance
        else:
            if not current:
                extra += token.left_over
            current.append(token)
            used += extra
    if current:
        lines.append(current)
    return lines


def layout(groups: list[str] | str, box: Box, *, bold: bool = False, max_size: int = 64, min_size: int = 18,
           max_lines: int | None = None, align: str = "start", spacing: float = 1.3) -> Block:
    """The largest size (max_size down to min_size) at which the text fits ``box``; else min_size, cut with …"""
    groups = [groups] if isinstance(groups, str) else groups
    fonts = chain(bold)
    base = tokenize(groups, fonts)
    rtl = is_rtl(" ".join(groups))
    size = max(min_size, min(max_size, _estimate(groups, box, spacing)))
    while True:
        block = _layout_at(base, box, size, fonts, rtl, align, spacing)
        fits = block.height <= box.h and (max_lines is None or len(block.lines) <= max_lines)
        if fits or size <= min_size:
            break
        size = max(min_size, int(size * SIZE_STEP))
    if not fits:
        _truncate(block, box, fonts, max_lines)
    return block


def _estimate(groups: list[str], box: Box, spacing: float) -> int:
    """A first size to try: the text's area at an average glyph width of 0.55 em, with 20% slack."""
    chars = sum(len(g) for g in groups) or 1
    return int(1.2 * (box.w * box.h / (chars * 0.55 * spacing)) ** 0.5)


def _layout_at(base: list[Token], box: Box, size: int, fonts, rtl: bool, align: str, spacing: float) -> Block:
    space = fonts[0].at(size).getlength(" ")
    tokens: list[Token] = []
    for token in base:
        measured = _measure(token, size)
        if measured.advance + measured.left_over + measured.right_over > box.w:
            tokens += _split_long(measured, size, box.w - measured.left_over - measured.right_over, fonts)
        else:
            tokens.append(measured)
    lines = _wrap(tokens, box.w, space)
    tallest = max((t.bottom - t.top for t in tokens), default=size)
    pitch = max(size * spacing, tallest * 1.05)
    first_top = min((t.top for t in lines[0]), default=-size) if lines else -size
    return Block(box, size, lines, pitch, box.y - first_top, rtl, align, space)


def _truncate(block: Block, box: Box, fonts, max_lines: int | None) -> None:
    """Keep the lines that fit and end the last with an ellipsis."""
    keep = len(block.lines)
    while keep > 1 and (block.height > box.h or (max_lines and keep > max_lines)):
        keep -= 1
        block.lines = block.lines[:keep]
    if not block.lines:
        return
    last = block.lines[-1]
    ellipsis = _measure(Token(ELLIPSIS, True, last[-1].group, runs(ELLIPSIS, fonts)), block.size)
    while len(last) > 1 and block._line_width(last + [ellipsis]) > box.w:
        last.pop()
    block.lines[-1] = last + [ellipsis] if block._line_width(last + [ellipsis]) <= box.w else last
