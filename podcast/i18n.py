"""Phrases for the episode's language: intro, transitions, outro, chapter titles."""

from __future__ import annotations

import hashlib
import re
from datetime import date

# Transitions are picked by a hash of the paper's id, not at random and not by position, so a
# rebuild writes the same script and adding a paper does not reshuffle every other one.
PHRASES: dict[str, dict] = {
    "en": {
        "intro": "Welcome to {show}. This is the episode for {when}, with {count} papers.",
        "intro_undated": "Welcome to {show}. This episode covers {count} papers.",
        "one_paper": "one paper",
        "start": "Let's get started.",
        "first": "First up: {title}.",
        "transitions": ["Next up: {title}.", "Moving on. Our next paper: {title}.",
                        "Here's another one: {title}.", "Next, a paper titled {title}.",
                        "Our next paper is titled {title}.", "Let's turn to the next paper: {title}.",
                        "Up next: {title}.", "On to the next paper: {title}.", "Next on the list: {title}.",
                        "Changing gears a little. Next: {title}.", "The next paper is called {title}.",
                        "Let's keep going. Next: {title}."],
        # The newsletter's own header follows our welcome: its own welcome is said as where the papers come from.
        "header": [(r"^\s*Welcome to ", "The papers come from "),
                   (r"(?m)^\s*This (?:article|post|issue|newsletter|digest|edition) (was|is|has)\b",
                    r"The newsletter \1")],
        "linked": ", linked in the show notes.",
        "last": "And our final paper: {title}.",
        "outro": "That's all for this episode of {show}. Thanks for listening.",
        "signoff": "You've been listening to {show}.",
        "titles": {"intro": "Introduction", "overview": "This month's themes", "outro": "Outro"},
    },
    "hi": {
        "intro": "{show} में आपका स्वागत है। यह {when} का एपिसोड है, जिसमें {count} पेपर हैं।",
        "intro_undated": "{show} में आपका स्वागत है। इस एपिसोड में {count} पेपर हैं।",
        "one_paper": "एक पेपर",
        "start": "तो चलिए शुरू करते हैं।",
        "first": "सबसे पहले: {title}।",
        "transitions": ["अगला पेपर: {title}।", "अब बात करते हैं {title} की।", "आगे बढ़ते हैं: {title}।",
                        "इसके बाद: {title}।", "अब अगला शोध-पत्र: {title}।"],
        "linked": ", लिंक शो नोट्स में है।",
        "last": "और हमारा आख़िरी पेपर: {title}।",
        "outro": "{show} के इस एपिसोड में बस इतना ही। सुनने के लिए धन्यवाद।",
        "signoff": "आप सुन रहे थे {show}।",
        "titles": {"intro": "परिचय", "overview": "इस अंक के विषय", "outro": "समापन"},
    },
    "ko": {
        "intro": "{show}에 오신 것을 환영합니다. {when} 에피소드이며, 논문 {count}편을 소개합니다.",
        "intro_undated": "{show}에 오신 것을 환영합니다. 이번 에피소드에서는 논문 {count}편을 소개합니다.",
        "one_paper": "1",
        "start": "그럼 시작하겠습니다.",
        "first": "첫 번째 논문은 {title}입니다.",
        "transitions": ["다음 논문은 {title}입니다.", "이어서 살펴볼 논문: {title}.", "다음으로, {title}.",
                        "계속해서 다음 논문: {title}."],
        "linked": ", 링크는 쇼 노트에 있습니다.",
        "last": "마지막 논문은 {title}입니다.",
        "outro": "{show}의 이번 에피소드는 여기까지입니다. 들어주셔서 감사합니다.",
        "signoff": "지금까지 {show}였습니다.",
        "titles": {"intro": "소개", "overview": "이번 호의 주제", "outro": "마무리"},
    },
}


def _code(language: str) -> str:
    """The phrase table's language for ``language``: its base code when we have phrases for it, else English."""
    base = language.split("-")[0].lower()
    return base if base in PHRASES else "en"


def phrases(language: str) -> dict:
    """The phrase table for ``language``, falling back to English."""
    return PHRASES[_code(language)]


def segment_title(kind: str, language: str) -> str:
    """The chapter name of an intro, overview or outro segment, in the episode's language."""
    return phrases(language)["titles"].get(kind) or PHRASES["en"]["titles"][kind]


def spoken_month(iso_date: str, language: str) -> str:
    """"February 2025" (or its equivalent) for an ISO date; empty if there is no date."""
    from .spoken_numbers import lang_for, say_date

    try:
        day = date.fromisoformat(iso_date[:10])
    except ValueError:
        return ""
    # in the phrase table's language, so a German episode's English intro says an English month
    return say_date(str(day.year), str(day.month), None, lang_for(_code(language))) or ""


def _finish(line: str) -> str:
    """A template's closing period dropped after a title that ends with its own mark ("… Need?")."""
    return re.sub(r"([.?!…।?])([\"'”’)]*)[.।]$", r"\1\2", line)


def written_month(iso_date: str, language: str) -> str:
    """"February 2025" (or its equivalent, digits as written) for an ISO date; empty if there is no date."""
    from .spoken_numbers import lang_for

    try:
        day = date.fromisoformat(iso_date[:10])
    except ValueError:
        return ""
    lang = lang_for(_code(language))
    month = lang.months[day.month - 1] if lang.months else str(day.month)
    return lang.month_date.format(y=day.year, m=day.month, month=month) if lang.month_date else iso_date[:7]


def transition(index: int, count: int, title: str, language: str, key: str = "") -> str:
    """The line that introduces paper ``index`` (0-based) of ``count``; ``key`` (the paper id) picks the wording."""
    return transitions([(key or f"{index}", title)], language, start=index, count=count)[0]


def transitions(papers: list[tuple[str, str]], language: str, start: int = 0, count: int | None = None) -> list[str]:
    """The introducing line of each (paper id, title), in order: the wording is chosen by a hash of the id
    from the language's pool, never the same twice in a row; the first and last papers are announced as such."""
    table = phrases(language)
    options = table["transitions"]
    count = len(papers) if count is None else count
    lines, previous = [], -1
    for offset, (key, title) in enumerate(papers):
        index = start + offset
        if index == 0:
            template = table["first"]
        elif index == count - 1 and count > 2:
            template = table["last"]
        else:
            pick = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % len(options)
            if pick == previous:
                pick = (pick + 1) % len(options)
            previous, template = pick, options[pick]
        lines.append(_finish(template.format(title=" ".join(title.split()))))
    return lines


def spoken_header(header: str, language: str) -> str:
    """The newsletter's own header as said after our welcome: its own welcome turned into where the papers come from."""
    for pattern, replacement in phrases(language).get("header", []):
        header = re.sub(pattern, replacement, header, count=1)
    return header


def point_to_notes(closing: str, language: str) -> str:
    """Closing lines that introduced a link the input dropped ("… scripts are here:") point to the show notes."""
    linked = phrases(language).get("linked") or PHRASES["en"]["linked"]
    return re.sub(r"\s*:[ \t]*$", linked, closing, flags=re.MULTILINE)
