"""The dialogue writer: two hosts talk through each paper, through the same LLM client as the openai writer."""

from __future__ import annotations

import re
from typing import Any

from .. import i18n
from ..errors import ConfigError
from ..faithfulness import FLAG_PREFIX, unsupported
from ..hosts import render_turns
from ..models import Episode, Segment
from ..markup import written
from .base import WRITERS, Progress
from .llm import LLMWriter

WORDS_PER_TURN = 45  # a natural turn; sets how many turns a paper's budget asks for
MIN_TURNS, MAX_TURNS = 4, 12
REPAIRED = "turn format repaired:"  # prefix of the flag a repaired reply leaves (not a faithfulness flag)
ROLES = ({"host", "host 1", "host a", "speaker 1", "speaker a", "presenter"},
         {"co-host", "cohost", "co host", "host 2", "host b", "speaker 2", "speaker b", "guest"})
# A line that opens a turn: optional list mark, the label (maybe bold or bracketed), a colon, the words.
_LABEL = re.compile(r"^(?:[-*•>]\s+)?[*_\[(]{0,2}(?P<label>[^\W\d_][\w .'’-]{0,30}?)[*_\])]{0,2}\s*[:：]"
                    r"[*_]{0,2}\s*(?P<rest>.*)$")
# A label alone on its line ("ADA", "**Ben**"): the lines below it are that host's.
_BARE = re.compile(r"^[*_\[(]{0,2}(?P<label>[^\W\d_][\w .'’-]{0,30}?)[*_\])]{0,2}\s*[:：]?\s*[*_]{0,2}$")
_DIRECTION = re.compile(r"^[\[(*_][^\])*_]{0,60}[\])*_]$")  # (laughs), [music], *sighs*
_CAPITALIZED = re.compile(r"^(?:[A-Z][\w'’.-]*)(?: [A-Z][\w'’.-]*){0,2}$")


def _who(label: str, names: list[str]) -> str | None:
    wanted = " ".join(label.split()).lower()
    for name in names:
        if name.lower() == wanted:
            return name
    for position, roles in enumerate(ROLES):
        if wanted in roles and position < len(names):
            return names[position]
    return None


def parse_turns(reply: str, names: list[str]) -> tuple[list[tuple[str, str]], str]:
    """(speaker, text) turns from an LLM reply, repaired where the fix is certain, and what is still wrong.

    Bold or bracketed names, role labels ("Host:", "Speaker 2:"), names on a line of their own, a
    turn running into the next on one line and stage directions are repaired. A reply with no turns, or
    with speakers who are not hosts, comes back with a problem ("" when none).
    """
    turns: list[list[Any]] = []
    preamble: list[str] = []
    strangers: list[str] = []
    inline = re.compile(rf"(?<=[.!?…\"”])\s+[*_]{{0,2}}({'|'.join(map(re.escape, names))})[*_]{{0,2}}\s*:[*_]{{0,2}}\s*",
                        re.IGNORECASE)
    for raw in reply.replace("\r", "").split("\n"):
        line = raw.strip()
        if not line or _DIRECTION.match(line) or set(line) <= set("-*_=#"):
            continue
        speaker, text = None, line
        label = _LABEL.match(line)
        bare = _BARE.match(line)
        if label and _who(label["label"], names):
            speaker, text = _who(label["label"], names), label["rest"]
        elif bare and _who(bare["label"], names):
            speaker, text = _who(bare["label"], names), ""
        elif label and _CAPITALIZED.match(label["label"].strip()) and label["rest"]:
            strangers.append(label["label"].strip())
            speaker, text = f"?{label['label'].strip()}", label["rest"]
        if speaker:
            turns.append([speaker, [text] if text else []])
        elif turns:
            turns[-1][1].append(text)
        else:
            preamble.append(text)
    if not turns:
        block = " ".join(preamble).strip()
        return ([(names[0], block)] if block else []), "there are no turns starting with a host's name"
    if preamble and not preamble[-1].endswith(":"):  # "Sure, here is the dialogue:" is dropped
        turns.insert(0, [names[0], preamble])
    split: list[tuple[str, str]] = []
    for speaker, parts in turns:  # "…, right? Ben: Exactly." is two turns
        pieces = inline.split(" ".join(p for p in parts if p))
        split.append((speaker, pieces[0]))
        split += [(_who(pieces[i], names) or speaker, pieces[i + 1]) for i in range(1, len(pieces) - 1, 2)]
    merged: list[tuple[str, str]] = []
    for speaker, text in split:
        text = " ".join(text.split())
        if not text:
            continue
        if merged and merged[-1][0] == speaker:
            merged[-1] = (speaker, f"{merged[-1][1]} {text}")
        else:
            merged.append((speaker, text))
    problem = f"speakers who are not hosts: {', '.join(dict.fromkeys(strangers))}" if strangers else ""
    return merged, problem


def give_strangers_turns(turns: list[tuple[str, str]], names: list[str]) -> list[tuple[str, str]]:
    """Turns by unknown speakers ("?Name") go to the host who did not speak just before (last resort)."""
    fixed: list[tuple[str, str]] = []
    for speaker, text in turns:
        if speaker.startswith("?"):
            before = fixed[-1][0] if fixed else names[-1]
            speaker = next((n for n in names if n != before), names[0])
        if fixed and fixed[-1][0] == speaker:
            fixed[-1] = (speaker, f"{fixed[-1][1]} {text}")
        else:
            fixed.append((speaker, text))
    return fixed


@WRITERS.register
class DialogueWriter(LLMWriter):
    """Two hosts talk through each paper; overview and outro are conversations too; every turn is checked."""

    name = "dialogue"
    description = "two hosts in conversation, by an LLM (same client and [writer.openai] settings as openai)"
    hosts = 2
    options_from = ("openai",)
    turn_words = WORDS_PER_TURN

    def __init__(self, options: dict[str, Any] | None = None):
        super().__init__(options)
        self.names: list[str] = []
        self._hosts_text = ""

    def write(self, episode: Episode, progress: Progress | None = None) -> list[Segment]:
        """Intro, an overview conversation, a conversation per paper, a closing conversation."""
        if len(episode.hosts) != 2:
            raise ConfigError(f"the dialogue writer needs two hosts, not {len(episode.hosts)}",
                              "drop --hosts 1, or set script.hosts = 2")
        self.names = [h.name for h in episode.hosts]
        self._hosts_text = "\n".join(f"- {h.name}: {h.persona}" for h in episode.hosts)
        return super().write(episode, progress)

    # The openai writer calls these three for its segments; here each is a conversation.
    def _overview(self, episode: Episode, themes: list[tuple[str, list[int]]]) -> Segment:
        prompt = self._render("dialogue_overview", show=episode.show, count=len(episode.papers),
                              themes=self._theme_lines(episode, themes), words=self._words_for("overview", themes))
        source = "\n".join(p.summary or p.abstract for p in episode.papers)
        return self._segment("overview", "overview", i18n.segment_title("overview", episode.language), episode,
                             prompt, source, self._context(episode, themes))

    def _outro(self, episode: Episode, themes: list[tuple[str, list[int]]]) -> Segment:
        closing = episode.closing_text.strip() or "(nothing)"
        prompt = self._render("dialogue_outro", show=episode.show, count=len(episode.papers), closing=closing,
                              themes=self._theme_lines(episode, themes), words=self._words_for("outro", themes))
        return self._segment("outro", "outro", i18n.segment_title("outro", episode.language), episode, prompt,
                             closing, self._context(episode, themes) + [episode.show])

    def _comment(self, paper, theme: str, part: str, previous_line: str, piece: str, words: int, source: str,
                 previous: str) -> tuple[list[tuple[str, str]], list[str]]:
        prompt = self._render("dialogue", title=paper.title, theme=theme or "(none)", part=part,
                              previous=previous_line, summary=piece, words=words,
                              turns=min(MAX_TURNS, max(MIN_TURNS, round(words / WORDS_PER_TURN))))
        return self._converse(prompt, source, [paper.title, previous])

    def _spoken_alone(self, line: str) -> str:
        return render_turns([(self.names[0], line)])

    def _joined(self, pieces: list) -> str:
        return render_turns([(s, written(t)) for turns in pieces for s, t in turns])

    def _words_for(self, kind: str, themes: list[tuple[str, list[int]]]) -> int:
        return 60 + 30 * len(themes) if kind == "overview" else 80

    def _render(self, name: str, **values: Any) -> str:
        first, second = self.names
        return self.prompts.render(name, first=first, second=second, language=self.language, **values)

    def _segment(self, seg_id: str, kind: str, title: str, episode: Episode, prompt: str, source: str,
                 allowed: list[str]) -> Segment:
        turns, flags = self._converse(prompt, source, allowed)
        text = render_turns([(s, written(t)) for s, t in turns])
        return Segment(id=seg_id, kind=kind, title=title, text=text, flags=flags)

    def _converse(self, prompt: str, source: str, allowed: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
        """Turns for ``prompt``: format repaired or asked again once, then each turn checked against ``source``."""
        assert self._chat
        system = self.prompts.render("dialogue_system", show=self._show, language=self.language,
                                     hosts=self._hosts_text, first=self.names[0], second=self.names[1])
        messages = [{"role": "system", "content": system}, {"role": "user", "content": prompt}]
        reply = self._chat.complete(messages)
        turns, problem = parse_turns(reply, self.names)
        flags: list[str] = []
        if problem:
            messages += [{"role": "assistant", "content": reply},
                         {"role": "user", "content": self._render("dialogue_format", problem=problem)}]
            reply = self._chat.complete(messages)
            again, second_problem = parse_turns(reply, self.names)
            if again:  # the answer to the reminder, unless it is empty
                turns, problem = again, second_problem
            if problem:
                flags.append(f"{REPAIRED} {problem}; "
                             + ("the host says it alone" if problem.startswith("there are no")
                                else "their lines go to the hosts"))
                turns = give_strangers_turns(turns, self.names)
        allowed = [*allowed, *self.names]
        checked = [unsupported(text, source, allowed) for _, text in turns]
        for number, ((speaker, text), found) in enumerate(zip(turns, checked), 1):
            if found:  # one retry for this turn alone, then its claims are flagged
                problems = ", ".join(f.removeprefix(FLAG_PREFIX).strip() for f in found)
                ask = messages + [{"role": "assistant", "content": render_turns(turns)},
                                  {"role": "user", "content": self.prompts.render(
                                      "dialogue_revise", number=number, speaker=speaker, problems=problems)}]
                revised, _ = parse_turns(self._chat.complete(ask), [speaker])
                new_text = " ".join(t for _, t in revised)
                new_found = unsupported(new_text, source, allowed)
                if new_text and len(new_found) <= len(found):
                    turns[number - 1], found = (speaker, new_text), new_found
            flags += [f"{f} (turn {number}, {speaker})" for f in found]
        return turns, flags

