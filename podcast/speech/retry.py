"""Retries with exponential backoff and jitter for transient service errors."""

from __future__ import annotations

import random
import threading
import time
from typing import Callable, TypeVar

from ..errors import PodcastError, ServiceError

T = TypeVar("T")

BACKOFF = 0.5  # s, the first retry waits up to this long
BACKOFF_CAP = 30.0  # s, no single wait is longer


def transient(message: str, hint: str | None = None, retry_after: float | None = None) -> ServiceError:
    """A ServiceError that a retry may cure (connection reset, 429, 5xx)."""
    error = ServiceError(message, hint or "the service may be busy; try again later")
    error.transient = True  # type: ignore[attr-defined]
    error.retry_after = retry_after  # type: ignore[attr-defined]
    return error


def is_transient(error: BaseException) -> bool:
    """True for errors made by :func:`transient`."""
    return bool(getattr(error, "transient", False))


# Exceptions meaning the request never connected (refused, no route, DNS), named so that no transport
# package has to be imported: httpx/httpx2/httpcore ConnectError, urllib3 NewConnectionError.
NOT_CONNECTED = frozenset({"ConnectError", "NewConnectionError", "ConnectionRefusedError", "gaierror"})
CHAIN_DEPTH = 10  # causes followed at most


def never_connected(error: BaseException | None) -> bool:
    """True when ``error`` or anything it wraps says the connection was never made: that is being offline."""
    seen = 0
    while error is not None and seen < CHAIN_DEPTH:
        if any(c.__name__ in NOT_CONNECTED for c in type(error).__mro__):
            return True
        reason = getattr(error, "reason", None)  # urllib3 MaxRetryError
        nested = error.args[0] if error.args and isinstance(error.args[0], BaseException) else None
        error = reason if isinstance(reason, BaseException) else nested or error.__cause__ or error.__context__
        seen += 1
    return False


def delay(attempt: int, base: float, rng: random.Random, retry_after: float | None = None) -> float:
    """Seconds to wait before retry number ``attempt`` (0-based): full jitter over an exponential ceiling."""
    ceiling = min(BACKOFF_CAP, base * (2 ** attempt))
    wait = rng.uniform(ceiling / 2, ceiling)
    if retry_after:
        wait = max(wait, min(retry_after, BACKOFF_CAP))
    return wait


def call_with_retries(fn: Callable[[], T], *, retries: int, base: float = BACKOFF,
                      rng: random.Random | None = None, cancelled: threading.Event | None = None) -> T:
    """Call ``fn``; on a transient error wait and try again, up to ``retries`` more times.

    Any other error, or the last transient one, propagates. A set ``cancelled`` event stops waiting.
    """
    rng = rng or random.Random()
    attempt = 0
    while True:
        try:
            return fn()
        except PodcastError as error:
            if not is_transient(error) or attempt >= retries:
                if is_transient(error):
                    error.message = f"{error.message} (gave up after {attempt + 1} attempts)"
                raise
            wait = delay(attempt, base, rng, getattr(error, "retry_after", None))
            attempt += 1
            if cancelled is not None:
                if cancelled.wait(wait):
                    raise
            else:
                time.sleep(wait)
