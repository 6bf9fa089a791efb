"""The Context every stage gets: settings for this run, the episode folder, and lazily loaded artifacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..config import Config
from ..files import EpisodeDir, file_digest
from ..models import Episode, Timeline

# (stage, done, total): the CLI turns this into progress bars; the core never prints.
Reporter = Callable[[str, int, int], None]


@dataclass
class Context:
    """One run over one episode: what the user asked for, and what the stages leave for each other."""

    config: Config
    sources: list[str] = field(default_factory=list)  # inputs for the ingest stage (empty: papers.json as it is)
    out: Path = Path("output")
    episode_id: str | None = None
    language: str | None = None
    writer: str | None = None
    engine: str | None = None
    voice: str | None = None
    force: bool = False  # rewrite script.md even over hand edits
    summarize: bool = False
    hosts: int | None = None  # --hosts: 1 or 2 voices
    minutes: float | None = None  # --minutes: the episode's target length
    standalone: bool = False  # `podcast script`: refuse to overwrite hand edits instead of keeping them
    report: Reporter | None = None
    # Filled in as the run goes:
    folder: EpisodeDir | None = None
    ingested: Episode | None = None  # the input as read, before it is saved (build only)
    notes: list[str] = field(default_factory=list)  # one-line remarks the CLI shows at the end
    spoken: list = field(default_factory=list)  # speech.speak.SpokenSegment, one per segment
    respoken: list[str] = field(default_factory=list)  # ids of segments synthesized in this run
    timeline: Timeline | None = None
    usage: dict = field(default_factory=dict)  # LLM token use and cost, when a writer reports it
    speech_engine: Any = None  # the resolved speech.base.Engine, once checked
    state: Any = None  # pipeline.state.State of the episode folder
    _episode: Episode | None = None
    _file_digests: dict = field(default_factory=dict)  # (path, inode, size, mtime_ns) -> sha256, this run

    def progress(self, stage: str, done: int, total: int) -> None:
        """Forward progress to the reporter, if any."""
        if self.report:
            self.report(stage, done, total)

    @property
    def cache_dir(self) -> Path:
        """Where speech, LLM and metadata caches live (shared by every episode under ``out``)."""
        configured = self.config.get("speech", "cache_dir")
        return Path(configured) if configured else self.out / ".cache"

    @property
    def episode(self) -> Episode:
        """The episode: papers.json, with the segments of script.md once there is one."""
        if self._episode is None:
            from .. import script_file
            from ..hosts import hosts_from_state

            assert self.folder is not None
            episode = Episode.load(self.folder.papers)
            if self.folder.script.exists():
                state = script_file.load_state(self.folder.script_state)
                text = self.folder.script.read_text(encoding="utf-8")
                episode.hosts = hosts_from_state(state, self.config)
                episode.segments = script_file.parse(text, episode, self.folder.script, state)
            self._episode = episode
        return self._episode

    @episode.setter
    def episode(self, value: Episode | None) -> None:
        self._episode = value

    def add_usage(self, usage: dict) -> None:
        """Add a writer's LLM token use (and cost) to this run's total."""
        if not usage:
            return
        if not self.usage:
            self.usage = dict(usage)
            return
        for key in ("prompt_tokens", "completion_tokens", "total_tokens", "cached_replies"):
            self.usage[key] = self.usage.get(key, 0) + usage.get(key, 0)
        costs = (self.usage.get("cost_usd"), usage.get("cost_usd"))
        self.usage["cost_usd"] = None if None in costs else costs[0] + costs[1]

    def reload(self) -> None:
        """Forget the loaded episode, so the next access reads the files again."""
        self._episode = None

    def load_timeline(self) -> Timeline:
        """The timeline the master stage wrote (or made in this run)."""
        if self.timeline is None:
            assert self.folder is not None
            self.timeline = Timeline.load(self.folder.timeline)
        return self.timeline

    def digests(self, names: tuple[str, ...] | list[str]) -> dict[str, str | None]:
        """SHA-256 of each named file in the episode folder (None when missing)."""
        assert self.folder is not None
        return {name: self.file_digest(self.folder.root / name) for name in names}

    def file_digest(self, path: Path) -> str | None:
        """SHA-256 of a file, remembered by inode, size and mtime for the rest of the run; None if missing.

        Outputs are written beside and renamed into place, so a rewritten file is a new inode: a stage's
        new outputs are hashed again, and files nobody touched are hashed once per run.
        """
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if key not in self._file_digests:
            self._file_digests[key] = file_digest(path)
        return self._file_digests[key]


Job = Context  # the name before stages existed
