"""The publish stage: every enabled publisher (transcripts, show notes, …) from the timeline."""

from __future__ import annotations

from ..stage import Stage, register


@register
class Publish(Stage):
    name = "publish"
    label = "Publishing"
    after = ("master",)
    reads = ("timeline.json", "papers.json")

    def _publishers(self, ctx):
        from ...publishers import enabled_publishers

        return enabled_publishers(ctx)

    def settings(self, ctx):
        return {p.name: p.settings(ctx) for p in self._publishers(ctx)}

    def outputs(self, ctx):
        return [path for p in self._publishers(ctx) for path in p.outputs(ctx)]

    def run(self, ctx) -> None:
        publishers = self._publishers(ctx)
        for done, publisher in enumerate(publishers):
            ctx.progress(self.name, done, len(publishers))
            publisher.publish(ctx)
        ctx.progress(self.name, len(publishers), len(publishers))
