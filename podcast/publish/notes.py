"""Show notes from the timeline and the papers: Markdown and an HTML page, input always escaped."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from ..config import Config
from ..models import Episode, Timeline
from ..titles import episode_title


def chapter_clock(seconds: float) -> str:
    """"M:SS" or "H:MM:SS", as YouTube descriptions and show notes show chapter starts."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def safe_url(url: str) -> str:
    """``url`` if it is a web or mail link, else "" (no javascript: or data: links from the input)."""
    url = url.strip()
    return url if re.match(r"(?i)(https?://|mailto:)[^\s<>\"']+$", url) else ""


def md_text(text: str) -> str:
    """Text for Markdown that renders as itself: no raw HTML tags or entities survive."""
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _md_link(text: str, url: str) -> str:
    label = md_text(text).replace("[", r"\[").replace("]", r"\]")
    url = safe_url(url)
    return f"[{label}]({quote(url, safe=':/?#[]@!$&*+,;=%~')})" if url else label


def show_notes(episode: Episode, timeline: Timeline, config: Config, credits: list[str] | None = None) -> str:
    """Markdown show notes: description, chapters with times, each paper's written summary and links, credits."""
    lines = [f"# {md_text(episode_title(episode))}", ""]
    description = config.get("show", "description")
    if description:
        lines += [md_text(description), ""]
    if episode.hosts:
        lines += [md_text(hosts_line(episode)), ""]
    lines += ["## Chapters", ""]
    lines += [f"- {chapter_clock(e.start)} {_md_link(e.title, e.url)}" for e in timeline.entries]
    lines += ["", "## Papers", ""]
    for number, paper in enumerate(episode.papers, 1):
        lines += [f"### {number}. {_md_link(paper.title, paper.url)}", ""]
        if paper.authors:
            lines += [md_text(", ".join(paper.authors)), ""]
        if paper.summary or paper.abstract:
            lines += [md_text(paper.summary or paper.abstract), ""]
        extra = [u for u in paper.links[1:] if safe_url(u)]
        lines += [f"- <{safe_url(u)}>" for u in extra]
        if extra:
            lines.append("")
    if episode.closing_text or episode.closing_links:
        lines += ["---", "", md_text(episode.closing_text), ""]
        lines += [f"- <{safe_url(u)}>" for u in episode.closing_links if safe_url(u)]
    if credits:
        lines += ["", "## Credits", ""] + [f"- {md_text(c)}" for c in credits]
    return "\n".join(lines).rstrip() + "\n"


def hosts_line(episode: Episode) -> str:
    """"Hosts: Ada, the host; Ben, a co-host" for a hosted episode."""
    return "Hosts: " + "; ".join(f"{h.name}, {h.persona}" if h.persona else h.name for h in episode.hosts)


def _a(text: str, url: str) -> str:
    url = safe_url(url)
    label = html.escape(text)
    return f'<a href="{html.escape(url)}">{label}</a>' if url else label


def _paragraphs(text: str) -> str:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    return "".join(f"<p>{html.escape(b)}</p>\n" for b in blocks)


def notes_body(episode: Episode, timeline: Timeline, config: Config, credits: list[str] | None = None,
               chapter_links: bool = False) -> str:
    """The show notes as an HTML fragment; ``chapter_links`` makes each chapter time a seek button."""
    out = [f'<p class="description">{html.escape(config.get("show", "description"))}</p>\n']
    if episode.hosts:
        out.append(f'<p class="hosts">{html.escape(hosts_line(episode))}</p>\n')
    out.append('<h2>Chapters</h2>\n<ol class="chapters">\n')
    for i, entry in enumerate(timeline.entries):
        clock = html.escape(chapter_clock(entry.start))
        time = (f'<button type="button" class="seek" data-start="{entry.start:.3f}">{clock}</button>'
                if chapter_links else f"<time>{clock}</time>")
        out.append(f'<li id="chapter-{i}" data-start="{entry.start:.3f}" data-end="{entry.end:.3f}">{time} '
                   f'{_a(entry.title, entry.url)}</li>\n')
    out.append("</ol>\n<h2>Papers</h2>\n")
    for number, paper in enumerate(episode.papers, 1):
        out.append(f'<section class="paper"><h3>{number}. {_a(paper.title, paper.url)}</h3>\n')
        if paper.authors:
            out.append(f'<p class="authors">{html.escape(", ".join(paper.authors))}</p>\n')
        out.append(_paragraphs(paper.summary or paper.abstract))
        extra = [u for u in paper.links[1:] if safe_url(u)]
        if extra:
            out.append("<ul>" + "".join(f"<li>{_a(u, u)}</li>" for u in extra) + "</ul>\n")
        out.append("</section>\n")
    if episode.closing_text or episode.closing_links:
        out.append('<section class="closing">' + _paragraphs(episode.closing_text))
        links = [u for u in episode.closing_links if safe_url(u)]
        if links:
            out.append("<ul>" + "".join(f"<li>{_a(u, u)}</li>" for u in links) + "</ul>")
        out.append("</section>\n")
    if credits:
        out.append("<h2>Credits</h2>\n<ul class=\"credits\">"
                   + "".join(f"<li>{html.escape(c)}</li>" for c in credits) + "</ul>\n")
    return "".join(out)


PAGE_STYLE = """body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{margin-top:2rem}a{color:#0645ad}ol.chapters{padding-left:1.2rem}
time,button.seek{font-variant-numeric:tabular-nums;margin-right:.4rem}
button.seek{border:1px solid #999;background:#f4f4f4;border-radius:4px;cursor:pointer}
li.current{font-weight:bold}.transcript p{margin:.2rem 0}.transcript .current{background:#fff3b0}"""


def show_notes_html(episode: Episode, timeline: Timeline, config: Config, credits: list[str] | None = None) -> str:
    """A standalone HTML page of the show notes (no scripts, no external resources)."""
    title = html.escape(episode_title(episode))
    lang = html.escape(episode.language or "en")
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
            f"<style>{PAGE_STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
            f"{notes_body(episode, timeline, config, credits)}</body>\n</html>\n")
