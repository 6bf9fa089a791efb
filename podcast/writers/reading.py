"""The offline "reading" writer: reads the newsletter faithfully, as written.

It writes the WRITTEN text (markup out, words, numbers and names as the newsletter has them) to
script.md; the speak stage makes each sentence speakable (see :mod:`podcast.spoken`).
"""

from __future__ import annotations

import re

from .. import i18n
from ..hosts import render_turns
from ..length import fit_reading
from ..markup import ends_sentence, written
from ..models import Episode, Segment
from .base import WRITERS, Progress, Writer

# Header lines about how the newsletter itself was produced are kept; these only tidy the outro.
_READING_LISTENING = re.compile(r"\breading\s*/\s*listening\b", re.IGNORECASE)


def paper_segment_id(paper_id: str) -> str:
    """The stable segment id for a paper."""
    return f"paper-{paper_id}"


def intro_text(episode: Episode) -> str:
    """The intro: show, month, number of papers, then the newsletter's own header, said after our welcome."""
    table = i18n.phrases(episode.language)
    when = i18n.written_month(episode.date, episode.language) if episode.date else ""
    count = len(episode.papers)
    count_text = table["one_paper"] if count == 1 else str(count)
    template = table["intro"] if when else table["intro_undated"]
    parts = [template.format(show=episode.show, when=when, count=count_text)]
    if episode.intro_text.strip():
        parts.append(i18n.spoken_header(written(episode.intro_text), episode.language))
    parts.append(table["start"])
    return " ".join(" ".join(p.split()) for p in parts)


def overview_text(episode: Episode) -> str:
    """The digest's own numbered themes of the week, one sentence each (made speakable at speak time)."""
    stop = {"hi": "।", "ja": "。", "zh": "。"}.get(episode.language, ".")
    items = [item if ends_sentence(item) else item + stop for item in map(written, episode.overview) if item]
    return " ".join(items)


def outro_text(episode: Episode) -> str:
    """The outro: the newsletter's closing words when it has them (pointing to the show notes for the
    links the input dropped), else a default."""
    closing = _READING_LISTENING.sub("listening", episode.closing_text.strip())
    table = i18n.phrases(episode.language)
    if not closing:
        return table["outro"].format(show=episode.show)
    if episode.closing_links:
        closing = i18n.point_to_notes(closing, episode.language)
    signoff = table["signoff"].format(show=episode.show)
    closing = written(closing)
    return f"{closing}{'' if ends_sentence(closing) else '.'}\n{signoff}"


@WRITERS.register
class ReadingWriter(Writer):
    """Reads each summary as written, with titles and transitions."""

    name = "reading"
    description = "offline; reads the newsletter faithfully, made speakable at speak time (default)"

    def write(self, episode: Episode, progress: Progress | None = None) -> list[Segment]:
        """Intro, the digest's themes overview if it has one, one segment per paper, outro."""
        lang = episode.language
        segments = [Segment(id="intro", kind="intro", title=i18n.segment_title("intro", lang),
                            text=intro_text(episode))]
        if episode.overview:  # the digest's own summary of the week comes before the papers
            segments.append(Segment(id="overview", kind="overview", title=i18n.segment_title("overview", lang),
                                    text=overview_text(episode)))
        count = len(episode.papers)
        titles = [(p.id, written(p.title).rstrip(".")) for p in episode.papers]
        lines = i18n.transitions(titles, lang)
        bodies = [written(paper.summary or paper.abstract) for paper in episode.papers]
        if self.target:  # --minutes: keep each summary's leading sentences
            fixed = [s.text for s in segments] + [outro_text(episode)] + lines
            bodies = fit_reading(self.target, fixed, bodies, lang, (count + 1) // 2 if len(episode.hosts) == 2 else 0,
                                 extra_segments=len(segments) - 1)
        for index, (paper, line) in enumerate(zip(episode.papers, lines)):
            body = bodies[index]
            text = f"{line}\n\n{body}".strip()
            if len(episode.hosts) == 2:  # hosts take turns by paper; the co-host introduces each one
                host, cohost = (h.name for h in episode.hosts)
                text = render_turns([(cohost, line), (cohost if index % 2 else host, body)])
            segments.append(Segment(id=paper_segment_id(paper.id), kind="paper", title=paper.title,
                                    text=text, paper=paper.id))
            if progress:
                progress(index + 1, count)
        segments.append(Segment(id="outro", kind="outro", title=i18n.segment_title("outro", lang),
                                text=outro_text(episode)))
        return segments
