"""A corpus of malformed inputs, configs, scripts and arguments: each is one line on stderr, exit 2,
no traceback, and nothing written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import invoke

GOOD = Path(__file__).parent / "fixtures" / "pipeline" / "newsletter.txt"

# name -> (file name, content) of inputs that cannot make an episode
INPUTS = {
    "empty": ("empty.txt", b""),
    "blank lines": ("blank.txt", b"\n \n\t\n"),
    "png bytes": ("cover.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
    "latin-1": ("latin1.txt", "# Caf\xe9 papers\nhttps://arxiv.org/abs/2501.00001\nSome text.\n".encode("latin-1")),
    "utf-16": ("utf16.txt", "# Title\nhttps://arxiv.org/abs/2501.00001\nText.\n".encode("utf-16-le")),
    "header only": ("header.txt", b"Welcome to the newsletter!\nThis month we have nothing.\n"),
    "closing only": ("closing.txt", b"Thanks for reading/listening, that's all.\nhttps://example.com\n"),
    "json list of numbers": ("nums.json", b"[1, 2, 3]"),
    "json truncated": ("cut.json", b'{"papers": [{"title": "A", "summary": "B"'),
    "json no papers": ("none.json", b'{"papers": []}'),
    "json paper without title": ("untitled.json", b'{"papers": [{"summary": "no title here"}]}'),
    "json title a number": ("numtitle.json", b'{"papers": [{"title": 42, "summary": "x"}]}'),
    "json papers a string": ("strpapers.json", b'{"papers": "Attention Is All You Need"}'),
    "yaml syntax": ("bad.yaml", b"papers:\n  - title: [unclosed\n    summary: x\n"),
    "yaml scalar": ("scalar.yaml", b"just a sentence\n"),
    "ids with garbage": ("ids.txt", b"2501.00001\nnot-an-id\n2501.00002\n"),
}

CONFIGS = {
    "toml syntax": "[audio\npause = 1\n",
    "unknown section": "[sound]\npause = 1.0\n",
    "unknown key": "[audio]\npuase = 1.0\n",
    "wrong type": '[audio]\npause = "long"\n',
    "out of range": "[audio]\nloudness = 0.0\n",
    "misspelled engine": "[engine.pipr]\nlength_scale = 1.0\n",
    "misspelled writer": "[writer.opneai]\nmodel = 'x'\n",
    "secret in file": "[writer.openai]\napi_key = 'sk-abcdefghijklmnop'\n",
    "list expected": "[search]\nexclude = 'robots'\n",
    "unknown writer": "[script]\nwriter = 'poet'\n",
    "hosts out of range": "[script]\nhosts = 3\n",
    "reading writer option": "[writer.reading]\nspeed = 1.2\n",
    "openai writer option": "[writer.openai]\nmodle = 'gpt-4o'\n",
    "dialogue writer option": "[writer.dialogue]\ntemprature = 0.5\n",
    "engine option": "[engine.piper]\nlenght_scale = 1.1\n",
    "publisher option": "[publisher.notes]\nenable = false\n",
    "unknown publisher": "[publisher.notse]\nenabled = false\n",
    "host key": "[hosts.Ada]\npersna = 'the host'\n",
    "host engine": "[hosts.Ada]\nengine = 'pipr'\n",
    "section not a table": "show = 'Paper Cuts'\n",
    "show key": "[show]\nauthor_email = 'a@example.com'\n",
    "speech key": "[speech]\nvoices = 'heart'\n",
    "video key": "[video]\nstyel = 'slides'\n",
    "youtube key": "[youtube]\nprivacy_status = 'public'\n",
    "feed key": "[feed]\nbaseurl = 'https://example.com'\n",
    "search key": "[search]\nmax = 10\n",
}
# what the line of each case above must name besides the file: the key, and the valid choices
CONFIG_NAMES = {
    "reading writer option": ("writer.reading.speed", "takes no options"),
    "openai writer option": ("writer.openai.modle", "'model'"),
    "dialogue writer option": ("writer.dialogue.temprature", "'temperature'"),
    "engine option": ("'lenght_scale'", "length_scale"),
    "publisher option": ("publisher.notes.enable", "'enabled'"),
    "unknown publisher": ("[publisher.notse]", "chapters, notes, transcripts"),
    "host key": ("hosts.Ada.persna", "persona, engine, voice"),
    "host engine": ("hosts.Ada.engine", "'piper'"),
    "section not a table": ("[show]", "name = "),
    "show key": ("show.author_email", "known keys: name, author,"),
    "speech key": ("speech.voices", "'voice'"),
    "video key": ("video.styel", "'style'"),
    "youtube key": ("youtube.privacy_status", "'privacy'"),
    "feed key": ("feed.baseurl", "'base_url'"),
    "search key": ("search.max", "max_results"),
}
assert set(CONFIG_NAMES) <= set(CONFIGS), set(CONFIG_NAMES) - set(CONFIGS)  # a misspelt case name is not skipped

ARGS = {
    "episode id with a path": ("--episode", "../evil"),
    "episode id hidden": ("--episode", ".hidden"),
    "unknown language": ("--language", "xx"),
    "unknown engine": ("--engine", "nope"),
    "unknown writer": ("--writer", "nope"),
    "missing input": ("does-not-exist.txt",),
    "a folder as input": (".",),
}


def check_one_line(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.output)
    assert "Traceback" not in result.stderr + result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its content hash."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}


@pytest.mark.parametrize("name", sorted(INPUTS))
@pytest.mark.parametrize("command", ["build", "add"])
def test_malformed_input(name, command, tmp_path, monkeypatch):
    monkeypatch.setenv("PODCAST_ARXIV_URL", "http://127.0.0.1:9/api/query?{}")  # never reached for these
    file_name, content = INPUTS[name]
    path = tmp_path / "in" / file_name
    path.parent.mkdir()
    path.write_bytes(content)
    out = tmp_path / "out"
    args = [command, str(path), "--out", str(out)] + (["--engine", "espeak"] if command == "build" else [])
    line = check_one_line(invoke(*args))
    assert str(path) in line or file_name in line or "arXiv" in line, line
    assert not out.exists()


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_malformed_config(name, tmp_path):
    config = tmp_path / "podcast.toml"
    config.write_text(CONFIGS[name])
    out = tmp_path / "out"
    line = check_one_line(invoke("build", str(GOOD), "--config", str(config), "--out", str(out)))
    assert str(config) in line  # the message names the file
    assert all(part in line for part in CONFIG_NAMES.get(name, ())), line  # the key and the valid choices
    assert "sk-abcdefghijklmnop" not in line
    assert not out.exists()


@pytest.mark.parametrize("name", sorted(ARGS))
def test_malformed_arguments(name, tmp_path):
    args = ARGS[name]
    inputs = [] if args[0] in ("does-not-exist.txt", ".") else [str(GOOD)]
    out = tmp_path / "out"
    check_one_line(invoke("build", *inputs, *args, "--out", str(out)))
    assert not out.exists()


SCRIPT_EDITS = {
    "duplicate segment": lambda text: text + "\n## [intro] Introduction again\n\nHello twice.\n",
    "unknown segment id": lambda text: text.replace("## [outro]", "## [paper-9999.99999]"),
    "empty segment": lambda text: text.replace("## [outro] Outro", "## [outro] Outro\n\n## [extra-empty]"),
    "no headings": lambda text: "Just some words, no headings at all.\n",
}


@pytest.mark.parametrize("name", sorted(SCRIPT_EDITS))
def test_malformed_script_writes_nothing_but_the_state_record(name, tmp_path):
    out = tmp_path / "out"
    assert invoke("script", str(GOOD), "--out", str(out)).exit_code == 0
    script = out / "2025-05" / "script.md"
    script.write_text(SCRIPT_EDITS[name](script.read_text()))
    before = tree(out)
    check_one_line(invoke("build", str(GOOD), "--engine", "espeak", "--out", str(out)))
    after = tree(out)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert changed == ["2025-05/state.json"]  # only the record that the script stage did not finish
    assert json.loads((out / "2025-05" / "state.json").read_text())["unfinished"] == ["script"]
