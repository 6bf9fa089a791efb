"""`podcast preview --spoken`: exactly what the engine receives, checked for anything a voice cannot say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import invoke
from podcast.speech.speak import SEPARATOR
from podcast.speech.text import split_sentences

FIXTURES = Path(__file__).parent / "fixtures"
OWN = [FIXTURES / "spoken" / "newsletter.txt", FIXTURES / "spoken" / "symbols.txt",
       FIXTURES / "llm" / "newsletter.txt", FIXTURES / "ingest" / "digest-en.txt",
       FIXTURES / "ingest" / "papers.yaml"]
FAULTS = {
    "a digit": re.compile(r"\d"),
    "a symbol": re.compile(r"[§^_\\/×±≈→~$%&@#|<>\[\]{}=*]"),
    "a URL": re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|org|net|io|ai|dev|edu|gov)\b"),
    "a one-letter function call": re.compile(r"(?<![\w])[A-Za-z]\("),
}
HEADING = re.compile(r"^## \[([^\]]+)\] .*$", re.MULTILINE)


def faults(spoken: str) -> list[str]:
    """Every fault the checker finds outside the headings: (kind) «context»."""
    found = []
    for line in spoken.splitlines():
        if HEADING.match(line):
            continue
        for kind, pattern in FAULTS.items():
            found += [f"{kind}: «{line[max(0, m.start() - 40):m.end() + 40]}»" for m in pattern.finditer(line)]
    return found


def test_the_checker_finds_what_it_looks_for():
    found = faults("## [paper-1] Title 2\n\nRead 2 papers at https://x.org, L(N) = 5% & more.")
    assert {f.split(":")[0] for f in found} == set(FAULTS)
    assert sum(f.startswith("a digit") for f in found) == 2  # the heading's digit is not checked
    assert faults("## [paper-1] Title 2\n\nNothing wrong here, twenty-two billion.") == []


def spoken_preview(source: Path, episode: str) -> tuple[str, str]:
    assert invoke("script", str(source), "--episode", episode).exit_code == 0
    result = invoke("preview", f"output/{episode}", "--spoken", "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    return result.stdout, result.stderr


def test_whole_shared_sample_says_nothing_unspeakable(shared_sample, fake_engine):
    spoken, warnings = spoken_preview(shared_sample, "sample")
    assert faults(spoken) == []
    script = Path("output/sample/script.md").read_text()
    assert HEADING.findall(spoken) == HEADING.findall(script)  # script.md's layout, every segment
    assert len(HEADING.findall(spoken)) == 53
    assert "a formula given in the paper" in spoken  # the scaling law, not read symbol by symbol
    assert "cut off mid-sentence" in warnings  # the summary that stops at "leading to mode"


@pytest.mark.parametrize("source", OWN, ids=lambda p: p.name)
def test_own_fixtures_say_nothing_unspeakable(source, fake_engine):
    spoken, _ = spoken_preview(source, "own")
    assert faults(spoken) == []


def test_spoken_preview_is_exactly_what_the_engine_receives(fake_engine):
    source = FIXTURES / "spoken" / "symbols.txt"
    spoken, _ = spoken_preview(source, "y")
    assert invoke("build", str(source), "--episode", "y", "--engine", "fake").exit_code == 0
    heard = [s for call in fake_engine.calls for part in call.split(SEPARATOR) for s in split_sentences(part)]
    shown = [s for block in HEADING.split(spoken)[2::2] for s in split_sentences(block)]
    assert heard == shown


def test_spoken_keeps_hindi_and_korean_digits(fake_engine):
    for name, language in (("digest-hi.txt", "hi"), ("digest-ko.txt", "ko")):
        spoken, _ = spoken_preview(FIXTURES / "ingest" / name, language)
        body = HEADING.sub("", spoken)
        assert re.search(r"\d", body), f"{language}: digits stay digits"
        assert not re.search(r"https?://", body)
