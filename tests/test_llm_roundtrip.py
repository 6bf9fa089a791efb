"""Round trip: build with the LLM writer, edit one segment of script.md, rebuild; only it is spoken again."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from podcast.cli import cli

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "llm"))
from fake_openai import FakeOpenAI  # noqa: E402

NEWSLETTER = Path(__file__).parent / "fixtures" / "llm" / "newsletter.txt"
EDITED = "paper-2504.01002"


def build():
    return CliRunner().invoke(cli, ["build", str(NEWSLETTER), "--writer", "openai", "--engine", "fake",
                                    "--episode", "trip"], catch_exceptions=False)


def test_editing_one_segment_respeaks_only_that_segment(fake_engine):
    folder = Path("output/trip")
    with FakeOpenAI() as server:
        Path("podcast.toml").write_text(f'[writer.openai]\nbase_url = "{server.base_url}"\n')
        first = build()
        assert first.exit_code == 0, first.output
        assert "Segments: 6 (6 spoken now, 0 from cache)" in first.output
        requests = len(server.requests)
        before = json.loads((folder / "speech.json").read_text())["segments"]
        mp3 = (folder / "episode.mp3").read_bytes()

        script = folder / "script.md"
        text = script.read_text()
        heading = f"## [{EDITED}] Counting Sheep with Diffusion\n\n"
        assert heading in text
        script.write_text(text.replace(heading, heading + "A quick correction before we start. "))
        fake_engine.calls.clear()
        second = build()
        assert len(server.requests) == requests  # the edited script is used as it is: no LLM calls

    assert second.exit_code == 0, second.output
    assert "Segments: 6 (1 spoken now, 5 from cache)" in second.output
    assert "using your edited" in second.output
    spoken = " ".join(fake_engine.calls)
    assert spoken.startswith("A quick correction before we start.") and "Counting Sheep with Diffusion" in spoken
    assert "Sparse Lanterns" not in spoken and "Polite Agents" not in spoken
    after = json.loads((folder / "speech.json").read_text())["segments"]
    assert [s for s in after if after[s] != before[s]] == [EDITED]
    assert (folder / "episode.mp3").read_bytes() != mp3
