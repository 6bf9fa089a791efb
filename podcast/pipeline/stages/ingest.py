"""The ingest stage: save the papers read from the input as papers.json."""

from __future__ import annotations

from ...errors import InputError
from ...models import Episode
from ..stage import Stage, register


@register
class Ingest(Stage):
    name = "ingest"
    label = "Reading input"
    writes = ("papers.json",)

    def enabled(self, ctx) -> bool:
        return ctx.ingested is not None  # `podcast episode` works on papers.json as `add` left it

    def settings(self, ctx):
        return ctx.ingested.to_dict()

    def run(self, ctx) -> None:
        """Write papers.json, keeping summaries an LLM wrote earlier for papers the input gives none."""
        episode, folder = ctx.ingested, ctx.folder
        folder.root.mkdir(parents=True, exist_ok=True)
        if folder.papers.exists():
            try:
                previous = {p.id: p for p in Episode.load(folder.papers).papers}
            except InputError:
                previous = {}
            for paper in episode.papers:
                old = previous.get(paper.id)
                if not paper.summary and old and old.summary:
                    paper.summary = old.summary  # written by `--summarize`; the input has none
        episode.save(folder.papers)
        ctx.reload()
