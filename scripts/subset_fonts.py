"""Regenerate the Noto fonts in assets/fonts/ from Debian's fonts-noto-core and fonts-noto-cjk.

Devanagari and Arabic are copied whole; the CJK face is cut down to what Korean and Japanese titles
need (KS X 1001 Hangul syllables plus conjoining jamo, so any other syllable renders decomposed;
kana; the JIS X 0208 kanji; punctuation), which keeps it at 4 MB instead of 19.

    apt-get install fonts-noto-core fonts-noto-cjk && python scripts/subset_fonts.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FACE = 0  # Noto Sans CJK JP: Japanese kanji forms; Hangul is the same in every face
OUT = Path(__file__).resolve().parent.parent / "assets" / "fonts"
WHOLE = ["NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf",
         "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"]


def _decodable(codec: str, lead: range, trail: range) -> set[int]:
    """Code points of every two-byte sequence the legacy codec decodes to one character."""
    found = set()
    for a in lead:
        for b in trail:
            try:
                text = bytes([a, b]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                found.add(ord(text))
    return found


def cjk_code_points() -> set[int]:
    """What the shipped CJK subset covers."""
    points = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2010, 0x2070))
    points |= set(range(0x3000, 0x3100)) | set(range(0xFF00, 0xFFF0))  # CJK punctuation, kana, fullwidth
    points |= set(range(0x1100, 0x1200)) | set(range(0x3130, 0x3190))  # conjoining and compatibility jamo
    points |= _decodable("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))  # 2,350 KS X 1001 syllables
    points |= {p for p in _decodable("shift_jis", range(0x88, 0xEB), range(0x40, 0xFD)) if 0x4E00 <= p <= 0x9FFF}
    return points


def main() -> None:
    """Copy and subset the fonts into assets/fonts."""
    for name in WHOLE:
        shutil.copyfile(NOTO / name, OUT / name)
    font = TTCollection(str(CJK)).fonts[CJK_FACE]
    options = subset.Options()
    options.layout_features = ["*"]  # ljmo/vjmo/tjmo compose decomposed Hangul
    options.name_IDs = ["*"]
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=cjk_code_points())
    subsetter.subset(font)
    font.save(str(OUT / "NotoSansCJKjp-Subset.otf"))
    for path in sorted(OUT.glob("Noto*")):
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
