"""The command line as users meet it: help, bad input, config errors, exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import invoke

HEAVY = ("numpy", "onnxruntime", "piper", "openai", "pydub", "arxiv", "gtts", "mutagen", "yaml", "rich.progress")


def run(*args: str):
    """Invoke the CLI in-process; stderr is kept apart from stdout."""
    return invoke(*args)


def assert_one_line_error(result, code: int, *needles: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output + result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_help_lists_commands_and_starts_without_heavy_imports():
    code = ("import sys, runpy; sys.argv=['podcast','--help'];\n"
            "try: runpy.run_module('podcast', run_name='__main__')\n"
            "except SystemExit: pass\n"
            f"print('HEAVY:', [m for m in {HEAVY!r} if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "build" in proc.stdout and "script" in proc.stdout
    assert "HEAVY: []" in proc.stdout, proc.stdout


@pytest.mark.parametrize("command", ["build", "script"])
def test_command_help_teaches(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output and "--episode" in result.output and "--language" in result.output


BAD_INPUTS = {
    "empty": b"",
    "whitespace": b"   \n\n\t  \n",
    "binary": bytes(range(256)) * 4,
    "no-papers": b"Welcome to a newsletter with a header only.\nNothing else to see here, sorry.\n",
    "bare-title": b"Header line one.\nHeader line two.\n# A Title With Nothing Under It\n# Second Paper\n"
                  b"https://arxiv.org/abs/1706.03762\nA summary of it.\n",
    "bad-json": b'[{"title": "x", "link": ',
    "bad-yaml": b"- title: [unclosed\n  summary: x\n",
    "wrong-types": b'[{"title": 42, "link": ["https://arxiv.org/abs/1706.03762"], "summary": "x"}]',
}
SUFFIX = {"bad-json": ".json", "bad-yaml": ".yaml", "wrong-types": ".json"}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, name):
    path = tmp_path / f"input{SUFFIX.get(name, '.txt')}"
    path.write_bytes(BAD_INPUTS[name])
    result = run("build", str(path), "--out", str(tmp_path / "out"))
    assert_one_line_error(result, 2)
    assert not (tmp_path / "out").exists()


def test_missing_path_and_directory(tmp_path):
    result = run("build", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "out"))
    assert_one_line_error(result, 2, "nope.txt")
    result = run("script", str(tmp_path), "--out", str(tmp_path / "out"))
    assert_one_line_error(result, 2, "directory")
    assert not (tmp_path / "out").exists()


def test_unknown_writer_lists_valid_ones(bundled_sample, tmp_path):
    result = run("script", str(bundled_sample), "--writer", "shakespeare", "--out", str(tmp_path))
    assert_one_line_error(result, 2, "unknown script writer 'shakespeare'", "reading", "openai")


def test_bad_config_value_names_key_and_fix(bundled_sample, tmp_path):
    config = tmp_path / "podcast.toml"
    config.write_text('[audio]\npause = "long"\n')
    result = run("script", str(bundled_sample), "--config", str(config), "--out", str(tmp_path))
    assert_one_line_error(result, 2, "audio.pause", "must be a float")
    config.write_text("[audio]\npuase = 1.0\n")
    result = run("script", str(bundled_sample), "--config", str(config), "--out", str(tmp_path))
    assert_one_line_error(result, 2, "unknown key audio.puase", "pause")
    config.write_text("[audio\n")
    result = run("script", str(bundled_sample), "--config", str(config), "--out", str(tmp_path))
    assert_one_line_error(result, 2, "not valid TOML")


def test_bad_episode_id_is_refused(bundled_sample, tmp_path):
    result = run("script", str(bundled_sample), "--episode", "../escape", "--out", str(tmp_path / "out"))
    assert_one_line_error(result, 2, "episode id")
    assert not (tmp_path / "escape").exists()


def test_config_paths_are_relative_to_the_config_file(bundled_sample, tmp_path, monkeypatch):
    from podcast.config import load_config

    folder = tmp_path / "show"
    folder.mkdir()
    (folder / "podcast.toml").write_text('[speech]\nlexicon = "words.toml"\n[engine.piper]\nmodel = "v.onnx"\n'
                                        '[audio]\nintro = "/abs/intro.wav"\n')
    monkeypatch.chdir(tmp_path)
    config = load_config(folder / "podcast.toml")
    assert config.get("speech", "lexicon") == str(folder / "words.toml")
    assert config.options("engine", "piper")["model"] == str(folder / "v.onnx")
    assert config.get("audio", "intro") == "/abs/intro.wav"
    assert config.get("audio", "outro") == ""
