"""The episode workflow as stages over one folder: ingest → summarize → script → speak → master → publish.

Each stage reads the previous stages' files from ``output/<id>/`` and writes its own; ``state.json``
records, per stage, what its output was made from, so a rerun does only what changed.
See ``stage.py`` for the protocol; new stages are modules in ``stages/``.
"""

from __future__ import annotations

from .context import Context, Job, Reporter
from .episode import (build, current_episode_id, run_episode, check_choices, check_episode_id, open_episode, papers_digest, read_input,
                      segments_for_preview, write_only, writer_name)
from .runner import Report, Step, plan, run
from .stage import STAGES, Stage, register
from .state import Record, State

__all__ = ["current_episode_id", "run_episode", "Context", "Job", "Reporter", "build", "check_choices", "check_episode_id", "open_episode",
           "papers_digest", "read_input", "segments_for_preview", "write_only", "writer_name", "Report", "Step",
           "plan", "run", "STAGES", "Stage", "register", "Record", "State"]
