"""Fitting an episode to a length: the words N minutes hold at the voices' measured rate, and who gets them.

The reading writer keeps each summary's leading sentences (its claim, then its results) and never
drops a paper: at the smallest budget a paper keeps its title and one sentence. The LLM writers ask
for a number of words per paper, more for a richer summary.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .config import Config
from .models import Host

PIECE_CHARS = 0.8  # share of an engine's text limit a piece fills on average (pieces end at sentences)
SEARCH_STEPS = 40  # bisection steps for the share of each summary kept
# Speaking time follows characters more closely than words (espeak: 18.2 vs 18.6 characters per second on
# the sample and on tests/fixtures/length, but 149 vs 187 words per minute). The engines' words per minute
# were measured on the 51-paper sample, whose spoken text has this many characters per word (spaces and
# punctuation included), so text in a Latin script counts as its characters over this.
CHARS_PER_WORD = 7.35
_LATIN = re.compile(r"[A-Za-z]")
MAX_SPEEDUP = 1.4  # the fastest the voices speak to fit papers that even at their smallest overrun the target
# engine -> (its speed option, the option's default, True when a larger value speaks faster)
SPEED_KNOBS: dict[str, tuple[str, float | int, bool]] = {
    "piper": ("length_scale", 1.0, False), "espeak": ("rate", 175, True), "hibari": ("speed", 1.0, True),
    "openai": ("speed", 1.0, True)}
_RESULTS = re.compile(r"\b(result|experiment|evaluat|outperform|achiev|improv|demonstrat|show|find|found|"
                      r"benchmark|accura|score|gain|reduc|surpass|beat)\w*|\d+(?:\.\d+)?\s*(?:%|x\b|×)",
                      re.IGNORECASE)


@dataclass
class Target:
    """A target length and what it takes to fill it."""

    seconds: float  # the episode's target length
    words_per_minute: float  # speaking rate of the voices (the hosts' average)
    music: float  # seconds of intro and outro music outside the speech
    pause: float  # seconds between segments
    turn_pause: float  # seconds between hosts' turns
    piece_pause: float  # seconds between an engine's pieces of one segment
    text_limit: int  # characters per engine request
    can_speed_up: bool = False  # every voice has a speed option (see SPEED_KNOBS)
    speedup: float = 1.0  # how much faster than their own pace the voices speak to fit (1: natural)
    shortest: float = 0.0  # seconds the episode takes at the smallest budget, at the natural pace

    @property
    def rate(self) -> float:
        """Words per minute with the speed-up."""
        return self.words_per_minute * self.speedup

    def fixed(self, segments: int, pieces: int = 0, turns: int = 0) -> float:
        """Seconds that are not words: music, pauses between segments, between turns and between pieces."""
        return (self.music + self.pause * max(0, segments - 1) + self.turn_pause * turns
                + self.piece_pause * pieces)

    def words(self, segments: int, pieces: int = 0, turns: int = 0) -> int:
        """Words of speech that fill the target beside the fixed time."""
        return max(0, int((self.seconds - self.fixed(segments, pieces, turns)) * self.rate / 60))

    def estimate(self, words: int, segments: int, pieces: int = 0, turns: int = 0) -> float:
        """Seconds an episode of ``words`` words in ``segments`` segments lasts."""
        return self.fixed(segments, pieces, turns) + 60.0 * words / self.rate

    def extra_pieces(self, texts: list[str]) -> int:
        """Pieces beyond the first that segments of these texts are split into (each adds a pause)."""
        return sum(max(0, math.ceil(len(t) / (PIECE_CHARS * self.text_limit)) - 1) for t in texts)


def _music_seconds(config: Config) -> float:
    """Intro and outro music outside the speech: each file's length less the crossfade under the voice."""
    from .master import asset, frames

    rate = 16_000  # Hz; only a length is wanted (from the file's header when it has one)
    crossfade = max(0.0, config.get("audio", "crossfade"))
    total = 0.0
    for key in ("intro", "outro"):
        path = asset(config, key, f"{key}.wav")
        seconds = frames(path, rate) / rate if path.is_file() else 0.0
        total += max(0.0, seconds - crossfade)
    return total


def target_for(config: Config, minutes: float, language: str, hosts: list[Host], engine: str | None = None,
               voice: str | None = None) -> Target:
    """The target for ``minutes`` with the voices a build would use (their classes' measured rates)."""
    from .speech.audio import PIECE_PAUSE
    from .speech.select import make_engine
    from .speech.voices import host_engines

    engines = list(host_engines(config, language, hosts, engine, voice).values()) if hosts else \
        [make_engine(config, language, engine, voice)]
    rates = [type(e).speaking_rate(e.options) for e in engines]
    seconds_per_word = sum(60.0 / r for r in rates if r > 0) / max(1, len(rates))
    return Target(seconds=60.0 * minutes, words_per_minute=60.0 / seconds_per_word, music=_music_seconds(config),
                  pause=config.get("audio", "pause"), turn_pause=config.get("audio", "turn_pause"),
                  piece_pause=PIECE_PAUSE, text_limit=min(int(e.text_limit) for e in engines),
                  can_speed_up=all(e.name in SPEED_KNOBS for e in engines))


def faster_options(cls: type, options: dict[str, Any], speedup: float) -> dict[str, Any]:
    """``options`` for engine class ``cls`` with its speed option set to speak ``speedup`` times faster."""
    knob = SPEED_KNOBS.get(cls.name)
    if not knob or speedup <= 1.0:
        return dict(options)
    name, default, grows = knob
    base, want = float(options.get(name, default)), cls.speaking_rate(options) * speedup
    low, high = 1.0, 4.0
    for _ in range(SEARCH_STEPS):  # the engines' rate models keep a fixed time per word, so solve for it
        middle = (low + high) / 2
        if cls.speaking_rate({**options, name: base * middle if grows else base / middle}) >= want:
            high = middle
        else:
            low = middle
    value = base * high if grows else base / high
    return {**options, name: int(round(value)) if isinstance(default, int) else round(value, 3)}


@lru_cache(maxsize=4096)
def spoken_words(text: str, language: str) -> float:
    """How many words of the engines' rate ``text`` is worth once made speakable (see CHARS_PER_WORD)."""
    from .speakable import speakable

    spoken = " ".join(speakable(text, language).split())
    if not spoken:
        return 0.0
    if _LATIN.search(spoken) and len(_LATIN.findall(spoken)) * 2 > len(re.findall(r"\w", spoken)):
        return len(spoken) / CHARS_PER_WORD
    return float(len(spoken.split()))


def ranked_sentences(summary: str) -> list[tuple[int, str, int]]:
    """(paragraph, sentence, rank) for each sentence of ``summary``, rank 0 first kept: the claim, then the
    lead of the results, then each paragraph's lead, then the rest in order."""
    from .speech.text import split_sentences

    paragraphs = [split_sentences(p) for p in re.split(r"\n\s*\n|\n(?=\S)", summary.strip()) if p.strip()]
    paragraphs = [p for p in paragraphs if p]
    flat = [(i, j, s) for i, para in enumerate(paragraphs) for j, s in enumerate(para)]
    if not flat:
        return []
    results = next(((i, j) for i, j, s in flat[1:] if _RESULTS.search(s) and (j == 0 or len(paragraphs) == 1)),
                   None)
    order: list[tuple[int, int]] = [(0, 0)]
    if results:
        order.append(results)
    order += [(i, 0) for i in range(1, len(paragraphs)) if (i, 0) not in order]
    order += [(i, j) for i, j, _ in flat if (i, j) not in order]
    rank = {position: n for n, position in enumerate(order)}
    return [(i, s, rank[(i, j)]) for i, j, s in flat]


def keep(summary: str, words: float, language: str) -> str:
    """The summary cut to about ``words`` spoken words: its best-ranked sentences in their own order; one at least."""
    ranked = ranked_sentences(summary)
    if not ranked:
        return summary
    chosen: set[int] = set()
    used = 0.0
    for index in sorted(range(len(ranked)), key=lambda k: ranked[k][2]):
        size = spoken_words(ranked[index][1], language)
        if chosen and used + size > words:
            break
        chosen.add(index)
        used += size
    paragraphs: dict[int, list[str]] = {}
    for index in sorted(chosen):
        paragraphs.setdefault(ranked[index][0], []).append(ranked[index][1])
    return "\n\n".join(" ".join(p) for p in paragraphs.values())


def fit_summaries(summaries: list[str], budget: float, language: str) -> list[str]:
    """Each summary cut so that together they take about ``budget`` spoken words, richer ones keeping more.

    Every summary keeps at least its first sentence; each keeps the same share of its words, found by
    bisection, with whole sentences.
    """
    full = [spoken_words(s, language) for s in summaries]
    if sum(full) <= budget:
        return list(summaries)

    def total(share: float) -> tuple[float, list[str]]:
        kept = [keep(s, share * n, language) for s, n in zip(summaries, full)]
        return sum(spoken_words(k, language) for k in kept), kept

    low, high = 0.0, 1.0
    best = total(0.0)
    for _ in range(SEARCH_STEPS):
        middle = (low + high) / 2
        words, kept = total(middle)
        if words <= budget:
            low, best = middle, (words, kept)
        else:
            high = middle
    over = total(high)  # one sentence more here and there may land closer to the budget than under it
    return over[1] if abs(over[0] - budget) < abs(best[0] - budget) else best[1]


def share_words(sources: list[str], budget: int, least: int, language: str) -> list[int]:
    """Words per paper for an LLM writer: ``budget`` shared in proportion to each summary's words, ``least`` each."""
    sizes = [max(1, spoken_words(s, language)) for s in sources]
    spare = max(0, budget - least * len(sources))
    return [least + int(spare * n / sum(sizes)) for n in sizes]


def fit_reading(target: Target, fixed: list[str], summaries: list[str], language: str, turns: int = 0,
                extra_segments: int = 1) -> list[str]:
    """The reading writer's summaries cut to fill ``target`` beside the ``fixed`` texts (intro, transitions, outro);
    ``extra_segments`` counts the segments besides the papers and the intro.

    When even a title and one sentence per paper overrun the target, the voices speak faster (up to
    MAX_SPEEDUP, when they have a speed option) rather than drop a paper: ``target.speedup`` says how much.
    """
    fixed_words = sum(spoken_words(t, language) for t in fixed)
    segments = len(summaries) + 1 + extra_segments  # the intro and outro (and an overview) besides the papers
    smallest = [keep(s, 0, language) for s in summaries]
    least = sum(spoken_words(s, language) for s in smallest)
    target.speedup = 1.0
    target.shortest = target.estimate(least + fixed_words, segments, target.extra_pieces(smallest), turns)
    speech = target.seconds - target.fixed(segments, target.extra_pieces(smallest), turns)
    if target.shortest > target.seconds and target.can_speed_up and speech > 0:
        needed = 60.0 * (least + fixed_words) / target.words_per_minute
        target.speedup = round(min(MAX_SPEEDUP, needed / speech), 3)
    kept = list(summaries)
    for _ in range(2):  # the pauses between pieces depend on how long the kept texts are
        budget = target.words(segments, target.extra_pieces(kept), turns) - fixed_words
        kept = fit_summaries(summaries, budget, language)
    return kept


def estimate_script(config: Config, state: dict, language: str, texts: list[str], engine: str | None = None,
                    voice: str | None = None) -> tuple[float, float]:
    """(target seconds, estimated seconds) of a script written for ``--minutes`` (state from script.json);
    (0, 0) without a target. The estimate counts the music, pauses and turns, at the fitted speed."""
    minutes = state.get("minutes") or 0
    if not minutes:
        return 0.0, 0.0
    from .hosts import hosts_from_state, split_turns

    hosts = hosts_from_state(state, config)
    target = target_for(config, float(minutes), language, hosts, engine, voice)
    target.speedup = float(state.get("speedup") or 1.0)
    names = [h.name for h in hosts]
    turns = sum(max(0, len(split_turns(t, names)) - 1) for t in texts) if len(names) > 1 else 0
    words = sum(spoken_words(t, language) for t in texts)
    return target.seconds, target.estimate(round(words), len(texts), target.extra_pieces(texts), turns)
