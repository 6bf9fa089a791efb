"""Fonts for slides: a fallback chain per weight, chosen per character by script and coverage."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from ..files import assets_dir

# Shipped files first (assets/fonts), then the full system Noto CJK when installed (rarer syllables/kanji).
SHIPPED = {
    False: ["DejaVuSans.ttf", "NotoSansDevanagari-Regular.ttf", "NotoSansArabic-Regular.ttf",
            "NotoSansCJKjp-Subset.otf"],
    True: ["DejaVuSans-Bold.ttf", "NotoSansDevanagari-Bold.ttf", "NotoSansArabic-Bold.ttf",
           "NotoSansCJKjp-Subset.otf"],
}
SYSTEM_CJK = [Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
              Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")]
REPLACEMENT = "\ufffd"  # shown for a character no font has, instead of an empty box
# Bidi overrides and isolates would let a hostile title reorder what is drawn; ZWJ/ZWNJ are kept (shaping needs them).
STRIPPED = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0xFEFF)}
SCRIPT_FONTS = (  # (first, last code point, file-name prefix that should draw it)
    (0x0600, 0x06FF, "NotoSansArabic"), (0x0750, 0x077F, "NotoSansArabic"), (0x08A0, 0x08FF, "NotoSansArabic"),
    (0xFB50, 0xFDFF, "NotoSansArabic"), (0xFE70, 0xFEFF, "NotoSansArabic"),
    (0x0900, 0x097F, "NotoSansDevanagari"), (0xA8E0, 0xA8FF, "NotoSansDevanagari"),
    (0x1100, 0x11FF, "NotoSansCJK"), (0x3000, 0x30FF, "NotoSansCJK"), (0x3130, 0x318F, "NotoSansCJK"),
    (0x3400, 0x9FFF, "NotoSansCJK"), (0xAC00, 0xD7AF, "NotoSansCJK"), (0xFF00, 0xFFEF, "NotoSansCJK"),
)


@dataclass(frozen=True)
class FontFile:
    """One font file (and face index, for collections) and the code points it covers."""

    path: Path
    index: int = 0

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def cmap(self) -> frozenset[int]:
        return _cmap(self.path, self.index)

    def covers(self, char: str) -> bool:
        """Whether the font has a glyph for ``char``."""
        return ord(char) in self.cmap

    def at(self, size: int) -> ImageFont.FreeTypeFont:
        """The font at ``size`` pixels, laid out with libraqm when Pillow has it (shaping, RTL)."""
        return _pillow_font(self.path, self.index, size)


@lru_cache(maxsize=None)
def _cmap(path: Path, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


@lru_cache(maxsize=512)
def _pillow_font(path: Path, index: int, size: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if _has_raqm() else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, index=index, layout_engine=engine)


@lru_cache(maxsize=1)
def _has_raqm() -> bool:
    from PIL import features

    return bool(features.check("raqm"))


@lru_cache(maxsize=4)
def chain(bold: bool = False, system: bool = True) -> tuple[FontFile, ...]:
    """The fallback chain for a weight; an installed full Noto CJK (all syllables and kanji) precedes the subset."""
    folder = assets_dir() / "fonts"
    files = [FontFile(folder / name) for name in SHIPPED[bold] if (folder / name).is_file()]
    if system:
        installed = [FontFile(path) for path in (SYSTEM_CJK if bold else SYSTEM_CJK[1:]) if path.is_file()]
        files[-1:-1] = installed[:1]
    return tuple(files)


def _preferred(char: str) -> str | None:
    code = ord(char)
    for first, last, prefix in SCRIPT_FONTS:
        if first <= code <= last:
            return prefix
    return None


@lru_cache(maxsize=65_536)
def font_for(char: str, fonts: tuple[FontFile, ...]) -> FontFile | None:
    """The font that should draw ``char``: its script's font if that covers it, else the first that does."""
    prefix = _preferred(char)
    if prefix:
        for font in fonts:
            if font.name.startswith(prefix) and font.covers(char):
                return font
    return next((font for font in fonts if font.covers(char)), None)


@lru_cache(maxsize=65_536)
def is_neutral(char: str) -> bool:
    """Spaces, punctuation, digits, marks and joiners: they join the run around them."""
    return unicodedata.category(char)[0] in "ZPNMSC"


@lru_cache(maxsize=4096)
def clean(text: str, fonts: tuple[FontFile, ...]) -> str:
    """Text safe to draw: no controls or bidi overrides; Hangul no font has is decomposed into jamo."""
    out = []
    for char in text:
        if char in STRIPPED:
            continue
        if char in "\t\n\r\v\f":
            out.append(" ")
            continue
        if unicodedata.category(char) == "Cc":
            continue
        if char.isspace() or char in "\u200c\u200d" or font_for(char, fonts):
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        if decomposed != char and all(font_for(c, fonts) for c in decomposed):
            out.append(decomposed)
        else:
            out.append(REPLACEMENT)
    return "".join(out)


@lru_cache(maxsize=65_536)
def runs(text: str, fonts: tuple[FontFile, ...]) -> tuple[tuple[FontFile, str], ...]:
    """Split cleaned text into (font, text) runs; neutral characters stay in the run around them."""
    result: list[tuple[FontFile, str]] = []
    for char in text:
        current = result[-1][0] if result else None
        if current and (is_neutral(char) or char.isspace()) and (current.covers(char) or char in "\u200c\u200d"):
            result[-1] = (current, result[-1][1] + char)
            continue
        font = font_for(char, fonts) or fonts[0]
        if current == font:
            result[-1] = (current, result[-1][1] + char)
        else:
            result.append((font, char))
    return tuple(result)


def metrics(font: FontFile, text: str, size: int) -> tuple[float, tuple[float, float, float, float]]:
    """(advance, ink box relative to the baseline) of ``text`` drawn in ``font`` at ``size``."""
    return _metrics(font, text, size)


@lru_cache(maxsize=200_000)
def _metrics(font: FontFile, text: str, size: int) -> tuple[float, tuple[float, float, float, float]]:
    face = font.at(size)
    return face.getlength(text), face.getbbox(text, anchor="ls")


def is_rtl(text: str) -> bool:
    """Whether the first strong character is right-to-left (Arabic, Hebrew...)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False
