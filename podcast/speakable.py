"""Make written newsletter text speakable: what a voice should read, never markup read out.

The show notes keep the written text; this module only produces the spoken form:
- URLs are dropped; where the sentence needs them ("code at https://…", "Paper: https://…")
  they become "the link in the show notes". ``[text](url)`` becomes its text.
- Markdown marks (``**``, ``_x_``, backticks, ``#`` headings, bullets, table pipes) go; headings,
  bullets and table rows end with a period so the voice pauses after them.
- LaTeX and math are said in English words ("O of n squared", "ten to the minus three").
- arXiv ids are read digit by digit: "arXiv two five oh one dot zero zero three four three".
- Numbers follow the episode's language (see :mod:`podcast.spoken_numbers`): English spells them
  out in words; Hindi and Korean keep their digits and say the symbols around them.
- Acronyms are spelled with spaces where people spell them ("L L M", "G P T four", and "L L M's",
  "R A-G" so that espeak-ng says the letters, see :func:`spell`), kept where
  people say them as words (BERT, NASA), expanded where natural (SOTA, e.g., vs.).
- Terms of the built-in pronunciation lexicon are left exactly as written, so that
  :meth:`podcast.lexicon.Lexicon.apply` finds them at synthesis time (see that module).
Paragraph breaks survive as blank lines; other whitespace is collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

from .lexicon import Lexicon, builtin
from .markup import AUTOLINK, CITATION, CODE, EMPHASIS, HTML, IMAGE, LINK, blocks, join
from .spoken_math import DROPPED, GREEK_CHARS, formulas, math_words, superscript_words
from .spoken_numbers import MASK, Lang, digits_words, lang_for, number_words, ordinal, speak_numbers

# --- inline markup, links and math ------------------------------------------------------------
_PREPARE = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\u00ad": "", "\ufeff": "",
                          "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2026": "...",
                          "\u2010": "-", "\u2011": "-"})
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'`]+"
                  r"|(?<![\w@.])(?:[a-z0-9-]+\.)+(?:com|org|net|io|ai|dev|edu|gov|co|me|ly|info|app)"
                  r"(?:/[^\s<>\"'`]*)?(?![\w])")
_URL_TRAIL = ".,;:!?)]'\""
_DOMAIN_HINT = re.compile(r"\.(?:com|org|net|io|ai|dev|edu|gov|co|me|ly|info|app)\b")
_DIGIT = re.compile(r"\d")
_NEEDS_LINK = re.compile(r"(?:\b(?:at|see|from|via|on|in|here|under|to|visit)|:)\s*$", re.IGNORECASE)
_ARXIV = re.compile(r"(?<![\w./])(?P<p>arXiv\s?:?\s?)?(?P<yymm>\d\d(?:0[1-9]|1[0-2]))\.(?P<num>\d{4,5})"
                    r"(?:v(?P<v>\d+))?(?![\w]|\.\d)", re.IGNORECASE)
_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$\w])\$(?=[^\s$])([^$\n]+?)(?<=[^\s\\])\$(?![\w$])"
                   r"|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
_BRACED = r"\{(?:[^{}]|\{[^{}]*\})*\}"
_BARE_COMMAND = re.compile(rf"\\[A-Za-z]+(?:\s*(?:{_BRACED}|\[[^\]]*\]))*")
_DROPPED_COMMAND = re.compile(rf"\\(?:{'|'.join(DROPPED)})(?![A-Za-z])(?:\s*(?:{_BRACED}|\[[^\]]*\]))*")
_LATEX_LINK = re.compile(rf"\\href\s*\{{[^{{}}]*\}}\s*({_BRACED})|\\url\s*\{{[^{{}}]*\}}")
_BARE_SUP = re.compile(rf"\^({_BRACED}|[-−+]?[A-Za-z0-9\u0370-\u03FF]+|\\[A-Za-z]+|\*)")
_BARE_SUB = re.compile(rf"(?<![A-Za-z0-9\\])([A-Za-z\u0370-\u03FF])_({_BRACED}|[A-Za-z0-9]+)(?![A-Za-z0-9])")
_SCRIPT_CHARS = {"⁻¹": "^{-1}", "²": "^2", "³": "^3", "¹": "^1", "⁰": "^0", "ⁿ": "^n", "ᵀ": "^T",
                 **{chr(0x2080 + i): f"_{i}" for i in range(10)}}
_SCRIPT_CHAR = re.compile("|".join(_SCRIPT_CHARS))
_SNAKE = re.compile(r"(?<=[A-Za-z0-9])_(?=[A-Za-z0-9])")
_NUMBER_SIGN = re.compile(r"#(?=\d)")
_ABBREVIATION = re.compile(r"(?<![\w.])(e\.g\.|i\.e\.|w\.r\.t\.|a\.k\.a\.|cf\.|approx\.|vs\.?|w/o|w/|etc\.|et al\.|"
                           r"figs?\.|eqs?\.|secs?\.|tab\.|thm\.)(?=[\s,;:)]|$)", re.IGNORECASE)
_ABBREVIATIONS = {"e.g.": "for example", "i.e.": "that is", "w.r.t.": "with respect to", "a.k.a.": "also known as",
                  "cf.": "compare", "approx.": "approximately", "vs.": "versus", "vs": "versus", "w/o": "without",
                  "w/": "with", "etc.": "et cetera", "et al.": "et al", "fig.": "figure", "eq.": "equation",
                  "sec.": "section", "figs.": "figures", "eqs.": "equations", "secs.": "sections", "tab.": "table",
                  "thm.": "theorem"}
_SENTENCE_ABBREVIATIONS = ("etc.", "et al.")  # these may also end a sentence

# --- symbols, emoji and acronyms --------------------------------------------------------------
# Patterns below start with a character (not a look-behind) so that the regex engine can skip
# quickly to where they may match: speakable() must get through a whole episode in well under 0.5 s.
_DASH = re.compile(r"[—―–-](?:(?<=[—―])|(?<=\s.)(?=\s))")
_ARROW = re.compile(r"[-=⇒⟶](?:(?<=[-=])>|(?<=[⇒⟶]))")
_SLASH = re.compile(r"(?<!\d)/|/(?!\d)")  # between words; a slash between digits stays (1/2)
# "$1.2M/year", "10 ms/token": a rate, said "per".
_PER = re.compile(r"(?<=[\d%kKMBT])\s?/\s?(?=(?:yr|year|month|week|day|h|hour|min|minute|s|sec|second|ms|token|step|"
                  r"sample|image|GPU|query|request|epoch|user|call|page)s?\b)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w.-]*\w)")
_GREEK = re.compile("[" + "".join(GREEK_CHARS) + "]")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U00002B00-\U00002BFF\uFE0F\u200D\u20E3"
                    "\U000E0020-\U000E007F\u2300-\u23FF\u00A9\u00AE\u2122]")
_SAY_AS_WORD = frozenset(
    "BERT GLUE NASA NATO CIFAR MNIST ROUGE BLEU MAUVE LASER FEVER GAIA AIME BEIR CLEVR SAM YOLO LIME SHAP DINO "
    "DIFF CROSS ADAM CUDA ASIC FLOP FLOPS SIMD RAM ROM SWAG COCO PASCAL JSON YAML UNIX LINUX COVID FAIR AIXI "
    "JAX ONNX "
    "NOT AND THE ALL NEW FREE NOW ONLY BUT FOR YOU ARE WHY HOW WHAT THIS THAT NEVER MUST VERY BEST MORE LESS MOST "
    "ONE TWO OR IS NO YES DO WE IN ON OF TO AT BY UP GO SO IF AS BE AN MY HAS CAN WILL USE OUT OFF TOP KEY BIG ANY "
    "OUR NEXT JUST HERE WITH FROM THEY INTO OVER WHEN STOP NOTE".split())
_EXPANSIONS = {"SOTA": "state of the art", "CoT": "chain of thought", "OK": "okay", "IEEE": "I triple E"}
# Words (and hyphenated compounds) from a capital on with another capital: the possible acronyms.
_TOKEN = re.compile(rf"[A-Z](?=[A-Za-z-]*?[A-Z])[A-Za-z]*(?:-[A-Za-z]+)*(?![A-Za-z0-9{MASK}])")
# One lower-case letter before capitals, as in "fMRI", "kNN", "mRNA", "iOS": said letter by letter.
_MIXED_CASE = re.compile(rf"[a-z](?<![A-Za-z0-9{MASK}][a-z])[A-Z]{{2,5}}(?:s(?=')|s(?![A-Za-z0-9{MASK}]))?"
                         rf"(?![A-Za-z0-9{MASK}])")
# "1) … 2) …" and "(1) … (2) …": an enumeration, said "first, … second, …".
_ENUMERATION = re.compile(r"(?<![^\s:;,])\(?([1-9])\)(?=\s)")
# A one-letter function applied in prose: "L(N)", "O(n log n)", after the math in it is words.
_CALL = re.compile(r"(?<![\w\\])([A-Za-z])\(([^()]{1,80})\)")
_LEFTOVER = re.compile(r"[*_#`^{}\\\[\]<>~|$§]")
_EMPTY_PARENS = re.compile(r"\(\s*[,;:]?\s*\)")
_SPACE_BEFORE = re.compile(r"\s+([,.;:!?)।])")
_OPEN_PAREN = re.compile(r"\(\s+")
_DOUBLED = re.compile(r"[,;:.](?:(?<=[,;:])\s*(?=[,;:.!?])|(?<=[^.]\.)\s+(?=\.))")
_LEADING = re.compile(r"^[\s,;:.!?)]+")
_MASKED = re.compile(f"[{MASK}]")
_SYMBOLS: dict[str, re.Pattern[str]] = {}
_FORMULA_HINT = re.compile(r"[=^+/±≈<>]")


def _symbol_pattern(lang: Lang) -> re.Pattern[str] | None:
    if lang.code not in _SYMBOLS and lang.symbols:
        keys = sorted(lang.symbols, key=len, reverse=True)
        _SYMBOLS[lang.code] = re.compile("|".join(re.escape(k) for k in keys))
    return _SYMBOLS.get(lang.code)


def _say_number(lang: Lang) -> Callable[[str], str]:
    return number_words if lang.words else (lambda text: text)


def _url(match: re.Match[str], lang: Lang) -> str:
    url = match.group(0)
    trail = url[len(url.rstrip(_URL_TRAIL)):]
    before = match.string[max(0, match.start() - 12):match.start()]
    if lang.words:
        needed = _NEEDS_LINK.search(before) is not None
    else:  # postpositions follow the URL in Hindi and Korean: "… https://… पर देखें"
        after = match.string[match.end() - len(trail):].lstrip(_URL_TRAIL + " ")
        needed = before.rstrip().endswith(":") or bool(after[:1]) and after[0].isalpha()
    return (lang.link if needed and lang.link else "") + trail


def _arxiv(match: re.Match[str]) -> str:
    spoken = f"{digits_words(match['yymm'], zero='oh')} dot {digits_words(match['num'])}"
    if match["v"]:
        spoken += f" version {number_words(match['v'])}"
    return f"arXiv {spoken}" if match["p"] else spoken


def _abbreviation(match: re.Match[str]) -> str:
    written = match.group(1).lower()
    spoken = _ABBREVIATIONS[written]
    rest = match.string[match.end():match.end() + 3].lstrip()
    if written in _SENTENCE_ABBREVIATIONS and (not rest or rest[0].isupper()):
        spoken += "."
    return spoken


def _plural(possessive: bool) -> str:
    """How a spelled acronym's plural ends: "L L M's" (read "emz", where "L L Ms" is read "em ess" by
    espeak-ng and by hibari's G2P), but "R N Ns'" for a possessive plural, never "R N N's'"."""
    return "s" if possessive else "'s"


def _say_part(part: str, english: bool, lexicon: Lexicon | None = None, possessive: bool = False) -> str | None:
    if english and part in _EXPANSIONS:
        return _EXPANSIONS[part]
    plural = len(part) > 2 and part.endswith("s") and part[:-1].isupper()
    core = part[:-1] if plural else part
    if 2 <= len(core) <= 5 and core.isupper() and core not in _SAY_AS_WORD:
        return spell(core) + (_plural(possessive) if plural else "")
    if lexicon is not None and not part.isupper():  # an acronym glued to a known term: "FSMoE" → "F S MoE"
        for cut in range(min(5, len(part) - 2), 1, -1):
            if part[:cut].isupper() and part[:cut].isalpha() and lexicon.lookup(part[cut:]) is not None:
                return f"{spell(part[:cut])} {part[cut:]}"
    return None


def spell(letters: str) -> str:
    """Letters to be said one by one: "LLM" → "L L M", "RAG" → "R A-G".

    A lone capital A reads as the article "a" in espeak-ng (Piper's phonemizer), so an A is
    tied to the next letter with a hyphen, which makes it the letter "ay". A plural is
    written "L L M's" ("L L Ms" is read "el el em es"), and a possessive plural "R N Ns'".
    """
    return "".join(c + ("" if i == len(letters) - 1 else "-" if c == "A" else " ") for i, c in enumerate(letters))


def _acronyms(match: re.Match[str], english: bool, lexicon: Lexicon | None = None) -> str:
    start = match.start()
    if start and (match.string[start - 1].isascii() and match.string[start - 1].isalnum()
                  or "\ue000" <= match.string[start - 1] <= "\uf8ff"):
        return match.group(0)  # the capital is inside a word: "xLSTM", "FSMoE"
    parts = match.group(0).split("-")
    possessive = match.string[match.end():match.end() + 1] == "'" and not match.string[match.end() + 1:][:1].isalpha()
    spoken = [_say_part(p, english, lexicon, possessive and k == len(parts) - 1) for k, p in enumerate(parts)]
    if all(s is None for s in spoken):
        return match.group(0)
    return " ".join(s or p for s, p in zip(spoken, parts))


def _mask(text: str, lexicon: Lexicon, kept: list[str]) -> str:
    """Replace the lexicon's terms by private-use characters so later steps leave them alone."""
    pieces, last = [], 0
    for match, spoken in lexicon.finditer(text):
        term = match.group(0)
        if term.isupper() and term.isalpha() and spoken == spell(term):
            continue  # speakable spells it exactly so itself
        if term not in kept:
            kept.append(term)
        pieces += [text[last:match.start()], chr(0xE000 + kept.index(term))]
        last = match.end()
    return "".join(pieces) + text[last:]


def _email(match: re.Match[str]) -> str:
    user, _, domain = match[0].partition("@")
    return f"{user.replace('.', ' dot ')} at {domain.replace('.', ' dot ')}"


def _links_and_markup(text: str, lang: Lang) -> str:
    """Links, URLs, e-mail addresses, HTML tags and code marks out; each step runs only if its mark is present."""
    if "@" in text and lang.words:
        text = _EMAIL.sub(_email, text)
    if "\\href" in text or "\\url" in text:  # before URLs: a URL would run on into the braces
        text = _LATEX_LINK.sub(lambda m: m[1][1:-1] if m[1] else "", text)
    if "[" in text:
        text = CITATION.sub("", LINK.sub(lambda m: m[1] or m[2], IMAGE.sub(r"\1", text)))
    if "<" in text:
        text = HTML.sub("", AUTOLINK.sub(r"\1", text))
    if "://" in text or "www." in text or _DOMAIN_HINT.search(text):
        text = _URL.sub(lambda m: _url(m, lang), text)
    if "`" in text:
        text = CODE.sub(r"\1", text)
    return text


def _math_and_emphasis(text: str, number: Callable[[str], str]) -> str:
    """LaTeX, math and sub/superscripts as words, then emphasis marks out."""
    if "$" in text or "\\" in text:
        text = text.replace("~\\", " \\")  # LaTeX's unbreakable space before a command: "Fig.~\ref{…}"
        text = _MATH.sub(lambda m: " " + math_words(next(g for g in m.groups() if g is not None), number) + " ", text)
        text = _BARE_COMMAND.sub(lambda m: " " + math_words(m.group(0), number) + " ", text)
    text = _SCRIPT_CHAR.sub(lambda m: _SCRIPT_CHARS[m.group(0)], text)
    if "_" in text:
        text = _BARE_SUB.sub(lambda m: math_words(m.group(0), number), text)
    if "^" in text:
        text = _BARE_SUP.sub(lambda m: " " + superscript_words(m.group(1), number) + " ", text)
    if "*" in text or "_" in text or "~~" in text:
        for _ in range(2):  # twice, for nested marks like ***this***
            text = EMPHASIS.sub(lambda m: next(g for g in m.groups() if g is not None), text)
        text = _SNAKE.sub(" ", text)
    return text


def _inline(text: str, lang: Lang, lexicon: Lexicon) -> str:
    """The spoken form of one line of running text."""
    number = _say_number(lang)
    text = _MASKED.sub("", unicodedata.normalize("NFC", text).translate(_PREPARE))  # masks are ours
    text = _links_and_markup(text, lang)
    digits = _DIGIT.search(text) is not None
    if digits:
        text = _ARXIV.sub(_arxiv, text)
    kept: list[str] = []
    text = _mask(text, lexicon, kept)
    if lang.formula and _FORMULA_HINT.search(text):
        text = formulas(text, lang.formula)
    text = _math_and_emphasis(text, number)
    if "#" in text:
        text = _NUMBER_SIGN.sub("number " if lang.words else "", text)
    if lang.words:
        text = _ABBREVIATION.sub(_abbreviation, text)
        if digits and ")" in text:
            text = _enumeration(text)
    if digits:
        if "/" in text and lang.words:
            text = _PER.sub(" per ", text)
        text = speak_numbers(text, lang)
    if "(" in text:
        text = _CALL.sub(lambda m: f"{m[1]} of {m[2].strip()}", text)
    text = _ARROW.sub(" to " if lang.words else ", ", _DASH.sub(", ", text))
    text = _SLASH.sub(" ", text)
    if lang.code != "el":
        text = _GREEK.sub(lambda m: f" {GREEK_CHARS[m.group(0)]} ", text)
    if (symbols := _symbol_pattern(lang)) is not None:
        text = symbols.sub(lambda m: f" {lang.symbols[m.group(0)]} ", text)
    text = _EMOJI.sub("", text)
    text = _MIXED_CASE.sub(lambda m: spell(m[0][:-1]) + _plural(m.string[m.end():m.end() + 1] == "'")
                           if m[0].endswith("s") else spell(m[0]), text)
    text = _TOKEN.sub(lambda m: _acronyms(m, lang.words, lexicon), text)
    return _unmask(_tidy(text), kept)


def _enumeration(text: str) -> str:
    """ "1) a; 2) b" → "first, a; second, b" when the marks count up (or one starts the sentence)."""
    marks = list(_ENUMERATION.finditer(text))
    if not marks:
        return text
    numbers = [int(m[1]) for m in marks]
    counting = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    if not counting or len(marks) == 1 and (marks[0].start() > 0 or marks[0][0].startswith("(")):
        return text
    return _ENUMERATION.sub(lambda m: f"{ordinal(int(m[1]))},", text)


def _tidy(text: str) -> str:
    text = _EMPTY_PARENS.sub("", _LEFTOVER.sub(" ", text))
    text = " ".join(text.split())
    text = _OPEN_PAREN.sub("(", _SPACE_BEFORE.sub(r"\1", text))
    text = _DOUBLED.sub("", _EMPTY_PARENS.sub("", text))
    return _LEADING.sub("", text).strip()


def _unmask(text: str, kept: list[str]) -> str:
    if not kept:
        return text
    return _MASKED.sub(lambda m: kept[ord(m.group(0)) - 0xE000], text)


def speakable(text: str, language: str = "en", *, lexicon: Lexicon | None = None) -> str:
    """The text a voice should read for ``text`` (``lexicon``'s terms are kept; default: built-in)."""
    lang = lang_for(language)
    lexicon = lexicon if lexicon is not None else builtin(lang.code)
    result = join([(kind, s, gap, n, len(line)) for n, (kind, line, gap) in enumerate(blocks(text))
                   if (s := _inline(line, lang, lexicon))])
    if not result and "\\" in text:
        text = _DROPPED_COMMAND.sub("", text)  # a citation or label alone says nothing
    if not result and re.search(r"[^\W_]", text):
        return lang.link if _URL.search(text) and lang.link else " ".join(re.findall(r"[^\W_]+", text))
    return result


_BILINGUAL = re.compile(r"\s+[/|]\s+")
_SCRIPT_LANGUAGES = (("DEVANAGARI", "hi"), ("HANGUL", "ko"))


def _script_language(text: str, language: str) -> str:
    """The language to say ``text`` in: English for Latin script, else by script or ``language``."""
    names = [unicodedata.name(c, "") for c in text if c.isalpha()]
    if all(c.isascii() or "LATIN" in n for c, n in zip((c for c in text if c.isalpha()), names)):
        return "en"
    for script, code in _SCRIPT_LANGUAGES:
        if any(script in n for n in names) and lang_for(language).code not in ("hi", "ko"):
            return code
    return language


def speak_title(title: str, language: str = "en") -> str:
    """The spoken form of a title line; both halves of a "native / English" title, each in its language."""
    title = re.sub(r"^\s*#+\s*", "", title.strip())
    halves = [h for h in _BILINGUAL.split(title) if h.strip()]
    if len(halves) < 2:
        return " ".join(speakable(title, language).split())
    spoken = (" ".join(speakable(h, _script_language(h, language)).split()) for h in halves)
    return ", ".join(s.rstrip(",;:") for s in spoken if s)


_UNSPEAKABLE = (
    _URL,
    _MATH,
    re.compile(r"\\[A-Za-z]+"),
    re.compile(r"[A-Za-z0-9)]\^\{?[-\w]+\}?|(?<![A-Za-z0-9])[A-Za-z]_\{?\w+\}?"),
    re.compile(r"\[[^\]]+\]\([^)]*\)|\*\*|__|`+|^\s*#{1,6}(?=\s)|\||^\s*[-*+•](?=\s)", re.MULTILINE),
    re.compile(r"(?<![\w*])\*[^\s*][^*\n]*\*(?![\w*])|(?<!\w)_[^\s_][^_\n]*_(?!\w)"),
    _EMOJI,
    _ARXIV,
)


def unspeakable_tokens(text: str) -> list[str]:
    """Leftover URLs, LaTeX, markdown marks, emoji and raw arXiv ids in ``text``, in order, once each."""
    found = sorted((m.start(), -m.end(), p is _URL, m.group(0)) for p in _UNSPEAKABLE for m in p.finditer(text))
    tokens: list[str] = []
    covered = 0  # end of the last token taken: a token inside it ("x^2" in "$x^2$") is not repeated
    for start, neg_end, is_url, token in found:
        token = token.strip().rstrip(_URL_TRAIL) if is_url else token.strip()
        if start >= covered and token and token not in tokens:
            tokens.append(token)
        covered = max(covered, -neg_end)
    return tokens
