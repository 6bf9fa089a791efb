"""The script-writer interface and its registry."""

from __future__ import annotations

from typing import Any, Callable, ClassVar

from ..models import Episode, Segment
from ..registry import Registry

Progress = Callable[[int, int], None]  # (done, total)


class Writer:
    """Turns an Episode's papers into spoken Segments (intro, papers, outro)."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    network: ClassVar[bool] = False
    hosts: ClassVar[int] = 1  # voices it writes for unless --hosts or script.hosts says otherwise
    options_from: ClassVar[tuple[str, ...]] = ()  # other writers' [writer.NAME] tables it reads first
    option_keys: ClassVar[tuple[str, ...]] = ()  # the keys its [writer.NAME] table may hold; others are errors

    def __init__(self, options: dict[str, Any] | None = None):
        self.options = dict(options or {})
        self.fallbacks: list[str] = []  # what the writer could not do and did instead: shown, kept in script.json
        self.target: Any = None  # length.Target when the episode is fitted to a length (--minutes)

    def write(self, episode: Episode, progress: Progress | None = None) -> list[Segment]:
        """Return the episode's segments, in order."""
        raise NotImplementedError


def _load_builtin_writers() -> None:
    from . import dialogue, llm, reading  # noqa: F401  (importing registers them)


WRITERS: Registry[Writer] = Registry("script writer", _load_builtin_writers)
