"""One run per episode at a time: ``output/<id>/.lock`` holds the running process's PID.

The file is locked with ``flock``, which the kernel releases when the process dies, even by kill -9;
a lock file left behind by a dead process is therefore simply taken over.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
from pathlib import Path

from ..errors import BusyError

LOCK_NAME = ".lock"


def _describe(path: Path) -> str:
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
        pid, host = int(holder["pid"]), str(holder.get("host") or "")
        started = str(holder.get("started") or "")
        command = str(holder.get("command") or "podcast")
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"
    where = f" on {host}" if host and host != socket.gethostname() else ""
    since = f" since {started}" if started else ""
    return f"process {pid}{where} ({command}){since}"


class EpisodeLock:
    """Context manager: hold the episode folder's lock, or raise BusyError naming the holder."""

    def __init__(self, folder: Path, command: str | None = None):
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self.command = command or "podcast " + " ".join(sys.argv[1:2])
        self.fd: int | None = None

    def acquire(self) -> None:
        """Take the lock (creating the folder), or raise BusyError at once."""
        import fcntl

        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise BusyError(f"{self.folder} is in use by {_describe(self.path)}",
                                "wait for it to finish, or stop that process") from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:  # not a file its last holder unlinked while we waited to lock it
                break
            os.close(fd)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "command": self.command.strip(),
                "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.write(fd, (json.dumps(info) + "\n").encode("utf-8"))
        self.fd = fd

    def release(self) -> None:
        """Remove the lock file and let go of it."""
        if self.fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> "EpisodeLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
