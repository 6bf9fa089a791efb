"""The runner: every registered stage in order, skipping those whose inputs and settings are unchanged."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import PodcastError, storage_error
from .context import Context
from .stage import STAGES, Stage, digest
from .state import Record, State


@dataclass
class Step:
    """One stage's fate in a run: run (and why), reused, or disabled."""

    stage: str
    label: str
    action: str  # "run", "reuse" or "disabled"
    reason: str = ""
    seconds: float = 0.0  # time of this run's work (0 when reused)
    previous_seconds: float = 0.0  # time it took when it last ran


@dataclass
class Report:
    """What a run did, stage by stage."""

    steps: list[Step] = field(default_factory=list)

    def ran(self) -> list[str]:
        """Names of the stages that ran."""
        return [s.stage for s in self.steps if s.action == "run"]

    def reused(self) -> list[str]:
        """Names of the stages whose earlier output was kept."""
        return [s.stage for s in self.steps if s.action == "reuse"]

    def step(self, name: str) -> Step | None:
        """The step of one stage."""
        return next((s for s in self.steps if s.stage == name), None)


def stages(only: Iterable[str] | None = None) -> list[Stage]:
    """Instances of the registered stages, in order (optionally only some of them)."""
    wanted = set(only) if only is not None else None
    return [cls() for cls in STAGES if wanted is None or cls.name in wanted]


def _parts(fingerprint: dict) -> dict:
    parts = {}
    for key, value in fingerprint.items():
        if key == "reads" and isinstance(value, dict):
            parts[key] = dict(value)  # per file, so a reason can name it
        else:
            parts[key] = digest(value)
    return parts


def _reason(stage: Stage, ctx: Context, record: Record | None, parts: dict, missing: list[Path]) -> str:
    if record is None:
        return "did not finish last time" if stage.name in ctx.state.unfinished else "never ran"
    finer = stage.explain(ctx, record)
    if finer:
        return finer
    reasons = []
    old = record.parts
    for key, value in parts.items():
        if key == "reads" and isinstance(value, dict):
            changed = [name for name, d in value.items() if (old.get("reads") or {}).get(name) != d]
            reasons += [f"{name} {'is missing' if value[name] is None else 'changed'}" for name in changed]
        elif old.get(key) != value:
            reasons.append(f"{key} changed")
    if not reasons and missing:
        shown = ", ".join(_show(p, ctx) for p in missing[:3]) + (", …" if len(missing) > 3 else "")
        reasons.append(f"missing {shown}")
    return "; ".join(reasons) or "its inputs changed"


def _show(path: Path, ctx: Context) -> str:
    try:
        return str(path.relative_to(ctx.folder.root))
    except ValueError:
        return str(path)


def _check(stage: Stage, ctx: Context, forced: set[str]) -> tuple[str, dict, dict, list[Path]]:
    fingerprint = stage.fingerprint(ctx)
    parts = _parts(fingerprint)
    full = digest({"stage": stage.name, "version": stage.version, "fingerprint": fingerprint})
    outputs = stage.outputs(ctx)
    missing = [p for p in outputs if not Path(p).exists()]
    record = ctx.state.get(stage.name)
    if stage.name in forced:
        return "forced", parts, {"fingerprint": full, "outputs": outputs}, missing
    if record is not None and record.fingerprint == full and not missing:
        return "", parts, {"fingerprint": full, "outputs": outputs}, missing
    return _reason(stage, ctx, record, parts, missing), parts, {"fingerprint": full, "outputs": outputs}, missing


def plan(ctx: Context, *, forced: Iterable[str] = (), only: Iterable[str] | None = None) -> Report:
    """What a run would do and why, without running anything (``--dry-run``)."""
    _open_state(ctx)
    report = Report()
    rerunning: list[str] = []
    for stage in stages(only):
        previous = ctx.state.get(stage.name)
        if not stage.enabled(ctx):
            report.steps.append(Step(stage.name, stage.label, "disabled", "not enabled"))
            continue
        try:
            why = _check(stage, ctx, set(forced))[0]
        except PodcastError:  # an upstream file it needs is not there yet
            why = None
        if not why and rerunning and _depends(stage, rerunning):
            why = f"after {rerunning[-1]} reruns"
        elif why is None:
            why = "its inputs are not there yet"
        action = "run" if why else "reuse"
        report.steps.append(Step(stage.name, stage.label, action, why,
                                 previous_seconds=previous.seconds if previous else 0.0))
        if why:
            rerunning.append(stage.name)
    return report


def _depends(stage: Stage, upstream: list[str]) -> bool:
    """True when the stage reads a file an upstream stage writes, or comes after it."""
    written = {w for name in upstream if name in STAGES for w in STAGES.get(name).writes}
    return bool(set(stage.after) & set(upstream)) or bool(set(stage.reads) & written) or not stage.reads


def run(ctx: Context, *, forced: Iterable[str] = (), only: Iterable[str] | None = None) -> Report:
    """Run every enabled stage whose fingerprint changed or whose outputs are missing; record each in state.json."""
    _open_state(ctx)
    ctx.state.begin()
    report = Report()
    forced = set(forced)
    for stage in stages(only):
        previous = ctx.state.get(stage.name)
        if not stage.enabled(ctx):
            report.steps.append(Step(stage.name, stage.label, "disabled", "not enabled"))
            continue
        why, parts, fresh, _ = _check(stage, ctx, forced)
        if not why:
            report.steps.append(Step(stage.name, stage.label, "reuse", "", 0.0, previous.seconds if previous else 0.0))
            continue
        ctx.state.start(stage.name)  # a kill mid-run must not leave the old record vouching for new files
        started = time.perf_counter()
        try:
            data = stage.run(ctx)
        except Exception as exc:
            full = storage_error(exc, f"{ctx.folder.root} ({stage.label.lower()})")
            if full is None:
                raise
            raise full from exc  # the stage's earlier outputs and the caches stay as they were
        seconds = time.perf_counter() - started
        outputs = [_relative(p, ctx) for p in stage.outputs(ctx)]
        if stage.fingerprint_after_run:
            fingerprint = stage.fingerprint(ctx)
            parts = _parts(fingerprint)
            fresh["fingerprint"] = digest({"stage": stage.name, "version": stage.version, "fingerprint": fingerprint})
        ctx.state.record(stage.name, Record(fresh["fingerprint"], parts, outputs, round(seconds, 3),
                                            data=dict(data or {})))
        report.steps.append(Step(stage.name, stage.label, "run", why, seconds,
                                 previous.seconds if previous else 0.0))
    return report


def _relative(path: Path, ctx: Context) -> str:
    try:
        return str(Path(path).relative_to(ctx.folder.root))
    except ValueError:
        return str(path)


def _open_state(ctx: Context) -> None:
    assert ctx.folder is not None, "the episode folder is known before stages run"
    if ctx.state is None or Path(ctx.state.path) != ctx.folder.root / "state.json":
        ctx.state = State(ctx.folder.root / "state.json")
