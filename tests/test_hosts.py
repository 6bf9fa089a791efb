"""Hosts: turns in script.md, a voice per host, speakers in the timeline, captions and show notes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from mutagen.mp3 import MP3

from conftest import FakeEngine, invoke
from podcast.config import Config, load_config
from podcast.errors import ConfigError
from podcast.hosts import render_turns, resolve_hosts, split_turns
from podcast.models import Episode, Host, Segment, Sentence, Timeline, TimelineEntry
from podcast.publish import to_srt, to_vtt
from podcast.speech.base import ENGINES, Speech, Voice
from podcast.speech.cache import SpeechCache
from podcast.speech.speak import plan
from podcast.speech.voices import host_engines

NEWSLETTER = Path(__file__).parent / "fixtures" / "llm" / "newsletter.txt"


class LowFake(FakeEngine):
    """A second engine: another sample rate (so turns are resampled) and a lower pitch."""

    name = "fakelow"
    calls: list[str] = []

    def synthesize(self, text: str) -> Speech:
        LowFake.calls.append(text)
        speech = FakeEngine.synthesize(self, text)
        FakeEngine.calls.pop()
        rate = 22_050
        samples = np.interp(np.arange(int(len(speech.samples) * rate / 16_000)) * 16_000 / rate,
                            np.arange(len(speech.samples)), speech.samples).astype(np.float32)
        return Speech(0.5 * samples, rate, speech.sentences)


class TwoVoices(FakeEngine):
    """One engine with two voices."""

    name = "fakeduo"

    @classmethod
    def voices(cls) -> list[Voice]:
        return [Voice("alto", cls.languages), Voice("bass", cls.languages)]


@pytest.fixture
def two_engines(fake_engine):
    ENGINES.register(LowFake)
    ENGINES.register(TwoVoices)
    LowFake.calls = []
    yield fake_engine, LowFake
    ENGINES.unregister(LowFake.name)
    ENGINES.unregister(TwoVoices.name)


def config(text: str) -> Config:
    Path("podcast.toml").write_text(text)
    return load_config()


HOSTS = '[hosts.Ada]\npersona = "the host"\nengine = "fake"\n[hosts.Ben]\npersona = "the co-host"\nengine = "fakelow"\n'


def test_turns_split_on_host_names_only_and_render_back():
    text = ("Welcome, everyone.\n\nBen: So what is new?\n\n**Ada**: Three papers.\n\nMethodology: a scorer.\n\n"
            "ada: Lower case works too.\n\nCarl: not a host, so Ada keeps talking.")
    turns = split_turns(text, ["Ada", "Ben"])
    assert turns == [("Ada", "Welcome, everyone."), ("Ben", "So what is new?"),
                     ("Ada", "Three papers.\n\nMethodology: a scorer.\n\nLower case works too.\n\n"
                             "Carl: not a host, so Ada keeps talking.")]
    assert split_turns(render_turns(turns), ["Ada", "Ben"]) == turns
    assert render_turns([("Ben", "Next."), ("Ben", "Body.")]) == "Ben: Next.\n\nBody."
    assert split_turns("Ben: hi", []) == [("", "Ben: hi")]  # one voice: nothing is a name


def test_default_hosts_are_a_host_and_a_curious_cohost():
    assert resolve_hosts(Config(), 1) == []
    ada, ben = resolve_hosts(Config(), 2)
    assert (ada.name, ben.name) == ("Ada", "Ben") and "curious" in ben.persona
    only_ben = config('[hosts.Ben]\npersona = "the host"\n')
    assert [h.name for h in resolve_hosts(only_ben, 2)] == ["Ben", "Ada"]
    assert [h.name for h in resolve_hosts(only_ben, 1)] == ["Ben"]


@pytest.mark.parametrize("text, message", [
    ('[hosts.Ada]\ncolour = "red"\n', "unknown key hosts.Ada.colour"),
    ("[hosts.Ada]\nvoice = 3\n", "must be a string, not 3"),
    ('[hosts."Ada: x"]\n', "is not a name"),
    ("[hosts.A]\n[hosts.B]\n[hosts.C]\n", "has 3 hosts"),
])
def test_bad_host_tables_are_one_line_errors(text, message, fake_engine):
    Path("podcast.toml").write_text(text)
    result = invoke("script", str(NEWSLETTER), "--hosts", "2")
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not Path("output/2025-04/script.md").exists()


def test_two_hosts_on_one_engine_get_two_voices_and_cache_keys_differ(two_engines):
    cfg = config('[speech]\nengine = "fakeduo"\n')
    engines = host_engines(cfg, "en", resolve_hosts(cfg, 2))
    assert {e.name for e in engines.values()} == {"fakeduo"}
    assert engines["Ada"].voice != engines["Ben"].voice and engines["Ben"].voice in ("alto", "bass")
    segment = Segment("intro", "intro", "Intro", "Ada: Same words.\n\nBen: Same words.")
    (p,) = plan([segment], engines["Ada"], voices=engines)
    assert p.speakers == ["Ada", "Ben"] and p.texts == ["Same words.", "Same words."]
    assert p.keys[0] != p.keys[1]
    openai_pair = host_engines(config('[speech]\nengine = "openai"\n[engine.openai]\nbase_url = '
                                      '"http://127.0.0.1:9/v1"\n'), "en", resolve_hosts(Config(), 2))
    assert len({e.voice for e in openai_pair.values()}) == 2


def test_reading_with_two_hosts_alternates_papers_and_names_speakers_everywhere(two_engines):
    fake, low = two_engines
    Path("podcast.toml").write_text(HOSTS + "[audio]\nturn_pause = 0.2\n")
    result = invoke("build", str(NEWSLETTER), "--hosts", "2", "--episode", "duo")
    assert result.exit_code == 0, result.stderr
    folder = Path("output/duo")
    script = (folder / "script.md").read_text()
    assert "Ben: First up: Sparse Lanterns" in script and re.search(r"Ben: [^\n]*Counting Sheep", script)
    assert re.search(r"Ben: First up: Sparse Lanterns[^\n]*\n\nAda: Sparse Lanterns is", script)
    assert re.search(r"Ben: [^\n]*Counting Sheep[^\n]*\n\nThis paper trains", script)  # Ben's paper
    assert all("Ada:" not in c and "Ben:" not in c for c in fake.calls + low.calls)  # names never spoken
    assert any(c.startswith("First up") for c in low.calls) and not any("First up" in c for c in fake.calls)
    assert any("This paper trains a diffusion model" in c for c in low.calls)
    assert any("Sparse Lanterns is a retrieval layer" in c for c in fake.calls)

    timeline = Timeline.load(folder / "timeline.json")
    said = [(s.speaker, s.text) for e in timeline.entries for s in e.sentences]
    assert ("Ben", "First up: Sparse Lanterns for Long Context.") in said
    assert {speaker for speaker, _ in said} == {"Ada", "Ben"}
    turn_gaps = [b.start - a.end for e in timeline.entries for a, b in zip(e.sentences, e.sentences[1:])
                 if a.speaker != b.speaker]
    assert turn_gaps and all(0.15 < gap < 0.45 for gap in turn_gaps)  # 0.2 s plus the fades' edges
    assert abs(MP3(folder / "episode.mp3").info.length - timeline.duration) < 0.1

    vtt = (folder / "transcript.vtt").read_text()
    # a 44-character sentence takes two caption lines (at most 42 characters each)
    assert "<v Ben>First up: Sparse Lanterns for Long Context." in " ".join(vtt.split()) and "<v Ada>" in vtt
    srt_texts = [block.split("\n", 2)[2] for block in (folder / "transcript.srt").read_text().strip().split("\n\n")]
    named = [t for t in srt_texts if t.startswith(("Ada: ", "Ben: "))]
    changes = sum(1 for a, b in zip(said, said[1:]) if a[0] != b[0]) + 1
    assert len(named) == changes and srt_texts[0].startswith("Ada: Welcome")
    notes = (folder / "show-notes.md").read_text()
    assert "Hosts: Ada, the host; Ben, the co-host" in notes
    record = json.loads((folder / "speech.json").read_text())
    assert record["hosts"] == {"Ada": {"engine": "fake", "voice": "default"},
                               "Ben": {"engine": "fakelow", "voice": "default"}}


def test_editing_one_turn_respeaks_only_that_turn(two_engines):
    fake, low = two_engines
    Path("podcast.toml").write_text(HOSTS)
    assert invoke("build", str(NEWSLETTER), "--hosts", "2", "--episode", "duo").exit_code == 0
    script = Path("output/duo/script.md")
    text = script.read_text()
    old = "Ben: First up: Sparse Lanterns for Long Context."
    assert old in text
    script.write_text(text.replace(old, "Ben: We start with long context, and Sparse Lanterns."))
    fake.calls.clear()
    low.calls.clear()
    again = invoke("build", str(NEWSLETTER), "--episode", "duo")
    assert again.exit_code == 0, again.stderr
    assert "Segments: 5 (1 spoken now, 4 from cache)" in again.output
    assert fake.calls == [] and low.calls == ["We start with long context, and Sparse Lanterns."]
    vtt = Path("output/duo/transcript.vtt").read_text()
    assert "<v Ben>We start with long context, and Sparse Lanterns." in " ".join(vtt.split())


def test_captions_tag_voices_and_escape_markup():
    timeline = Timeline(9.0, [TimelineEntry("intro", "intro", "Intro", 0, 9, sentences=[
        Sentence(0, 1, "Is a < b & c?", "Ada"), Sentence(1, 2, "Yes.", "Ben"), Sentence(2, 3, "Sure?", "Ben"),
        Sentence(3, 4, "Quite.", "Ada")])])
    vtt = to_vtt(timeline)
    assert "<v Ada>Is a &lt; b &amp; c?" in vtt and "<v Ben>Sure?" in vtt
    srt = to_srt(timeline)
    assert "Ada: Is a < b & c?" in srt and "Ben: Yes." in srt and "\nSure?\n" in srt and "Ada: Quite." in srt
    plain = to_vtt(Timeline(1, [TimelineEntry("intro", "intro", "I", 0, 1, sentences=[Sentence(0, 1, "Hi.")])]))
    assert "<v" not in plain and "Hi." in plain


def test_episode_keeps_hosts_through_json(tmp_path):
    episode = Episode("x", "Show", hosts=[Host("Ada", "host", "piper", "")])
    episode.save(tmp_path / "e.json")
    assert Episode.load(tmp_path / "e.json").hosts == episode.hosts


def test_hosts_on_an_engine_with_one_voice_are_told_they_sound_alike(fake_engine):
    Path("podcast.toml").write_text('[speech]\nengine = "fake"\n')
    result = invoke("build", str(NEWSLETTER), "--hosts", "2", "--episode", "same")
    assert result.exit_code == 0, result.stderr
    assert "the hosts share one voice (fake has no second voice here)" in result.stderr
