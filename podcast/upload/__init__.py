"""`podcast upload`: the episode's video, thumbnail and captions to YouTube, once."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable

from ..config import Config
from ..files import EpisodeDir, atomic_write_private, file_digest
from .youtube import STATE_NAME, Session, Upload, check_chunk, required_files


def session_file(folder: EpisodeDir) -> Path:
    """Where an unfinished upload's session is kept: owner-only, since its address lets anyone upload into it."""
    return folder.root.parent / ".cache" / "upload" / f"{folder.root.name}.json"


def _saved_session(folder: EpisodeDir) -> Session | None:
    try:
        return Session.from_dict(json.loads(session_file(folder).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _record(state, data: dict) -> None:
    from ..pipeline.state import Record

    state.record(STATE_NAME, Record(fingerprint=data.get("video_sha256", ""), data=data,
                                    outputs=[], seconds=0.0))


def plan(folder: EpisodeDir, config: Config, force: bool = False) -> dict:
    """What an upload would send, checked: the metadata, the files, and what is already done."""
    from ..pipeline.state import State
    from ..video.youtube import write_metadata

    metadata = write_metadata(folder, config)  # from the timeline and the config as they are now
    files = required_files(folder)
    check_chunk(config)
    done = {} if force else State(folder.state).data(STATE_NAME)
    return {"metadata": metadata, "files": {k: str(v) for k, v in files.items()},
            "done": done}


def upload(folder: EpisodeDir, config: Config, *, force: bool = False,
           progress: Callable[[int, int], None] | None = None, sleep: Callable[[float], None] = time.sleep,
           note: Callable[[str], None] = lambda message: None) -> Upload:
    """Upload what is not done yet; record each step in state.json so a rerun never makes a second video.

    The video's upload session is recorded as soon as it exists (its address in an owner-only file under
    output/.cache/upload/, never in state.json): a run that dies mid-send is resumed by the next from
    what the server has, unless episode.mp4 changed since.
    """
    from ..models import Episode
    from ..pipeline.lock import EpisodeLock
    from ..pipeline.state import State
    from .auth import load_credentials
    from .youtube import send_captions, send_thumbnail, send_video, service

    report = progress or (lambda done, total: None)
    with EpisodeLock(folder.root, "podcast upload"):
        checked = plan(folder, config, force)
        files = required_files(folder)
        state = State(folder.state)
        done = checked["done"]
        credentials = load_credentials(config)
        api = service(config, credentials)
        created = False
        video_id = done.get("video_id")
        if not video_id:  # only then does the video's content matter (a session must be for this file)
            digest = file_digest(files["video"], length=None)
            resume = resumable(_saved_session(folder) if done.get("session") else None,
                               files["video"].stat().st_size, digest, note)

            def began(session: Session) -> None:
                atomic_write_private(session_file(folder), json.dumps(session.as_dict()))
                _record(state, {"session": True, "video_sha256": digest, "thumbnail": False, "captions": False})

            video_id = send_video(api, files["video"], checked["metadata"], config.get("youtube", "chunk_mb"),
                                  report, sleep, digest=digest, resume=resume, on_session=began, note=note)
            created = True
            done = {"video_id": video_id, "video_sha256": digest, "thumbnail": False, "captions": False}
            _record(state, done)
            session_file(folder).unlink(missing_ok=True)
        if not done.get("thumbnail"):
            send_thumbnail(api, video_id, files["thumbnail"], sleep)
            done["thumbnail"] = True
            _record(state, done)
        if not done.get("captions"):
            episode = Episode.load(folder.papers)
            send_captions(api, video_id, files["captions"], episode.language, episode.language.upper(), sleep)
            done["captions"] = True
            _record(state, done)
        return Upload(video_id, created, bool(done["thumbnail"]), bool(done["captions"]))


def resumable(session: Session | None, size: int, digest: str, note: Callable[[str], None]) -> Session | None:
    """The recorded session, if it was for this very file (a changed video must not go into it)."""
    if session is None:
        return None
    if (session.size, session.sha256) != (size, digest):
        note("episode.mp4 changed since the interrupted upload: uploading it as a new video")
        return None
    return session


def dry_run(folder: EpisodeDir, config: Config, force: bool = False) -> str:
    """youtube.json written, and a summary of what an upload would send (no credentials needed)."""
    checked = plan(folder, config, force)
    done = checked["done"]
    steps = []
    if done.get("video_id"):
        steps.append(f"video already uploaded: https://youtu.be/{done['video_id']} (--force makes a new one)")
    elif done.get("session") and _saved_session(folder):
        steps.append(f"videos.insert {checked['files']['video']} (resumes the interrupted upload if the file is "
                     f"unchanged and YouTube still has it)")
    else:
        steps.append(f"videos.insert {checked['files']['video']} (resumable)")
    if not done.get("thumbnail"):
        steps.append(f"thumbnails.set {checked['files']['thumbnail']}")
    if not done.get("captions"):
        steps.append(f"captions.insert {checked['files']['captions']}")
    return json.dumps(checked["metadata"], indent=2, ensure_ascii=False) + "\n" + "\n".join(steps)
