"""The site stage: with a [feed] base_url, each build also brings OUT/public/ (feed and pages) up to date."""

from __future__ import annotations

from ..stage import Stage, register


@register
class Site(Stage):
    name = "site"
    label = "Publishing site"
    after = ("publish",)
    reads = ("episode.mp3", "timeline.json", "papers.json", "transcript.vtt", "transcript.srt", "speech.json")

    def enabled(self, ctx) -> bool:
        from ...publish.urls import base_url

        return bool(base_url(ctx.config)) and bool(ctx.config.get("feed", "publish"))

    def settings(self, ctx):
        from ...cover import cover_path

        cover = cover_path(ctx.config)
        stat = cover.stat() if cover.is_file() else None
        return {"show": ctx.config.values["show"], "feed": ctx.config.values["feed"],
                "hosts": ctx.config.parts.get("hosts", {}),
                "cover": [str(cover), stat.st_size, stat.st_mtime_ns] if stat else str(cover)}

    def outputs(self, ctx):
        from ...publish.site import PUBLIC, RECORD
        from ...publish.urls import ascii_name

        public = ctx.out / PUBLIC
        return [public / "feed.xml", public / "index.html", public / ascii_name(ctx.episode.id) / "index.html",
                ctx.folder.root / RECORD]

    def run(self, ctx):
        from ...publish.site import publish_site

        report = publish_site(ctx.out, ctx.config, progress=lambda d, t: ctx.progress(self.name, d, t))
        return {"episodes": report.episodes, "written": len(report.written)}
