"""The master stage: music, pauses, loudness, tags and chapters into episode.mp3, and timeline.json."""

from __future__ import annotations

import json
from pathlib import Path

from ..stage import Stage, register
from .speak import load_spoken


def pieces_root(out: Path) -> Path:
    """Where the episodes' encoded MP3 pieces are kept: in their own output folder's cache, never a shared one."""
    return Path(out) / ".cache" / "pieces"


def pieces_dir(out: Path, episode: str) -> Path:
    """One episode's encoded MP3 pieces."""
    return pieces_root(out) / episode


class _Keys:
    """What mastering's fingerprint needs of a spoken segment, read from speech.json."""

    def __init__(self, sid: str, keys: list[str]):
        self.id, self.keys = sid, keys


@register
class Master(Stage):
    name = "master"
    label = "Mastering episode"
    after = ("speak",)
    reads = ("speech.json", "papers.json", "script.md")
    writes = ("episode.mp3", "timeline.json", "mastering.json")

    def fingerprint(self, ctx):
        from ... import master as mastering

        try:
            segments = json.loads(ctx.folder.speech.read_text(encoding="utf-8"))["segments"]
            spoken = [_Keys(sid, keys) for sid, keys in segments.items()]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            spoken = None  # no speech yet: the stage cannot be up to date
        return {"speech": ctx.digests(("speech.json",)),
                "inputs": mastering.inputs_digest(ctx.episode, spoken or [], ctx.config) if spoken else None}

    def run(self, ctx) -> None:
        from ... import master as mastering

        ctx.timeline = mastering.master(ctx.episode, load_spoken(ctx), ctx.folder, ctx.config,
                                        progress=lambda d, t: ctx.progress(self.name, d, t),
                                        cache_dir=ctx.cache_dir / "loudness",
                                        pieces_dir=pieces_dir(ctx.out, ctx.folder.root.name))
