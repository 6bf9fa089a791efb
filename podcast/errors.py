"""Every error the tool raises on purpose, with the exit code the CLI gives it.

Each message is one line that says what is wrong; ``hint`` says how to fix it.
The CLI's single handler prints ``error: <message> (<hint>)`` and exits with ``exit_code``.
"""

from __future__ import annotations

import errno
import os
import re
import signal


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


class StorageError(PodcastError):
    """A file could not be written: the disk is full, a file passed the size limit, or access was refused."""

    exit_code = 9


AGAIN = "then run the same command again: finished work is kept and reused"
# errno -> (what is wrong, how to fix it); the message names the file, or the folder being written.
_STORAGE = {
    errno.ENOSPC: ("the disk is full", "free some space on it, or write elsewhere with --out, " + AGAIN),
    errno.EDQUOT: ("the disk quota is used up", "free some space in your quota, or write elsewhere with --out, "
                   + AGAIN),
    errno.EFBIG: ("a file is too large for the file-size limit", "raise the limit (ulimit -f) or write to "
                  "another file system with --out, " + AGAIN),
    errno.EACCES: ("permission denied", "give this user write access to it, or write elsewhere with --out, "
                   + AGAIN),
    errno.EPERM: ("operation not permitted", "give this user write access to it, or write elsewhere with --out, "
                  + AGAIN),
    errno.EROFS: ("the file system is read-only", "write elsewhere with --out, " + AGAIN),
}


def storage_error(exc: BaseException, where: object = None) -> StorageError | None:
    """The StorageError that ``exc`` amounts to (a full disk, a file too large, no permission), or None.

    It looks through the errors ``exc`` was raised from (libraries wrap OSError in their own), and at
    the message of a tool that failed writing (ffmpeg's "No space left on device"). ``where`` names
    the folder being written when the error does not name its file.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StorageError):
            return current
        if isinstance(current, OSError) and current.errno in _STORAGE:
            name = current.filename or where
            return _storage(current.errno, f"{name}" if name else "")
        if isinstance(current, AudioError):  # ffmpeg's last line, e.g. "… No space left on device"
            for code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                if os.strerror(code) in current.message:
                    return _storage(code, f"{where}: {current.message}" if where else current.message)
            if re.search(rf"\bexit -{signal.SIGXFSZ}\b", current.message):  # killed at the file-size limit
                return _storage(errno.EFBIG, f"{where}: {current.message}" if where else current.message)
        elif isinstance(current, PodcastError):
            return None  # it already says what is wrong (a file that cannot be read is not a full disk)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return None


def _storage(code: int, detail: str) -> StorageError:
    what, fix = _STORAGE[code]
    return StorageError(f"{what}: {detail}" if detail else what, fix)


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
