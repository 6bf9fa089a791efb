"""Send an episode to YouTube: resumable video upload, thumbnail, captions; idempotent through state.json."""

from __future__ import annotations

import json
import random
import socket
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..config import Config
from ..errors import AuthError, ConfigError, InputError, NetworkError, ServiceError
from ..files import EpisodeDir, file_digest

RETRIES = 8  # consecutive failures of one request before giving up
BACKOFF = 1.0  # seconds, doubled after each failure (with jitter), at most BACKOFF_MAX
BACKOFF_MAX = 60.0
CHUNK_UNIT = 256 * 1024  # bytes; resumable chunks must be multiples of this
RETRY_STATUS = {500, 502, 503, 504}
STATE_NAME = "upload"  # the record in state.json
EXPIRED = {404, 410}  # a resumable session the server no longer has: start a new one


class QuotaError(ServiceError):
    """The YouTube Data API quota for today is used up."""


@dataclass
class Upload:
    """What a run did or would do."""

    video_id: str
    created: bool  # a new video was made in this run
    thumbnail: bool
    captions: bool


def _reason(error) -> str:
    try:
        details = json.loads(error.content.decode("utf-8"))["error"]
        return (details.get("errors") or [{}])[0].get("reason") or details.get("status") or ""
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return ""


def _raise_for(error, what: str) -> None:
    """Turn an HttpError into the one-line error the user can act on."""
    status, reason = error.resp.status, _reason(error)
    if status == 403 and reason in ("quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded"):
        raise QuotaError(f"YouTube's API quota is used up ({reason}) while {what}",
                         "try again after midnight Pacific time, or ask Google for more quota")
    if status in (401, 403):
        raise AuthError(f"YouTube refused {what} ({status} {reason or 'forbidden'})",
                        "run `podcast upload --login` again with the channel's account")
    raise ServiceError(f"YouTube answered {status} {reason} while {what}".strip(), "try again later")


def _transient(exc: BaseException) -> bool:
    import httplib2
    from googleapiclient.errors import HttpError

    if isinstance(exc, HttpError):
        return exc.resp.status in RETRY_STATUS
    return isinstance(exc, (httplib2.HttpLib2Error, ConnectionError, socket.timeout, ssl.SSLError, OSError))


def call(request_fn: Callable[[], object], what: str, sleep: Callable[[float], None] = time.sleep):
    """Run one API step, retrying 5xx and dropped connections with exponential backoff."""
    from googleapiclient.errors import HttpError

    delay = BACKOFF
    for attempt in range(RETRIES + 1):
        try:
            return request_fn()
        except Exception as exc:  # noqa: BLE001 - classified just below
            if isinstance(exc, HttpError) and not _transient(exc):
                _raise_for(exc, what)
            if not _transient(exc):
                raise
            if attempt == RETRIES:
                if isinstance(exc, HttpError):
                    _raise_for(exc, what)
                raise NetworkError(f"lost the connection to YouTube {RETRIES + 1} times while {what}",
                                   "run the same command again: it resumes") from None
            sleep(min(BACKOFF_MAX, delay) * (0.5 + random.random() / 2))
            delay *= 2
    raise AssertionError("unreachable")


def service(config: Config, credentials):
    """The YouTube Data API client: static discovery, youtube.api_endpoint when set."""
    from google_auth_httplib2 import AuthorizedHttp
    from googleapiclient.discovery import build

    from .auth import http

    endpoint = config.get("youtube", "api_endpoint").rstrip("/")
    options = {"api_endpoint": endpoint} if endpoint else None
    return build("youtube", "v3", http=AuthorizedHttp(credentials, http=http()), static_discovery=True,
                 cache_discovery=False, client_options=options)


def file_chunks(path: Path, mimetype: str, chunk: int, before_read: Callable[[], None] = lambda: None):
    """A resumable media body that reads each chunk as bytes from the file.

    MediaFileUpload hands httplib2 a stream slice, which its own silent retry after a dropped
    connection resends empty, so the request stalls until the timeout; bytes can be sent again.
    ``before_read`` runs before each chunk is read: the session exists by then, and nothing is sent yet.
    """
    from googleapiclient.http import MediaUpload

    class FileChunks(MediaUpload):
        def chunksize(self):
            return chunk

        def mimetype(self):
            return mimetype

        def size(self):
            return path.stat().st_size

        def resumable(self):
            return True

        def has_stream(self):
            return False

        def getbytes(self, begin, length):
            before_read()
            with path.open("rb") as handle:
                handle.seek(begin)
                return handle.read(length)

    return FileChunks()


@dataclass
class Session:
    """An upload session begun earlier: where to resume, and which file it was for."""

    uri: str  # a capability URL: whoever holds it can upload into the session, so it is never shown
    size: int  # bytes
    sha256: str

    def as_dict(self) -> dict:
        return {"uri": self.uri, "size": self.size, "sha256": self.sha256}

    @classmethod
    def from_dict(cls, data) -> "Session | None":
        """A session from state.json, or None when there is none (or it is not one)."""
        try:
            return cls(str(data["uri"]), int(data["size"]), str(data["sha256"])) if data else None
        except (KeyError, TypeError, ValueError):
            return None


def query_session(request, size: int, sleep: Callable[[float], None] = time.sleep):
    """Ask the server how much of ``request``'s session it has (an empty PUT, ``bytes */size``).

    Returns ("partial", bytes received), ("done", the video resource) or ("expired", None).
    """
    from googleapiclient.errors import HttpError

    def ask():
        resp, content = request.http.request(request.resumable_uri, "PUT",
                                             headers={"Content-Range": f"bytes */{size}", "Content-Length": "0"})
        if resp.status in EXPIRED:
            return "expired", None
        if resp.status in (200, 201):
            return "done", request.postproc(resp, content)
        if resp.status == 308:
            if "location" in resp:
                request.resumable_uri = resp["location"]
            received = resp.get("range", "")  # "bytes=0-N", absent when nothing arrived
            return "partial", int(received.rsplit("-", 1)[1]) + 1 if received else 0
        raise HttpError(resp, content, uri=request.uri)  # the API's address, never the session's

    return call(ask, "asking YouTube how much of the video it has", sleep)


def send_video(api, mp4: Path, body: dict, chunk_mb: float, progress: Callable[[int, int], None],
               sleep: Callable[[float], None] = time.sleep, *, digest: str = "", resume: Session | None = None,
               on_session: Callable[[Session], None] = lambda session: None,
               note: Callable[[str], None] = lambda message: None) -> str:
    """videos.insert as a resumable upload; after a failure the next call asks the server what it has.

    ``on_session`` gets the session as soon as it exists (before a byte is sent), so that a later
    process can pass it back as ``resume`` and carry on from the server's Range.
    """
    size = mp4.stat().st_size
    digest = digest or file_digest(mp4, length=None)
    chunk = max(1, int(chunk_mb * 1024 * 1024) // CHUNK_UNIT) * CHUNK_UNIT
    known = {"uri": resume.uri if resume else None}

    def before_read() -> None:
        if request.resumable_uri and request.resumable_uri != known["uri"]:
            known["uri"] = request.resumable_uri
            on_session(Session(request.resumable_uri, size, digest))

    media = file_chunks(mp4, "video/mp4", chunk, before_read)
    request = api.videos().insert(part="snippet,status", body=body, media_body=media)
    response = None
    progress(0, size)
    if resume is not None:  # resumable_uri and resumable_progress are HttpRequest's public attributes
        request.resumable_uri = resume.uri
        outcome, value = query_session(request, size, sleep)
        if outcome == "done":
            response = value
        elif outcome == "partial":
            request.resumable_progress = value
            progress(value, size)
        else:
            note("the interrupted upload's session has expired on YouTube: uploading the video from the start")
            request.resumable_uri = known["uri"] = None
    while response is None:
        status, response = call(request.next_chunk, "uploading the video", sleep)
        if status is not None:
            progress(status.resumable_progress, size)
    progress(size, size)
    video_id = response.get("id") if isinstance(response, dict) else None
    if not video_id:
        raise ServiceError("YouTube finished the upload without a video ID", "check YouTube Studio, then retry")
    return video_id


def send_thumbnail(api, video_id: str, path: Path, sleep=time.sleep) -> None:
    """thumbnails.set with thumbnail.jpg."""
    from googleapiclient.http import MediaFileUpload

    media = MediaFileUpload(str(path), mimetype="image/jpeg", resumable=False)
    call(lambda: api.thumbnails().set(videoId=video_id, media_body=media).execute(), "setting the thumbnail",
         sleep)


def send_captions(api, video_id: str, srt: Path, language: str, name: str, sleep=time.sleep) -> None:
    """captions.insert with the written transcript as SRT."""
    from googleapiclient.http import MediaFileUpload

    media = MediaFileUpload(str(srt), mimetype="application/octet-stream", resumable=False)
    body = {"snippet": {"videoId": video_id, "language": language, "name": name, "isDraft": False}}
    call(lambda: api.captions().insert(part="snippet", body=body, media_body=media).execute(),
         "adding the captions", sleep)


def required_files(folder: EpisodeDir) -> dict[str, Path]:
    """The files an upload sends; all must exist."""
    files = {"video": folder.root / "episode.mp4", "thumbnail": folder.root / "thumbnail.jpg",
             "captions": folder.srt, "metadata": folder.root / "youtube.json"}
    for path in files.values():
        if not path.is_file():
            raise InputError(f"{path} does not exist", f"run `podcast video {folder.root}` first")
    return files


def check_chunk(config: Config) -> float:
    """youtube.chunk_mb, at least 0.25 (256 KiB, the protocol's unit)."""
    value = config.get("youtube", "chunk_mb")
    if value < 0.25:
        raise ConfigError(f"youtube.chunk_mb = {value} is too small", "use 0.25 or more (MB per request)")
    return value
