"""What an episode is called and who hosts it: the same words in tags, notes, feed and site."""

from __future__ import annotations

import re
from datetime import date

from .config import Config
from .models import Episode

# Written (not spoken) date forms per language; others fall back to English like the phrase tables do.
_MONTH_YEAR = {"en": "{month} {y}", "hi": "{month} {y}", "ko": "{y}년 {m}월"}
_FULL_DATE = {"en": "{month} {d}, {y}", "hi": "{d} {month} {y}", "ko": "{y}년 {m}월 {d}일"}
_DAY_ID = re.compile(r"\d{4}-\d{2}-\d{2}$")  # weekly digests get a day-shaped episode id


def _months(language: str) -> tuple[str, ...]:
    from .spoken_numbers import MONTHS_EN, MONTHS_HI

    return tuple(MONTHS_HI) if language == "hi" else tuple(MONTHS_EN)


def period(episode: Episode) -> str:
    """The period an episode covers, written in its language: "February 2025", "फ़रवरी 2025", "2025년 2월"."""
    try:
        day = date.fromisoformat((episode.date or episode.id)[:10])
        whole_day = bool(_DAY_ID.match(episode.id))
    except ValueError:
        try:
            day, whole_day = date.fromisoformat((episode.date or episode.id)[:7] + "-01"), False
        except ValueError:
            return ""
    language = episode.language.split("-")[0].lower()
    table = _FULL_DATE if whole_day else _MONTH_YEAR
    template = table.get(language, table["en"])
    month = _months(language)[day.month - 1]
    return template.format(month=month, y=day.year, m=day.month, d=day.day)


def episode_title(episode: Episode) -> str:
    """The episode's title: its own if it has one, else "Show: February 2025", else "Show: <id>"."""
    if episode.title:
        return episode.title
    return f"{episode.show}: {period(episode) or episode.id}"


def host_name(config: Config) -> str:
    """The configured host (first of [hosts], else show.host, else show.author), else the show's name."""
    hosts = config.parts.get("hosts") or config.values.get("hosts") or {}
    if isinstance(hosts, dict) and hosts:
        return str(next(iter(hosts)))
    show = config.values.get("show", {})
    return str(show.get("host") or show.get("author") or show.get("name") or "")
