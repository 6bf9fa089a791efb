"""The offline "reading" writer: reads the newsletter faithfully, made speakable."""

from __future__ import annotations

import re

from .. import i18n
from ..hosts import render_turns
from ..models import Episode, Segment
from ..speakable import speak_title, speakable
from .base import WRITERS, Progress, Writer

# Header lines about how the newsletter itself was produced are kept; these only tidy the outro.
_READING_LISTENING = re.compile(r"\breading\s*/\s*listening\b", re.IGNORECASE)


def paper_segment_id(paper_id: str) -> str:
    """The stable segment id for a paper."""
    return f"paper-{paper_id}"


def intro_text(episode: Episode) -> str:
    """The spoken intro: show, month, number of papers, then the newsletter's own header."""
    table = i18n.phrases(episode.language)
    when = i18n.spoken_month(episode.date, episode.language) if episode.date else ""
    count = len(episode.papers)
    count_text = table["one_paper"] if count == 1 else str(count)
    template = table["intro"] if when else table["intro_undated"]
    parts = [template.format(show=episode.show, when=when, count=count_text)]
    if episode.intro_text.strip():
        parts.append(episode.intro_text.strip())
    parts.append(table["start"])
    return speakable(" ".join(parts), episode.language)


def outro_text(episode: Episode) -> str:
    """The spoken outro: the newsletter's closing words when it has them, else a default."""
    closing = _READING_LISTENING.sub("listening", episode.closing_text.strip())
    table = i18n.phrases(episode.language)
    if not closing:
        return speakable(table["outro"].format(show=episode.show), episode.language)
    signoff = table["signoff"].format(show=episode.show)
    return f"{speakable(closing, episode.language)} {speakable(signoff, episode.language)}"


@WRITERS.register
class ReadingWriter(Writer):
    """Reads each summary as written, with spoken titles and transitions."""

    name = "reading"
    description = "offline; reads the newsletter faithfully, made speakable (default)"

    def write(self, episode: Episode, progress: Progress | None = None) -> list[Segment]:
        """Intro, one segment per paper, outro."""
        lang = episode.language
        segments = [Segment(id="intro", kind="intro", title=i18n.segment_title("intro", lang),
                            text=intro_text(episode))]
        count = len(episode.papers)
        for index, paper in enumerate(episode.papers):
            title = speak_title(paper.title, lang)
            body = speakable(paper.summary or paper.abstract, lang)
            text = f"{i18n.transition(index, count, title, lang)}\n\n{body}".strip()
            if len(episode.hosts) == 2:  # hosts take turns by paper; the co-host introduces each one
                host, cohost = (h.name for h in episode.hosts)
                text = render_turns([(cohost, i18n.transition(index, count, title, lang)),
                                     (cohost if index % 2 else host, body)])
            segments.append(Segment(id=paper_segment_id(paper.id), kind="paper", title=paper.title,
                                    text=text, paper=paper.id))
            if progress:
                progress(index + 1, count)
        segments.append(Segment(id="outro", kind="outro", title=i18n.segment_title("outro", lang),
                                text=outro_text(episode)))
        return segments
