"""Every error the tool raises on purpose, with the exit code the CLI gives it.

Each message is one line that says what is wrong; ``hint`` says how to fix it.
The CLI's single handler prints ``error: <message> (<hint>)`` and exits with ``exit_code``.
"""

from __future__ import annotations


class PodcastError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(PodcastError):
    """The input file or arguments cannot be used (bad format, missing path, no papers)."""

    exit_code = 2


class ConfigError(PodcastError):
    """A config value is invalid, or a named writer/engine/voice does not exist."""

    exit_code = 2


class ScriptError(PodcastError):
    """The script file is malformed, or would overwrite hand edits."""

    exit_code = 2


class NetworkError(PodcastError):
    """A service could not be reached (offline, DNS, refused, timed out)."""

    exit_code = 3


class AuthError(PodcastError):
    """A service rejected the credentials."""

    exit_code = 4


class ServiceError(PodcastError):
    """A service answered, but not with something usable (bad reply, persistent 5xx)."""

    exit_code = 5


class EngineError(PodcastError):
    """A speech engine cannot run here or cannot speak this text or language."""

    exit_code = 6


class AudioError(PodcastError):
    """Audio processing (ffmpeg, decoding, mastering) failed."""

    exit_code = 7


class BusyError(PodcastError):
    """Another run holds the episode (its lock file names the process)."""

    exit_code = 8


SECRET_ENV_VARS = ("OPENAI_API_KEY", "YOUTUBE_API_KEY", "YOUTUBE_CLIENT_SECRET", "PODCAST_API_KEY")
_SECRET_PATTERN = r"(sk-[A-Za-z0-9_\-]{6,}|Bearer\s+[A-Za-z0-9_\-\.]{6,})"


def redact(text: str) -> str:
    """Remove API keys (known env var values, ``sk-…`` and bearer tokens) from ``text``."""
    import os
    import re

    for var in SECRET_ENV_VARS:
        value = os.environ.get(var)
        if value and len(value) >= 4:
            text = text.replace(value, "[redacted]")
    return re.sub(_SECRET_PATTERN, "[redacted]", text)
