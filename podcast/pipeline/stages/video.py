"""The video stage: episode.mp4 and thumbnail.jpg from the timeline, the papers and the MP3."""

from __future__ import annotations

from pathlib import Path

from ..stage import Stage, register


@register
class Video(Stage):
    name = "video"
    label = "Rendering video"
    after = ("master", "publish")
    reads = ("timeline.json", "episode.mp3", "papers.json", "script.md")
    writes = ("episode.mp4", "thumbnail.jpg", "youtube.json")

    def enabled(self, ctx) -> bool:
        return bool(ctx.config.get("video", "enabled"))

    def settings(self, ctx):
        logo = ctx.config.get("video", "logo")
        stat = Path(logo).stat() if logo and Path(logo).is_file() else None
        return {"video": ctx.config.values["video"], "show": ctx.config.values["show"],
                "youtube": {k: v for k, v in ctx.config.values["youtube"].items()
                            if k in ("privacy", "category", "tags", "publish_at")},
                "logo": [stat.st_size, stat.st_mtime_ns] if stat else None}

    def run(self, ctx) -> None:
        from ...video.encode import render_video
        from ...video.youtube import write_metadata

        render_video(ctx.folder, ctx.config, ctx.episode,
                     progress=lambda step, done, total: ctx.progress(self.name if step == "video" else
                                                                     "Drawing slides", done, total))
        write_metadata(ctx.folder, ctx.config, ctx.episode)
