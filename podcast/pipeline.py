"""The build pipeline: ingest → write script → speak → master, over one Job.

Each stage reads the previous stage's artifact from the episode folder and writes its own,
so a rerun resumes and a person can edit ``script.md`` in between.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import script_file
from .config import Config
from .errors import InputError, ScriptError
from .files import EpisodeDir, atomic_write_text
from .models import Episode, Segment, Timeline

# (stage, done, total): the CLI turns this into progress bars; the core never prints.
Reporter = Callable[[str, int, int], None]


@dataclass
class Job:
    """Everything one build needs and produces; stages fill it in as they run."""

    config: Config
    sources: list[str]
    out: Path = Path("output")
    episode_id: str | None = None
    language: str | None = None
    writer: str | None = None
    engine: str | None = None
    voice: str | None = None
    force: bool = False
    summarize: bool = False
    hosts: int | None = None  # --hosts: 1 or 2 voices
    minutes: float | None = None  # --minutes: the episode's target length
    report: Reporter | None = None
    # Filled in by the stages:
    episode: Episode | None = None
    folder: EpisodeDir | None = None
    notes: list[str] = field(default_factory=list)  # one-line remarks the CLI shows at the end
    spoken: list = field(default_factory=list)  # speech.speak.SpokenSegment, one per segment
    respoken: list[str] = field(default_factory=list)  # ids of segments synthesized in this run
    timeline: Timeline | None = None
    usage: dict = field(default_factory=dict)  # LLM token use and cost, when a writer reports it
    speech_engine: object | None = None  # the resolved speech.base.Engine, once checked
    remastered: bool = False  # False when episode.mp3 was already up to date

    def progress(self, stage: str, done: int, total: int) -> None:
        """Forward progress to the reporter, if any."""
        if self.report:
            self.report(stage, done, total)

    @property
    def cache_dir(self) -> Path:
        """Where speech and metadata caches live (shared by every episode under ``out``)."""
        configured = self.config.get("speech", "cache_dir")
        return Path(configured) if configured else self.out / ".cache"


def ingest(job: Job) -> None:
    """Read the input into an Episode (nothing is written yet: see save_papers)."""
    from .ingest import ingest as read_input
    from .language import normalize_language

    show = job.config.get("show", "name")
    language = job.language or job.config.get("show", "language") or None
    if language:
        language = normalize_language(language)
    episode = read_input(job.sources, language=language, cache_dir=job.cache_dir, show=show)
    job.notes.extend(episode.notes)
    if job.episode_id:
        episode.id = job.episode_id
    _check_episode_id(episode.id)
    job.episode = episode
    job.folder = EpisodeDir(job.out / episode.id)


def check_choices(job: Job, *, speech: bool) -> None:
    """Resolve the writer (and, for a build, the speech engine) before anything is written."""
    from .writers.base import WRITERS

    assert job.episode and job.folder
    WRITERS.get(writer_name(job))
    if speech:
        from .speech.select import make_engine

        job.speech_engine = make_engine(job.config, job.episode.language, job.engine, job.voice)


def save_papers(job: Job) -> None:
    """Create the episode folder and write papers.json, keeping summaries an LLM wrote earlier."""
    episode, folder = job.episode, job.folder
    assert episode and folder
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


def writer_name(job: Job) -> str:
    """--writer, else the writer of the existing script, else config script.writer."""
    if job.writer:
        return job.writer
    assert job.folder
    return script_file.load_state(job.folder.script_state).get("writer") or job.config.get("script", "writer")


def _check_episode_id(episode_id: str) -> None:
    from .files import safe_name

    if not episode_id or safe_name(episode_id, "") != episode_id.lower() or episode_id.startswith("."):
        raise InputError(f"episode id {episode_id!r} cannot be a folder name",
                         "use letters, digits and dashes, e.g. --episode 2025-02")


def papers_digest(episode: Episode) -> str:
    """A hash of everything a writer reads, to tell when a script is out of date."""
    data = json.dumps([episode.to_dict()[k] for k in ("papers", "language", "show", "intro_text", "closing_text")],
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def write_script(job: Job, *, standalone: bool = False) -> None:
    """Write script.md with the chosen writer, or read the existing one (hand edits win)."""
    from .hosts import hosts_from_state, resolve_hosts
    from .writers.base import WRITERS

    episode, folder = job.episode, job.folder
    assert episode and folder
    name = writer_name(job)
    writer_cls = WRITERS.get(name)
    state = script_file.load_state(folder.script_state)
    digest = papers_digest(episode)
    existing = folder.script.read_text(encoding="utf-8") if folder.script.exists() else None
    edited = script_file.is_hand_edited(existing, state)
    hosts = resolve_hosts(job.config, job.hosts or job.config.get("script", "hosts") or writer_cls.hosts)
    changes = [why for why, changed in (("the input changed", state.get("papers") != digest),
                                        (f"the writer changed to {name!r}", state.get("writer") != name),
                                        ("the hosts changed", [h.name for h in hosts] != [
                                            h.get("name") for h in state.get("hosts", [])]))
               if changed]
    if existing is not None and not job.force:
        if edited:
            if standalone:
                raise ScriptError(f"{folder.script} has hand edits; not overwriting it",
                                  "use --force to rewrite it and lose the edits")
            if changes:
                job.notes.append(f"{folder.script} has hand edits, so it was kept although {' and '.join(changes)}; "
                                 "use --force to rewrite it")
            else:
                job.notes.append(f"using your edited {folder.script}")
        if edited or not changes:
            episode.hosts = hosts_from_state(state, job.config)
            episode.segments = script_file.parse(existing, episode, folder.script, state)
            return
        job.notes.append(f"rewrote {folder.script} because {' and '.join(changes)}")
    elif edited:
        job.notes.append(f"--force: rewrote {folder.script}, replacing your hand edits")
    episode.hosts = hosts
    writer = writer_cls(job.config.options("writer", name))
    if job.summarize:
        summarize = getattr(writer, "summarize", None)
        if summarize is None:
            raise ScriptError(f"the {name!r} writer cannot write summaries",
                              "use --writer openai with --summarize")
        summarize(episode, progress=lambda d, t: job.progress("summarize", d, t))
        episode.save(folder.papers)
        digest = papers_digest(episode)  # the summaries are part of what the script was written from
    episode.segments = writer.write(episode, progress=lambda d, t: job.progress("script", d, t))
    job.usage = dict(getattr(writer, "usage", {}) or {})
    script_file.save(folder.script, folder.script_state, episode, name,
                     {"papers": digest, **({"usage": job.usage} if job.usage else {}),
                      "hosts": [{"name": h.name, "persona": h.persona} for h in hosts]})


def speak(job: Job) -> None:
    """Synthesize every segment (cached by content) and record the cache keys used."""
    from .lexicon import Lexicon
    from .speech.cache import SpeechCache
    from .speech.select import make_engine
    from .speech.speak import speak as synthesize
    from .speech.voices import describe, host_engines

    episode, folder, config = job.episode, job.folder, job.config
    assert episode and folder
    voices = host_engines(config, episode.language, episode.hosts, job.engine, job.voice) if episode.hosts else {}
    engine = next(iter(voices.values()), None) or job.speech_engine or \
        make_engine(config, episode.language, job.engine, job.voice)
    lexicon = Lexicon.load(episode.language, config.get("speech", "lexicon") or None)
    cache = SpeechCache(job.cache_dir / "speech")
    job.spoken = synthesize(episode.segments, engine, cache, lexicon=lexicon,
                            workers=config.get("speech", "workers"), retries=config.get("speech", "retries"),
                            progress=lambda d, t: job.progress("speech", d, t), voices=voices,
                            turn_pause=config.get("audio", "turn_pause"))
    job.respoken = [s.id for s in job.spoken if s.spoken]
    record = {"engine": engine.name, "voice": engine.voice, "keys": sorted({k for s in job.spoken for k in s.keys}),
              "segments": {s.id: s.keys for s in job.spoken}, **({"hosts": describe(voices)} if voices else {})}
    atomic_write_text(folder.speech, json.dumps(record, indent=2) + "\n")


def master(job: Job) -> None:
    """Assemble, master and tag episode.mp3; write the timeline, transcripts and show notes."""
    from . import master as mastering
    from . import publish

    episode, folder = job.episode, job.folder
    assert episode and folder
    digest = mastering.inputs_digest(episode, job.spoken, job.config)
    previous = script_file.load_state(folder.master_state).get("inputs")
    if previous == digest and folder.mp3.exists() and folder.timeline.exists():
        job.timeline = Timeline.load(folder.timeline)
        job.notes.append(f"{folder.mp3} is up to date (same speech, settings and music)")
    else:
        job.timeline = mastering.master(episode, job.spoken, folder, job.config,
                                        progress=lambda d, t: job.progress("master", d, t))
        job.remastered = True
        atomic_write_text(folder.master_state, json.dumps({"inputs": digest}) + "\n")
    publish.write_companions(episode, job.timeline, folder, job.config)


def write_only(job: Job) -> None:
    """The `podcast script` command: ingest and write the script, nothing else."""
    ingest(job)
    check_choices(job, speech=False)
    save_papers(job)
    write_script(job, standalone=True)


def build(job: Job) -> None:
    """Every stage, in order."""
    ingest(job)
    check_choices(job, speech=True)
    save_papers(job)
    write_script(job)
    speak(job)
    master(job)


def segments_for_preview(folder: EpisodeDir) -> tuple[Episode, list[Segment]]:
    """The episode and the segments of its script.md (for `podcast preview`)."""
    episode = Episode.load(folder.papers)
    state = script_file.load_state(folder.script_state)
    if not folder.script.exists():
        raise ScriptError(f"{folder.script} does not exist", "run `podcast script INPUT` first")
    segments = script_file.parse(folder.script.read_text(encoding="utf-8"), episode, folder.script,
                                 state)
    return episode, segments
