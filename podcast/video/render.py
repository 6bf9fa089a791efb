"""episode.mp4: one still per slide (or per sentence), concatenated by ffmpeg over the mastered MP3."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PIL import Image

from ..config import Config
from ..errors import ConfigError
from ..files import EpisodeDir
from ..models import Episode, Timeline
from .slides import Theme, outro_slide, paper_slide, title_slide

STYLES = ("slides", "read-along")
AUDIO_MODES = ("copy", "aac")
THUMB_SIZE = (1280, 720)  # px
THUMB_LIMIT = 2_000_000  # bytes, YouTube's limit for custom thumbnails
PNG_LEVEL = 1  # zlib level: stills are read once by ffmpeg, speed beats size
# One still per sentence means hundreds: JPEG at q95 encodes ~7x faster than PNG and is visually the same
# after the yuv420p H.264 encode. Its chroma is subsampled 4:2:0 as the video's is anyway (the frames'
# PSNR after H.264 is the same as with 4:4:4, 32.7 dB), which makes each still ~30% faster to write and
# ~45% faster for ffmpeg to decode and convert.
JPEG_OPTIONS = {"quality": 95, "subsampling": 2}
CRF = 20  # x264 quality for text on flat colour
MIN_STILL = 0.05  # s; shorter stills (a zero-length sentence) are folded into the next
PARALLEL_FROM = 24  # stills; fewer are drawn in this process


@dataclass
class Still:
    """One picture held from ``start`` to ``end`` seconds."""

    start: float
    end: float
    kind: str  # "title", "paper", "outro", "read", plus "+caption"
    entry: int  # index in the timeline
    sentence: int | None = None  # read-along / caption: the sentence shown or highlighted


def mp4_path(folder: EpisodeDir) -> Path:
    return folder.root / "episode.mp4"


def thumbnail_path(folder: EpisodeDir) -> Path:
    return folder.root / "thumbnail.jpg"


def check_settings(config: Config) -> tuple[str, str]:
    """The style and audio mode, checked."""
    style, audio = config.get("video", "style"), config.get("video", "audio")
    if style not in STYLES:
        raise ConfigError(f"unknown video.style {style!r}", f"choose one of: {', '.join(STYLES)}")
    if audio not in AUDIO_MODES:
        raise ConfigError(f"unknown video.audio {audio!r}", f"choose one of: {', '.join(AUDIO_MODES)}")
    return style, audio


def plan(timeline: Timeline, style: str, captions: bool, duration: float) -> list[Still]:
    """The stills and their times, contiguous from 0 to ``duration``."""
    stills: list[Still] = []
    for index, entry in enumerate(timeline.entries):
        kind = {"intro": "title", "overview": "title", "paper": "paper", "outro": "outro"}.get(entry.kind, "title")
        per_sentence = style == "read-along" or captions
        stills.append(Still(entry.start, entry.end, "read" if style == "read-along" else kind, index))
        if per_sentence:
            for number, sentence in enumerate(entry.sentences):
                stills.append(Still(sentence.start, sentence.end, stills[-1].kind, index, number))
    stills.sort(key=lambda s: s.start)
    stills[0].start = 0.0
    kept: list[Still] = []
    for i, still in enumerate(stills):
        still.end = stills[i + 1].start if i + 1 < len(stills) else duration
        if still.end - still.start >= MIN_STILL or i + 1 == len(stills):
            kept.append(still)
        elif i + 1 < len(stills):
            stills[i + 1].start = still.start
    return kept


class Painter:
    """Draws the stills of one episode (each worker process builds its own)."""

    def __init__(self, episode: Episode, timeline: Timeline, config: Config, style: str, captions: bool):
        self.episode, self.timeline, self.config = episode, timeline, config
        self.theme = Theme.from_config(config)
        self.style, self.captions = style, captions
        self._cache: dict[int, object] = {}

    def _paper(self, entry_index: int):
        from ..models import Paper

        entry = self.timeline.entries[entry_index]
        segment = next((s for s in self.episode.segments if s.id == entry.segment), None)
        paper_id = segment.paper if segment else entry.segment.removeprefix("paper-")
        paper = self.episode.paper(paper_id) or Paper(id=paper_id, title=entry.title, links=[entry.url] if entry.url
                                                      else [])
        number = (self.episode.papers.index(paper) + 1) if paper in self.episode.papers else entry_index
        return paper, number

    def base(self, still: Still):
        """The slide behind a still (cached per timeline entry)."""
        if still.entry in self._cache:
            return self._cache[still.entry]
        entry = self.timeline.entries[still.entry]
        if self.style == "read-along":
            from .readalong import ReadAlong

            heading = entry.title
            if entry.kind == "paper":
                paper, number = self._paper(still.entry)
                heading = f"{number:02d} · {paper.title}"
            made = ReadAlong(entry, heading, self.theme, self.episode.show)
        elif still.kind == "paper":
            paper, number = self._paper(still.entry)
            made = paper_slide(paper, number, len(self.episode.papers), self.episode, self.theme).image
        elif still.kind == "outro":
            made = outro_slide(self.episode, self.theme, self.config, entry.title or "Thanks for listening").image
        else:
            subtitle = entry.title if entry.kind == "overview" else ""
            made = title_slide(self.episode, self.theme, self.config, subtitle).image
        self._cache = {still.entry: made}  # stills come in time order: one entry at a time
        return made

    def image(self, still: Still) -> Image.Image:
        """The picture for ``still``."""
        base = self.base(still)
        if self.style == "read-along":
            return base.still(still.sentence).image
        if self.captions and still.sentence is not None:
            from .readalong import with_caption

            sentence = self.timeline.entries[still.entry].sentences[still.sentence]
            return with_caption(base, sentence.text, self.theme, getattr(sentence, "speaker", "")).image
        return base


_PAINTER: Painter | None = None


def _init_worker(args) -> None:
    global _PAINTER
    _PAINTER = Painter(*args)


def _save(image: Image.Image, path: str) -> None:
    if path.endswith(".jpg"):
        image.save(path, "JPEG", **JPEG_OPTIONS)
    else:
        image.save(path, "PNG", compress_level=PNG_LEVEL)


def _draw_batch(batch: list[tuple[int, Still, str]]) -> int:
    assert _PAINTER is not None
    for _, still, path in batch:
        if _PAINTER.style == "read-along":  # the sentence is patched into the page in place: no copy per still
            with _PAINTER.base(still).frame(still.sentence) as image:
                _save(image, path)
        else:
            _save(_PAINTER.image(still), path)
    return len(batch)


def still_format(style: str, captions: bool) -> str:
    """png for one still per slide, jpg when there is one per sentence."""
    return "jpg" if style == "read-along" or captions else "png"


def draw_stills(stills: list[Still], painter_args: tuple, folder: Path, workers: int,
                progress: Callable[[int, int], None], ext: str = "png") -> list[Path]:
    """Write every still as an image in ``folder``, in parallel batches that keep an entry together."""
    paths = [folder / f"{i:05d}.{ext}" for i in range(len(stills))]
    jobs = [(i, s, str(p)) for i, (s, p) in enumerate(zip(stills, paths))]
    batches: list[list] = []
    for job in jobs:  # a batch per timeline entry, so each worker draws an entry's base once
        if batches and batches[-1][-1][1].entry == job[1].entry:
            batches[-1].append(job)
        else:
            batches.append([job])
    done = 0
    if workers <= 1 or len(stills) < PARALLEL_FROM:
        _init_worker(painter_args)
        for batch in batches:
            done += _draw_batch(batch)
            progress(done, len(stills))
        return paths
    import multiprocessing

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(painter_args,)) as pool:
        for count in pool.map(_draw_batch, batches):
            done += count
            progress(done, len(stills))
    return paths
