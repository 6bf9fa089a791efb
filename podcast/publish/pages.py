"""The static site's pages: the show page and one page per episode (player, chapters, transcript, notes)."""

from __future__ import annotations

import html

from ..config import Config
from ..models import Episode, Timeline
from .notes import PAGE_STYLE, chapter_clock, notes_body
from .transcripts import cues
from .urls import CHAPTERS_NAME, MP3_NAME, SRT_NAME, VTT_NAME

# Inline, no third-party code: chapter buttons seek, the current chapter and caption are highlighted,
# and a caption click seeks too. Works from file:// (nothing is fetched).
PLAYER_SCRIPT = """
(function () {
  var audio = document.getElementById("player");
  var marks = Array.prototype.slice.call(document.querySelectorAll("[data-start]"));
  function seek(seconds) {
    audio.currentTime = seconds;
    var playing = audio.play();
    if (playing && playing.catch) { playing.catch(function () {}); }
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest("button.seek, .transcript p");
    if (target) { event.preventDefault(); seek(parseFloat(target.getAttribute("data-start"))); }
  });
  function follow() {
    var now = audio.currentTime;
    marks.forEach(function (el) {
      var start = parseFloat(el.getAttribute("data-start"));
      var end = parseFloat(el.getAttribute("data-end"));
      el.classList.toggle("current", now >= start && now < end);
    });
    var current = document.querySelector(".transcript p.current");
    var box = document.getElementById("follow");
    if (current && box && box.checked && !audio.paused) { current.scrollIntoView({block: "center"}); }
  }
  audio.addEventListener("timeupdate", follow);
  audio.addEventListener("seeked", follow);
})();
"""


def _head(title: str, language: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(language)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
            f"<style>{PAGE_STYLE}\nimg.cover{{width:12rem;height:12rem;float:right;margin:0 0 1rem 1rem}}"
            f"audio{{width:100%}}.transcript{{max-height:24rem;overflow:auto;border:1px solid #ddd;padding:.5rem}}"
            f"</style>\n</head>\n<body>\n")


def episode_page(episode: Episode, title: str, timeline: Timeline, config: Config, cover: str, credits: list[str],
                 date: str) -> str:
    """The episode's page; every file it names sits beside it."""
    escaped = html.escape(title)
    transcript = "".join(
        f'<p data-start="{cue.start:.3f}" data-end="{cue.end:.3f}">'
        f'<span class="time">{chapter_clock(cue.start)}</span> {html.escape(cue.text)}</p>\n'
        for cue in cues(timeline))
    body = notes_body(episode, timeline, config, credits, chapter_links=True)
    return (_head(escaped, episode.language or "en")
            + f'<p><a href="../index.html">{html.escape(config.get("show", "name"))}</a></p>\n'
            + f'<img class="cover" src="{html.escape(cover)}" alt="">\n<h1>{escaped}</h1>\n'
            + f'<p class="meta">{html.escape(date)} · {chapter_clock(timeline.duration)}</p>\n'
            + f'<audio id="player" controls preload="metadata" src="{MP3_NAME}"></audio>\n'
            + f'<p class="files"><a href="{MP3_NAME}" download>MP3</a> · <a href="{CHAPTERS_NAME}">chapters</a> · '
            + f'<a href="{VTT_NAME}">WebVTT</a> · <a href="{SRT_NAME}">SRT</a></p>\n'
            + body
            + '<h2>Transcript</h2>\n<p><label><input type="checkbox" id="follow" checked> follow along</label></p>\n'
            + f'<div class="transcript">\n{transcript}</div>\n'
            + f"<script>{PLAYER_SCRIPT}</script>\n</body>\n</html>\n")


def show_page(config: Config, rows: list[tuple[str, str, str, float]], cover: str, language: str) -> str:
    """The show's page: episodes newest first, as (folder, title, date, duration) rows in that order."""
    name = html.escape(config.get("show", "name"))
    items = "".join(f'<li><a href="{html.escape(folder)}/index.html">{html.escape(title)}</a> '
                    f'<span class="meta">{html.escape(date)} · {chapter_clock(duration)}</span></li>\n'
                    for folder, title, date, duration in rows)
    return (_head(name, language) + f'<img class="cover" src="{html.escape(cover)}" alt="">\n<h1>{name}</h1>\n'
            + f'<p class="description">{html.escape(config.get("show", "description"))}</p>\n'
            + '<p><a href="feed.xml">RSS feed</a></p>\n'
            + f'<h2>Episodes</h2>\n<ol class="episodes" reversed>\n{items}</ol>\n</body>\n</html>\n')
