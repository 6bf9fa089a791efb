"""A local HTTPS server speaking the parts of YouTube's API that uploads use, with scripted faults.

It implements the OAuth token endpoint (refresh grant), the resumable upload protocol of videos.insert
(session start, chunks with Content-Range, 308 with Range, status queries with ``bytes */N`` answered
with the Range, the finished video, or 404/410 for an expired session), thumbnails.set and
captions.insert, and logs every PUT's Content-Range. TLS uses a trustme CA that the test makes the process trust.
"""

from __future__ import annotations

import json
import re
import ssl
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GOOD_REFRESH = "1//refresh-token-good-0123456789"
REVOKED_REFRESH = "1//refresh-token-revoked-9876543210"
ACCESS_TOKEN = "ya29.access-token-abcdefghijklmnop"
LOGIN_CODE = "4/login-code-from-consent"
SCOPES = ["https://www.googleapis.com/auth/youtube.upload", "https://www.googleapis.com/auth/youtube.force-ssl"]


class YouTubeFake:
    """Shared state of the fake service; ``faults`` lists what to do to the next chunk PUTs, in order."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []  # (method, path)
        self.auth_headers: list[str] = []
        self.sessions: dict[str, dict] = {}  # upload id -> {"data": bytearray, "total": int, "meta": dict}
        self.videos: dict[str, bytes] = {}
        self.thumbnails: dict[str, bytes] = {}
        self.captions: list[dict] = []
        self.faults: list[str] = []  # "drop-half", "503", "partial", "400", "stall-half", "stall-done"
        self.puts: list[tuple[str, str]] = []  # (upload id, Content-Range) of every PUT, in order
        self.expired: dict[str, int] = {}  # upload id -> 404 or 410: the session is gone
        self.stalled = threading.Event()  # set when a "stall-…" fault holds a chunk's answer back
        self.release = threading.Event()  # lets a stalled handler go (its client is dead by then)
        self.insert_error: tuple[int, str] | None = None  # (status, reason) for the session start
        self.captions_error: tuple[int, str] | None = None
        self.token_requests: list[dict] = []


def _error(status: int, reason: str) -> bytes:
    return json.dumps({"error": {"code": status, "message": reason,
                                 "errors": [{"reason": reason, "domain": "youtube.quota"}]}}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: YouTubeFake

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        if body:
            self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        self.fake.auth_headers.append(header)
        if header != f"Bearer {ACCESS_TOKEN}":
            self._send(401, _error(401, "authError"))
            return False
        return True

    def do_POST(self):  # noqa: N802
        fake = self.fake
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        fake.requests.append(("POST", url.path))
        if url.path == "/token":
            form = dict(urllib.parse.parse_qsl(self._body().decode()))
            fake.token_requests.append(form)
            if form.get("grant_type") == "authorization_code" and form.get("code") == LOGIN_CODE:
                self._send(200, json.dumps({"access_token": ACCESS_TOKEN, "refresh_token": GOOD_REFRESH,
                                            "expires_in": 3600, "token_type": "Bearer",
                                            "scope": " ".join(SCOPES)}).encode())
            elif form.get("grant_type") == "refresh_token" and form.get("refresh_token") == GOOD_REFRESH:
                self._send(200, json.dumps({"access_token": ACCESS_TOKEN, "expires_in": 3600,
                                            "token_type": "Bearer"}).encode())
            else:
                self._send(400, json.dumps({"error": "invalid_grant",
                                            "error_description": "Token has been expired or revoked."}).encode())
            return
        body = self._body()
        if not self._authorized():
            return
        if url.path == "/upload/youtube/v3/videos" and query.get("uploadType") == "resumable":
            if fake.insert_error:
                status, reason = fake.insert_error
                self._send(status, _error(status, reason))
                return
            total = int(self.headers["X-Upload-Content-Length"])
            upload_id = f"u{len(fake.sessions) + 1}"
            fake.sessions[upload_id] = {"data": bytearray(), "total": total, "meta": json.loads(body)}
            host = self.headers["Host"]
            self._send(200, b"", {"Location": f"https://{host}/upload/youtube/v3/videos?uploadType=resumable"
                                              f"&upload_id={upload_id}"})
        elif url.path == "/upload/youtube/v3/thumbnails/set":
            fake.thumbnails[query["videoId"]] = body
            self._send(200, json.dumps({"items": [{"default": {"url": "x"}}]}).encode())
        elif url.path == "/upload/youtube/v3/captions":
            if fake.captions_error:
                status, reason = fake.captions_error
                self._send(status, _error(status, reason))
                return
            fake.captions.append({"query": query, "body": body})
            self._send(200, json.dumps({"id": f"cap{len(fake.captions)}"}).encode())
        else:
            self._send(404, _error(404, "notFound"))

    def do_PUT(self):  # noqa: N802
        fake = self.fake
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        fake.requests.append(("PUT", url.path))
        if not self._authorized():
            self._body()
            return
        upload_id = query.get("upload_id", "")
        content_range = self.headers.get("Content-Range", "")
        fake.puts.append((upload_id, content_range))
        session = fake.sessions.get(upload_id)
        if session is None or upload_id in fake.expired:
            self._body()
            status = fake.expired.get(upload_id, 404)
            self._send(status, _error(status, "notFound" if status == 404 else "gone"))
            return
        length = int(self.headers.get("Content-Length") or 0)
        data = session["data"]
        if re.fullmatch(r"bytes \*/\d+", content_range):  # status query, after an error or from a new process
            if "video" in session:  # finished: the answer is the video resource
                self._send(200, json.dumps(session["video"]).encode())
            else:
                self._send(308, b"", {"Range": f"bytes=0-{len(data) - 1}"} if data else {})
            return
        match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", content_range)
        fault = fake.faults.pop(0) if fake.faults else ""
        if fault == "drop-half":  # the server keeps half the chunk, then the connection dies unanswered
            chunk = self.rfile.read(length)
            if match and int(match.group(1)) == len(data):
                data += chunk[: len(chunk) // 2]
            self.close_connection = True
            return
        chunk = self.rfile.read(length)
        if fault == "503":
            self._send(503, _error(503, "backendError"))
            return
        if fault == "400":
            self._send(400, _error(400, "badRequest"))
            return
        if fault in ("stall-half", "stall-done"):  # the server keeps the bytes, the client dies waiting
            if match and int(match.group(1)) == len(data):
                data += chunk[: len(chunk) // 2] if fault == "stall-half" else chunk
                self._finish(session)
            fake.stalled.set()
            fake.release.wait(120)
            self.close_connection = True
            return
        if not match or int(match.group(1)) != len(data):
            self._send(400, _error(400, "badContentRange"))
            return
        data += chunk[: len(chunk) // 2] if fault == "partial" else chunk
        if self._finish(session):
            self._send(200, json.dumps(session["video"]).encode())
        else:
            self._send(308, b"", {"Range": f"bytes=0-{len(data) - 1}"})

    def _finish(self, session: dict) -> bool:
        """Make the video once the session has every byte; True when it is complete."""
        if len(session["data"]) < session["total"]:
            return False
        if "video" not in session:
            video_id = f"VID{len(self.fake.videos) + 1:03d}"
            self.fake.videos[video_id] = bytes(session["data"])
            session["video"] = {"id": video_id, "snippet": session["meta"]["snippet"]}
        return True


def start(fake: YouTubeFake, ca) -> tuple[ThreadingHTTPServer, int]:
    """Serve ``fake`` over TLS on 127.0.0.1 with a certificate from the trustme CA ``ca``."""
    handler = type("BoundHandler", (Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    # the handshake happens in each connection's thread, so one stalled client cannot block accept()
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]
