"""The LLM writer: spoken commentary through any OpenAI-compatible chat server (OpenAI, Ollama, vLLM…)."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Callable

from .. import i18n
from ..errors import ConfigError, ServiceError
from ..faithfulness import FLAG_PREFIX, unsupported
from ..models import Episode, Paper, Segment
from ..markup import written
from ..speech.text import split_text
from .base import WRITERS, Progress, Writer
from .llm_client import Chat, Settings
from .reading import intro_text, paper_segment_id

THEMES = (3, 5)  # fewest and most themes in the overview
ONE_THEME = "This episode's papers"  # the theme of every paper when the model cannot group them
_SHAPE_ERROR = re.compile(r"without any text|not JSON|HTTP 4(?:00|22)")  # the request's shape, not the server
MIN_WORDS = 30  # the least a paper's commentary is asked for, however short the episode
MAX_STRETCH = 1.5  # a paper's commentary is never asked for more than this many times its summary's words
MIN_BATCH = 12  # items per themes request when a long list is split, so each round shrinks it
LANGUAGES = {"en": "English", "hi": "Hindi", "ko": "Korean", "de": "German", "fr": "French", "es": "Spanish",
             "ja": "Japanese", "zh": "Chinese", "pt": "Portuguese", "it": "Italian"}
PROMPTS = {  # prompt file stem -> the placeholders it may use
    "system": {"show", "language"},
    "themes": {"count", "min_themes", "max_themes", "items", "language"},
    "overview": {"show", "count", "themes", "words", "language"},
    "commentary": {"title", "theme", "previous", "part", "summary", "language", "words"},
    "outro": {"show", "count", "themes", "closing", "words", "language"},
    "summarize": {"title", "authors", "part", "abstract", "language"},
    "revise": {"problems"},
    # the dialogue writer's (writers/dialogue.py)
    "dialogue_system": {"show", "language", "hosts", "first", "second"},
    "dialogue": {"title", "theme", "previous", "part", "summary", "language", "first", "second", "turns", "words"},
    "dialogue_overview": {"show", "count", "themes", "words", "language", "first", "second"},
    "dialogue_outro": {"show", "count", "themes", "closing", "words", "language", "first", "second"},
    "dialogue_format": {"problem", "first", "second"},
    "dialogue_revise": {"number", "speaker", "problems"},
}
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Beside the code rather than importlib.resources: an editable install can make `podcast` a namespace.
PROMPT_DIR = Path(__file__).resolve().parent.parent / "prompts"


class Prompts:
    """The packaged prompt files, each overridable by a file of the same name in ``folder``."""

    def __init__(self, folder: str = ""):
        self.folder = Path(folder).expanduser() if folder else None
        if self.folder and not self.folder.is_dir():
            raise ConfigError(f"prompt folder {self.folder} does not exist",
                              "set writer.openai.prompts to a folder of .md files, or remove it")
        if self.folder:
            extra = sorted(p.name for p in self.folder.glob("*.md") if p.stem not in PROMPTS)
            if extra:
                raise ConfigError(f"{self.folder} has prompt files the writer does not use: {', '.join(extra)}",
                                  f"name them after the packaged ones: {', '.join(f'{n}.md' for n in PROMPTS)}")
        self.texts = {name: self._load(name) for name in PROMPTS}

    def _load(self, name: str) -> str:
        override = self.folder / f"{name}.md" if self.folder else None
        if override and override.exists():
            text, where = override.read_text(encoding="utf-8"), str(override)
        else:
            text, where = (PROMPT_DIR / f"{name}.md").read_text(encoding="utf-8"), f"{name}.md"
        unknown = sorted(set(PLACEHOLDER.findall(text)) - PROMPTS[name])
        if unknown:
            raise ConfigError(f"prompt {where} uses unknown placeholder(s) {', '.join(unknown)}",
                              f"{name}.md may use: {', '.join(sorted(PROMPTS[name]))}")
        return text

    def render(self, name: str, **values: Any) -> str:
        """The prompt with its placeholders filled in (other braces, as in JSON examples, stay)."""
        return PLACEHOLDER.sub(lambda m: str(values.get(m[1], m[0])), self.texts[name]).strip()


def parse_themes(reply: str, count: int) -> list[tuple[str, list[int]]]:
    """(name, 0-based item indices) from a themes reply; every item lands in exactly one theme."""
    match = re.search(r"\{.*\}", reply, re.DOTALL)
    data = json.loads(match[0]) if match else None  # ValueError when it is not JSON
    raw = data.get("themes") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not raw:
        raise ValueError("no themes")
    themes: list[tuple[str, list[int]]] = []
    owner: dict[int, int] = {}
    for theme in raw:
        if not isinstance(theme, dict) or not str(theme.get("name", "")).strip():
            raise ValueError("a theme without a name")
        members = [int(i) - 1 for i in theme.get("items", []) if str(i).strip().isdigit()]
        members = [i for i in members if 0 <= i < count and i not in owner]
        owner.update({i: len(themes) for i in members})
        themes.append((" ".join(str(theme["name"]).split()), members))
    for i in range(count):  # an item the model left out joins the theme of the item before it
        if i not in owner:
            home = owner.get(i - 1, 0)
            owner[i] = home
            themes[home][1].append(i)
    themes = [(name, sorted(members)) for name, members in themes if members]
    while len(themes) > THEMES[1]:  # a model that ignores "at most": fold the smallest into a neighbour
        small = min(range(len(themes)), key=lambda k: len(themes[k][1]))
        into = small - 1 if small > 0 else 1
        name, members = themes[into]
        themes[into] = (name, sorted(members + themes[small][1]))
        del themes[small]
    return themes


@WRITERS.register
class LLMWriter(Writer):
    """A host's spoken commentary on each paper, with a themes overview, transitions and an outro."""

    name = "openai"
    description = "spoken commentary by an LLM through the openai SDK (OpenAI, Ollama, vLLM, llama.cpp)"
    network = True
    option_keys = Settings.keys()

    def __init__(self, options: dict[str, Any] | None = None):
        super().__init__(options)
        self.settings = Settings.from_options(self.options)
        self.prompts = Prompts(self.settings.prompts)
        self.usage: dict[str, Any] = {}
        self._chat: Chat | None = None
        self._summary_flags: dict[str, list[str]] = {}
        self._words: dict[str, int] = {}  # words per paper id under a target length
        self.language = "English"  # the episode's language, named for the prompts
        self._show = ""

    def _connect(self, episode: Episode) -> Chat:
        if self._chat is None:
            self._chat = Chat(self.settings)
        self.language = LANGUAGES.get(episode.language.split("-")[0], episode.language)
        self._show = episode.show
        return self._chat

    def _ask(self, prompt: str, source: str, allowed: list[str]) -> tuple[str, list[str]]:
        """Text for ``prompt``; if it has claims ``source`` lacks, one retry, then those claims as flags."""
        assert self._chat
        messages = [{"role": "system", "content": self.prompts.render("system", show=self._show,
                                                                         language=self.language)},
                    {"role": "user", "content": prompt}]
        text = self._chat.complete(messages)
        flags = unsupported(text, source, allowed)
        if flags:
            problems = ", ".join(f.removeprefix(FLAG_PREFIX).strip() for f in flags)
            retry = messages + [{"role": "assistant", "content": text},
                                {"role": "user", "content": self.prompts.render("revise", problems=problems)}]
            second = self._chat.complete(retry)
            second_flags = unsupported(second, source, allowed)
            if len(second_flags) <= len(flags):
                text, flags = second, second_flags
        return text, flags

    def _run(self, jobs: list[Callable[[], Any]], progress: Progress | None) -> list[Any]:
        """Run ``jobs`` with at most ``concurrency`` at once; results in order; the first error wins."""
        results: list[Any] = [None] * len(jobs)
        pool = ThreadPoolExecutor(max_workers=self.settings.concurrency)
        try:
            futures = {pool.submit(job): i for i, job in enumerate(jobs)}
            for done, future in enumerate(as_completed(futures), 1):
                results[futures[future]] = future.result()
                if progress:
                    progress(done, len(jobs))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return results

    def _parts(self, text: str) -> list[tuple[str, str]]:
        """(piece, note about the piece) for a source text split to fit one request."""
        pieces = split_text(text, self.settings.max_input_chars)
        if len(pieces) == 1:
            return [(pieces[0], "")]
        return [(p, f"This is part {i} of {len(pieces)} of a long text: cover this part only"
                    f"{', continuing from the previous part' if i > 1 else ''}.") for i, p in enumerate(pieces, 1)]

    def write(self, episode: Episode, progress: Progress | None = None) -> list[Segment]:
        """Intro, themes overview, one commentary per paper, outro."""
        self._connect(episode)
        papers = episode.papers
        themes = self._group([p.title for p in papers]) if papers else []
        theme_of = {i: name for name, members in themes for i in members}
        self._words = self._budget(episode, themes)
        jobs: list[Callable[[], Any]] = [lambda: self._overview(episode, themes), lambda: self._outro(episode, themes)]
        jobs += [lambda i=i: self._commentary(episode, i, theme_of.get(i, "")) for i in range(len(papers))]
        overview, outro, *segments = self._run(jobs, progress)
        self.usage = self._chat.usage() if self._chat else {}
        intro = Segment(id="intro", kind="intro", title=i18n.segment_title("intro", episode.language),
                        text=intro_text(episode))
        return [intro, overview, *segments, outro]

    def _group(self, items: list[str]) -> list[tuple[str, list[int]]]:
        """Themes over ``items``; a list too long for one request is grouped in batches, then merged."""
        lines = [f"{i}. {' '.join(item.split())}" for i, item in enumerate(items, 1)]
        batches: list[list[int]] = [[]]
        for i, line in enumerate(lines):
            size = sum(len(lines[j]) + 1 for j in batches[-1])
            if batches[-1] and size + len(line) > self.settings.max_input_chars and len(batches[-1]) >= MIN_BATCH:
                batches.append([])
            batches[-1].append(i)
        if len(batches) == 1:
            return self._ask_themes(lines)
        partial: list[tuple[str, list[int]]] = []
        for batch in batches:
            local = self._ask_themes([f"{n}. {items[i]}" for n, i in enumerate(batch, 1)])
            partial += [(name, [batch[m] for m in members]) for name, members in local]
        merged = self._group([name for name, _ in partial])
        return [(name, sorted(i for m in members for i in partial[m][1])) for name, members in merged]

    def _ask_themes(self, lines: list[str]) -> list[tuple[str, list[int]]]:
        assert self._chat
        count = len(lines)
        prompt = self.prompts.render("themes", count=count, min_themes=min(THEMES[0], count),
                                     max_themes=min(THEMES[1], count), items="\n".join(lines),
                                     language=self.language)
        messages = [{"role": "user", "content": prompt}]
        problem = "without the JSON asked for"
        for _ in range(2):  # one more try when the reply is not the JSON asked for
            try:
                return parse_themes(self._chat.complete(messages, json_reply=True), count)
            except (ValueError, TypeError, AttributeError):
                problem = "without the JSON asked for"
            except ServiceError as error:  # an empty reply, or a server that rejects JSON mode: degrade
                if not _SHAPE_ERROR.search(error.message):
                    raise  # rate limits and outages stop the run: the commentary would fail the same way
                problem = f"with an error ({error.message})"
        # The themes only shape the overview: without them the episode is still worth writing.
        note = (f"the LLM server at {self._chat.host} twice answered the themes request {problem}, so the "
                f"overview treats all {count} papers as one theme; a more capable writer.openai.model groups them")
        if note not in self.fallbacks:
            self.fallbacks.append(note)
        return [(ONE_THEME, list(range(count)))]

    def _theme_lines(self, episode: Episode, themes: list[tuple[str, list[int]]]) -> str:
        budget = self.settings.max_input_chars // max(1, len(themes))
        lines = []
        for name, members in themes:
            titles, used = [], 0
            for i in members:
                title = episode.papers[i].title
                if used + len(title) > budget and titles:
                    break
                titles.append(title)
                used += len(title) + 2
            more = f"; and {len(members) - len(titles)} more" if len(titles) < len(members) else ""
            lines.append(f"- {name} ({len(members)} papers): {'; '.join(titles)}{more}")
        return "\n".join(lines)

    def _context(self, episode: Episode, themes: list[tuple[str, list[int]]]) -> list[str]:
        """What overview and outro may mention: counts, date, themes and titles."""
        counts = " ".join(str(len(m)) for _, m in themes)
        return [f"{len(episode.papers)} {len(themes)} {counts} {episode.date}", *[n for n, _ in themes],
                *[p.title for p in episode.papers]]

    def _overview(self, episode: Episode, themes: list[tuple[str, list[int]]]) -> Segment:
        prompt = self.prompts.render("overview", show=episode.show, count=len(episode.papers),
                                     themes=self._theme_lines(episode, themes), words=self._words_for("overview", themes),
                                     language=self.language)
        source = "\n".join(p.summary or p.abstract for p in episode.papers)
        text, flags = self._ask(prompt, source, self._context(episode, themes))
        return Segment(id="overview", kind="overview", title=i18n.segment_title("overview", episode.language),
                       text=written(text), flags=flags)

    def _outro(self, episode: Episode, themes: list[tuple[str, list[int]]]) -> Segment:
        closing = episode.closing_text.strip() or "(nothing)"
        prompt = self.prompts.render("outro", show=episode.show, count=len(episode.papers), closing=closing,
                                     themes=self._theme_lines(episode, themes), words=self._words_for("outro", themes),
                                     language=self.language)
        text, flags = self._ask(prompt, closing, self._context(episode, themes) + [episode.show])
        return Segment(id="outro", kind="outro", title=i18n.segment_title("outro", episode.language),
                       text=written(text), flags=flags)

    def _commentary(self, episode: Episode, index: int, theme: str) -> Segment:
        paper, lang = episode.papers[index], episode.language
        previous = episode.papers[index - 1].title if index else ""
        source = (paper.summary or paper.abstract).strip()
        seg = Segment(id=paper_segment_id(paper.id), kind="paper", title=paper.title, text="", paper=paper.id,
                      flags=list(self._summary_flags.get(paper.id, [])))
        if not source:
            seg.text = self._spoken_alone(i18n.transition(index, len(episode.papers), written(paper.title), lang,
                                                          paper.id))
            seg.flags.append("no summary or abstract to comment on; try --summarize")
            return seg
        parts = self._parts(source)
        words = self.paper_words(paper, source) // len(parts)
        pieces = []
        for n, (piece, part) in enumerate(parts):
            before = (f"Previous paper: {previous}" if previous else "This is the first paper of the episode.")
            got, flags = self._comment(paper, theme, part, before if n == 0 else "", piece, words, source, previous)
            pieces.append(got)
            seg.flags += [f for f in flags if f not in seg.flags]
        seg.text = self._joined(pieces)
        return seg

    def _comment(self, paper, theme: str, part: str, previous_line: str, piece: str, words: int, source: str,
                 previous: str) -> tuple[str, list[str]]:
        """One part of a paper's commentary, and its faithfulness flags."""
        prompt = self.prompts.render("commentary", title=paper.title, theme=theme or "(none)", part=part,
                                     previous=previous_line, summary=piece, language=self.language, words=words)
        return self._ask(prompt, source, [paper.title, previous])

    def _spoken_alone(self, line: str) -> str:
        """The script text of a line said without commentary (a paper with nothing to comment on)."""
        return line

    def _joined(self, pieces: list) -> str:
        """The script text of a paper's commentary parts."""
        return written("\n\n".join(pieces))

    turn_words = 0  # words per turn when hosts take turns (each turn adds a pause); 0: one voice

    def _words_for(self, kind: str, themes: list[tuple[str, list[int]]]) -> int:
        """Words asked for the overview or the outro."""
        return 40 + 25 * len(themes) if kind == "overview" else 60

    def paper_words(self, paper: Paper, source: str) -> int:
        """Words asked for a paper: its share of --minutes, else about its summary's length."""
        return self._words.get(paper.id) or max(MIN_WORDS, len(source.split()))

    def _budget(self, episode: Episode, themes: list[tuple[str, list[int]]]) -> dict[str, int]:
        """Words per paper under a target length, in proportion to each summary (none without a target)."""
        if not self.target or not episode.papers:
            return {}
        from ..length import share_words, spoken_words

        lang = episode.language
        sources = [(p.summary or p.abstract).strip() or p.title for p in episode.papers]
        fixed = spoken_words(intro_text(episode), lang) + self._words_for("overview", themes) + \
            self._words_for("outro", themes)
        words = self.target.words(len(episode.papers) + 3)
        turns = int(words / self.turn_words) if self.turn_words else 0
        shares = share_words(sources, self.target.words(len(episode.papers) + 3, 0, turns) - fixed, MIN_WORDS, lang)
        return {p.id: min(n, max(MIN_WORDS, int(MAX_STRETCH * len(s.split()))))
                for p, s, n in zip(episode.papers, sources, shares)}

    def summarize(self, episode: Episode, progress: Progress | None = None) -> None:
        """Write ``paper.summary`` for papers that have only an abstract, in the newsletter's style."""
        self._connect(episode)
        todo = [p for p in episode.papers if not p.summary.strip() and p.abstract.strip()]
        summaries = self._run([lambda p=p: self._summary(p) for p in todo], progress)
        for paper, summary in zip(todo, summaries):
            paper.summary = summary
        self.usage = self._chat.usage() if self._chat else {}

    def _summary(self, paper: Paper) -> str:
        texts, flags = [], []
        for piece, part in self._parts(paper.abstract):
            prompt = self.prompts.render("summarize", title=paper.title, authors=", ".join(paper.authors) or "unknown",
                                         part=part, abstract=piece, language=self.language)
            text, found = self._ask(prompt, paper.abstract, [paper.title, " ".join(paper.authors)])
            texts.append(text)
            flags += [f"{f} (in the LLM-written summary)" for f in found]
        self._summary_flags[paper.id] = flags
        return "\n\n".join(texts)
