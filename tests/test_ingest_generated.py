"""Generated digests: random label words in five scripts, random layouts; the structure must be found every time."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from podcast.ingest import ingest

SCRIPTS = {  # letters to build words from, and how a sentence ends
    "latin": ("abcdefghijklmnoprstuvyz", "."),
    "devanagari": ("कखगचजटडतदनपबमयरलवसह", "।"),
    "hangul": ("가나다라마바사아자차카타파하고노도로모보소오", "."),
    "cyrillic": ("абвгдежзиклмнопрстуфхцчшы", "."),
    "arabic": ("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", "."),
}
CASES = 40


def _word(rng: random.Random, letters: str) -> str:
    return "".join(rng.choice(letters) for _ in range(rng.randint(3, 7)))


def _words(rng: random.Random, letters: str, low: int, high: int) -> str:
    return " ".join(_word(rng, letters) for _ in range(rng.randint(low, high)))


def _digest(seed: int) -> tuple[str, list[tuple[str, list[str], str]]]:
    """A digest's text and, per paper, (title, links, summary)."""
    rng = random.Random(seed)
    letters, stop = SCRIPTS[rng.choice(sorted(SCRIPTS))]
    labels = {kind: _words(rng, letters, 1, 3) for kind in ("intro", "body", "link", "more")}
    inline = rng.random() < 0.5
    link_first = rng.random() < 0.5
    numbering = rng.choice(["", "{n}. ", "{n}) ", "🔥 ", "**{n}. "])
    sep = rng.choice([": ", "：", " — ", " - "])
    lines = [f"{_words(rng, letters, 2, 4)} 2025-10-{rng.randint(1, 28):02d}", _words(rng, letters, 6, 10) + stop, ""]
    expected = []
    for n in range(1, rng.randint(2, 8) + 1):
        title = _words(rng, letters, 3, 7)
        link = f"https://arxiv.org/abs/2510.{seed:03d}{n:02d}"
        more = f"https://github.com/example/p{seed}-{n}" if rng.random() < 0.6 else ""
        # Labels recur: the second section's label is in the first two papers at least.
        paragraphs = [_words(rng, letters, 8, 20) + stop for _ in range(rng.randint(2 if n <= 2 else 1, 3))]

        def section(label: str, body: list[str]) -> list[str]:
            return [f"{label}{sep}{body[0]}", *body[1:]] if inline else [label, *body]

        links = section(labels["link"], [link]) + (section(labels["more"], [more]) if more else [])
        prose = section(labels["intro"], paragraphs[:1]) + (section(labels["body"], paragraphs[1:]) if paragraphs[1:] else [])
        head = numbering.format(n=n) + title + ("**" if numbering.startswith("**") else "")
        lines += [head, *(links + prose if link_first else prose + links), ""]
        expected.append((title, [link] + ([more] if more else []), "\n\n".join(paragraphs)))
    return "\n".join(lines), expected


@pytest.mark.parametrize("seed", range(CASES))
def test_generated_digest(seed, tmp_path):
    text, expected = _digest(seed)
    path = tmp_path / "digest.txt"
    path.write_text(text, encoding="utf-8")
    episode = ingest([str(path)])
    assert [(p.title, p.links, p.summary) for p in episode.papers] == expected, text


OTHER = {"latin": "cyrillic"}  # the script of a generated "English original": Latin, or Cyrillic for Latin digests


def _rich_digest(seed: int):
    """A digest with front matter, bilingual titles, glossed and variant labels, quoted originals, end matter."""
    rng = random.Random(1000 + seed)
    script = rng.choice(sorted(SCRIPTS))
    letters, stop = SCRIPTS[script]
    other, _ = SCRIPTS[OTHER.get(script, "latin")]
    gloss = f"({_word(rng, other)})"
    intro, body, link = (_words(rng, letters, 1, 2) for _ in range(3))
    shared = _word(rng, letters)  # the "more" label is spelled differently in each paper, sharing its last word
    themes = [_words(rng, letters, 3, 6) for _ in range(rng.randint(2, 4))]
    header = [f"[2025/10/{rng.randint(1, 20):02d} ~ {rng.randint(21, 28)}] {_words(rng, letters, 2, 4)}",
              _words(rng, letters, 5, 9) + stop, _words(rng, letters, 2, 4) + ":"]
    lines = header + [f"{n}\ufe0f\u20e3 {theme}" for n, theme in enumerate(themes, 1)] + ["", "---", ""]
    expected = []
    for n in range(1, rng.randint(2, 6) + 1):
        native, alt = _words(rng, letters, 2, 5), _words(rng, other, 2, 5)
        title = f"{native} / {alt}" if rng.random() < 0.7 else f"{alt} / {native}"
        summary = [_words(rng, letters, 8, 16) + stop, _words(rng, letters, 8, 16) + stop]
        original = _words(rng, other, 8, 16) + "."
        url = f"https://arxiv.org/abs/2510.{seed:03d}{n:02d}"
        more = f"https://example.org/{seed}/{n}"
        lines += [f"{rng.choice(['🧠 ', '📄 ', ''])}{title}", intro, summary[0], f"{body}{rng.choice(['', ' '])}{gloss}",
                  summary[1], f"> {original}", link, url, f"{_word(rng, letters)} {shared}", more, ""]
        expected.append((native, alt, [url, more], "\n\n".join(summary), original))
    disclaimer = "• " + _words(rng, letters, 6, 10) + stop
    advert = "• " + _words(rng, letters, 3, 6) + " https://ads.example/offer"
    comment = _words(rng, letters, 2, 3)
    lines += ["---", disclaimer, advert, comment, comment]
    return "\n".join(lines), expected, themes, disclaimer[2:], [advert[2:], comment, comment]


@pytest.mark.parametrize("seed", range(CASES))
def test_generated_digest_with_front_and_end_matter(seed, tmp_path):
    text, expected, themes, closing, unspoken = _rich_digest(seed)
    path = tmp_path / "digest.txt"
    path.write_text(text, encoding="utf-8")
    episode = ingest([str(path)])
    assert [(p.title, p.title_alt, p.links, p.summary, p.abstract) for p in episode.papers] == expected, text
    assert (episode.overview, episode.closing_text, episode.unspoken) == (themes, closing, unspoken), text
    assert episode.date == text[1:11].replace("/", "-")
