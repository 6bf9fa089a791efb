"""The script stage: write script.md with the chosen writer, or keep the existing one (hand edits win)."""

from __future__ import annotations

from ... import script_file
from ...errors import ScriptError
from ...hosts import hosts_from_state, resolve_hosts
from ...models import Episode
from ..stage import Stage, register


@register
class Script(Stage):
    name = "script"
    label = "Writing script"
    after = ("ingest", "summarize")
    reads = ("papers.json", "script.md")
    writes = ("script.md", "script.json")
    fingerprint_after_run = True  # it may rewrite script.md, which it also reads

    def settings(self, ctx):
        from ..episode import writer_name

        return {"writer": writer_name(ctx), "hosts": [[h.name, h.persona] for h in _hosts(ctx)],
                "minutes": _minutes(ctx)}

    def run(self, ctx) -> None:
        from ...writers.base import WRITERS
        from ..episode import papers_digest, writer_name, writer_options

        folder = ctx.folder
        episode = Episode.load(folder.papers)
        name = writer_name(ctx)
        writer_cls = WRITERS.get(name)
        state = script_file.load_state(folder.script_state)
        digest = papers_digest(episode)
        existing = folder.script.read_text(encoding="utf-8") if folder.script.exists() else None
        edited = script_file.is_hand_edited(existing, state)
        hosts = _hosts(ctx)
        minutes = _minutes(ctx)
        changes = [why for why, changed in (("the input changed", state.get("papers") != digest),
                                            (f"the writer changed to {name!r}", state.get("writer") != name),
                                            ("the hosts changed", [h.name for h in hosts] != [
                                                h.get("name") for h in state.get("hosts", [])]),
                                            ("the target length changed", (state.get("minutes") or 0) != minutes))
                   if changed]
        if existing is not None and not ctx.force:
            if edited:
                if ctx.standalone:
                    raise ScriptError(f"{folder.script} has hand edits; not overwriting it",
                                      "use --force to rewrite it and lose the edits")
                if changes:
                    ctx.notes.append(f"{folder.script} has hand edits, so it was kept although "
                                     f"{' and '.join(changes)}; use --force to rewrite it")
                else:
                    ctx.notes.append(f"using your edited {folder.script}")
            if edited or not changes:
                episode.hosts = hosts_from_state(state, ctx.config)
                episode.segments = script_file.parse(existing, episode, folder.script, state)
                ctx.episode = episode
                return
            ctx.notes.append(f"rewrote {folder.script} because {' and '.join(changes)}")
        elif edited:
            ctx.notes.append(f"--force: rewrote {folder.script}, replacing your hand edits")
        episode.hosts = hosts
        writer = writer_cls(writer_options(ctx, name))
        if minutes:
            from ...length import target_for

            writer.target = target_for(ctx.config, minutes, episode.language, hosts, ctx.engine, ctx.voice)
        episode.segments = writer.write(episode, progress=lambda d, t: ctx.progress(self.name, d, t))
        usage = dict(getattr(writer, "usage", {}) or {})
        ctx.add_usage(usage)
        fallbacks = list(getattr(writer, "fallbacks", []) or [])
        ctx.notes += [f"fallback: {note}" for note in fallbacks]
        script_file.save(folder.script, folder.script_state, episode, name,
                         {"papers": digest, **({"usage": usage} if usage else {}),
                          **({"fallbacks": fallbacks} if fallbacks else {}),
                          "hosts": [{"name": h.name, "persona": h.persona} for h in hosts],
                          **({"minutes": minutes} if minutes else {}), **_fit_notes(ctx, episode, writer.target)})
        ctx.episode = episode


def _hosts(ctx):
    """The hosts this run asks for: --hosts, else script.hosts, else the writer's own number."""
    from ...writers.base import WRITERS
    from ..episode import writer_name

    writer_cls = WRITERS.get(writer_name(ctx))
    return resolve_hosts(ctx.config, ctx.hosts or ctx.config.get("script", "hosts") or writer_cls.hosts)


def _minutes(ctx) -> float:
    """The target length asked for: --minutes, else script.minutes; 0 for none."""
    return float(ctx.minutes or ctx.config.get("script", "minutes") or 0)


def _fit_notes(ctx, episode, target) -> dict:
    """Tell how a --minutes fit went; the speed-up to keep with the script, if any."""
    if target is None:
        return {}
    from ...publish import chapter_clock

    count = len(episode.papers)
    if target.speedup > 1:
        ctx.notes.append(f"{count} papers take at least {chapter_clock(target.shortest)} at the voices' own pace "
                         f"(a title and one sentence each), so they speak {target.speedup:.2f}× faster to fit "
                         f"{chapter_clock(target.seconds)}")
    if target.shortest / target.speedup > target.seconds * 1.1:
        ctx.notes.append(f"the episode cannot be as short as {chapter_clock(target.seconds)}: {count} papers take "
                         f"about {chapter_clock(target.shortest / target.speedup)}; raise --minutes or give fewer "
                         "papers")
    return {"speedup": target.speedup} if target.speedup > 1 else {}
