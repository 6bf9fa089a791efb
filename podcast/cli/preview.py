"""`podcast preview`: read the script in the terminal, with spoken time and warnings per segment."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli


@cli.command()
@click.argument("target", required=False, metavar="[SCRIPT_OR_EPISODE_DIR]",
                type=click.Path(path_type=Path))
@click.option("--segment", "segment_id", metavar="ID", help="Show only this segment, e.g. paper-2501.00343.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines instead of the rendered script.")
@click.option("--spoken", "as_spoken", is_flag=True,
              help="Print exactly the text the engine will receive (after normalization and the lexicon), "
                   "laid out like script.md; warnings go to stderr.")
@click.option("--engine", metavar="NAME", help="Engine whose measured speaking rate and text limit apply "
                                               "[default: the one `podcast build` would use].")
@click.option("--voice", metavar="VOICE", help="Voice of that engine.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file [default: ./podcast.toml, or $PODCAST_CONFIG].")
def preview(target, segment_id, as_json, as_spoken, engine, voice, config_path):
    """Show the script of an episode: per segment its words, estimated spoken time and warnings.

    SCRIPT_OR_EPISODE_DIR is an episode folder (output/2025-02) or its script.md; without it, the
    newest episode under ./output. script.md holds the written text; the voice gets its spoken form,
    made sentence by sentence at speak time (numbers, acronyms and math in words, URLs dropped, the
    lexicon applied): --spoken prints that form. Warnings cover text the voice cannot say (URLs,
    LaTeX, markdown), paragraphs cut off mid-sentence, segments over the engine's text limit with
    sentences too long to split cleanly, and faithfulness flags from the LLM writer.

    \b
    Examples:
      podcast preview
      podcast preview output/2025-02 --segment paper-2501.00343
      podcast preview output/2025-02/script.md --json
      podcast preview output/2025-02 --spoken > spoken.md
    """
    from ..config import load_config
    from ..preview import build_preview, find_episode

    folder = find_episode(target)
    result = build_preview(folder, load_config(config_path), engine=engine, voice=voice, segment=segment_id)
    if as_spoken:
        for seg in result.segments:
            click.echo(f"## [{seg.id}] {seg.title}\n\n{seg.spoken}\n")
            for warning in seg.warnings(result.engine, result.text_limit):
                click.echo(f"warning: [{seg.id}] {warning}", err=True)
    elif as_json:
        import json

        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        render(result)


def render(result) -> None:
    """Print a panel per segment and the total, with rich."""
    from rich.console import Console, Group
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.text import Text

    from ..publish import chapter_clock

    console = Console(highlight=False)
    for seg in result.segments:
        warnings = seg.warnings(result.engine, result.text_limit)
        parts = [Text(f"⚠ {w}", style="yellow") for w in warnings]
        parts.append(Markdown(seg.text))  # as written; --spoken shows what the voice says
        count = f" · {len(warnings)} warning{'s' if len(warnings) > 1 else ''}" if warnings else ""
        requests = f" · split into {seg.requests} requests" if seg.requests > 1 else ""
        subtitle = f"{seg.words:,} words · ~{chapter_clock(round(seg.seconds))}{requests}{count}"
        console.print(Panel(Group(*parts), title=Text(f"[{seg.id}] {seg.title}", style="bold"),
                            title_align="left", subtitle=subtitle, subtitle_align="right",
                            border_style="yellow" if warnings else "blue"))
    shown = len(result.segments)
    scope = f"{shown} segments" if shown == result.segment_count else f"{shown} of {result.segment_count} segments"
    flagged = sum(1 for s in result.segments if s.warnings(result.engine, result.text_limit))
    typical = "" if result.rate_measured else " (typical rate; this engine cannot be measured offline)"
    total = chapter_clock(round(result.seconds))
    console.print(f"Total: {scope}, {result.words:,} words, about {total} with {result.engine} ({result.voice})"
                  f" at {result.words_per_minute:.0f} words per minute{typical}"
                  + (f"; {flagged} with warnings" if flagged else ""), markup=False, soft_wrap=True)
    if result.target_seconds:
        off = 100 * (result.estimate_seconds / result.target_seconds - 1)
        console.print(f"Length: about {chapter_clock(round(result.estimate_seconds))} with music and pauses, against "
                      f"a target of {chapter_clock(round(result.target_seconds))} ({off:+.0f}%)", markup=False)
