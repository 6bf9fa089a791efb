"""Guess the language of a text from its Unicode script, and for Latin text from stopwords."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

# Scripts that name one language. Kana and Han are handled together (Japanese mixes both).
_SCRIPTS: dict[str, re.Pattern[str]] = {
    "ko": re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
    "kana": re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]"),
    "han": re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]"),
    "hi": re.compile(r"[\u0900-\u097f]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
    "ar": re.compile(r"[\u0600-\u06ff\u0750-\u077f]"),
    "el": re.compile(r"[\u0370-\u03ff]"),
    "he": re.compile(r"[\u0590-\u05ff]"),
    "th": re.compile(r"[\u0e00-\u0e7f]"),
}
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]+")  # runs, so long texts give short lists
_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
_CJK = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")

# A non-Latin script must make up this share of all letters before it decides the language,
# so a stray Greek symbol or a Chinese author name in an English text does not.
MIN_SCRIPT_SHARE = 0.10  # fraction of letters
MIN_KANA_SHARE = 0.05  # fraction of kana among kana + Han letters that makes Han text Japanese

# Frequent function words that are rare in English (words shared with English are left out).
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to is that with for are this on by from which be it an was were".split()),
    "fr": frozenset("le la les des est et une dans pour que qui sur avec pas du au ce sont nous cette mais leur".split()),
    "de": frozenset("der die das und ist nicht mit ein eine den dem von zu auf für sich auch wird werden des".split()),
    "es": frozenset("el los las del que y es en por con una para como se su más pero al lo esta".split()),
    "pt": frozenset("os do da dos das que e é em um uma para com não na por mais se ao à são".split()),
    "it": frozenset("il gli della del che e è di per un una con non sono nel alla questo anche delle".split()),
}
SAMPLE_CHARS = 24_000  # characters examined at most, in slices spread over a long text
SAMPLE_SLICES = 4
MIN_STOPWORD_HITS = 5  # words, before a Latin text is called anything but English
STOPWORD_MARGIN = 1.5  # how many times more hits than English the winner needs


def script_counts(text: str) -> dict[str, int]:
    """Letters per script: language codes, plus "kana", "han" and "latin"."""
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPTS.items()}
    counts["latin"] = sum(map(len, _LATIN.findall(text)))
    return counts


def _latin_language(text: str) -> str:
    words = Counter(_WORD.findall(text.lower()))
    hits = {lang: sum(words[word] for word in stops) for lang, stops in _STOPWORDS.items()}
    best = max((lang for lang in hits if lang != "en"), key=lambda lang: hits[lang])
    if hits[best] >= MIN_STOPWORD_HITS and hits[best] >= STOPWORD_MARGIN * max(hits["en"], 1):
        return best
    return "en"


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    size, step = SAMPLE_CHARS // SAMPLE_SLICES, len(text) // SAMPLE_SLICES
    return "\n".join(text[i * step : i * step + size] for i in range(SAMPLE_SLICES))


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language ``text`` is most likely written in ("en" if unsure)."""
    text = _sample(text)
    counts = script_counts(text)
    total = sum(counts.values())
    if not total:
        return "en"
    cjk = counts["kana"] + counts["han"]
    candidates = {k: v for k, v in counts.items() if k not in ("latin", "kana", "han")}
    if cjk:
        candidates["ja" if counts["kana"] >= MIN_KANA_SHARE * cjk else "zh"] = cjk
    script, letters = max(candidates.items(), key=lambda item: item[1])
    if letters >= MIN_SCRIPT_SHARE * total:
        return script
    return _latin_language(text)


# The script each language is written in, where it is not Latin ("cjk": kana and Han together).
_SCRIPT_OF = {"ko": "ko", "ja": "cjk", "zh": "cjk", "hi": "hi", "mr": "hi", "ne": "hi", "ru": "ru", "uk": "ru",
              "bg": "ru", "sr": "ru", "ar": "ar", "fa": "ar", "ur": "ar", "el": "el", "he": "he", "th": "th"}


@lru_cache(maxsize=8192)
def _char_script(ch: str) -> str:
    """"latin", "cjk", a language code for another script, or "" for what is not a letter."""
    if not ch.isalpha():
        return ""
    for name, pattern in _SCRIPTS.items():
        if pattern.match(ch):
            return "cjk" if name in ("kana", "han") else name
    return "latin" if _LATIN.match(ch) else "other"


def _scripts(text: str) -> Counter:
    """Letters per script of a short text (a title, a paragraph), one pass over its characters."""
    counts = Counter(map(_char_script, text))
    counts.pop("", None)
    return counts


def main_script(text: str) -> str:
    """The script most letters of ``text`` are in: "latin", "cjk", or a language code ("hi", "ko", "ar")."""
    counts = _scripts(text)
    return max(counts, key=lambda name: (counts[name], name == "latin"), default="latin")


def main_script_of(language: str) -> str:
    """The script ``language`` is written in ("latin" unless known otherwise)."""
    return _SCRIPT_OF.get(language.split("-")[0].lower(), "latin")


def in_language(text: str, language: str) -> bool:
    """True if ``text`` reads as ``language``: by script, and for Latin-script languages by stopwords."""
    letters = len(_LETTER.findall(text))
    own = main_script_of(language)
    if own != "latin":
        pattern = _CJK if own == "cjk" else _SCRIPTS[own]
        return len(pattern.findall(text)) >= MIN_SCRIPT_SHARE * letters
    if letters - sum(map(len, _LATIN.findall(text))) >= MIN_SCRIPT_SHARE * letters > 0:
        return False  # mostly another script
    return _latin_language(text) == language if language in _STOPWORDS else True


# ISO 639-1: the codes --language and show.language accept (after dropping a region, "en-US" → "en").
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik
io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml
mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd
se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi
vo wa wo xh yi yo za zh zu""".split())


def normalize_language(code: str) -> str:
    """An ISO 639-1 code from user input ("en-US" → "en", "KO" → "ko"), or InputError."""
    from .errors import InputError

    base = re.split(r"[-_]", code.strip())[0].lower()
    if base not in ISO_639_1:
        raise InputError(f"unknown language code {code!r}",
                         "use a two-letter ISO 639-1 code such as en, hi, ko, de (see `podcast voices`)")
    return base
