"""The commented ``podcast.toml`` that `podcast init` writes, made from the defaults themselves."""

from __future__ import annotations

import inspect
import re
from typing import Any

from . import config

HEADER = """\
# podcast.toml: settings of the show "{name}". Every value below is the default; change what you need.
# Episodes live in output/<episode id>/ beside this file. `podcast --help` lists the commands.
# Secrets (API keys) are never read from this file: export them, e.g. OPENAI_API_KEY, YOUTUBE_CLIENT_SECRET.
"""

SECTION_NOTES = {
    "show": "The show: its name, the host, the language (empty: detected), cover art.",
    "script": "Who writes the spoken script: reading (offline), openai (commentary), dialogue (two hosts).",
    "speech": "The voice: engine and voice (see `podcast voices`), a lexicon of pronunciations.",
    "audio": "Mastering: pauses, intro/outro music (empty: bundled), loudness, MP3 format.",
    "feed": "`podcast publish`: the RSS feed and static site; set base_url to where OUT/public/ is served.",
    "search": "`podcast search`: the arXiv query for new papers.",
}

PARTS = """\
# Options of one writer, engine or host, in [kind.NAME] tables, e.g.:
# [writer.openai]
# model = "gpt-4o-mini"       # or a local model, with base_url = "http://localhost:11434/v1"
# temperature = 0.7
# [engine.piper]
# length_scale = 1.0          # > 1 speaks slower
# [hosts.Ada]                 # two hosts: [hosts.Ada] and [hosts.Ben], each with persona, engine, voice
# persona = "the host, who has read every paper"
"""


def _comments() -> dict[tuple[str, str], str]:
    """The trailing comments of DEFAULTS in config.py, by (section, key)."""
    try:
        source = inspect.getsource(config)
    except (OSError, TypeError):
        return {}
    comments: dict[tuple[str, str], str] = {}
    section = None
    for line in source[source.find("DEFAULTS"):].splitlines():
        opened = re.match(r'\s{4}"(\w+)": \{', line)
        if opened:
            section = opened.group(1)
            continue
        entry = re.match(r'\s{8}"(\w+)":.*?#\s*(.+)$', line)
        if section and entry:
            comments[(section, entry.group(1))] = entry.group(2).strip()
        if line.startswith("}"):
            break
    return comments


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return repr(value)


def render(name: str = "", author: str = "") -> str:
    """The text of a commented podcast.toml with every known section and its defaults."""
    comments = _comments()
    defaults = config.DEFAULTS
    show = defaults["show"]
    lines = [HEADER.format(name=name or show["name"])]
    for section, values in defaults.items():
        note = SECTION_NOTES.get(section)
        if note:
            lines.append(f"# {note}")
        lines.append(f"[{section}]")
        for key, default in values.items():
            value = default
            if section == "show" and key == "name" and name:
                value = name
            if section == "show" and key == "author" and (author or name):
                value = author or name
            comment = comments.get((section, key), "")
            shown = f"default {_toml(default)}" + (f"; {comment}" if comment else "")
            lines.append(f"{key} = {_toml(value)}  # {shown}")
        lines.append("")
    lines.append(PARTS)
    return "\n".join(lines)
