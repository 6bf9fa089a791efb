"""`podcast build` and `podcast script`."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli



def input_options(func):
    """Options shared by every command that reads a newsletter."""
    options = [
        click.argument("inputs", nargs=-1, required=True, metavar="INPUT..."),
        click.option("--episode", "episode_id", metavar="ID",
                     help="Episode id and folder name [default: the newsletter's month, e.g. 2025-02]."),
        click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
                     show_default=True, help="Folder that holds one sub-folder per episode."),
        click.option("--language", metavar="CODE", help="Language of the episode, e.g. en, hi, ko [default: detected]."),
        click.option("--writer", metavar="NAME",
                     help="Script writer: reading (offline) or openai [default: the writer of the existing "
                          "script, else script.writer from the config, else reading]."),
        click.option("--hosts", type=click.IntRange(1, 2), metavar="N",
                     help="Voices: 1, or 2 hosts taking turns (reading: they alternate papers) "
                          "[default: script.hosts, else the writer's: dialogue 2, others 1]."),
        click.option("--minutes", type=click.FloatRange(min=1.0), metavar="N",
                     help="Fit the episode to about N minutes [default: script.minutes; none: full length]."),
        click.option("--summarize", is_flag=True,
                     help="Have the LLM writer summarize papers that carry only an abstract (arXiv ID input)."),
        click.option("--force", is_flag=True, help="Rewrite script.md even if you edited it by hand."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Config file [default: ./podcast.toml, or $PODCAST_CONFIG]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_job(inputs, episode_id, out, language, writer, summarize, force, config_path, hosts=None, minutes=None,
             **speech):
    """A pipeline Context from the shared options."""
    from ..config import load_config
    from ..pipeline import Context

    return Context(config=load_config(config_path), sources=list(inputs), out=out, episode_id=episode_id,
                   language=language, writer=writer, summarize=summarize, force=force, hosts=hosts, minutes=minutes,
                   **speech)


class Bars:
    """A rich progress bar per stage, on stderr; silent when stderr is not a terminal."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=True)
        self.progress = Progress(TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), console=console, disable=not console.is_terminal)
        self.tasks: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            from ..pipeline import STAGES

            label = STAGES.get(stage).label if stage in STAGES else stage
            self.tasks[stage] = self.progress.add_task(label or stage, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self.progress.stop()


def report_usage(job) -> None:
    """Print LLM token use and estimated cost, when the writer reported them."""
    usage = job.usage
    if usage.get("cached_replies") and not usage.get("total_tokens"):
        click.echo(f"LLM:      {usage['cached_replies']} replies from the cache, nothing sent")
    elif usage.get("total_tokens"):
        cost = usage.get("cost_usd")
        cost_text = f", about ${cost:.4f}" if cost is not None else " (cost unknown for this model)"
        click.echo(f"LLM:      {usage['prompt_tokens']:,} prompt + {usage['completion_tokens']:,} completion "
                   f"tokens with {usage.get('model', '?')}{cost_text}"
                   + (f"; {usage['cached_replies']} replies from the cache" if usage.get("cached_replies") else ""))


@cli.command()
@input_options
@click.option("--engine", metavar="NAME", help="Speech engine: hibari, piper, espeak, gtts, openai [default: hibari "
                                               "for English, else espeak]. See `podcast voices`.")
@click.option("--voice", metavar="VOICE", help="Voice of the engine (see `podcast voices`).")
def build(inputs, engine, voice, **options):
    """Build an episode: ingest, write the script, speak it, master the MP3.

    INPUT is a newsletter (text), a weekly digest, a YAML/JSON list of papers, a file of arXiv IDs or
    URLs, or arXiv IDs/URLs given directly. Everything lands in OUT/ID/: papers.json, script.md,
    timeline.json, episode.mp3, transcript.vtt/.srt and show-notes.md.

    Rebuilding re-speaks only segments whose text changed; edit script.md between runs to fix words.

    \b
    Examples:
      podcast build newsletter.txt
      podcast build newsletter.txt --engine espeak --episode 2025-02-test
      podcast build 2501.00343 2412.19437 --writer openai --summarize
      podcast build digest-ko.txt --language ko
    """
    from ..pipeline import build as run_build

    job = make_job(inputs, engine=engine, voice=voice, **options)
    with Bars() as bars:
        job.report = bars
        report = run_build(job)
    episode_summary(job, report)


def episode_summary(job, report) -> None:
    """The end of a run: notes, then the episode's paths and durations, what was reused, time per stage."""
    from ..publish import chapter_clock

    episode, folder = job.episode, job.folder
    if "master" in report.reused():
        job.notes.append(f"{folder.mp3} is up to date (same speech, settings and music)")
    for note in job.notes:
        click.echo(f"note: {note}", err=True)
    spoken = len(job.respoken)
    click.echo(f"Episode:  {episode.id} ({episode.show}, language {episode.language})")
    click.echo(f"Papers:   {len(episode.papers)}")
    click.echo(f"Segments: {len(episode.segments)} ({spoken} spoken now, {len(episode.segments) - spoken} from cache)")
    if folder.timeline.exists():
        click.echo(f"Duration: {chapter_clock(job.load_timeline().duration)}")
    report_usage(job)
    click.echo(f"MP3:      {folder.mp3}")
    if folder.mastering.is_file():
        import json

        from ..master.report import summary_line

        click.echo(f"Audio:    {summary_line(json.loads(folder.mastering.read_text(encoding='utf-8')))}")
    click.echo(f"Script:   {folder.script}")
    click.echo(f"Notes:    {folder.notes}, {folder.notes_html.name}, {folder.chapters.name}")
    click.echo(f"Captions: {folder.vtt}, {folder.srt}")
    stage_times(report)


def stage_times(report) -> None:
    """One line per stage: its time now, or that its earlier result was reused."""
    total = sum(s.seconds for s in report.steps)
    click.echo(f"Stages:   {len(report.ran())} ran, {len(report.reused())} reused, {total:.1f} s")
    for step in report.steps:
        if step.action == "run":
            click.echo(f"  {step.stage:<10} {step.seconds:7.1f} s  ({step.reason})")
        elif step.action == "reuse":
            click.echo(f"  {step.stage:<10}  reused  (took {step.previous_seconds:.1f} s when it ran)")
        else:
            click.echo(f"  {step.stage:<10}     off  ({step.reason})")


@cli.command()
@input_options
def script(inputs, **options):
    """Write the editable script, OUT/ID/script.md, without speaking it.

    Edit the text under any `## [id] Title` heading, then run `podcast build` with the same INPUT:
    only the segments you changed are spoken again. An edited script is never overwritten unless
    you pass --force.

    \b
    Examples:
      podcast script newsletter.txt
      podcast script newsletter.txt --writer openai        # spoken commentary by an LLM
      podcast script newsletter.txt --writer openai --force
    """
    from ..pipeline import write_only

    job = make_job(inputs, **options)
    with Bars() as bars:
        job.report = bars
        write_only(job)
    for note in job.notes:
        click.echo(f"note: {note}", err=True)
    words = sum(len(s.text.split()) for s in job.episode.segments)
    click.echo(f"Script:   {job.folder.script} ({len(job.episode.segments)} segments, {words:,} words)")
    report_usage(job)
    click.echo(f"Next:     edit it, `podcast preview {job.folder.root}`, then `podcast build` with the same input")
