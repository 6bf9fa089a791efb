"""Slides at 1920×1080 with Pillow: a title card, one slide per paper, an outro."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw

from ..config import Config
from ..errors import ConfigError
from ..models import Episode, Paper
from ..titles import episode_title
from .fonts import is_rtl
from .text import Block, Box, Placed, _estimate, layout

WIDTH, HEIGHT = 1920, 1080  # px
MARGIN = 96  # px on every side; nothing is drawn into it
QR_SIZE = 300  # px, the QR code's side
LOGO_HEIGHT = 110  # px, at most
MAX_POINTS, MIN_POINTS = 5, 3
POINT_CHARS = 220  # a key point longer than this is cut at a word
ARXIV = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/)?(\d{4}\.\d{4,5})(?:v\d+)?", re.I)


@dataclass(frozen=True)
class Theme:
    """Colours and the logo, from the [video] section."""

    background: tuple[int, int, int]
    foreground: tuple[int, int, int]
    accent: tuple[int, int, int]
    muted: tuple[int, int, int]
    logo: str = ""
    qr: bool = True

    @classmethod
    def from_config(cls, config: Config) -> "Theme":
        """Parse colours (any CSS colour) and check the logo exists."""
        colours = {}
        for key in ("background", "foreground", "accent", "muted"):
            value = config.get("video", key)
            try:
                colours[key] = ImageColor.getrgb(value)[:3]
            except ValueError:
                raise ConfigError(f"video.{key} = {value!r} is not a colour", "use e.g. \"#14213d\" or \"navy\"") \
                    from None
        logo = config.get("video", "logo")
        if logo and not Path(logo).is_file():
            raise ConfigError(f"video.logo {logo} does not exist", "point it at a PNG or JPEG, or leave it empty")
        return cls(**colours, logo=logo, qr=bool(config.get("video", "qr")))


@dataclass
class Slide:
    """A drawn slide and every text box on it (tests check none overflows)."""

    image: Image.Image
    blocks: list[tuple[Block, list[Placed]]]


@lru_cache(maxsize=4)
def _logo(path: str) -> Image.Image | None:
    if not path:
        return None
    try:
        with Image.open(path) as source:
            logo = source.convert("RGBA")
    except OSError as exc:
        raise ConfigError(f"video.logo {path} cannot be read: {exc}", "use a PNG or JPEG") from None
    scale = min(LOGO_HEIGHT / logo.height, 320 / logo.width)
    return logo.resize((max(1, int(logo.width * scale)), max(1, int(logo.height * scale))), Image.LANCZOS)


class Canvas:
    """One slide being drawn: background, logo, and text that records its boxes."""

    def __init__(self, theme: Theme):
        self.theme = theme
        self.image = Image.new("RGB", (WIDTH, HEIGHT), theme.background)
        self.draw = ImageDraw.Draw(self.image)
        self.blocks: list[tuple[Block, list[Placed]]] = []
        logo = _logo(theme.logo)
        if logo:
            self.image.paste(logo, (WIDTH - MARGIN - logo.width, MARGIN // 2 + 8), logo)

    def text(self, text: str | list[str], box: Box, colour, **options) -> Block:
        """Lay out and draw text inside ``box``."""
        block = layout(text, box, **options)
        self.blocks.append((block, block.draw(self.draw, colour)))
        return block

    def slide(self) -> Slide:
        return Slide(self.image, self.blocks)


def _short_link(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def arxiv_id(paper: Paper) -> str:
    """The paper's arXiv ID, from its id or links, or an empty string."""
    for candidate in [paper.id, *paper.links]:
        match = ARXIV.search(candidate or "")
        if match and (candidate == paper.id or "arxiv" in candidate.lower()):
            return match.group(1)
    return ""


def key_points(summary: str, limit: int = MAX_POINTS) -> list[str]:
    """3–5 points from a written summary: its bullets if it has them, else its most telling sentences."""
    from ..speech.text import split_sentences

    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", summary)  # markdown link → its text
    text = re.sub(r"https?://\S+", "", text)
    bullets = [m.group(1).strip() for m in re.finditer(r"^\s*(?:[-*•]|\d+[.)])\s+(.+)$", text, re.M)]
    bullets = [re.sub(r"[*_`#]{1,3}", "", b) for b in bullets]
    text = re.sub(r"(?<!\w)[*_`#]{1,3}|[*_`]{1,3}(?!\w)", "", text)
    if len(bullets) >= MIN_POINTS:
        candidates = bullets
    else:
        candidates = [s for s in split_sentences(text) if len(s.split()) >= 3 or len(s) >= 12]
        if len(candidates) < MIN_POINTS:  # few long sentences: their clauses are the points
            candidates = [c.strip() for s in candidates for c in re.split(r";\s+|:\s+", s) if c.strip()]
        if len(candidates) > limit:  # keep the first, then those with figures (results), in order
            scored = sorted(range(1, len(candidates)),
                            key=lambda i: (-bool(re.search(r"\d", candidates[i])), i))[: limit - 1]
            candidates = [candidates[0]] + [candidates[i] for i in sorted(scored)]
    return [_cut(c) for c in candidates[:limit]]


def _cut(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= POINT_CHARS:
        return text
    return text[:POINT_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@lru_cache(maxsize=256)
def qr_image(url: str, size: int = QR_SIZE) -> Image.Image:
    """A QR code of ``url``, dark on white with its quiet zone, ``size`` pixels square."""
    import segno

    code = segno.make(url, error="m", micro=False)
    matrix = code.matrix
    border = 2  # modules of quiet zone (white card around it adds more)
    modules = len(matrix) + 2 * border
    image = Image.new("L", (modules, modules), 255)
    pixels = image.load()
    for y, row in enumerate(matrix):
        for x, value in enumerate(row):
            if value:
                pixels[x + border, y + border] = 0
    return image.resize((size, size), Image.NEAREST).convert("RGB")


def title_slide(episode: Episode, theme: Theme, config: Config, subtitle: str = "") -> Slide:
    """The title card: show, episode title, date and paper count."""
    canvas = Canvas(theme)
    canvas.draw.rectangle((MARGIN, 330, MARGIN + 12, 760), fill=theme.accent)
    left = MARGIN + 48
    canvas.text(episode.show, Box(left, 300, 1400, 110), theme.accent, bold=True, max_size=64, min_size=28,
                max_lines=1)
    title = episode_title(episode)
    if title.startswith(f"{episode.show}:") and title[len(episode.show) + 1:].strip():
        title = title[len(episode.show) + 1:].strip()  # the show's name is already above it
    canvas.text(title, Box(left, 430, WIDTH - MARGIN - left, 330), theme.foreground, bold=True, max_size=104,
                min_size=36, max_lines=3)
    details = subtitle or " · ".join(x for x in (episode.date[:10] or episode.id,
                                                 f"{len(episode.papers)} papers" if episode.papers else "") if x)
    canvas.text(details, Box(left, 790, WIDTH - MARGIN - left, 70), theme.muted, max_size=44, min_size=24,
                max_lines=1)
    website = config.get("show", "website")
    if website:
        canvas.text(_short_link(website), Box(left, HEIGHT - MARGIN - 50, 1200, 50), theme.muted, max_size=32,
                    min_size=20, max_lines=1)
    return canvas.slide()


def paper_slide(paper: Paper, number: int, count: int, episode: Episode, theme: Theme) -> Slide:
    """A paper: number, title (both when bilingual), authors, arXiv link and QR, key points, branding."""
    canvas = Canvas(theme)
    canvas.text(f"{number:02d} / {count:02d}", Box(MARGIN, MARGIN // 2 + 16, 500, 64), theme.accent, bold=True,
                max_size=48, min_size=28, max_lines=1)
    canvas.text(episode.show, Box(MARGIN, HEIGHT - MARGIN // 2 - 50, 1100, 44), theme.muted, max_size=30,
                min_size=20, max_lines=1)
    link = paper.url or (f"https://arxiv.org/abs/{arxiv_id(paper)}" if arxiv_id(paper) else "")
    right = WIDTH - MARGIN
    if theme.qr and link:
        qr = qr_image(link)
        canvas.image.paste(qr, (right - QR_SIZE, 190))
        right -= QR_SIZE + 64
    width = right - MARGIN
    y = 180
    block = canvas.text(paper.title, Box(MARGIN, y, width, 260), theme.foreground, bold=True, max_size=76,
                        min_size=32, max_lines=4)
    y += int(block.height) + 28
    alternate = getattr(paper, "title_alt", "")
    if alternate:
        block = canvas.text(alternate, Box(MARGIN, y, width, 110), theme.accent, max_size=46, min_size=24,
                            max_lines=2)
        y += int(block.height) + 24
    if paper.authors:
        names = ", ".join(paper.authors[:8]) + (" et al." if len(paper.authors) > 8 else "")
        block = canvas.text(names, Box(MARGIN, y, width, 90), theme.muted, max_size=34, min_size=22, max_lines=2)
        y += int(block.height) + 20
    ident = arxiv_id(paper)
    label = f"arXiv:{ident}" if ident else _short_link(link)
    if label:
        block = canvas.text(label, Box(MARGIN, y, width, 50), theme.accent, max_size=34, min_size=20, max_lines=1)
        y += int(block.height) + 20
    top = max(y + 24, 190 + QR_SIZE + 40 if theme.qr and link else 0)
    _points(canvas, key_points(paper.summary or paper.abstract), Box(MARGIN, top, WIDTH - 2 * MARGIN,
                                                                     HEIGHT - MARGIN - 40 - top))
    return canvas.slide()


def _points(canvas: Canvas, points: list[str], box: Box, max_size: int = 42, min_size: int = 24) -> None:
    """Bullets sharing one size: the largest at which they all fit; drop the last ones if even min_size cannot."""
    if not points or box.h < min_size * 2:
        return
    indent, gap = 52, 0.55  # px bullet column; gap between points as a fraction of the size
    size = max(min_size, min(max_size, _estimate(points, Box(0, 0, box.w - indent, box.h), 1.3 + gap)))
    while True:
        blocks = [layout(p, Box(box.x + indent, 0, box.w - indent, box.h), max_size=size, min_size=size)
                  for p in points]
        total = sum(b.height for b in blocks) + gap * size * (len(blocks) - 1)
        if total <= box.h or size <= min_size:
            break
        size = max(min_size, int(size * 0.92))
    while len(points) > 1 and total > box.h:
        points = points[:-1]
        blocks = blocks[:-1]
        total = sum(b.height for b in blocks) + gap * size * (len(blocks) - 1)
    y = box.y
    for point in points:
        rtl = is_rtl(point)
        left = box.x if rtl else box.x + indent
        block = canvas.text(point, Box(left, int(y), box.w - indent, int(box.bottom - y)),
                            canvas.theme.foreground, max_size=size, min_size=size)
        if not block.lines:
            continue
        dot = block.first_baseline - size * 0.35
        radius = max(5, size // 6)
        cx = box.right - indent // 2 if rtl else box.x + indent // 2
        canvas.draw.ellipse((cx - radius, dot - radius, cx + radius, dot + radius), fill=canvas.theme.accent)
        y += block.height + gap * size


def outro_slide(episode: Episode, theme: Theme, config: Config, heading: str = "Thanks for listening") -> Slide:
    """The outro: thanks, show name, website."""
    canvas = Canvas(theme)
    canvas.text(heading, Box(MARGIN, 360, WIDTH - 2 * MARGIN, 160), theme.foreground, bold=True, max_size=96,
                min_size=40, max_lines=2, align="center")
    canvas.text(episode.show, Box(MARGIN, 560, WIDTH - 2 * MARGIN, 90), theme.accent, bold=True, max_size=60,
                min_size=28, max_lines=1, align="center")
    website = config.get("show", "website")
    if website:
        canvas.text(_short_link(website), Box(MARGIN, 690, WIDTH - 2 * MARGIN, 60), theme.muted, max_size=40,
                    min_size=22, max_lines=1, align="center")
    return canvas.slide()
