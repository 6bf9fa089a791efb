"""What the engine receives: the written script, sentence by sentence, made speakable, then the lexicon.

``script.md`` holds the written text people read and edit; captions and show notes use it too.
At speak time each written sentence becomes its spoken form here, so the timeline keeps both,
and ``podcast preview --spoken`` prints exactly what the speak stage sends.
"""

from __future__ import annotations

from typing import Callable

from .lexicon import Lexicon, builtin
from .speakable import speakable
from .speech.text import PARAGRAPH, split_sentences

Normalize = Callable[[str], str]


def normalizer(language: str, lexicon: Lexicon | None = None) -> Normalize:
    """A function from one written sentence to the text the engine gets (speakable, then ``lexicon``)."""
    lexicon = lexicon if lexicon is not None else builtin(language)

    def normalize(sentence: str) -> str:
        return lexicon.apply(speakable(sentence, language, lexicon=lexicon))

    return normalize


def spoken_paragraphs(text: str, normalize: Normalize) -> list[list[tuple[str, str]]]:
    """Per paragraph of ``text``, its (written, spoken) sentences; sentences with nothing to say are left out."""
    paragraphs = []
    for paragraph in PARAGRAPH.split(text):
        pairs = [(s, said) for s in split_sentences(paragraph) if (said := normalize(s).strip())]
        if pairs:
            paragraphs.append(pairs)
    return paragraphs


def spoken_text(text: str, normalize: Normalize) -> str:
    """The spoken form of a whole written text, paragraphs kept."""
    return "\n\n".join(" ".join(said for _, said in pairs) for pairs in spoken_paragraphs(text, normalize))
