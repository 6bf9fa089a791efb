"""The editable script file, ``script.md``: one ``## [id] Title`` heading per segment."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .errors import ScriptError
from .files import atomic_write_text
from .models import Episode, Segment

HEADING = re.compile(r"^## \[(?P<id>[^\]\s]+)\][ \t]*(?P<title>.*?)[ \t]*$", re.MULTILINE)

PREAMBLE = """\
<!--
  Script for episode {id} of {show}, written by the {writer!r} writer.
  Edit the text under any heading; `podcast build` re-speaks only the segments you change.
  Keep each heading line (`## [id] Title`) as it is: the id ties a segment to its paper.
  Delete a whole segment to drop it. Lines inside these comment markers are not spoken.
-->
"""


def render(episode: Episode, writer: str) -> str:
    """The script file's text for ``episode.segments``."""
    parts = [PREAMBLE.format(id=episode.id, show=episode.show, writer=writer)]
    for seg in episode.segments:
        parts.append(f"## [{seg.id}] {seg.title}\n\n{seg.text.strip()}\n")
    return "\n".join(parts)


def parse(text: str, episode: Episode, path: Path | str = "script.md", state: dict | None = None) -> list[Segment]:
    """Segments from a script file; ids are matched to the episode's papers.

    Flags saved in ``state`` (script.json) are joined by id, but only while the segment's text is
    the text they were raised on: editing a segment clears its flags.
    """
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    flags = _fresh(state or {}, text)
    sections = list(_sections(text))
    if not sections:
        raise ScriptError(f"{path} has no segment headings", "each segment starts with a line `## [id] Title`")
    known = {s.id: s for s in episode.segments}
    segments: list[Segment] = []
    seen: set[str] = set()
    for match, raw in sections:
        seg_id, title = match["id"], match["title"]
        if seg_id in seen:
            raise ScriptError(f"{path} has segment [{seg_id}] twice", "give each heading its own id")
        seen.add(seg_id)
        body = _tidy(raw)
        if not body:
            raise ScriptError(f"{path}: segment [{seg_id}] is empty", "write its text or delete its heading")
        base = known.get(seg_id) or _infer(seg_id, episode, path)
        segments.append(Segment(id=seg_id, kind=base.kind, title=title or base.title, text=body,
                                paper=base.paper, flags=list((flags or {}).get(seg_id, base.flags))))
    return segments


def _infer(seg_id: str, episode: Episode, path: Path | str) -> Segment:
    if seg_id in ("intro", "overview", "outro"):
        return Segment(id=seg_id, kind=seg_id, title=seg_id.title(), text="")
    if seg_id.startswith("paper-") and episode.paper(seg_id[len("paper-"):]):
        paper = episode.paper(seg_id[len("paper-"):])
        return Segment(id=seg_id, kind="paper", title=paper.title, text="", paper=paper.id)
    raise ScriptError(f"{path}: unknown segment id [{seg_id}]",
                      "use intro, overview, outro or paper-<paper id> as in the generated script")


def _tidy(body: str) -> str:
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", body)]
    return "\n\n".join(p for p in paragraphs if p)


def digest(text: str) -> str:
    """A short content hash, used to tell hand edits from generated text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _fresh(state: dict, text: str) -> dict[str, list[str]]:
    """Saved flags whose segment text is unchanged."""
    flags, texts = state.get("flags", {}), state.get("flag_texts", {})
    bodies = {m["id"]: _tidy(body) for m, body in _sections(text)}
    return {sid: f for sid, f in flags.items() if sid in bodies and texts.get(sid) == digest(bodies[sid])}


def _sections(text: str):
    matches = list(HEADING.finditer(text))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        yield match, text[match.end():end]


def save(path: Path, state_path: Path, episode: Episode, writer: str, extra: dict | None = None) -> None:
    """Write script.md and script.json (the writer's state: hash as written, flags, usage)."""
    text = render(episode, writer)
    atomic_write_text(path, text)
    flagged = [s for s in episode.segments if s.flags]
    state = {"writer": writer, "digest": digest(text), "flags": {s.id: s.flags for s in flagged},
             "flag_texts": {s.id: digest(_tidy(s.text)) for s in flagged}, **(extra or {})}
    atomic_write_text(state_path, json.dumps(state, indent=2, ensure_ascii=False) + "\n")


def load_state(state_path: Path) -> dict:
    """The writer's state saved beside the script, or {}."""
    try:
        return json.loads(state_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def is_hand_edited(text: str | None, state: dict) -> bool:
    """True when the script's text (None: no script yet) differs from what the writer last wrote."""
    return text is not None and state.get("digest") != digest(text)
