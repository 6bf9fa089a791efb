"""The dialogue writer against a local OpenAI-compatible server: turns, repairs, per-turn flags, voices, edits."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import invoke
from podcast.writers.dialogue import parse_turns
from test_hosts import LowFake, two_engines  # noqa: F401  (the fixture)

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "llm"))
from fake_openai import FakeOpenAI, dialogue_text, faithful_text, task, user_text  # noqa: E402

NEWSLETTER = Path(__file__).parent / "fixtures" / "llm" / "newsletter.txt"
NAMES = ["Ada", "Ben"]
HOSTS = ('[hosts.Ada]\npersona = "the host"\nengine = "fake"\n'
         '[hosts.Ben]\npersona = "a curious co-host"\nengine = "fakelow"\n')


@pytest.mark.parametrize("reply, turns", [
    ("Ada: Hello there.\n\nBen: Hi.", [("Ada", "Hello there."), ("Ben", "Hi.")]),
    ("**Ada:** Bold names.\n**Ben**: Still fine.\nADA: Loud.", [("Ada", "Bold names."), ("Ben", "Still fine."),
                                                               ("Ada", "Loud.")]),
    ("Host: The role.\nCo-host: The other role.", [("Ada", "The role."), ("Ben", "The other role.")]),
    ("ADA\nA screenplay block.\nIt goes on.\n\n**Ben**\nAnother.", [("Ada", "A screenplay block. It goes on."),
                                                                  ("Ben", "Another.")]),
    ("Ada: It runs on, right? Ben: Exactly. Ada: Good.", [("Ada", "It runs on, right?"), ("Ben", "Exactly."),
                                                           ("Ada", "Good.")]),
    ("Sure! Here is the conversation:\n---\nAda: One.\n(laughs)\n*sighs*\nBen: Two.",
     [("Ada", "One."), ("Ben", "Two.")]),
    ("- [Ben]: A list mark.\n  Ada:   spaced out.", [("Ben", "A list mark."), ("Ada", "spaced out.")]),
    ("Ada: The score: 3 out of 4.\nBen: At 10:30, noted.", [("Ada", "The score: 3 out of 4."),
                                                            ("Ben", "At 10:30, noted.")]),
])
def test_replies_in_turns_or_repairable_formats_parse_without_problems(reply, turns):
    assert parse_turns(reply, NAMES) == (turns, "")


def test_replies_that_cannot_be_repaired_name_the_problem():
    block, problem = parse_turns("A plain paragraph with no names.\nAnd a second line.", NAMES)
    assert block == [("Ada", "A plain paragraph with no names. And a second line.")] and "no turns" in problem
    turns, problem = parse_turns("Ada: Hi.\nCarol: I am not a host.\nBen: Right.", NAMES)
    assert problem == "speakers who are not hosts: Carol" and ("?Carol", "I am not a host.") in turns


def malformed(request: dict, number: int) -> str:
    """Each paper's first answer is broken differently; retries answer properly."""
    kind, text = task(request), user_text(request)
    if kind == "dialogue" and "Paper: Sparse Lanterns" in text:  # no names: one block
        return "Sparse Lanterns is a retrieval layer. It keeps quality while cutting attention cost."
    if kind == "dialogue" and "Paper: Counting Sheep" in text:  # invented speakers, twice in a row
        return "Narrator: This paper trains a diffusion model.\nCarol: It counts objects in pictures of farms."
    if kind == "dialogue_format" and "Paper: Counting Sheep" in json.dumps(request):
        return "Narrator: This paper trains a diffusion model.\n\nAda: It counts objects in pictures of farms."
    if kind == "dialogue" and "Paper: Polite Agents" in text:  # formatting a model might use
        return ("Sure! Here's the conversation:\n\n**Ada:** Polite Agents Negotiate Better is our last paper. "
                "It used a 7B language model. **Ben:** Polite agents made more deals?\n(laughs)\n"
                "Ada: Yes, 23 percent more agreements across 500 simulated markets.")
    return dialogue_text(request) if kind.startswith("dialogue") else faithful_text(request)


def build(*extra: str):
    return invoke("build", str(NEWSLETTER), "--writer", "dialogue", "--episode", "talk", *extra)


def test_dialogue_episode_with_two_voices_and_repaired_turns(two_engines):
    fake, low = two_engines
    with FakeOpenAI(malformed) as server:
        Path("podcast.toml").write_text(HOSTS + f'[writer.openai]\nbase_url = "{server.base_url}"\n')
        result = build()
        tasks = server.tasks()
    assert result.exit_code == 0, result.stderr
    assert tasks.count("dialogue") == 3 and tasks.count("dialogue_format") == 2
    assert {"dialogue_overview", "dialogue_outro"} <= set(tasks) and "commentary" not in tasks
    folder = Path("output/talk")
    script = (folder / "script.md").read_text()
    assert "Ada: This month the papers fall into a few themes.\n\nBen: Then let's start right away." in script
    assert "Ben: Thanks for listening, and tell a friend." in script  # the outro is a conversation
    assert "Ada: Let's talk about Sparse Lanterns for Long Context." in script  # the retry was in turns
    assert "Ben: Polite agents made more deals?" in script and "Here's the conversation" not in script
    assert "laughs" not in script and "Narrator" not in script and "Carol" not in script
    flags = json.loads((folder / "script.json").read_text())["flags"]
    assert flags["paper-2504.01002"] == ["turn format repaired: speakers who are not hosts: Narrator; "
                                         "their lines go to the hosts"]
    assert "paper-2504.01001" not in flags and "paper-2504.01003" not in flags
    spoken = fake.calls + low.calls
    assert spoken and not any(name in c for c in spoken for name in ("Ada:", "Ben:", "Narrator", "Carol", "**"))
    assert any(c.startswith("Polite agents made more deals?") for c in low.calls)  # Ben's voice
    vtt = (folder / "transcript.vtt").read_text()
    assert "<v Ben>Polite agents made more deals?" in vtt and "<v Ada>Welcome to" in vtt


def inventive(request: dict, number: int) -> str:
    """Ben adds a figure the summary lacks; for one paper the retry still has it, for another it does not."""
    kind, text = task(request), user_text(request)
    if kind == "dialogue" and "Paper: Counting Sheep" in text:
        return ("Ada: This paper trains a diffusion model to count objects in pictures of farms.\n\n"
                "Ben: So it beats GPT-4 with 97% accuracy?\n\n"
                "Ada: It reports an error of 1.3 animals on the FlockCount dataset.")
    if kind == "dialogue" and "Paper: Polite Agents" in text:
        return "Ada: Agents built on a 7B language model negotiated more deals.\n\nBen: Across 900 markets?"
    if kind == "dialogue_revise" and "GPT-4" in text:
        return "Ben: So it is more accurate, at 97%?"
    if kind == "dialogue_revise":
        return "Ben: Across many simulated markets?"
    return dialogue_text(request) if kind.startswith("dialogue") else faithful_text(request)


def test_every_turn_is_checked_retried_once_then_flagged(fake_engine):
    with FakeOpenAI(inventive) as server:
        Path("podcast.toml").write_text(f'[writer.openai]\nbase_url = "{server.base_url}"\n')
        result = invoke("script", str(NEWSLETTER), "--writer", "dialogue", "--episode", "talk")
        revisions = [user_text(r) for r in server.requests if task(r) == "dialogue_revise"]
    assert result.exit_code == 0, result.stderr
    assert len(revisions) == 2 and all(r.startswith("In your conversation, turn 2 (Ben)") for r in revisions)
    flags = json.loads(Path("output/talk/script.json").read_text())["flags"]
    assert flags["paper-2504.01002"] == ["not in the source: 97% (turn 2, Ben)"]  # GPT-4 was dropped, 97% stayed
    assert "paper-2504.01003" not in flags  # the retry fixed it
    script = Path("output/talk/script.md").read_text()
    assert "Ben: So it is more accurate, at 97%?" in script and "GPT" not in script  # written; said at speak time
    assert "Ben: Across many simulated markets?" in script and "900" not in script
    preview = invoke("preview", "output/talk", "--segment", "paper-2504.01002", "--engine", "fake")
    assert "faithfulness: not in the source: 97% (turn 2, Ben)" in preview.output


def test_editing_one_turn_respeaks_only_that_turn_and_asks_the_llm_nothing(two_engines):
    fake, low = two_engines
    with FakeOpenAI() as server:
        Path("podcast.toml").write_text(HOSTS + f'[writer.openai]\nbase_url = "{server.base_url}"\n')
        assert build().exit_code == 0
        requests = len(server.requests)
        script = Path("output/talk/script.md")
        text = script.read_text()
        old = "Ben: And what else?\n\nAda: The method adds a counting head"
        assert old in text
        script.write_text(text.replace(old, "Ben: How does it count?\n\nAda: The method adds a counting head"))
        fake.calls.clear()
        low.calls.clear()
        again = build()
        assert len(server.requests) == requests
    assert again.exit_code == 0, again.stderr
    assert "(1 spoken now, 5 from cache)" in again.output
    assert fake.calls == [] and low.calls == ["How does it count?"]
    assert "<v Ben>How does it count?" in Path("output/talk/transcript.vtt").read_text()


def test_dialogue_needs_two_hosts(fake_engine):
    with FakeOpenAI() as server:
        Path("podcast.toml").write_text(f'[writer.openai]\nbase_url = "{server.base_url}"\n')
        result = invoke("script", str(NEWSLETTER), "--writer", "dialogue", "--hosts", "1")
    assert result.exit_code == 2 and "the dialogue writer needs two hosts" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
