"""The speak stage: every segment through the speech cache; speech.json records the cache keys used."""

from __future__ import annotations

import json

from ...files import atomic_write_text
from ..stage import Stage, register


def _engine(ctx):
    from ...speech.select import make_engine

    if ctx.speech_engine is None:
        ctx.speech_engine = make_engine(ctx.config, ctx.episode.language, ctx.engine, ctx.voice)
    return ctx.speech_engine


def _plans(ctx):
    """The speech plan of every segment (cache keys included); computed once per run."""
    from ...lexicon import Lexicon
    from ...speech.speak import plan

    cached = getattr(ctx, "_speech_plans", None)
    if cached is not None and cached[0] is ctx.episode:
        return cached[1]
    episode = ctx.episode
    lexicon = Lexicon.load(episode.language, ctx.config.get("speech", "lexicon") or None)
    plans = plan(episode.segments, _engine(ctx), lexicon)
    ctx._speech_plans = (episode, plans)
    return plans


def _cache(ctx):
    from ...speech.cache import SpeechCache

    return SpeechCache(ctx.cache_dir / "speech")


@register
class Speak(Stage):
    name = "speak"
    label = "Speaking segments"
    after = ("script",)
    reads = ("script.md",)
    writes = ("speech.json",)

    def fingerprint(self, ctx):
        engine = _engine(ctx)
        return {"engine": engine.identity(), "segments": [[p.segment.id, p.joined] for p in _plans(ctx)]}

    def outputs(self, ctx):
        cache = _cache(ctx)
        return [ctx.folder.speech, *(cache.wav_path(p.joined) for p in _plans(ctx))]

    def explain(self, ctx, record):
        before = dict(record.data.get("segments") or {}) if record else {}
        if not before:
            return None
        now = {p.segment.id: p.joined for p in _plans(ctx)}
        changed = [sid for sid, key in now.items() if sid in before and before[sid] != key]
        added = [sid for sid in now if sid not in before]
        removed = [sid for sid in before if sid not in now]
        if changed and len(changed) == len(now) and record.parts.get("engine") != _engine_part(ctx):
            return "the voice changed: every segment is spoken again"
        parts = []
        if changed:
            parts.append(f"{len(changed)} segment{'s' if len(changed) != 1 else ''} changed")
        if added:
            parts.append(f"{len(added)} new")
        if removed:
            parts.append(f"{len(removed)} removed")
        if not parts:
            return None
        cache = _cache(ctx)
        todo = sum(1 for p in _plans(ctx) if not cache.wav_path(p.joined).exists())
        return ", ".join(parts) + f" ({todo} to synthesize)"

    def run(self, ctx):
        from ...speech.speak import speak as synthesize

        engine, config, episode = _engine(ctx), ctx.config, ctx.episode
        from ...lexicon import Lexicon

        lexicon = Lexicon.load(episode.language, config.get("speech", "lexicon") or None)
        ctx.spoken = synthesize(episode.segments, engine, _cache(ctx), lexicon=lexicon,
                                workers=config.get("speech", "workers"), retries=config.get("speech", "retries"),
                                progress=lambda d, t: ctx.progress(self.name, d, t))
        ctx.respoken = [s.id for s in ctx.spoken if s.spoken]
        record = {"engine": engine.name, "voice": engine.voice,
                  "keys": sorted({k for s in ctx.spoken for k in s.keys}),
                  "segments": {s.id: s.keys for s in ctx.spoken}}
        atomic_write_text(ctx.folder.speech, json.dumps(record, indent=2) + "\n")
        return {"segments": {s.id: s.keys[-1] for s in ctx.spoken}}


def _engine_part(ctx):
    from ..stage import digest

    return digest(_engine(ctx).identity())


def load_spoken(ctx):
    """The SpokenSegments of speech.json, from the cache (when the speak stage was skipped)."""
    from ...errors import AudioError
    from ...speech.speak import SpokenSegment

    if ctx.spoken:
        return ctx.spoken
    cache = _cache(ctx)
    try:
        record = json.loads(ctx.folder.speech.read_text(encoding="utf-8"))
        segments = dict(record["segments"])
    except (OSError, ValueError, KeyError, TypeError):
        raise AudioError(f"{ctx.folder.speech} is missing or unreadable", "run the same command again") from None
    spoken = []
    for sid, keys in segments.items():
        entry = cache.get(keys[-1])
        if entry is None:
            raise AudioError(f"cached speech for segment {sid} vanished while building", "run the same command again")
        spoken.append(SpokenSegment(id=sid, path=entry.path, sample_rate=entry.sample_rate, duration=entry.duration,
                                    sentences=entry.sentences, keys=list(keys), spoken=False))
    ctx.spoken = spoken
    return spoken
