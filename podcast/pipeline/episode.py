"""What the commands do around the runner: read the input, check choices, lock the folder, run the stages."""

from __future__ import annotations

import hashlib
import json

from .. import script_file
from ..errors import ScriptError
from ..files import EpisodeDir
from ..models import Episode, Segment
from .context import Context
from .runner import Report, run

SCRIPT_STAGES = ("ingest", "summarize", "script")


def read_input(ctx: Context) -> None:
    """Read the input into ``ctx.ingested`` and settle the episode folder (nothing is written yet)."""
    from ..ingest import ingest as parse
    from ..language import normalize_language

    show = ctx.config.get("show", "name")
    language = ctx.language or ctx.config.get("show", "language") or None
    if language:
        language = normalize_language(language)
    episode = parse(ctx.sources, language=language, cache_dir=ctx.cache_dir, show=show)
    ctx.notes.extend(episode.notes)
    if ctx.episode_id:
        episode.id = ctx.episode_id
    check_episode_id(episode.id)
    ctx.ingested = episode
    ctx.folder = EpisodeDir(ctx.out / episode.id)


def open_episode(ctx: Context) -> None:
    """Point the context at an existing episode folder ``out/ID`` (for `podcast episode`)."""
    from ..errors import InputError

    assert ctx.episode_id
    check_episode_id(ctx.episode_id)
    ctx.folder = EpisodeDir(ctx.out / ctx.episode_id)
    if not ctx.folder.papers.exists():
        raise InputError(f"episode {ctx.episode_id} has no papers ({ctx.folder.papers} does not exist)",
                         f"add some first: podcast add FILE|ARXIV-ID --episode {ctx.episode_id}")


def check_choices(ctx: Context, *, speech: bool) -> None:
    """Resolve the writer (and, for a build, the speech engine) before anything is written."""
    from ..writers.base import WRITERS

    name = writer_name(ctx)
    writer = WRITERS.get(name)
    if ctx.summarize and not hasattr(writer, "summarize"):
        raise ScriptError(f"the {name!r} writer cannot write summaries", "use --writer openai with --summarize")
    if speech:
        from ..speech.select import make_engine

        language = (ctx.ingested or ctx.episode).language
        ctx.speech_engine = make_engine(ctx.config, language, ctx.engine, ctx.voice)


def writer_name(ctx: Context) -> str:
    """--writer, else the writer of the existing script, else config script.writer."""
    if ctx.writer:
        return ctx.writer
    assert ctx.folder
    return script_file.load_state(ctx.folder.script_state).get("writer") or ctx.config.get("script", "writer")


def writer_options(ctx: Context, name: str) -> dict:
    """The writer's options: its own [writer.NAME] table over those it shares (dialogue uses [writer.openai])."""
    from ..writers.base import WRITERS

    cls = WRITERS.get(name)
    options: dict = {}
    if cls.network:  # LLM writers cache replies beside the speech, so an interrupted run does not pay twice
        options["cache_dir"] = str(ctx.cache_dir / "llm")
    for table in (*cls.options_from, name):
        options.update(ctx.config.options("writer", table))
    return options


def check_episode_id(episode_id: str) -> None:
    """An episode id must be usable as a folder name as it is."""
    from ..errors import InputError
    from ..files import safe_name

    if not episode_id or safe_name(episode_id, "") != episode_id.lower() or episode_id.startswith("."):
        raise InputError(f"episode id {episode_id!r} cannot be a folder name",
                         "use letters, digits and dashes, e.g. --episode 2025-02")


def papers_digest(episode: Episode) -> str:
    """A hash of everything a writer reads, to tell when a script is out of date."""
    fields = episode.to_dict()
    for paper in fields["papers"]:
        paper.pop("input", None)  # where a paper came from is not what is said about it
    keys = ("papers", "language", "show", "intro_text", "closing_text") + (("overview",) if episode.overview else ())
    data = json.dumps([fields[k] for k in keys], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def forced(ctx: Context) -> set[str]:
    """Stages to run whatever their state: --force rewrites the script."""
    return {"script"} if ctx.force else set()


def write_only(ctx: Context) -> Report:
    """The `podcast script` command: ingest and write the script, nothing else."""
    from .lock import EpisodeLock

    read_input(ctx)
    check_choices(ctx, speech=False)
    ctx.standalone = True
    with EpisodeLock(ctx.folder.root):
        return run(ctx, forced=forced(ctx), only=SCRIPT_STAGES)


def build(ctx: Context) -> Report:
    """The `podcast build` command: read the input, then every stale stage."""
    from .lock import EpisodeLock

    read_input(ctx)
    check_choices(ctx, speech=True)
    with EpisodeLock(ctx.folder.root):
        return run(ctx, forced=forced(ctx))


def run_episode(ctx: Context, *, dry_run: bool = False) -> Report:
    """The `podcast episode` command: every stale stage of an existing episode (or what would run)."""
    from .lock import EpisodeLock
    from .runner import plan

    open_episode(ctx)
    check_choices(ctx, speech=True)
    if dry_run:
        return plan(ctx, forced=forced(ctx))
    with EpisodeLock(ctx.folder.root):
        return run(ctx, forced=forced(ctx))


def current_episode_id() -> str:
    """The default episode: this month, "YYYY-MM"."""
    import datetime as dt

    return dt.date.today().strftime("%Y-%m")


def segments_for_preview(folder: EpisodeDir) -> tuple[Episode, list[Segment]]:
    """The episode and the segments of its script.md (for `podcast preview`)."""
    episode = Episode.load(folder.papers)
    state = script_file.load_state(folder.script_state)
    if not folder.script.exists():
        raise ScriptError(f"{folder.script} does not exist", "run `podcast script INPUT` first")
    segments = script_file.parse(folder.script.read_text(encoding="utf-8"), episode, folder.script,
                                 state)
    return episode, segments
