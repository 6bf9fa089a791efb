"""From stills and the MP3 to episode.mp4 with ffmpeg's concat demuxer, and the thumbnail."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

from PIL import Image

from ..audio import ffmpeg_exe
from ..config import Config
from ..errors import AudioError, InputError
from ..files import EpisodeDir, atomic_write_bytes, temp_path_for
from ..models import Episode, Timeline
from .render import (CRF, THUMB_LIMIT, THUMB_SIZE, Painter, Still, check_settings, draw_stills, mp4_path, plan,
                     still_format, thumbnail_path)

KEYINT = 12  # frames between keyframes: with one frame per still, a seek decodes at most this many
X264 = ["-vf", "scale=out_range=tv,format=yuv420p",  # JPEG stills are full range; browsers expect limited
        "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", str(CRF), "-bf", "0",
        "-g", str(KEYINT), "-pix_fmt", "yuv420p", "-fps_mode", "vfr", "-video_track_timescale", "1000"]
Progress = Callable[[int, int], None]


def concat_list(paths: list[Path], stills: list[Still]) -> str:
    """An ffconcat script: each PNG with its duration; the last is repeated so its duration counts."""
    lines = ["ffconcat version 1.0"]
    for path, still in zip(paths, stills):
        lines += [f"file '{path.name}'", f"duration {still.end - still.start:.3f}"]
    lines.append(f"file '{paths[-1].name}'")
    return "\n".join(lines) + "\n"


def mp3_duration(path: Path) -> float:
    """The MP3's duration in seconds (mutagen reads the header; no decoding)."""
    from mutagen.mp3 import MP3, HeaderNotFoundError

    try:
        return float(MP3(str(path)).info.length)
    except (HeaderNotFoundError, OSError) as exc:
        raise InputError(f"{path} is not a readable MP3: {exc}", "run `podcast build` again") from None


def encode(list_file: Path, mp3: Path, out: Path, audio: str, duration: float, progress: Progress) -> None:
    """Run ffmpeg: H.264 stills (one frame each, variable rate) + the MP3, faststart, into ``out``."""
    audio_args = ["-c:a", "copy"] if audio == "copy" else ["-c:a", "aac", "-b:a", "128k"]
    command = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-v", "error", "-y", "-f", "concat", "-safe", "0",
               "-i", str(list_file), "-i", str(mp3), "-map", "0:v:0", "-map", "1:a:0", "-map_chapters", "-1", "-map_metadata", "-1", *X264, *audio_args,
               "-movflags", "+faststart", "-progress", "pipe:1", "-nostats", "-f", "mp4", str(out)]
    total = max(1, int(duration))
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a long log cannot stall ffmpeg while we read progress
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                match = re.match(r"out_time_us=(\d+)", line)
                if match:
                    progress(min(total, int(match.group(1)) // 1_000_000), total)
        log.seek(0)
        errors = log.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        last = (errors.strip().splitlines() or ["no message"])[-1]
        raise AudioError(f"ffmpeg could not encode the video: {last}", "check the MP3 and free disk space")
    progress(total, total)


def write_thumbnail(image: Image.Image, path: Path) -> None:
    """A 1280×720 JPEG under 2 MB."""
    small = image.convert("RGB").resize(THUMB_SIZE, Image.LANCZOS)
    for quality in (90, 80, 70, 55, 40):
        buffer = io.BytesIO()
        small.save(buffer, "JPEG", quality=quality, optimize=True)
        if buffer.tell() < THUMB_LIMIT:
            break
    atomic_write_bytes(path, buffer.getvalue())


def render_video(folder: EpisodeDir, config: Config, episode: Episode | None = None,
                 progress: Callable[[str, int, int], None] | None = None, workers: int | None = None) -> Path:
    """Write episode.mp4 and thumbnail.jpg from the timeline, papers and MP3 in ``folder``."""
    report = progress or (lambda step, done, total: None)
    style, audio = check_settings(config)
    for needed in (folder.timeline, folder.mp3):
        if not needed.exists():
            raise InputError(f"{needed} does not exist", "run `podcast build` first: the video needs the mastered MP3")
    episode = episode or Episode.load(folder.papers)
    timeline = Timeline.load(folder.timeline)
    if not timeline.entries:
        raise InputError(f"{folder.timeline} has no segments", "run `podcast build` again")
    duration = mp3_duration(folder.mp3)
    captions = bool(config.get("video", "captions"))
    stills = plan(timeline, style, captions, duration)
    painter_args = (episode, timeline, config, style, captions)
    Painter(*painter_args)  # checks the theme (colours, logo) before any work
    workers = workers or min(4, os.cpu_count() or 1)
    work = Path(tempfile.mkdtemp(prefix=".video-", dir=folder.root))
    try:
        paths = draw_stills(stills, painter_args, work, workers, lambda d, t: report("slides", d, t),
                            still_format(style, captions))
        list_file = work / "stills.ffconcat"
        list_file.write_text(concat_list(paths, stills), encoding="utf-8")
        out = mp4_path(folder)
        tmp = temp_path_for(out)
        try:
            encode(list_file, folder.mp3, tmp, audio, duration, lambda d, t: report("video", d, t))
            os.replace(tmp, out)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        from .slides import Theme, title_slide

        write_thumbnail(title_slide(episode, Theme.from_config(config), config).image, thumbnail_path(folder))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out
