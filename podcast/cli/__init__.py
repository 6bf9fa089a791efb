"""The ``podcast`` command line: a thin layer that parses options and reports results.

Commands live in the modules of this package; each registers itself on ``cli``.
Heavy libraries are imported inside commands, so ``podcast --help`` stays fast.
"""

from __future__ import annotations

import sys

import click

from ..errors import PodcastError, redact, storage_error

EPILOG = """\b
Typical month:
  podcast build newsletter.txt            everything, offline, into output/<month>/
  podcast script newsletter.txt           write output/<month>/script.md to edit first
  podcast preview output/2025-02          read the script in the terminal
  podcast build newsletter.txt            re-speaks only the segments you edited
"""


def fail(message: str, code: int) -> None:
    """Print one line on stderr and exit."""
    click.echo(f"error: {redact(message)}", err=True)
    sys.exit(code)


class Group(click.Group):
    """Turns every PodcastError into one line on stderr and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PodcastError as exc:
            exc = storage_error(exc) or exc  # a tool that could not write: say so, not "audio failed"
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted; finished segments are cached, run the same command again to resume", 130)
        except Exception as exc:  # noqa: BLE001 — a full disk or a refused write, possibly wrapped by a library
            storage = storage_error(exc)
            if storage is not None:
                fail(str(storage), storage.exit_code)
            if not isinstance(exc, OSError):
                raise  # a bug: its traceback is what a report needs
            name = f" {exc.filename}" if getattr(exc, "filename", None) else ""
            fail(f"{exc.strerror or exc}{':' if name else ''}{name}", 1)


@click.group(cls=Group, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="podcast")
def cli() -> None:
    """Turn a newsletter of AI-paper summaries into a podcast episode.

    Each stage writes its result into the episode's folder (output/<episode id>/):
    papers.json, script.md, the timeline, episode.mp3 and the show notes.
    A rerun resumes from what is there, and you can edit script.md in between.
    """


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="podcast")


def _register() -> None:
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_register()
