"""Mastering: intro/outro music, pauses, crossfades, podcast loudness, MP3 with ID3 tags and chapters."""

from __future__ import annotations

import hashlib
import json
import os
import wave
from pathlib import Path
from typing import Callable

import numpy as np

from .audio import LOUDNESS_TOLERANCE, encoder_offset, ffmpeg_exe, fit_mastering, mastering_filter, read_audio, to_pcm16
from .config import Config
from .errors import AudioError
from .files import EpisodeDir, assets_dir, temp_path_for
from .models import Episode, Sentence, Timeline, TimelineEntry

MUSIC_DUCK = 0.35  # gain of the music while the voice speaks over it
DUCK_RAMP = 0.5  # seconds over which the music dips before the voice starts
MAX_SEGMENT_GAP = 5.0  # seconds; a sanity bound on the configured pause
LAME_SPEED = 7  # LAME -q: 0 slowest/best .. 9 fastest; 7 halves encode time, inaudible at 96 kb/s speech


def asset(config: Config, key: str, default: str) -> Path:
    """A configured audio/cover file, or the bundled one."""
    configured = config.get("show" if key == "cover" else "audio", key)
    return Path(configured) if configured else assets_dir() / default


def inputs_digest(episode: Episode, spoken: list, config: Config) -> str:
    """A hash of everything mastering reads; equal hashes mean episode.mp3 would come out the same."""
    from . import __version__

    files = [asset(config, key, name) for key, name in (("intro", "intro.wav"), ("outro", "outro.wav"),
                                                         ("cover", "cover.jpg"))]
    data = {
        "version": __version__,
        "speech": [(s.id, s.keys) for s in spoken],
        "segments": [(s.id, s.kind, s.title, s.paper) for s in episode.segments],
        "episode": [episode.id, episode.show, episode.title, episode.date, episode.language,
                    [(p.id, p.title, p.url) for p in episode.papers]],
        "settings": [config.values["show"], config.values["audio"]],
        "files": [(str(f), f.stat().st_size, f.stat().st_mtime_ns) if f.exists() else str(f) for f in files],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _music_gain(length: int, rate: int, speech_start: int, speech_end: int | None, fade: int) -> np.ndarray:
    """Gain curve for music that ducks under the voice: full, ramp to MUSIC_DUCK, then fade."""
    gain = np.ones(length, dtype=np.float32)
    ramp = int(DUCK_RAMP * rate)
    if speech_end is None:  # intro: dip before the first word, then fade out under it
        a = max(0, speech_start - ramp)
        gain[a:speech_start] = np.linspace(1.0, MUSIC_DUCK, speech_start - a)
        tail = gain[speech_start:]
        tail[:] = MUSIC_DUCK * np.clip(1 - np.arange(len(tail)) / max(1, fade), 0, 1)
    else:  # outro: enter ducked under the last words, swell once they end
        speech_end = min(speech_end, length)
        gain[:speech_end] = MUSIC_DUCK * np.clip(np.arange(speech_end) / max(1, ramp), 0, 1)
        b = min(length, speech_end + ramp)
        gain[speech_end:b] = np.linspace(MUSIC_DUCK, 1.0, b - speech_end)
    return gain


def _length(path: Path, rate: int) -> int:
    """Samples in a segment's audio at ``rate``, from the WAV header when no resampling is needed."""
    try:
        with wave.open(str(path), "rb") as handle:
            if handle.getframerate() == rate:
                return handle.getnframes()
    except (wave.Error, EOFError, OSError):
        pass
    return len(read_audio(path, rate))


def assemble(episode: Episode, spoken: list, config: Config) -> tuple[np.ndarray, int, Timeline]:
    """Lay out music and segments on one track; return samples, rate and the timeline."""
    if not spoken:
        raise AudioError("there is nothing to master: the script has no segments", "check script.md")
    rate = max(s.sample_rate for s in spoken)
    pause = min(MAX_SEGMENT_GAP, max(0.0, config.get("audio", "pause")))
    crossfade = max(0.0, config.get("audio", "crossfade"))
    intro = read_audio(asset(config, "intro", "intro.wav"), rate)
    outro = read_audio(asset(config, "outro", "outro.wav"), rate)

    first = max(0, len(intro) - int(crossfade * rate))
    gap = int(pause * rate)
    starts, cursor = [], first
    for spoken_seg in spoken:
        starts.append(cursor)
        cursor += _length(spoken_seg.path, rate) + gap
    speech_end = cursor - gap
    outro_start = max(first, speech_end - int(crossfade * rate))
    total = max(outro_start + len(outro), len(intro), speech_end)

    track = np.zeros(total, dtype=np.float32)
    track[: len(intro)] += intro * _music_gain(len(intro), rate, first, None, int(crossfade * rate))
    track[outro_start: outro_start + len(outro)] += outro * _music_gain(len(outro), rate, 0,
                                                                        speech_end - outro_start, 0)
    for start, spoken_seg in zip(starts, spoken):  # one segment in memory at a time
        samples = read_audio(spoken_seg.path, rate)
        track[start: start + len(samples)] += samples

    segments = {s.id: s for s in episode.segments}
    entries = []
    for i, (start, spoken_seg) in enumerate(zip(starts, spoken)):
        seg = segments.get(spoken_seg.id)
        begin = 0.0 if i == 0 else start / rate
        end = starts[i + 1] / rate if i + 1 < len(starts) else total / rate
        paper = episode.paper(seg.paper) if seg and seg.paper else None
        speakers = getattr(spoken_seg, "speakers", None) or []
        said = getattr(spoken_seg, "said", None) or []
        sentences = [Sentence(round(start / rate + a, 3), round(start / rate + b, 3), text,
                              speakers[k] if k < len(speakers) else "", said[k] if k < len(said) else "")
                     for k, (a, b, text) in enumerate(spoken_seg.sentences)]
        entries.append(TimelineEntry(segment=spoken_seg.id, kind=seg.kind if seg else "paper",
                                     title=seg.title if seg else spoken_seg.id, start=round(begin, 3),
                                     end=round(end, 3), url=paper.url if paper else "", sentences=sentences))
    return track, rate, Timeline(duration=round(total / rate, 3), entries=entries)


def encode_mp3(pcm: bytes, rate: int, path: Path, config: Config,
               tag: Callable[[Path], None] | None = None) -> None:
    """Master mono 16-bit PCM to the loudness target and encode through pydub; tag, then move into place."""
    import warnings

    with warnings.catch_warnings():  # pydub warns at import that no ffmpeg is on PATH; we hand it ours
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment
    AudioSegment.converter = ffmpeg_exe()

    peak, out_rate = config.get("audio", "true_peak"), config.get("audio", "sample_rate")
    target = config.get("audio", "loudness")
    pre, makeup = fit_mastering(pcm, rate, target, peak)
    encode_args = ["-b:a", config.get("audio", "bitrate"), "-compression_level", str(LAME_SPEED)]
    # CBR MP3 at speech bitrates reads a few tenths of a LU quieter than its input: learn by how much
    # on an excerpt, then aim the chain that much higher.
    offset = encoder_offset(pcm, rate, mastering_filter(pre, makeup, peak, out_rate), encode_args)
    if abs(offset) > LOUDNESS_TOLERANCE:
        pre, makeup = fit_mastering(pcm, rate, target - offset, peak, start=(pre, makeup))
    chain = mastering_filter(pre, makeup, peak, out_rate)
    segment = AudioSegment(data=pcm, sample_width=2, frame_rate=rate, channels=1)
    tmp = temp_path_for(path)
    try:
        segment.export(str(tmp), format="mp3", bitrate=config.get("audio", "bitrate"),
                       parameters=["-af", chain, "-compression_level", str(LAME_SPEED)])
        if tag:
            tag(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def tag_mp3(path: Path, episode: Episode, timeline: Timeline, config: Config) -> None:
    """Write ID3v2.4 tags: title, show, artist, date, genre, language, cover, one chapter per segment."""
    from mutagen.id3 import (APIC, CHAP, COMM, CTOC, ID3, TALB, TCON, TDRC, TIT2, TLAN, TPE1,
                             WXXX, CTOCFlags)

    tags = ID3()
    show = episode.show
    title = episode.title or f"{show}: {episode.id}"
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TALB(encoding=3, text=show))
    tags.add(TPE1(encoding=3, text=config.get("show", "author") or show))
    if episode.date:
        tags.add(TDRC(encoding=3, text=episode.date[:10]))
    tags.add(TCON(encoding=3, text="Podcast"))
    tags.add(TLAN(encoding=3, text=episode.language))
    papers = len(episode.papers)
    tags.add(COMM(encoding=3, lang="eng", desc="", text=f"{papers} papers. {config.get('show', 'description')}"))
    cover = asset(config, "cover", "cover.jpg")
    if cover.is_file():
        mime = "image/png" if cover.suffix.lower() == ".png" else "image/jpeg"
        tags.add(APIC(encoding=3, mime=mime, type=3, desc="Cover", data=cover.read_bytes()))
    ids = [f"chp{i}" for i in range(len(timeline.entries))]
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                  sub_frames=[TIT2(encoding=3, text="Chapters")]))
    for chap_id, entry in zip(ids, timeline.entries):
        sub = [TIT2(encoding=3, text=entry.title)]
        if entry.url:
            sub.append(WXXX(encoding=3, desc="", url=entry.url))
        tags.add(CHAP(element_id=chap_id, start_time=int(entry.start * 1000), end_time=int(entry.end * 1000),
                      sub_frames=sub))
    tags.save(str(path), v2_version=4)


def master(episode: Episode, spoken: list, folder: EpisodeDir, config: Config,
           progress: Callable[[int, int], None] | None = None) -> Timeline:
    """Write episode.mp3 and timeline.json; return the timeline."""
    step = progress or (lambda done, total: None)
    step(0, 3)
    track, rate, timeline = assemble(episode, spoken, config)
    step(1, 3)
    pcm = to_pcm16(track).tobytes()
    del track  # an 80-minute episode is 0.5 GB as float32; keep only the PCM from here on
    encode_mp3(pcm, rate, folder.mp3, config, tag=lambda path: tag_mp3(path, episode, timeline, config))
    step(3, 3)
    timeline.save(folder.timeline)
    return timeline
