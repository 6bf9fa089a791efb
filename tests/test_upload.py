"""`podcast upload` with the real google-api-python-client and google-auth against a local HTTPS server."""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import subprocess
import sys

import pytest

from conftest import BUNDLED_SAMPLE, FakeEngine, invoke
from podcast.speech.base import ENGINES
from youtube_server import ACCESS_TOKEN, GOOD_REFRESH, REVOKED_REFRESH, YouTubeFake, start

trustme = pytest.importorskip("trustme")

CLIENT_SECRET = "GOCSPX-client-secret-do-not-print"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """An episode with its video, built once."""
    root = tmp_path_factory.mktemp("upload-episode")
    ENGINES.register(FakeEngine)
    try:
        assert invoke("build", str(BUNDLED_SAMPLE), "--engine", "fake", "--out", str(root)).exit_code == 0
    finally:
        ENGINES.unregister(FakeEngine.name)
    folder = next(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    result = invoke("video", str(folder))
    assert result.exit_code == 0, result.stderr
    return folder


@pytest.fixture
def service(tmp_path, monkeypatch):
    """The fake YouTube over TLS, trusted through HTTPLIB2_CA_CERTS."""
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("HTTPLIB2_CA_CERTS", str(ca_file))
    fake = YouTubeFake()
    server, port = start(fake, ca)
    fake.port = port
    yield fake
    fake.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def setup(rendered, service, tmp_path):
    """A copy of the episode, a config pointing at the fake service, a saved login using its token_uri."""
    folder = tmp_path / rendered.name
    shutil.copytree(rendered, folder)
    base = f"https://127.0.0.1:{service.port}"
    (tmp_path / "client.json").write_text(json.dumps({"installed": {
        "client_id": "123.apps.googleusercontent.com", "client_secret": CLIENT_SECRET,
        "auth_uri": f"{base}/auth", "token_uri": f"{base}/token", "redirect_uris": ["http://localhost"]}}))
    token = tmp_path / "token.json"
    write_token(token, GOOD_REFRESH, f"{base}/token")
    config = tmp_path / "podcast.toml"
    config.write_text(f'[youtube]\nclient_secrets = "client.json"\ntoken = "token.json"\n'
                      f'api_endpoint = "{base}"\nchunk_mb = 0.25\n')
    return folder, config, token


def write_token(path, refresh: str, token_uri: str) -> None:
    path.write_text(json.dumps({"refresh_token": refresh, "client_id": "123.apps.googleusercontent.com",
                                "client_secret": CLIENT_SECRET, "token_uri": token_uri}))


def run(folder, config, *extra):
    return invoke("upload", str(folder), "--config", str(config), *extra)


def assert_no_secrets(result) -> None:
    for secret in (CLIENT_SECRET, GOOD_REFRESH, REVOKED_REFRESH, ACCESS_TOKEN):
        assert secret not in result.stdout and secret not in result.stderr


def test_upload_sends_video_thumbnail_captions_once(setup, service):
    folder, config, token = setup
    result = run(folder, config)
    assert result.exit_code == 0, result.stderr
    assert_no_secrets(result)
    mp4 = (folder / "episode.mp4").read_bytes()
    assert len(mp4) > 3 * 256 * 1024  # several chunks
    [(video_id, data)] = service.videos.items()
    assert data == mp4 and f"https://youtu.be/{video_id}" in result.stdout
    meta = json.loads((folder / "youtube.json").read_text())
    assert service.sessions["u1"]["meta"] == meta
    assert service.thumbnails[video_id] == (folder / "thumbnail.jpg").read_bytes()
    [caption] = service.captions
    assert (folder / "transcript.srt").read_bytes() in caption["body"]
    assert b'"language": "en"' in caption["body"] and video_id.encode() in caption["body"]
    # the token file's own token_uri was used for the refresh, and the token was saved 0600
    assert service.token_requests and service.token_requests[0]["refresh_token"] == GOOD_REFRESH
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    assert json.loads(token.read_text())["token_uri"].startswith("https://127.0.0.1")
    state = json.loads((folder / "state.json").read_text())["stages"]["upload"]["data"]
    assert state["video_id"] == video_id and state["thumbnail"] and state["captions"]
    again = run(folder, config)
    assert again.exit_code == 0 and "uploaded before" in again.stdout
    assert len(service.videos) == 1 and len(service.sessions) == 1 and len(service.captions) == 1
    forced = run(folder, config, "--force")
    assert forced.exit_code == 0 and len(service.videos) == 2


@pytest.mark.parametrize("faults", [["partial", "partial"], ["drop-half", "drop-half"], ["503"],
                                    ["partial", "drop-half", "drop-half", "503", "partial"]])
def test_upload_resumes_from_the_servers_range(setup, service, faults):
    folder, config, _ = setup
    service.faults = [""] + faults  # the first chunk goes through, then the faults
    result = run(folder, config)
    assert result.exit_code == 0, result.stderr
    [data] = service.videos.values()
    assert data == (folder / "episode.mp4").read_bytes()  # byte for byte, though chunks were cut or lost
    assert len(service.sessions) == 1  # resumed, never started over
    assert not service.faults


def test_quota_exceeded_is_one_line(setup, service):
    folder, config, _ = setup
    service.insert_error = (403, "quotaExceeded")
    result = run(folder, config)
    assert result.exit_code == 5
    assert result.stderr.count("\n") == 1 and "quota" in result.stderr and "Traceback" not in result.stderr
    assert_no_secrets(result)
    assert "upload" not in json.loads((folder / "state.json").read_text())["stages"]


def test_refused_refresh_token_asks_to_log_in_again(setup, service):
    folder, config, token = setup
    write_token(token, REVOKED_REFRESH, f"https://127.0.0.1:{service.port}/token")
    result = run(folder, config)
    assert result.exit_code == 4
    assert "--login" in result.stderr and result.stderr.count("\n") == 1
    assert_no_secrets(result)
    assert not service.sessions


def test_missing_client_secrets_and_login(setup, tmp_path):
    folder, config, token = setup
    token.unlink()
    (tmp_path / "client.json").unlink()
    result = run(folder, config)
    assert result.exit_code == 2 and "client_secrets" in result.stderr and result.stderr.count("\n") == 1
    config.write_text("[youtube]\n")
    result = run(folder, config)
    assert result.exit_code == 2 and "youtube.client_secrets is not set" in result.stderr


def test_interrupted_run_finishes_captions_without_a_second_video(setup, service):
    folder, config, _ = setup
    service.captions_error = (400, "invalidValue")
    first = run(folder, config)
    assert first.exit_code == 5 and "captions" in first.stderr
    assert len(service.videos) == 1 and len(service.thumbnails) == 1
    service.captions_error = None
    second = run(folder, config)
    assert second.exit_code == 0, second.stderr
    assert len(service.videos) == 1 and len(service.sessions) == 1 and len(service.captions) == 1
    assert len(service.thumbnails) == 1


def test_dry_run_needs_no_credentials(rendered, tmp_path):
    folder = tmp_path / rendered.name
    shutil.copytree(rendered, folder)
    (folder / "youtube.json").unlink()
    result = invoke("upload", str(folder), "--dry-run")
    assert result.exit_code == 0, result.stderr
    meta = json.loads((folder / "youtube.json").read_text())
    assert meta["snippet"]["title"] in result.stdout and "videos.insert" in result.stdout
    assert "captions.insert" in result.stdout and "thumbnails.set" in result.stdout


def test_login_runs_the_installed_app_flow_once_and_saves_the_token(setup, service, monkeypatch, tmp_path, capsys):
    import re
    import threading
    import time
    import urllib.parse
    import urllib.request

    from podcast.config import load_config
    from podcast.upload.auth import login
    from youtube_server import LOGIN_CODE

    folder, config_file, token = setup
    token.unlink()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "ca.pem"))  # the code exchange goes through requests
    config = load_config(config_file)
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(creds=login(config, open_browser=False)), daemon=True)
    thread.start()
    printed = ""
    for _ in range(600):  # the flow prints the consent URL, then waits for the browser's redirect
        printed += capsys.readouterr().out
        if "https://127.0.0.1" in printed:
            break
        time.sleep(0.05)
    url = re.search(r"https://127\.0\.0\.1\S+", printed).group(0)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert set(query["scope"].split()) == {"https://www.googleapis.com/auth/youtube.upload",
                                           "https://www.googleapis.com/auth/youtube.force-ssl"}
    redirect = query["redirect_uri"] + "?" + urllib.parse.urlencode(
        {"state": query["state"], "code": LOGIN_CODE, "scope": query["scope"]})
    with urllib.request.urlopen(redirect, timeout=30) as reply:  # what the browser does after consent
        assert reply.status == 200
    thread.join(30)
    assert outcome["creds"].refresh_token == GOOD_REFRESH
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    assert json.loads(token.read_text())["refresh_token"] == GOOD_REFRESH
    result = run(folder, config_file)  # the saved login is used from now on
    assert result.exit_code == 0, result.stderr
    assert len(service.videos) == 1


CHUNK = 256 * 1024  # bytes: chunk_mb = 0.25 in the test config


def upload_killed_mid_send(folder, config, cwd, service) -> str:
    """`podcast upload` in a process of its own, killed (SIGKILL) while the server holds back a chunk's answer."""
    proc = subprocess.Popen([sys.executable, "-m", "podcast", "upload", str(folder), "--config", str(config)],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert service.stalled.wait(120), "the upload never reached the stalled chunk"
    finally:
        proc.kill()
        out, err = proc.communicate(timeout=60)
    service.release.set()
    return out + err


def upload_record(folder) -> dict:
    return json.loads((folder / "state.json").read_text())["stages"]["upload"]["data"]


@pytest.mark.parametrize("answered", [0, 2])  # chunks answered before the one the process dies sending
def test_a_killed_upload_is_resumed_from_the_servers_range_by_the_next_run(setup, service, tmp_path, answered):
    folder, config, _ = setup
    mp4 = (folder / "episode.mp4").read_bytes()
    service.faults = [""] * answered + ["stall-half"]  # the server keeps half of that chunk
    printed = upload_killed_mid_send(folder, config, tmp_path, service)
    assert upload_record(folder)["session"] is True  # recorded as soon as it existed, before the first byte
    private = folder.parent / ".cache" / "upload" / f"{folder.name}.json"
    assert private.stat().st_mode & 0o777 == 0o600  # its address lets anyone upload into the session
    session = json.loads(private.read_text())
    assert session["uri"] not in (folder / "state.json").read_text()
    assert session["size"] == len(mp4) and session["sha256"] == hashlib.sha256(mp4).hexdigest()
    assert "upload_id=u1" in session["uri"] and session["uri"] not in printed
    received = len(service.sessions["u1"]["data"])
    assert received == answered * CHUNK + CHUNK // 2 and not service.videos
    mark = len(service.puts)
    result = run(folder, config)
    assert result.exit_code == 0, result.stderr
    assert session["uri"] not in result.stdout + result.stderr and "upload_id" not in result.stdout + result.stderr
    puts = service.puts[mark:]
    assert puts[0] == ("u1", f"bytes */{len(mp4)}")  # it asked where the server got to
    starts = [int(r.split()[1].split("-")[0]) for _, r in puts[1:]]
    assert starts[0] == received and 0 not in starts and all(u == "u1" for u, _ in puts)
    assert starts == list(range(received, len(mp4), CHUNK))  # only the rest, in order, once
    [(video_id, data)] = service.videos.items()
    assert data == mp4 and list(service.sessions) == ["u1"]
    assert list(service.thumbnails) == [video_id] and len(service.captions) == 1
    record = upload_record(folder)
    assert record["video_id"] == video_id and "session" not in record and not private.exists()
    assert run(folder, config).exit_code == 0 and len(service.videos) == 1 and len(service.captions) == 1


def test_an_upload_killed_after_the_last_byte_keeps_the_servers_video(setup, service, tmp_path):
    folder, config, _ = setup
    size = (folder / "episode.mp4").stat().st_size
    service.faults = [""] * ((size - 1) // CHUNK) + ["stall-done"]  # the video exists; its answer never arrives
    upload_killed_mid_send(folder, config, tmp_path, service)
    [video_id] = service.videos
    mark = len(service.puts)
    result = run(folder, config)
    assert result.exit_code == 0, result.stderr
    assert service.puts[mark:] == [("u1", f"bytes */{size}")]  # nothing sent again
    assert f"https://youtu.be/{video_id}" in result.stdout and len(service.videos) == 1
    assert list(service.thumbnails) == [video_id] and len(service.captions) == 1
    assert upload_record(folder)["video_id"] == video_id


def test_a_changed_video_is_not_resumed_into_the_old_session(setup, service):
    folder, config, _ = setup
    service.faults = ["", "400"]  # the first run stops with an error after one chunk
    assert run(folder, config).exit_code == 5
    path = folder / "episode.mp4"
    changed = bytearray(path.read_bytes())
    changed[len(changed) // 2] ^= 0xFF  # same size, other content: re-rendered
    path.write_bytes(bytes(changed))
    mark = len(service.puts)
    result = run(folder, config)
    assert result.exit_code == 0, result.stderr
    assert "changed" in result.stderr and result.stderr.count("\n") == 1
    assert all(u == "u2" for u, _ in service.puts[mark:])  # the old session is not even asked
    assert list(service.sessions) == ["u1", "u2"] and list(service.videos.values()) == [bytes(changed)]


@pytest.mark.parametrize("status", [404, 410])
def test_an_expired_session_starts_a_new_upload_with_a_note(setup, service, status):
    folder, config, _ = setup
    service.faults = ["", "", "400"]
    assert run(folder, config).exit_code == 5
    assert "resumes the interrupted upload" in run(folder, config, "--dry-run").stdout
    service.expired["u1"] = status
    mark = len(service.puts)
    result = run(folder, config)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("Note: ") and "expired" in result.stderr and result.stderr.count("\n") == 1
    puts = service.puts[mark:]
    assert puts[0][0] == "u1" and puts[0][1].startswith("bytes */") and all(u == "u2" for u, _ in puts[1:])
    assert puts[1][1].startswith("bytes 0-")  # the new session from the first byte
    assert list(service.videos.values()) == [(folder / "episode.mp4").read_bytes()]
    assert len(service.thumbnails) == 1 and len(service.captions) == 1
