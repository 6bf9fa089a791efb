"""`podcast voices` and `podcast cache`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

from . import cli

MAX_VOICES_SHOWN = 6  # per engine in the summary table
MAX_LANGUAGES_SHOWN = 12  # per cell
WIDE = 160  # columns for the table when output is not a terminal


def _summary(items: list[str], limit: int) -> str:
    shown = ", ".join(items[:limit])
    return f"{shown}, … ({len(items)} in all)" if len(items) > limit else shown or "-"


def _engine_status(cls, language: str | None, config) -> tuple[list, str | None, str]:
    """The engine's voices (with any configured ones), why it cannot be used now (if so), and a note.

    Nothing here touches the network: for an online engine the note says what it needs, unchecked.
    """
    from ..errors import PodcastError
    from ..speech.base import Voice
    from ..speech.select import validate_options

    reason = cls.unavailable_reason()
    voices: list = []
    note = "needs network access" if cls.network else "offline"
    try:
        options = validate_options(cls, config.options("engine", cls.name), "")
        engine = cls(language=language or "en", options=options)
        voices = list(cls.voices())
        known = {v.id for v in voices}
        voices += [Voice(v, (), "from config") for v in engine.voice_ids() if v not in known]
        if cls.network:
            note = f"needs network access to {engine.service_host()}"
        if reason is None and language:
            engine.check()
        elif reason is not None:  # the options may supply what the class lacks: a voice file, a compatible server
            engine.check()
            reason = None
    except (PodcastError, ImportError, OSError) as exc:
        reason = reason or getattr(exc, "message", str(exc))
    if language:
        voices = [v for v in voices if language in v.languages or v.description == "from config"]
    return voices, reason, note


@cli.command()
@click.option("--engine", metavar="NAME", help="Only this engine, one row per voice.")
@click.option("--language", metavar="CODE", help="Only voices for this language, e.g. hi or ko.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file [default: ./podcast.toml, or $PODCAST_CONFIG].")
def voices(engine, language, config_path):
    """List speech engines, their voices and languages, and whether each can be used now.

    \b
    Examples:
      podcast voices
      podcast voices --language hi
      podcast voices --engine espeak
    """
    from rich.console import Console
    from rich.table import Table

    from ..config import load_config
    from ..speech.base import ENGINES

    config = load_config(config_path)
    classes = [ENGINES.get(engine)] if engine else list(ENGINES)
    table = Table("Engine", "Voice" if engine else "Voices", "Languages", "Usable now", "Notes",
                  title="Speech engines")
    for cls in classes:
        found, reason, note = _engine_status(cls, language, config)
        usable = ("yes, if online" if cls.network else "yes") if reason is None else f"no: {reason}"
        languages = [language] if language and language in cls.languages else list(cls.languages)
        if engine:  # one engine: a row per voice
            for i, voice in enumerate(found or [None]):
                label = "-" if voice is None else voice.id + (f" ({voice.description})" if voice.description else "")
                langs = list(voice.languages) if voice else languages
                table.add_row(cls.name if i == 0 else "", label, _summary(langs, MAX_LANGUAGES_SHOWN),
                              usable if i == 0 else "", note if i == 0 else "")
        else:
            table.add_row(cls.name, _summary([v.id for v in found], MAX_VOICES_SHOWN),
                          _summary(languages, MAX_LANGUAGES_SHOWN), usable, note)
    console = Console()
    if not console.is_terminal:
        console = Console(width=WIDE)  # piped or captured: don't wrap into the default 80 columns
    console.print(table)


def _episode_keys(out: Path) -> tuple[set[str], int]:
    """Every cache key recorded in OUT/*/speech.json, and how many episodes recorded them."""
    keys: set[str] = set()
    episodes = 0
    for record in sorted(out.glob("*/speech.json")):
        try:
            found = json.loads(record.read_text(encoding="utf-8")).get("keys", [])
        except (OSError, ValueError, AttributeError):
            from ..errors import InputError

            raise InputError(f"{record} is not valid JSON", "delete it; the next build writes it again") from None
        keys.update(k for k in found if isinstance(k, str))
        episodes += 1
    return keys, episodes


def _episode_hours(out: Path, store) -> float:
    """Hours of speech in the episodes under ``out``: each segment's audio, from speech.json and the cache."""
    seconds = 0.0
    for record in sorted(out.glob("*/speech.json")):
        try:
            segments = json.loads(record.read_text(encoding="utf-8")).get("segments", {})
        except (OSError, ValueError, AttributeError):
            continue
        for keys in segments.values() if isinstance(segments, dict) else []:
            if isinstance(keys, list) and keys and isinstance(keys[-1], str):
                seconds += store.duration(keys[-1])
    return seconds / 3600


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return ""


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True,
              help="Folder that holds one sub-folder per episode.")
@click.option("--prune", is_flag=True, help="Delete cached speech that no episode under OUT uses.")
@click.option("--all-outputs", "outputs", multiple=True, metavar="DIR",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="With a shared speech.cache_dir: every other output folder using it, whose episodes' "
                   "speech --prune keeps (repeat for each).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file [default: ./podcast.toml, or $PODCAST_CONFIG].")
def cache(out, prune, outputs, config_path):
    """Show the size of the speech cache, and optionally prune it.

    Every synthesized piece of speech is cached by engine, voice, options and text, so
    rebuilding an episode re-speaks only what changed. Episodes record the entries they
    use in OUT/<episode>/speech.json; --prune deletes every other entry, and the kept MP3
    pieces (OUT/.cache/pieces) of episodes no longer under OUT. A speech.cache_dir
    outside OUT may hold other output folders' speech too: then --prune needs --all-outputs
    naming each of them.

    \b
    Examples:
      podcast cache --prune
      podcast cache --prune --out output --all-outputs ../other-show/output
    """
    from ..config import load_config
    from ..errors import InputError
    from ..speech.cache import SpeechCache

    configured = load_config(config_path).get("speech", "cache_dir")
    root = (Path(configured) if configured else out / ".cache") / "speech"
    store = SpeechCache(root)
    entries, size = store.size()
    click.echo(f"Cache:    {root}")
    click.echo(f"Entries:  {entries:,} ({_size(size)})")
    from ..pipeline.stages.master import pieces_root

    pieces = sorted(d for d in pieces_root(out).glob("*") if d.is_dir())
    if pieces:
        kept = sum(f.stat().st_size for d in pieces for f in d.iterdir() if f.is_file())
        click.echo(f"Pieces:   {_size(kept)} of encoded MP3 pieces for {len(pieces)} episode(s), so that a "
                   f"re-master encodes only what changed")
    hours = _episode_hours(out, store)
    if hours:
        click.echo(f"Episodes: {hours * 60:.1f} minutes of speech under {out}: {_size(size / hours)} per hour of episode")
    if not prune:
        return
    if configured and not _inside(root, out) and not outputs:
        raise InputError(f"the speech cache {root} is outside {out}, so other output folders may use it too; "
                         f"pruning for {out} alone could delete their speech",
                         f"name every output folder that uses it: podcast cache --prune --out {out} "
                         "--all-outputs DIR [--all-outputs DIR ...]")
    folders = list(dict.fromkeys([out, *outputs]))
    keep: set[str] = set()
    episodes = 0
    for folder in folders:
        found, count = _episode_keys(folder)
        keep |= found
        episodes += count
    removed, freed = store.prune(keep)
    click.echo(f"Pruned:   {removed:,} entries no episode uses ({_size(freed)} freed); "
               f"kept those of {episodes} episode(s) under {', '.join(str(f) for f in folders)}")
    gone = [d for d in pieces if not (out / d.name).is_dir()]
    for folder in gone:
        shutil.rmtree(folder, ignore_errors=True)
    if gone:
        click.echo(f"Pruned:   the MP3 pieces of {len(gone)} episode(s) no longer under {out}")
