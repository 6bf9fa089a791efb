"""The show's hosts and their turns: ``[hosts.NAME]`` tables, and ``Name: …`` paragraphs in a script."""

from __future__ import annotations

import re

from .config import Config
from .errors import ConfigError
from .models import Host

MAX_HOSTS = 2
HOST_KEYS = {"persona": str, "engine": str, "voice": str}
DEFAULT_HOSTS = (Host("Ada", "the host, who has read every paper and explains it plainly"),
                 Host("Ben", "a curious co-host who asks what it means in practice"))
NAME = re.compile(r"^[^\W\d_][\w'’.-]*(?: [^\W\d_][\w'’.-]*)?$")  # one or two words, starting with a letter
MAX_NAME = 30  # characters
# "Ada: …" at the start of a paragraph; the name may be bold or bracketed as weak models write it.
_TURN = re.compile(r"^[*_\[]{0,2}(?P<name>[^\W\d_][^:\n*\]]{0,30}?)[*_\]]{0,2}\s*[:：]\s*", re.UNICODE)
_PARAGRAPH = re.compile(r"\n\s*\n")


def configured_hosts(config: Config) -> list[Host]:
    """The ``[hosts.NAME]`` tables in the order written; ConfigError names a bad one."""
    where = f" in {config.path}" if config.path else ""
    hosts = []
    for name, table in config.parts.get("hosts", {}).items():
        if not NAME.match(name) or len(name) > MAX_NAME:
            raise ConfigError(f"host name {name!r}{where} is not a name",
                              "use one or two words starting with a letter, e.g. [hosts.Ada]")
        for key, value in table.items():
            if key not in HOST_KEYS:
                raise ConfigError(f"unknown key hosts.{name}.{key}{where}", f"known keys: {', '.join(HOST_KEYS)}")
            if not isinstance(value, HOST_KEYS[key]):
                raise ConfigError(f"hosts.{name}.{key}{where} must be a string, not {value!r}",
                                  f'e.g. {key} = "..."')
        hosts.append(Host(name, " ".join(table.get("persona", "").split()), table.get("engine", ""),
                          table.get("voice", "")))
    if len({h.name.lower() for h in hosts}) < len(hosts):
        raise ConfigError(f"[hosts]{where} names a host twice (names are compared ignoring case)",
                          "give each host its own name")
    if len(hosts) > MAX_HOSTS:
        raise ConfigError(f"[hosts]{where} has {len(hosts)} hosts; an episode has one or two",
                          "remove the extra [hosts.NAME] tables")
    return hosts


def resolve_hosts(config: Config, count: int) -> list[Host]:
    """``count`` hosts: the configured ones first, then defaults with other names; [] for one unnamed voice."""
    if not 1 <= count <= MAX_HOSTS:
        raise ConfigError(f"an episode has one or two hosts, not {count}", "use --hosts 1 or --hosts 2")
    hosts = configured_hosts(config)[:count]
    if count == 1 and not hosts:
        return []
    taken = {h.name.lower() for h in hosts}
    for default in DEFAULT_HOSTS:
        if len(hosts) == count:
            break
        if default.name.lower() not in taken:  # the persona is the position's: host, then co-host
            hosts.append(Host(default.name, DEFAULT_HOSTS[len(hosts)].persona))
    for i, host in enumerate(hosts):  # a configured host without a persona gets its position's default
        if not host.persona:
            host.persona = DEFAULT_HOSTS[i].persona
    return hosts


def hosts_from_state(state: dict, config: Config) -> list[Host]:
    """The hosts a saved script was written for (names, personas), with voices from the config as it is now."""
    voices = {h.name: h for h in configured_hosts(config)}
    hosts = []
    for saved in state.get("hosts", []) or []:
        if isinstance(saved, dict) and isinstance(saved.get("name"), str) and saved["name"].strip():
            mine = voices.get(saved["name"])
            hosts.append(Host(saved["name"], str(saved.get("persona", "")), mine.engine if mine else "",
                              mine.voice if mine else ""))
    return hosts[:MAX_HOSTS]


def turn_prefix(paragraph: str, names: list[str]) -> tuple[str, str] | None:
    """(host name, rest) when ``paragraph`` starts with ``Name:`` for one of ``names`` (any case), else None."""
    match = _TURN.match(paragraph)
    if not match:
        return None
    wanted = match["name"].strip().lower()
    for name in names:
        if name.lower() == wanted:
            return name, paragraph[match.end():].strip()
    return None


def split_turns(text: str, names: list[str]) -> list[tuple[str, str]]:
    """(speaker, text) per turn: a paragraph starting ``Name:`` opens a turn, others continue it.

    Text before the first named paragraph belongs to the first host ("" when there are none), so a
    one-voice script is a single turn.
    """
    turns: list[tuple[str, list[str]]] = []
    for paragraph in _PARAGRAPH.split(text.strip()):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        found = turn_prefix(paragraph, names) if names else None
        if found:
            speaker, rest = found
            if turns and turns[-1][0] == speaker:
                turns[-1][1].append(rest)
            else:
                turns.append((speaker, [rest] if rest else []))
        elif turns:
            turns[-1][1].append(paragraph)
        else:
            turns.append((names[0] if names else "", [paragraph]))
    return [(speaker, "\n\n".join(p for p in parts if p)) for speaker, parts in turns
            if any(p.strip() for p in parts)]


def render_turns(turns: list[tuple[str, str]]) -> str:
    """Script text for turns: one ``Name: …`` paragraph each (later paragraphs of a turn follow unnamed)."""
    paragraphs, previous = [], None
    for speaker, text in turns:
        if text.strip():
            named = speaker and speaker != previous
            paragraphs.append(f"{speaker}: {text.strip()}" if named else text.strip())
            previous = speaker
    return "\n\n".join(paragraphs)
