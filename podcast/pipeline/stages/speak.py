"""The speak stage: every segment through the speech cache; speech.json records the cache keys used."""

from __future__ import annotations

import json

from ...files import atomic_write_text
from ..stage import Stage, register


def _voices(ctx) -> dict:
    """Host name → engine for a two-host episode; {} for one unnamed voice."""
    from ...speech.voices import host_engines

    cached = getattr(ctx, "_host_voices", None)
    episode = ctx.episode
    if cached is None or cached[0] is not episode:
        voices = host_engines(ctx.config, episode.language, episode.hosts, ctx.engine, ctx.voice) \
            if episode.hosts else {}
        for engine in voices.values():
            _fitted(ctx, engine)
        identities = [json.dumps(e.identity(), sort_keys=True, default=str) for e in voices.values()]
        if len(set(identities)) < len(identities):
            ctx.notes.append(f"the hosts share one voice ({next(iter(voices.values())).name} has no second voice "
                             "here); give a host another engine or voice in [hosts.NAME]")
        cached = ctx._host_voices = (episode, voices)
    return cached[1]


def _engine(ctx):
    """The engine of the (first) voice."""
    from ...speech.select import make_engine

    first = next(iter(_voices(ctx).values()), None)
    if first is not None:
        return first
    if ctx.speech_engine is None:
        ctx.speech_engine = make_engine(ctx.config, ctx.episode.language, ctx.engine, ctx.voice)
    return _fitted(ctx, ctx.speech_engine)


def _fitted(ctx, engine):
    """The engine at the speed a --minutes fit asked for (script.json "speedup"), once."""
    from ... import script_file
    from ...length import faster_options

    speedup = float(script_file.load_state(ctx.folder.script_state).get("speedup") or 1.0)
    if getattr(engine, "_fitted_speedup", 1.0) != speedup:
        base = getattr(engine, "_natural_options", engine.options)
        engine._natural_options = base
        engine.options = faster_options(type(engine), base, speedup)
        engine._fitted_speedup = speedup
    return engine


def _identity(ctx):
    voices = _voices(ctx)
    if voices:
        return {name: engine.identity() for name, engine in voices.items()}
    return _engine(ctx).identity()


def _plans(ctx):
    """The speech plan of every segment (cache keys included); computed once per run."""
    from ...lexicon import Lexicon
    from ...speech.speak import plan
    from ...spoken import normalizer

    cached = getattr(ctx, "_speech_plans", None)
    if cached is not None and cached[0] is ctx.episode:
        return cached[1]
    episode = ctx.episode
    lexicon = Lexicon.load(episode.language, ctx.config.get("speech", "lexicon") or None)
    plans = plan(episode.segments, _engine(ctx), lexicon, _voices(ctx), ctx.config.get("audio", "turn_pause"),
                 normalize=normalizer(episode.language, lexicon))
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
        return {"engine": _identity(ctx), "segments": [[p.segment.id, p.joined] for p in _plans(ctx)]}

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
        from ...speech.voices import describe

        engine, voices = _engine(ctx), _voices(ctx)
        _synthesize(ctx)
        record = {"engine": engine.name, "voice": engine.voice,
                  "keys": sorted({k for s in ctx.spoken for k in s.keys}),
                  "segments": {s.id: s.keys for s in ctx.spoken}, **({"hosts": describe(voices)} if voices else {})}
        atomic_write_text(ctx.folder.speech, json.dumps(record, indent=2) + "\n")
        return {"segments": {s.id: s.keys[-1] for s in ctx.spoken}}


def _engine_part(ctx):
    from ..stage import digest

    return digest(_identity(ctx))


def load_spoken(ctx):
    """The SpokenSegments of the script: from this run, else from the cache (nothing left to synthesize)."""
    if not ctx.spoken:
        _synthesize(ctx)
    return ctx.spoken


def _synthesize(ctx) -> None:
    from ...lexicon import Lexicon
    from ...speech.speak import speak as synthesize
    from ...spoken import normalizer

    engine, voices, config, episode = _engine(ctx), _voices(ctx), ctx.config, ctx.episode
    lexicon = Lexicon.load(episode.language, config.get("speech", "lexicon") or None)
    ctx.spoken = synthesize(episode.segments, engine, _cache(ctx), normalize=normalizer(episode.language, lexicon),
                            workers=config.get("speech", "workers"), retries=config.get("speech", "retries"),
                            progress=lambda d, t: ctx.progress("speak", d, t), voices=voices,
                            turn_pause=config.get("audio", "turn_pause"))
    ctx.respoken = [s.id for s in ctx.spoken if s.spoken]
