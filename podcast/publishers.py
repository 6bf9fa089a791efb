"""Publishers: the files made from the timeline for listeners (transcripts, show notes, …), a registry by name.

The ``publish`` stage runs every enabled publisher. A new one is a subclass registered with
``@PUBLISHERS.register``; its ``[publisher.NAME]`` table in podcast.toml is ``self.options``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .registry import Registry

if TYPE_CHECKING:
    from .pipeline.context import Context


class Publisher:
    """Writes some files of the episode folder from the episode and its timeline."""

    name: str = ""
    writes: tuple[str, ...] = ()  # file names in the episode folder
    option_types: dict[str, type] = {"enabled": bool}  # what its [publisher.NAME] table may hold

    def __init__(self, options: dict[str, Any] | None = None):
        self.options = dict(options or {})

    def enabled(self, ctx: "Context") -> bool:
        """Whether it publishes in this run (``[publisher.NAME] enabled = false`` turns it off)."""
        return bool(self.options.get("enabled", True))

    def settings(self, ctx: "Context") -> Any:
        """JSON-able settings its files depend on, besides the episode and the timeline."""
        return self.options

    def outputs(self, ctx: "Context") -> list[Path]:
        """The files it writes."""
        return [ctx.folder.root / name for name in self.writes]

    def publish(self, ctx: "Context") -> None:
        """Write the files, atomically."""
        raise NotImplementedError


def _load_builtin_publishers() -> None:
    pass  # the built-ins below register themselves; other modules register theirs on import


PUBLISHERS: Registry[Publisher] = Registry("publisher", _load_builtin_publishers)


@PUBLISHERS.register
class Transcripts(Publisher):
    """WebVTT and SRT captions: cues of at most two 42-character lines, read at about 17 characters/s."""

    name = "transcripts"
    writes = ("transcript.vtt", "transcript.srt")

    def publish(self, ctx: "Context") -> None:
        from . import publish
        from .files import atomic_write_text

        timeline = ctx.load_timeline()
        atomic_write_text(ctx.folder.vtt, publish.to_vtt(timeline))
        atomic_write_text(ctx.folder.srt, publish.to_srt(timeline))


@PUBLISHERS.register
class ShowNotes(Publisher):
    """show-notes.md and show-notes.html: chapters with times, each paper's summary and links, credits."""

    name = "notes"
    writes = ("show-notes.md", "show-notes.html")

    def settings(self, ctx: "Context") -> Any:
        return {"options": self.options, "show": ctx.config.values["show"], "audio": ctx.config.values["audio"],
                "hosts": ctx.config.parts.get("hosts", {}), "speech": ctx.file_digest(ctx.folder.speech)}

    def publish(self, ctx: "Context") -> None:
        from . import publish
        from .files import atomic_write_text

        timeline, credits = ctx.load_timeline(), publish.credits(ctx.folder, ctx.config)
        atomic_write_text(ctx.folder.notes, publish.show_notes(ctx.episode, timeline, ctx.config, credits))
        atomic_write_text(ctx.folder.notes_html, publish.show_notes_html(ctx.episode, timeline, ctx.config, credits))


@PUBLISHERS.register
class Chapters(Publisher):
    """chapters.json: Podcasting 2.0 JSON chapters (startTime, title, the paper's url, the cover as img)."""

    name = "chapters"
    writes = ("chapters.json",)

    def settings(self, ctx: "Context") -> Any:
        return {"options": self.options, "feed": ctx.config.values["feed"], "cover": ctx.config.get("show", "cover")}

    def publish(self, ctx: "Context") -> None:
        from . import publish
        from .files import atomic_write_text

        image = publish.cover_url(ctx.episode.id, ctx.config)
        atomic_write_text(ctx.folder.chapters, publish.chapters_json(ctx.load_timeline(), image))


def enabled_publishers(ctx: "Context") -> list[Publisher]:
    """Every registered publisher with its options, that is enabled for this episode."""
    made = [cls(ctx.config.options("publisher", cls.name)) for cls in PUBLISHERS]
    return [p for p in made if p.enabled(ctx)]
