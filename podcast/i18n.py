"""Spoken phrases for the episode's language: intro, transitions, outro, chapter titles."""

from __future__ import annotations

from datetime import date

# Transitions are picked by position, not at random, so a rebuild produces the same script.
PHRASES: dict[str, dict] = {
    "en": {
        "intro": "Welcome to {show}. This is the episode for {when}, with {count} papers.",
        "intro_undated": "Welcome to {show}. This episode covers {count} papers.",
        "one_paper": "one paper",
        "start": "Let's get started.",
        "first": "First up: {title}.",
        "transitions": ["Next up: {title}.", "Moving on, our next paper is {title}.",
                        "Here's another one: {title}.", "Next, {title}.",
                        "Our next paper is called {title}.", "Let's turn to {title}."],
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
        "transitions": ["अगला पेपर: {title}।", "अब बात करते हैं {title} की।", "आगे बढ़ते हैं: {title}।"],
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
        "transitions": ["다음 논문은 {title}입니다.", "이어서 {title}을 살펴보겠습니다.", "다음으로, {title}."],
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


def transition(index: int, count: int, title: str, language: str) -> str:
    """The line that introduces paper ``index`` (0-based) of ``count``."""
    table = phrases(language)
    if index == 0:
        template = table["first"]
    elif index == count - 1 and count > 2:
        template = table["last"]
    else:
        options = table["transitions"]
        template = options[(index - 1) % len(options)]
    return template.format(title=title)
