"""The Stage protocol and the ordered registry of stages.

A stage is a verb over one episode folder: it reads some files, writes others, and says what its
output depends on (its fingerprint). The runner skips a stage whose fingerprint is unchanged and
whose outputs exist. New stages are modules in ``podcast/pipeline/stages/``, imported automatically.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from .context import Context
    from .state import Record


class Stage:
    """One step of the episode workflow; subclass it and decorate with ``@register``."""

    name: str = ""  # key in state.json and in progress reports
    label: str = ""  # progress bar text
    after: tuple[str, ...] = ()  # stages that must run before this one
    reads: tuple[str, ...] = ()  # files in the episode folder this stage reads
    writes: tuple[str, ...] = ()  # files in the episode folder this stage writes
    version: int = 1  # bump when the code changes what the stage writes
    fingerprint_after_run: bool = False  # True: record the fingerprint taken after run() (it rewrites what it reads)

    def enabled(self, ctx: "Context") -> bool:
        """Whether the stage takes part in this run."""
        return True

    def settings(self, ctx: "Context") -> Any:
        """JSON-able settings and outside inputs the output depends on."""
        return None

    def fingerprint(self, ctx: "Context") -> dict[str, Any]:
        """Everything the output depends on: the files it reads and its settings."""
        return {"reads": ctx.digests(self.reads), "settings": self.settings(ctx)}

    def outputs(self, ctx: "Context") -> list[Path]:
        """Files that must exist for the stage to count as done."""
        return [ctx.folder.root / name for name in self.writes]

    def explain(self, ctx: "Context", record: "Record | None") -> str | None:
        """A finer reason to run than the runner's, e.g. "2 segments changed"; None for the default."""
        return None

    def run(self, ctx: "Context") -> dict | None:
        """Do the work; the returned JSON-able dict is kept in state.json as the stage's data."""
        raise NotImplementedError


def digest(value: Any) -> str:
    """A short stable hash of a JSON-able value."""
    blob = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


class StageRegistry:
    """Stages by name, listed in dependency order (``after``), ties broken by name."""

    def __init__(self) -> None:
        self._stages: dict[str, type[Stage]] = {}
        self._loaded = False

    def register(self, cls: type[Stage]) -> type[Stage]:
        """Class decorator: add a stage."""
        if not cls.name:
            raise TypeError(f"{cls.__name__} needs a class attribute `name`")
        self._stages[cls.name] = cls
        return cls

    def unregister(self, name: str) -> None:
        """Remove a stage (tests use this)."""
        self._stages.pop(name, None)

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            import importlib
            import pkgutil

            from . import stages

            for module in pkgutil.iter_modules(stages.__path__):
                importlib.import_module(f"{stages.__name__}.{module.name}")

    def names(self) -> list[str]:
        """Stage names in run order."""
        return [cls.name for cls in self]

    def __iter__(self) -> Iterator[type[Stage]]:
        self._load()
        remaining = dict(self._stages)
        ordered: list[type[Stage]] = []
        while remaining:
            ready = sorted(name for name, cls in remaining.items()
                           if not any(dep in remaining for dep in cls.after))
            if not ready:
                raise TypeError(f"stages {sorted(remaining)} wait for each other (a cycle in `after`)")
            ordered.append(remaining.pop(ready[0]))
        return iter(ordered)

    def __contains__(self, name: object) -> bool:
        self._load()
        return name in self._stages

    def get(self, name: str) -> type[Stage]:
        """The stage class called ``name``."""
        self._load()
        return self._stages[name]


STAGES = StageRegistry()
register = STAGES.register
