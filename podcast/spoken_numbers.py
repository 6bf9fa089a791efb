"""Numbers, quantities and dates as a person says them, in the episode's language.

English numbers become words ("one point four times"), which any engine reads right.
Other languages keep their digits (engines read digits in their own language) and only the
symbols around them become words: Hindi "1 से 3 प्रतिशत", Korean "1에서 3 퍼센트".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**15, "quadrillion"), (10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
DIGIT_WORDS = tuple(_ONES[:10])
MAX_CARDINAL = 10**18  # from here on, numbers are read digit by digit
_ORDINAL_ENDINGS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
                    "nine": "ninth", "twelve": "twelfth"}
MONTHS_EN = ("January February March April May June July August September October November December").split()
MONTHS_HI = ("जनवरी फ़रवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर अक्टूबर नवंबर दिसंबर").split()
SCALE_OF = {"k": 10**3, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}  # suffix after a number: 7B, 10k


def cardinal(n: int) -> str:
    """English words for an integer: 95973 → "ninety-five thousand nine hundred seventy-three"."""
    if n < 0:
        return "minus " + cardinal(-n)
    if n >= MAX_CARDINAL:
        return " ".join(DIGIT_WORDS[int(d)] for d in str(n))
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {cardinal(rest)}" if rest else "")
    for value, name in _SCALES:
        if n >= value:
            high, rest = divmod(n, value)
            return f"{cardinal(high)} {name}" + (f" {cardinal(rest)}" if rest else "")
    raise AssertionError("unreachable")


def ordinal(n: int) -> str:
    """English ordinal words: 21 → "twenty-first"."""
    words = cardinal(n)
    cut = max(words.rfind(" "), words.rfind("-")) + 1
    head, last = words[:cut], words[cut:]
    if last in _ORDINAL_ENDINGS:
        return head + _ORDINAL_ENDINGS[last]
    return head + (last[:-1] + "ieth" if last.endswith("y") else last + "th")


def year(n: int) -> str:
    """A year as people say it: 2025 → "twenty twenty-five", 1905 → "nineteen oh five"."""
    high, low = divmod(n, 100)
    if low == 0:
        return cardinal(n) if high % 10 == 0 else f"{cardinal(high)} hundred"
    if high % 10 == 0 and low < 10:
        return cardinal(n)  # 2007 → "two thousand seven"
    if low < 10:
        return f"{cardinal(high)} oh {_ONES[low]}"
    return f"{cardinal(high)} {cardinal(low)}"


def number_words(text: str, years: bool = False) -> str:
    """English words for a written number ("1,234.5", ".5", "007"); 4-digit years if ``years``."""
    whole, _, frac = text.replace(",", "").partition(".")
    if len(whole) > 1 and whole.startswith("0"):
        spoken = " ".join(DIGIT_WORDS[int(d)] for d in whole)
    elif years and not frac and "," not in text and len(whole) == 4 and 1900 <= int(whole) <= 2039:
        spoken = year(int(whole))
    else:
        spoken = cardinal(int(whole)) if whole else ""
    if frac:
        spoken = f"{spoken} point " + " ".join(DIGIT_WORDS[int(d)] for d in frac)
    return spoken.strip()


def digits_words(digits: str, zero: str = "zero") -> str:
    """Digit by digit: "2501" → "two five zero one" (or "oh" for zero)."""
    return " ".join(zero if d == "0" else DIGIT_WORDS[int(d)] for d in digits)


@dataclass(frozen=True)
class Lang:
    """How one language says the symbols around numbers; ``{n}``, ``{a}``, ``{b}`` are the numbers."""

    code: str
    words: bool = False  # True: spell numbers out in words (English)
    percent: str = "{n}%"
    times: str = "{n}"  # 1.4x
    by: str = "{a} {b}"  # 3x3, a dimension
    range: str = "{a} {b}"  # 1-3
    range_marks: str = "-–~"  # characters that make a range between two numbers: 1-3, 1–3, 1~3
    about: str = "{n}"  # ~5
    approx: str = "{n}"  # ≈5
    plus_minus: str = "{n}"  # ±5
    more: str = "{n}"  # >5
    less: str = "{n}"  # <5
    at_least: str = "{n}"  # ≥5
    at_most: str = "{n}"  # ≤5
    plus: str = "{n}"  # +5
    minus: str = "-{n}"  # -5
    scales: dict[str, str] = field(default_factory=dict)  # "B" → "billion"; empty: keep as written
    currency: dict[str, str] = field(default_factory=dict)  # "$" → "{n} dollars"
    degrees: dict[str, str] = field(default_factory=lambda: {"": "{n}°", "C": "{n}°C", "F": "{n}°F"})
    sci: str = ""  # 1e-4 as "{m}" and "{e}"; empty: keep as written
    sci_one: str = ""  # when the mantissa is 1
    date: str = ""  # {y} {m} {month} {d}; empty: keep ISO dates as written
    month_date: str = ""
    day_date: str = ""  # {m} {month} {d}: the end of a date range without its year
    months: tuple[str, ...] = ()
    link: str = ""  # said instead of a URL that the sentence needs
    formula: str = ""  # said instead of prose math too long to follow by ear; empty: read it
    symbols: dict[str, str] = field(default_factory=dict)  # symbols outside numbers: "&" → "and"


EN = Lang(
    code="en", words=True, percent="{n} percent", times="{n} times", by="{a} by {b}", range="{a} to {b}",
    about="about {n}", approx="approximately {n}", plus_minus="plus or minus {n}", more="more than {n}",
    less="less than {n}", at_least="at least {n}", at_most="at most {n}", plus="plus {n}", minus="minus {n}",
    scales={"k": "thousand", "K": "thousand", "M": "million", "B": "billion", "T": "trillion"},
    currency={"$": "{n} dollars", "€": "{n} euros", "£": "{n} pounds"},
    degrees={"": "{n} degrees", "C": "{n} degrees Celsius", "F": "{n} degrees Fahrenheit"},
    sci="{m} times ten to the {e}", sci_one="ten to the {e}", date="{month} {d}, {y}", month_date="{month} {y}",
    day_date="{month} {d}",
    months=tuple(MONTHS_EN), link="the link in the show notes", formula="a formula given in the paper",
    symbols={"&": "and", "@": "at", "=": "equals", "+": "plus", "→": "to", "×": "times", "÷": "divided by",
             "≈": "approximately", "≠": "is not equal to", "≤": "at most", "≥": "at least", "±": "plus or minus",
             "∞": "infinity", "°": "degrees", "%": "percent", "§": "section", "∑": "sum", "∈": "in", "⊥": "perp", "√": "root of",
             "∝": "proportional to", "−": "minus", "‖": " "},
)
HI = Lang(
    code="hi", percent="{n} प्रतिशत", times="{n} गुना", by="{a} गुणा {b}", range="{a} से {b}",
    about="लगभग {n}", approx="लगभग {n}", plus_minus="प्लस-माइनस {n}", more="{n} से अधिक", less="{n} से कम",
    at_least="कम से कम {n}", at_most="अधिकतम {n}", plus="प्लस {n}", minus="माइनस {n}",
    scales={"k": "हज़ार", "K": "हज़ार", "M": "मिलियन", "B": "बिलियन", "T": "ट्रिलियन"},
    currency={"$": "{n} डॉलर", "€": "{n} यूरो", "£": "{n} पाउंड"},
    degrees={"": "{n} डिग्री", "C": "{n} डिग्री सेल्सियस", "F": "{n} डिग्री फ़ारेनहाइट"},
    sci="{m} गुणा 10 की घात {e}", sci_one="10 की घात {e}", date="{d} {month} {y}", month_date="{month} {y}",
    day_date="{d} {month}",
    months=tuple(MONTHS_HI), link="शो नोट्स में दिया लिंक",
    symbols={"&": "और", "=": "बराबर", "+": "प्लस", "%": "प्रतिशत", "×": "गुणा", "≈": "लगभग"},
)
KO = Lang(
    code="ko", percent="{n} 퍼센트", times="{n}배", by="{a} 곱하기 {b}", range="{a}에서 {b}",
    about="약 {n}", approx="약 {n}", plus_minus="플러스 마이너스 {n}", more="{n} 초과", less="{n} 미만",
    at_least="{n} 이상", at_most="{n} 이하", plus="플러스 {n}", minus="마이너스 {n}",
    scales={"korean": ""}, currency={"$": "{n} 달러", "€": "{n} 유로", "£": "{n} 파운드"},
    degrees={"": "{n}도", "C": "섭씨 {n}도", "F": "화씨 {n}도"},
    sci="{m} 곱하기 10의 {e}승", sci_one="10의 {e}승", date="{y}년 {m}월 {d}일", month_date="{y}년 {m}월",
    day_date="{m}월 {d}일",
    link="쇼 노트의 링크",
    symbols={"&": "및", "+": "플러스", "%": "퍼센트", "×": "곱하기", "≈": "약"},
)
OTHER = Lang(code="", percent="{n}%", range="{a}–{b}")
LANGS = {"en": EN, "hi": HI, "ko": KO}
_KOREAN_UNITS = ((10**12, "조"), (10**8, "억"), (10**4, "만"))


def lang_for(language: str) -> Lang:
    """The table for a language code ("en", "hi-IN"); other languages keep digits and drop symbols."""
    base = (language or "en").split("-")[0].split("_")[0].lower()
    return LANGS.get(base) or replace(OTHER, code=base)


def say_number(text: str, lang: Lang, years: bool = False) -> str:
    """A written number in ``lang``: English words, else the digits as written."""
    return number_words(text, years) if lang.words else text


def _plain_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def say_scaled(number: str, suffix: str, lang: Lang) -> str:
    """A number with a scale suffix (7B, 10k): "seven billion", "7 बिलियन", "70억"."""
    if "korean" in lang.scales:
        try:
            value = Decimal(number.replace(",", "")) * SCALE_OF[suffix]
        except InvalidOperation:
            return number + suffix
        for unit, name in _KOREAN_UNITS:
            if value >= unit:
                return _plain_decimal(value / unit) + name
        return _plain_decimal(value)
    if suffix in lang.scales:
        return f"{say_number(number, lang)} {lang.scales[suffix]}"
    return number + suffix


def say_quantity(number: str, unit: str, currency: str, lang: Lang, units: dict[str, str]) -> str:
    """A number with its unit (%, x, k/M/B/T, °, ms…) and currency sign, in ``lang``."""
    unit = unit.strip()
    if unit in SCALE_OF:
        spoken = say_scaled(number, unit, lang)
    else:
        spoken = say_number(number, lang)
        if unit == "%":
            spoken = lang.percent.format(n=spoken)
        elif unit in ("x", "×"):
            spoken = lang.times.format(n=spoken)
        elif unit.startswith("°"):
            spoken = lang.degrees.get(unit[1:], "{n}" + unit).format(n=spoken)
        elif unit:
            name = units.get(unit) if lang.words else None
            if name and number == "1":
                name = name[:-1] if name.endswith("s") else name
            spoken = f"{spoken} {name or unit}"
    if currency:
        template = lang.currency.get(currency, currency + "{n}")
        if lang.words and number == "1" and not unit:
            template = template.rstrip("s")
        spoken = template.format(n=spoken)
    return spoken


def say_date(y: str | None, m: str, d: str | None, lang: Lang) -> str | None:
    """A date, year-month or (without ``y``) month-day in ``lang``; None when the language keeps it as written."""
    template = lang.day_date if not y else lang.date if d else lang.month_date
    if not template:
        return None
    month = int(m)
    values = {"y": y or "", "m": str(month), "d": str(int(d)) if d else "",
              "month": lang.months[month - 1] if lang.months else str(month)}
    if lang.words:
        values["y"] = year(int(y)) if y else ""
        values["d"] = ordinal(int(d)) if d else ""
    return template.format(**values)


def say_scientific(mantissa: str, exponent: str, lang: Lang) -> str | None:
    """1e-4 → "ten to the minus four"; None when the language keeps it as written."""
    if not lang.sci:
        return None
    negative = exponent.startswith(("-", "−"))
    digits = exponent.lstrip("+-−")
    power = say_number(digits, lang)
    if negative:
        power = lang.minus.format(n=power)
    if mantissa == "1":
        return lang.sci_one.format(e=power)
    return lang.sci.format(m=say_number(mantissa, lang), e=power)


# --- finding numbers in text --------------------------------------------------------------------
MASK = "\ue000-\uf8ff"  # private-use characters that stand in for protected lexicon terms
_GLUE = rf"A-Za-z0-9_{MASK}"  # characters that make a number part of a word when adjacent
NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
UNITS_EN = {"ms": "milliseconds", "μs": "microseconds", "GB": "gigabytes", "MB": "megabytes", "TB": "terabytes",
            "GHz": "gigahertz", "kHz": "kilohertz", "Hz": "hertz", "h": "hours", "min": "minutes", "px": "pixels"}
_UNIT = (r"\s?%|x(?![A-Za-z0-9_])|\s?×(?!\s?\d)|[kKMBT](?![A-Za-z0-9_])|\s?°[CF]?"
         r"|\s?(?:ms|μs|GB|MB|TB|GHz|kHz|Hz)(?![A-Za-z0-9_])|(?:h|min|px)(?![A-Za-z0-9_])")
_END = rf"(?![{_GLUE}]|\.\d|-\d)"


def _qty(p: str) -> str:
    return rf"(?P<{p}c>[$€£])?(?P<{p}n>{NUM})(?P<{p}u>{_UNIT})?"


_DATE = re.compile(rf"(?<![{_GLUE}.\-/])(?P<y>\d{{4}})-(?P<m>0[1-9]|1[0-2])(?:-(?P<d>0[1-9]|[12]\d|3[01]))?{_END}")
# Year-first dates with slashes or dots (2024/06/03, 2024.6.3), and date ranges: "2024/06/03 ~ 06/09".
_MONTH, _DAY = r"0?[1-9]|1[0-2]", r"0?[1-9]|[12]\d|3[01]"
_YMD = rf"(?P<y>(?:19|20)\d\d)(?P<s>[-/.])(?P<m>{_MONTH})(?P=s)(?P<d>{_DAY})"
_DATE_END = rf"(?![{_GLUE}]|[./\-]\d)"
_YMD_DATE = re.compile(rf"(?<![{_GLUE}.\-/]){_YMD}{_DATE_END}")
_DATE_RANGE = re.compile(rf"(?<![{_GLUE}.\-/]){_YMD}(?:\s?[~–〜]\s?|\s-\s|-)"
                         rf"(?:(?P<y2>(?:19|20)\d\d)[-/.])?(?P<m2>{_MONTH})[-/.](?P<d2>{_DAY}){_DATE_END}")
_SCI = re.compile(rf"(?<![{_GLUE}.,])(?P<m>\d+(?:\.\d+)?)[eE](?P<e>[-+−]?\d+)(?![{_GLUE}])")
_RANGES: dict[str, re.Pattern[str]] = {}
_HYPHEN = re.compile(rf"(?<=[A-Za-z{MASK}])-(?=\d)|(?<=\d)-(?=[A-Za-z\d])")
_COMPARE = re.compile(
    rf"(?:(?<=[\s(\[])|^)(?P<op>~|≈|±|\+/-|>=|<=|≥|≤|>|<|\+|-|−)(?P<sp>\s?){_qty('q')}{_END}", re.MULTILINE)
_DIMENSION = re.compile(rf"(?<![{_GLUE}.,])(?:{NUM})(?:\s?[x×]\s?(?:{NUM}))+{_END}")
_ORDINAL = re.compile(rf"(?<![{_GLUE}.,])(\d+)(st|nd|rd|th)(?![{_GLUE}])")
_DECADE = re.compile(rf"(?<![{_GLUE}.,])(\d?\d?\d0)'?s(?![{_GLUE}])")
_QUANTITY = re.compile(rf"(?<![{_GLUE}.,]){_qty('q')}{_END}")
_VERSION = re.compile(rf"(?<![{_GLUE}.,])\d+(?:\.\d+){{2,}}(?![{_GLUE}]|\.\d)")
_FRACTION = re.compile(rf"(?<![{_GLUE}.,/])({NUM})/({NUM})(?![{_GLUE}/]|\.\d)")
_SPLIT = re.compile(r"[0-9](?:(?<=[A-Za-z][0-9])|(?=[A-Za-z]))")  # a digit touching a letter: V100, 3D
_SPLIT_VERSION = re.compile(r"[A-Z](?<=[A-Z][A-Z])(?=[a-z][0-9])")  # TPUv4 → TPU v4
_PLAIN = re.compile(rf"(?<![{_GLUE}.])(?:{NUM})(?![{_GLUE}])")
# A hyphenated or glued name with a number in it: "WikiText-103", "Llama-3.1-8B", "GPT-4o", "CIFAR10".
_NAME = re.compile(rf"(?<![\w{MASK}.\-])(?=[A-Za-z{MASK}])(?=[\w{MASK}.\-]*?\d)[A-Za-z{MASK}][\w{MASK}]*"
                   rf"(?:\.\d+)*(?:-[\w{MASK}]+(?:\.\d+)*)*")
_NAME_PART = re.compile(rf"(?P<num>\d+(?:\.\d+)*)|(?P<word>[A-Za-z{MASK}]+)")
_OPS = {"~": "about", "≈": "approx", "±": "plus_minus", "+/-": "plus_minus", ">": "more", "<": "less",
        ">=": "at_least", "≥": "at_least", "<=": "at_most", "≤": "at_most", "+": "plus", "-": "minus", "−": "minus"}


def _range_pattern(lang: Lang) -> re.Pattern[str]:
    if lang.range_marks not in _RANGES:
        spaced = "".join(c for c in lang.range_marks if c != "-")
        sep = rf"(?:-|\s?[{spaced}]\s?)" if spaced else "-"
        _RANGES[lang.range_marks] = re.compile(rf"(?<![{_GLUE}.,\-–/]){_qty('a')}{sep}{_qty('b')}{_END}")
    return _RANGES[lang.range_marks]


def _quantity(m: re.Match[str], p: str, lang: Lang, plain: bool = True) -> str:
    number, unit, currency = m[p + "n"], m[p + "u"] or "", m[p + "c"] or ""
    if not unit and not currency:
        return say_number(number, lang, years=True) if plain else m[0]
    return say_quantity(number, unit, currency, lang, UNITS_EN)


def _compare(m: re.Match[str], lang: Lang) -> str:
    op = m["op"]
    if op in "+-−" and (m["sp"] or (op != "+" and not lang.words and lang.minus == "-{n}")):
        return m[0]
    return getattr(lang, _OPS[op]).format(n=_quantity(m, "q", lang))


def _decade(m: re.Match[str], lang: Lang) -> str:
    if not lang.words:
        return m[1]  # the digits; "1990s" is an English way of writing
    words = number_words(m[1], years=len(m[1]) == 4)
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


def name_number(digits: str) -> str:
    """A number inside a name, as the field says it: 103 → "one oh three", 1001 → "ten oh one", 50 → "fifty"."""
    n = int(digits)
    if len(digits) == 4 and not digits.startswith("0"):
        high, low = divmod(n, 100)
        if low == 0:
            return cardinal(n) if high % 10 == 0 else f"{cardinal(high)} hundred"
        return f"{cardinal(high)} {'oh ' + _ONES[low] if low < 10 else cardinal(low)}"
    if len(digits) == 3 and not digits.startswith("0"):
        hundreds, rest = divmod(n, 100)
        if rest == 0:
            return cardinal(n)
        return f"{_ONES[hundreds]} {'oh ' + _ONES[rest] if rest < 10 else cardinal(rest)}"
    return number_words(digits)


def _is_name(word: str) -> bool:
    """A part of a compound that names something: it has a capital or is a protected lexicon term."""
    return any(c.isupper() or "\ue000" <= c <= "\uf8ff" for c in word)


def _name(m: re.Match[str]) -> str:
    """A name with numbers in it, said part by part: "Qwen2.5-72B-Instruct" → "Qwen two point five seventy-two B Instruct"."""
    compound = m[0]
    parts = [(p["num"], p["word"]) for p in _NAME_PART.finditer(compound)]
    glued = any(word and k + 1 < len(parts) and parts[k + 1][0] and compound[compound.index(word) + len(word):][:1].isdigit()
                for k, (_, word) in enumerate(parts))  # "o1", "x86": letters and digits in one word
    if not (glued or any(word and _is_name(word) for _, word in parts)) or compound.count(".") > compound.count("-") + 2:
        return compound  # not a name ("top-5", "layer-2") or not a compound (an IP address)
    spoken: list[str] = []
    for k, (num, word) in enumerate(parts):
        if word:
            spoken.append(word)
            continue
        before = parts[k - 1][1] if k else ""
        if "." in num:
            spoken.append(" point ".join(number_words(p) for p in num.split(".")))
        elif before and (len(before) > 1 or not before.isupper()) and _is_name(before) or k and parts[k - 1][0]:
            spoken.append(name_number(num))
        else:
            spoken.append(number_words(num))  # V100, H100: "V one hundred"
    return " ".join(spoken)


def speak_numbers(text: str, lang: Lang) -> str:
    """Rewrite dates, ranges, quantities and plain numbers in ``text`` as ``lang`` says them."""
    if lang.words:
        text = _NAME.sub(_name, _SPLIT_VERSION.sub(r"\g<0> ", text))
    text = _DATE_RANGE.sub(lambda m: _date_range(m, lang), text)
    text = _YMD_DATE.sub(lambda m: say_date(m["y"], m["m"], m["d"], lang) or m[0], text)
    text = _DATE.sub(lambda m: say_date(m["y"], m["m"], m["d"], lang) or m[0], text)
    text = _SCI.sub(lambda m: say_scientific(m["m"], m["e"], lang) or m[0], text)
    text = _range_pattern(lang).sub(
        lambda m: lang.range.format(a=_quantity(m, "a", lang), b=_quantity(m, "b", lang)), text)
    text = _HYPHEN.sub(" ", text)
    text = _COMPARE.sub(lambda m: _compare(m, lang), text)
    text = _DIMENSION.sub(lambda m: _dimension(m[0], lang), text)
    text = _ORDINAL.sub(lambda m: ordinal(int(m[1])) if lang.words else m[1], text)
    text = _DECADE.sub(lambda m: _decade(m, lang), text)
    text = _QUANTITY.sub(lambda m: _quantity(m, "q", lang, plain=False), text)
    text = _SPLIT.sub(_split, _SPLIT_VERSION.sub(r"\g<0> ", text))
    if lang.words:
        text = _VERSION.sub(lambda m: " point ".join(number_words(p) for p in m[0].split(".")), text)
        text = _FRACTION.sub(lambda m: f"{number_words(m[1])} over {number_words(m[2])}", text)
        text = _PLAIN.sub(lambda m: number_words(m[0], years=True), text)
    return text


def _date_range(m: re.Match[str], lang: Lang) -> str:
    start = say_date(m["y"], m["m"], m["d"], lang) or m.string[m.start("y"):m.end("d")]
    written_end = m.string[m.start("y2" if m["y2"] else "m2"):m.end("d2")]
    return lang.range.format(a=start, b=say_date(m["y2"], m["m2"], m["d2"], lang) or written_end)


def _split(m: re.Match[str]) -> str:
    text, i = m.string, m.start()
    before = " " if i and text[i - 1].isascii() and text[i - 1].isalpha() else ""
    after = " " if text[i + 1:i + 2].isascii() and text[i + 1:i + 2].isalpha() else ""
    return before + m.group(0) + after


def _dimension(text: str, lang: Lang) -> str:
    parts = re.split(r"\s?[x×]\s?", text)
    spoken = say_number(parts[0], lang)
    for part in parts[1:]:
        spoken = lang.by.format(a=spoken, b=say_number(part, lang))
    return spoken
