"""ID3v2.4 tags for the episode: title, show, host, date, cover, and chapters stored in time order."""

from __future__ import annotations

import struct
from pathlib import Path

from .config import Config
from .models import Episode, Timeline
from .titles import episode_title, host_name


def tag_mp3(path: Path, episode: Episode, timeline: Timeline, config: Config, cover: Path | None) -> None:
    """Write ID3v2.4 tags: title, show, host, date, genre, language, cover, one chapter per segment."""
    from mutagen.id3 import (APIC, CHAP, COMM, CTOC, ID3, TALB, TCON, TDRC, TIT2, TLAN, TPE1,
                             WXXX, CTOCFlags)

    tags = ID3()
    show = episode.show
    tags.add(TIT2(encoding=3, text=episode_title(episode)))
    tags.add(TALB(encoding=3, text=show))
    tags.add(TPE1(encoding=3, text=host_name(config) or show))
    if episode.date:
        tags.add(TDRC(encoding=3, text=episode.date[:10]))
    tags.add(TCON(encoding=3, text="Podcast"))
    tags.add(TLAN(encoding=3, text=episode.language))
    papers = len(episode.papers)
    tags.add(COMM(encoding=3, lang="eng", desc="", text=f"{papers} papers. {config.get('show', 'description')}"))
    if cover is not None:
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
    order_chapters(path)


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def order_chapters(path: Path) -> None:
    """Rewrite the tag in place so CTOC, then CHAP frames by start time, are stored in that order.

    mutagen stores frames by size, so players that read chapters in file order (ffmpeg among them)
    would list them shuffled. The frames themselves and the tag's size stay exactly the same.
    """
    with open(path, "r+b") as handle:
        header = handle.read(10)
        if len(header) < 10 or header[:3] != b"ID3" or header[3] != 4 or header[5] & 0x40:
            return  # not a plain ID3v2.4 tag without an extended header: leave it alone
        size = _syncsafe(header[6:10])
        body = handle.read(size)
        frames: list[tuple[bytes, bytes]] = []
        pos = 0
        while pos + 10 <= len(body) and body[pos] != 0:
            frame_id, length = body[pos:pos + 4], _syncsafe(body[pos + 4:pos + 8])
            frames.append((frame_id, body[pos:pos + 10 + length]))
            pos += 10 + length
        chapters = [f for f in frames if f[0] in (b"CTOC", b"CHAP")]
        if not chapters:
            return

        def start(frame: bytes) -> int:
            data = frame[10:]
            return struct.unpack(">I", data[data.index(b"\0") + 1:][:4])[0]

        toc = [raw for fid, raw in chapters if fid == b"CTOC"]
        chaps = sorted((raw for fid, raw in chapters if fid == b"CHAP"), key=start)
        others = [raw for fid, raw in frames if fid not in (b"CTOC", b"CHAP")]
        first = next(i for i, (fid, _) in enumerate(frames) if fid in (b"CTOC", b"CHAP"))
        ordered = others[:first] + toc + chaps + others[first:]
        data = b"".join(ordered)
        assert len(data) == pos
        handle.seek(10)
        handle.write(data)
