"""What a script will sound like before any audio exists: words, spoken time and warnings per segment.

Only light modules are imported here, so ``podcast preview`` starts fast: the engine is
described by its class attributes (measured words per minute, text limit), never loaded.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .config import Config
from .errors import ConfigError, InputError
from .faithfulness import is_faithfulness_flag
from .files import EpisodeDir
from .models import Segment

DEFAULT_OUT = Path("output")
SHOWN_IDS = 6  # segment ids listed in the hint when --segment names an unknown one
CUT_OFF_WORDS = 6  # words quoted from the end of a paragraph that stops mid-sentence


@dataclass
class SegmentView:
    """One segment as the preview shows it."""

    id: str
    kind: str
    title: str
    paper: str | None
    words: int
    characters: int
    seconds: float  # estimated spoken duration
    unspeakable: list[str] = field(default_factory=list)  # URLs, LaTeX, markdown left in the text
    over_limit: bool = False  # longer than the engine takes in one request
    requests: int = 1  # engine requests it takes when split at sentences, as the speak stage does
    long_sentences: list[int] = field(default_factory=list)  # lengths of sentences cut mid-sentence
    flags: list[str] = field(default_factory=list)  # stored with the script: faithfulness and others
    cut_off: list[str] = field(default_factory=list)  # ends of paragraphs that stop mid-sentence
    text: str = ""  # as written in script.md
    spoken: str = ""  # what the engine will receive, paragraphs kept

    def warnings(self, engine: str, text_limit: int) -> list[str]:
        """One line per problem, for people."""
        lines = []
        if self.unspeakable:
            lines.append(f"unspeakable: {', '.join(self.unspeakable)}")
        if self.long_sentences:  # a segment over the limit is split at sentences; only these get cut
            sizes = ", ".join(f"{n:,}" for n in self.long_sentences)
            lines.append(f"{self.characters:,} characters: over the {engine} text limit of {text_limit:,}, and "
                         f"sentences of {sizes} characters will be cut mid-sentence")
        lines += [f"cut off mid-sentence: “…{end}”; finish or delete the sentence in script.md" for end in self.cut_off]
        lines += [f"faithfulness: {f}" if is_faithfulness_flag(f) else f for f in self.flags]
        return lines


@dataclass
class Preview:
    """The whole preview: which engine's rate and limit apply, the segments, the totals."""

    episode: str
    script: str
    engine: str
    voice: str
    words_per_minute: float  # the engine's rate with its configured speed options
    text_limit: int
    segments: list[SegmentView]
    segment_count: int  # segments in the script, shown or not
    rate_measured: bool = True  # False: a typical rate (an online engine cannot be measured offline)
    target_seconds: float = 0.0  # --minutes the script was fitted to; 0: none
    estimate_seconds: float = 0.0  # the whole episode with music and pauses, when there is a target

    @property
    def words(self) -> int:
        """Words in the shown segments."""
        return sum(s.words for s in self.segments)

    @property
    def seconds(self) -> float:
        """Estimated spoken time of the shown segments."""
        return sum(s.seconds for s in self.segments)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, for --json."""
        data = asdict(self)
        for view, out in zip(self.segments, data["segments"]):
            out["warnings"] = view.warnings(self.engine, self.text_limit)
        data["total"] = {"segments": len(self.segments), "words": self.words, "seconds": round(self.seconds, 1)}
        return data


def find_episode(target: Path | None, out: Path = DEFAULT_OUT) -> EpisodeDir:
    """The episode folder for a script path, an episode folder, or (None) the newest under ``out``."""
    if target is None:
        scripts = sorted(out.glob("*/script.md"), key=lambda p: p.stat().st_mtime) if out.is_dir() else []
        if not scripts:
            raise InputError(f"no script found under {out}/",
                             "run `podcast script INPUT` first, or give the episode folder")
        return EpisodeDir(scripts[-1].parent)
    if target.is_file() or target.suffix == ".md":
        if not target.exists():
            raise InputError(f"{target} does not exist", "give a script.md or an episode folder")
        folder = EpisodeDir(target.parent)
        if target.name != folder.script.name:
            raise InputError(f"{target} is not an episode's script", "give a script.md or an episode folder")
        return folder
    if not target.is_dir():
        raise InputError(f"{target} does not exist", "give a script.md or an episode folder under output/")
    return EpisodeDir(target)


@dataclass
class EngineProfile:
    """What preview needs of the engine a build would use, read from its class (never loaded)."""

    name: str
    voice: str
    words_per_minute: float  # with the configured speed options
    text_limit: int  # characters per request
    rate_measured: bool  # False: a typical figure


def engine_profile(config: Config, language: str, engine: str | None = None,
                   voice: str | None = None) -> EngineProfile:
    """The engine a build would use, chosen the way the build chooses it, and its rate with the config's options."""
    from .speech.base import ENGINES
    from .speech.select import default_engine_name, validate_options

    name = engine or config.get("speech", "engine") or default_engine_name(language, config)
    cls = ENGINES.get(name)
    options = validate_options(cls, config.options("engine", name), f" in {config.path}" if config.path else "")
    rate = cls.speaking_rate(options)
    if rate <= 0:
        raise ConfigError(f"speech engine {name!r} has no positive speaking rate with its [engine.{name}] options",
                          "check its speed options (e.g. length_scale, rate, speed), or choose another with --engine")
    return EngineProfile(name, voice or config.get("speech", "voice") or "default", rate, int(cls.text_limit),
                         bool(cls.rate_measured))


def view(segment: Segment, words_per_minute: float, text_limit: int, normalize=None) -> SegmentView:
    """The preview of one segment; timing, limits and unspeakable text are judged on the spoken form."""
    from .speakable import unspeakable_tokens
    from .speech.text import pack, split_sentences
    from .spoken import spoken_text

    spoken = spoken_text(segment.text, normalize) if normalize else segment.text
    words = len(spoken.split())
    sentences = split_sentences(spoken)
    return SegmentView(id=segment.id, kind=segment.kind, title=segment.title, paper=segment.paper, words=words,
                       characters=len(spoken), seconds=60.0 * words / words_per_minute,
                       unspeakable=list(dict.fromkeys(unspeakable_tokens(spoken))),
                       over_limit=len(spoken) > text_limit, requests=len(pack(sentences, text_limit)),
                       long_sentences=[len(s) for s in sentences if len(s) > text_limit],
                       flags=list(segment.flags), cut_off=cut_off_ends(segment.text), text=segment.text,
                       spoken=spoken)


def cut_off_ends(text: str) -> list[str]:
    """The last words of each paragraph that stops mid-sentence (a summary cut off in the source)."""
    from .markup import ends_sentence

    ends = []
    for paragraph in text.split("\n\n"):
        paragraph = " ".join(paragraph.split())
        if paragraph and not ends_sentence(paragraph) and paragraph[-1].isalnum():
            ends.append(" ".join(paragraph.split()[-CUT_OFF_WORDS:]))
    return ends


def build_preview(folder: EpisodeDir, config: Config, engine: str | None = None, voice: str | None = None,
                  segment: str | None = None) -> Preview:
    """Preview the script in ``folder``: every segment, or only ``segment``."""
    from .pipeline import segments_for_preview

    episode, segments = segments_for_preview(folder)
    profile = engine_profile(config, episode.language, engine, voice)
    shown = segments
    if segment is not None:
        shown = [s for s in segments if s.id == segment]
        if not shown:
            ids = ", ".join(s.id for s in segments[:SHOWN_IDS]) + (", …" if len(segments) > SHOWN_IDS else "")
            raise InputError(f"{folder.script} has no segment [{segment}]", f"its segments are {ids}")
    from .lexicon import Lexicon
    from .spoken import normalizer

    normalize = normalizer(episode.language, Lexicon.load(episode.language, config.get("speech", "lexicon") or None))
    rate, limit = profile.words_per_minute, profile.text_limit
    from .length import estimate_script
    from .script_file import load_state

    target, estimate = estimate_script(config, load_state(folder.script_state), episode.language,
                                       [s.text for s in segments], engine, voice)
    return Preview(episode=episode.id, script=str(folder.script), engine=profile.name, voice=profile.voice,
                   words_per_minute=rate, text_limit=limit, segments=[view(s, rate, limit, normalize) for s in shown],
                   segment_count=len(segments), rate_measured=profile.rate_measured, target_seconds=target,
                   estimate_seconds=estimate)
