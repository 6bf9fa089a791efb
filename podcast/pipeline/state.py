"""The episode's state record, ``state.json``: per stage, its fingerprint, outputs and time taken."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..files import atomic_write_text

STATE_FORMAT = 1  # bump when the record's layout changes; older records are ignored (everything reruns)


@dataclass
class Record:
    """What one stage's last successful run left behind."""

    fingerprint: str  # digest of the stage's fingerprint(ctx)
    parts: dict[str, Any] = field(default_factory=dict)  # per top-level fingerprint key: digest (reads: per file)
    outputs: list[str] = field(default_factory=list)  # paths relative to the episode folder (or absolute)
    seconds: float = 0.0  # wall time of the run
    finished: str = ""  # ISO time, UTC
    data: dict[str, Any] = field(default_factory=dict)  # whatever the stage returned from run()
    run: int = 0  # the number of the run (State.runs) that made it

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Record | None":
        """A record from JSON, or None when it is not one."""
        try:
            return cls(fingerprint=str(data["fingerprint"]), parts=dict(data.get("parts") or {}),
                       outputs=[str(p) for p in data.get("outputs") or []],
                       seconds=float(data.get("seconds") or 0.0), finished=str(data.get("finished") or ""),
                       data=dict(data.get("data") or {}), run=int(data.get("run") or 0))
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


class State:
    """``output/<id>/state.json``; written atomically after every stage, so a kill loses at most one stage."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.stages: dict[str, Record] = {}
        self.runs = 0  # runs of the runner on this episode so far, counting the current one once begun
        self.unfinished: list[str] = []  # stages that started and never recorded a result (killed, failed)
        self.stale: dict[str, Record] = {}  # records of unfinished stages: no longer valid, but their data counts
        self._load()

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # missing or unreadable: every stage runs again, which is always safe
        if not isinstance(raw, dict) or raw.get("format") != STATE_FORMAT or not isinstance(raw.get("stages"), dict):
            return
        self.unfinished = [str(n) for n in raw.get("unfinished") or [] if isinstance(n, str)]
        self.runs = int(raw.get("runs") or 0) if isinstance(raw.get("runs"), int) else 0
        for target, key in ((self.stages, "stages"), (self.stale, "stale")):
            for name, data in (raw.get(key) or {}).items():
                record = Record.from_dict(data) if isinstance(data, dict) else None
                if record is not None:
                    target[name] = record

    def begin(self) -> None:
        """Count a new run (records made from now on carry its number), and write state.json."""
        self.runs += 1
        self.save()

    def get(self, name: str) -> Record | None:
        """The stage's record, if it ever finished."""
        return self.stages.get(name)

    def data(self, name: str) -> dict[str, Any]:
        """The data the stage returned on its last successful run, or {} (kept while a rerun is under way)."""
        record = self.stages.get(name) or self.stale.get(name)
        return dict(record.data) if record else {}

    def record(self, name: str, record: Record) -> None:
        """Store a finished stage's record and write state.json."""
        record.run = self.runs
        record.finished = record.finished or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.stages[name] = record
        self.stale.pop(name, None)
        self.unfinished = [n for n in self.unfinished if n != name]
        self.save()

    def start(self, name: str) -> None:
        """Mark a stage as running: its old record no longer vouches for its files (written to state.json)."""
        old = self.stages.pop(name, None)
        if old is not None:
            self.stale[name] = old
        if name not in self.unfinished:
            self.unfinished.append(name)
        self.save()

    def save(self) -> None:
        """Write state.json atomically."""
        data = {"format": STATE_FORMAT, "runs": self.runs, "stages": {name: asdict(r) for name, r in self.stages.items()},
                "unfinished": self.unfinished, "stale": {name: asdict(r) for name, r in self.stale.items()}}
        atomic_write_text(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
