"""The summarize stage (with --summarize): the LLM writes summaries for papers that carry only an abstract."""

from __future__ import annotations

from ..stage import Stage, register


@register
class Summarize(Stage):
    name = "summarize"
    label = "Summarizing papers"
    after = ("ingest",)
    reads = ("papers.json",)
    writes = ("papers.json",)
    fingerprint_after_run = True  # it rewrites papers.json; the next run compares against the result

    def enabled(self, ctx) -> bool:
        return ctx.summarize

    def settings(self, ctx):
        from ..episode import writer_name, writer_options

        name = writer_name(ctx)
        return {"writer": name, "options": writer_options(ctx, name)}

    def run(self, ctx) -> dict:
        from ...writers.base import WRITERS
        from ..episode import writer_name, writer_options

        name = writer_name(ctx)
        writer = WRITERS.get(name)(writer_options(ctx, name))
        episode = ctx.episode
        lacking = {p.id for p in episode.papers if not p.summary}
        writer.summarize(episode, progress=lambda d, t: ctx.progress(self.name, d, t))
        episode.save(ctx.folder.papers)
        ctx.add_usage(dict(getattr(writer, "usage", {}) or {}))
        # `podcast list` tells the LLM's summaries from the input's by this record
        written = {p.id for p in episode.papers if p.id in lacking and p.summary}
        return {"summarized": sorted(written | set(ctx.state.data(self.name).get("summarized", [])))}
