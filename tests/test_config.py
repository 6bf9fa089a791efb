"""Configuration: `podcast init`, and config errors that name the file, the key and the valid choices."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from conftest import invoke as _invoke
from podcast.config import DEFAULTS, load_config
from podcast.errors import ConfigError


def invoke(*args: str):
    return _invoke(*args, catch_exceptions=False)


def test_init_writes_a_commented_config_that_loads_to_the_defaults(tmp_path):
    result = invoke("init", str(tmp_path / "show"), "--name", "Deep Reads", "--host", "Ada Lovelace")
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "show" / "podcast.toml"
    text = path.read_text()
    config = load_config(path)
    assert config.get("show", "name") == "Deep Reads" and config.get("show", "author") == "Ada Lovelace"
    for section, values in DEFAULTS.items():
        assert f"[{section}]" in text
        for key in values:
            if (section, key) not in {("show", "name"), ("show", "author")}:
                assert tomllib.loads(text)[section][key] == values[key], (section, key)
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            assert "# default " in line, line  # every setting says its default
    for topic in ("language", "writer", "engine", "voice", "lexicon", "intro", "outro", "cover", "categories",
                  "exclude", "OPENAI_API_KEY"):
        assert topic in text


def test_init_refuses_to_overwrite(tmp_path):
    path = tmp_path / "podcast.toml"
    path.write_text("# mine\n")
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {path} already exists; not overwriting it (edit it, or remove it first)"]
    assert path.read_text() == "# mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["podcast.toml"]


def test_init_in_the_working_folder():
    assert invoke("init").exit_code == 0
    assert Path("podcast.toml").is_file()
    assert load_config().get("show", "name") == "Paper Cuts"


@pytest.mark.parametrize("toml, expected", [
    ("[engine.pipr]\nlength_scale = 1.1\n",
     "unknown speech engine 'pipr' in [engine.pipr] in {path} (did you mean 'piper'? choose one of: espeak, gtts, hibari, "
     "openai, piper)"),
    ("[writer.opneai]\nmodel = 'x'\n",
     "unknown script writer 'opneai' in [writer.opneai] in {path} (did you mean 'openai'? choose one of: dialogue, "
     "openai, reading)"),
    ("[audoi]\npause = 1.0\n", "unknown section [audoi] in {path} (did you mean 'audio'? known sections: "),
    ("[audio]\npuase = 1.0\n", "unknown key audio.puase in {path} (did you mean 'pause'? known keys: "),
    ("[audio]\nloudness = 3.0\n", "audio.loudness = 3.0 in {path} is out of range (a good value is -40 to -5 LUFS"),
    ("[audio]\nbitrate = 'fast'\n", "audio.bitrate = 'fast' in {path} is out of range (a good value is empty (96k mono, 128k stereo) or 32k to 320k"),
    ("[script]\nwriter = 'reeding'\n",
     "script.writer = 'reeding' in {path} is not a known script writer (did you mean 'reading'? choose one of: "),
    ("[speech]\nengine = 'espeek'\n", "speech.engine = 'espeek' in {path} is not a known speech engine "),
    ("[engine.piper]\nlength_scal = 1.0\n", "unknown option 'length_scal' in [engine.piper] in {path} "),
    ("[engine.espeak]\nrate = 'fast'\n", "[engine.espeak] rate in {path} must be a int, not 'fast'"),
    ("[writer.openai]\ntemperature = 9.0\n", "writer.openai.temperature = 9.0 is out of range in {path} "),
    ("[writer.openai]\nmodle = 'x'\n", "unknown key writer.openai.modle in {path} "),
    ("[search]\ncategories = 'cs.CL'\n", "search.categories in {path} must be a list of strings, not 'cs.CL'"),
    ("[search]\ndelay = -1.0\n", "search.delay = -1.0 in {path} is out of range"),
    ("[publisher.notse]\nenabled = false\n", "unknown publisher 'notse' in [publisher.notse] in {path} "),
    ("[publisher.notes]\nenabled = 'no'\n", "[publisher.notes] enabled in {path} must be true or false"),
    ("[writer]\nmodel = 'x'\n", "[writer] in {path} must hold tables like [writer.NAME]"),
    ("[writer.reading]\nspeed = 1.2\n",
     "unknown key writer.reading.speed in {path} (the reading writer takes no options: remove [writer.reading])"),
    ("[writer.dialogue]\ntemprature = 0.5\n",
     "unknown key writer.dialogue.temprature in {path} (did you mean 'temperature'? known keys: model, temperature, "),
    ("[publisher.notes]\nenable = false\n",
     "unknown key publisher.notes.enable in {path} (did you mean 'enabled'? known keys: enabled)"),
    ("[hosts.Ada]\nengine = 'pipr'\n",
     "hosts.Ada.engine = 'pipr' in {path} is not a known speech engine (did you mean 'piper'? choose one of: espeak, "),
    ("show = 'Paper Cuts'\n", "show = 'Paper Cuts' in {path} must be a [show] table (write a [show] heading"),
    ("[writer.openai]\napi_key = 'sk-secret-1234567890'\n",
     "[writer.openai] api_key in {path} looks like a secret; secrets are read only from the environment"),
])
def test_config_errors_name_the_file_the_key_and_the_choices(bundled_sample, tmp_path, toml, expected):
    config = tmp_path / "podcast.toml"
    config.write_text(toml)
    result = invoke("build", str(bundled_sample), "--config", str(config), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("error: " + expected.format(path=config)), lines[0]
    assert "sk-secret" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_secrets_come_from_the_environment_only(monkeypatch, tmp_path):
    config = tmp_path / "podcast.toml"
    config.write_text("[engine.openai]\nvoice = 'nova'\n")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment-123")
    loaded = load_config(config)
    assert "sk-" not in repr(loaded.values) + repr(loaded.parts)


def test_an_unreadable_config_is_one_line(tmp_path, bundled_sample):
    import os

    config = tmp_path / "podcast.toml"
    config.write_text("[audio]\n")
    os.chmod(config, 0)
    if os.access(config, os.R_OK):
        pytest.skip("running as a user who can read any file")
    result = invoke("build", str(bundled_sample), "--config", str(config))
    assert result.exit_code == 2 and result.stderr.startswith(f"error: cannot read config file {config}")


def _every_table() -> list[str]:
    """Every table podcast.toml may hold: the fixed sections and one per registered writer, engine, publisher."""
    from podcast.config import DEFAULTS, _registry

    tables = list(DEFAULTS)
    for kind in ("writer", "engine", "publisher"):
        tables += [f"{kind}.{name}" for name in _registry(kind).names()]
    return tables + ["hosts.Ada"]


@pytest.mark.parametrize("table", _every_table())
def test_an_unknown_key_in_any_table_is_an_error_naming_it(table, tmp_path):
    config = tmp_path / "podcast.toml"
    config.write_text(f"[{table}]\nno_such_option = 1\n")
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    message = str(raised.value)
    assert "no_such_option" in message and str(config) in message, message
    assert "known " in message or "takes no options" in message, message  # the valid choices, or that there are none
