"""`podcast voices`, `podcast cache [--prune]`, and builds with --engine openai and --language hi."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from podcast.cli import cli

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "speech"))
from speech_servers import SpeechServer  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "speech"
KEY = "sk-cli-test-key-987654"


def run(*args: str, **env: str):
    return CliRunner().invoke(cli, list(args), env=env or None, catch_exceptions=False)


def table_rows(output: str) -> dict[str, list[str]]:
    """Engine -> its cells, with the lines rich wrapped a cell onto joined back together."""
    rows: dict[str, list[str]] = {}
    current: list[str] = []
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) < 5:
            continue
        if cells[0]:
            current = rows.setdefault(cells[0], cells)
        elif current:
            current[:] = [f"{a} {b}".strip() for a, b in zip(current, cells)]
    return rows


def test_voices_lists_engines_languages_and_usability():
    result = run("voices")
    assert result.exit_code == 0, result.output
    rows = table_rows(result.output)
    assert {"espeak", "gtts", "openai", "piper"} <= set(rows)
    assert "en_US-joe-medium" in rows["piper"][1] and rows["piper"][3:] == ["yes", "offline"]
    assert rows["openai"][3] == "no: needs $OPENAI_API_KEY" and "alloy" in rows["openai"][1]
    assert rows["espeak"][3:] == ["yes", "offline"]
    # gTTS is never called from `voices`: whether the network works is said, not claimed.
    assert rows["gtts"][3:] == ["yes, if online", "needs network access to translate.google.com"]


def test_voices_for_a_language_says_why_piper_cannot():
    result = run("voices", "--language", "ko")
    assert result.exit_code == 0
    rows = table_rows(result.output)
    assert rows["piper"][3] == "no: Piper voice en_US-joe-medium speaks 'en', not 'ko'"
    assert rows["espeak"][2] == "ko" and rows["espeak"][3] == "yes"


def test_voices_of_one_engine_and_unknown_engine():
    result = run("voices", "--engine", "espeak", "--language", "hi")
    assert "hi (Hindi)" in result.output
    result = run("voices", "--engine", "festival")
    assert result.exit_code == 2
    assert "unknown speech engine 'festival' (choose one of: espeak, gtts, hibari, openai, piper)" in result.output


def test_voices_shows_usable_openai_when_key_is_set(tmp_path):
    result = run("voices", "--engine", "openai", OPENAI_API_KEY=KEY)
    assert table_rows(result.output)["openai"][3:] == ["yes, if online", "needs network access to api.openai.com"]
    assert KEY not in result.output
    (tmp_path / "podcast.toml").write_text('[engine.openai]\nbase_url = "http://127.0.0.1:9/v1"\n')
    result = run("voices", "--engine", "openai")  # a compatible server needs no key
    assert table_rows(result.output)["openai"][3:] == ["yes, if online", "needs network access to 127.0.0.1:9"]


def _episode_using(out: Path, name: str, text: str, cache, engine) -> list[str]:
    """An episode folder under ``out`` whose speech.json records the cache keys of speaking ``text``."""
    from podcast.models import Segment
    from podcast.speech.speak import speak

    keys = speak([Segment(id="intro", kind="intro", title="Intro", text=text)], engine, cache)[0].keys
    (out / name).mkdir(parents=True)
    (out / name / "speech.json").write_text(json.dumps({"keys": keys}))
    return keys


def test_prune_of_a_shared_cache_needs_every_output_folder(tmp_path, fake_engine):
    from podcast.speech.cache import SpeechCache

    (tmp_path / "podcast.toml").write_text('[speech]\ncache_dir = "shared-cache"\n')
    cache = SpeechCache(tmp_path / "shared-cache" / "speech")
    first = _episode_using(tmp_path / "show-a", "2025-01", "Show A speaks.", cache, fake_engine())
    second = _episode_using(tmp_path / "show-b", "2025-01", "Show B speaks.", cache, fake_engine())
    _episode_using(tmp_path / "scratch", "old", "Nobody keeps this.", cache, fake_engine())
    (tmp_path / "scratch" / "old" / "speech.json").unlink()
    assert cache.size()[0] == 6  # two entries per spoken piece

    result = CliRunner().invoke(cli, ["cache", "--out", "show-a", "--prune"])
    assert result.exit_code == 2
    assert "is outside show-a, so other output folders may use it too" in result.output
    assert "--all-outputs DIR" in result.output
    assert cache.size()[0] == 6  # nothing deleted

    result = run("cache", "--out", "show-a", "--prune", "--all-outputs", "show-b")
    assert result.exit_code == 0, result.output
    assert "Pruned:   2 entries" in result.output and "2 episode(s) under show-a, show-b" in result.output
    assert cache.size()[0] == 4 and all(cache.get(k) for k in first + second)

    result = CliRunner().invoke(cli, ["cache", "--prune", "--out", "show-a", "--all-outputs", "no-such-show"])
    assert result.exit_code == 2 and "no-such-show" in result.output and cache.size()[0] == 4


def test_prune_of_a_cache_inside_out_needs_no_list(tmp_path, fake_engine):
    from podcast.speech.cache import SpeechCache

    (tmp_path / "podcast.toml").write_text('[speech]\ncache_dir = "output/.shared"\n')
    cache = SpeechCache(tmp_path / "output" / ".shared" / "speech")
    kept = _episode_using(tmp_path / "output", "2025-02", "Kept.", cache, fake_engine())
    _episode_using(tmp_path / "output", "gone", "Dropped.", cache, fake_engine())
    (tmp_path / "output" / "gone" / "speech.json").unlink()
    result = run("cache", "--prune")
    assert result.exit_code == 0 and "Pruned:   2 entries" in result.output
    assert cache.size()[0] == 2 and all(cache.get(k) for k in kept)


def test_build_with_openai_against_a_compatible_server(tmp_path):
    out = tmp_path / "out"
    with SpeechServer() as server:
        result = run("build", str(FIXTURES / "newsletter.txt"), "--engine", "openai", "--voice", "nova",
                     "--out", str(out), "--episode", "openai-test",
                     OPENAI_API_KEY=KEY, OPENAI_BASE_URL=f"{server.url}/v1")
        assert result.exit_code == 0, result.output
        first = len(server.requests)
        again = run("build", str(FIXTURES / "newsletter.txt"), "--engine", "openai", "--voice", "nova",
                    "--out", str(out), "--episode", "openai-test",
                    OPENAI_API_KEY=KEY, OPENAI_BASE_URL=f"{server.url}/v1")
    assert first >= 4 and len(server.requests) == first  # the rebuild came from the cache
    assert all(r["body"]["voice"] == "nova" for r in server.requests)
    assert "Segments: 4 (0 spoken now, 4 from cache)" in again.output
    assert (out / "openai-test" / "episode.mp3").stat().st_size > 10_000
    assert KEY not in result.output + again.output
    record = json.loads((out / "openai-test" / "speech.json").read_text())
    assert record["engine"] == "openai" and record["keys"]


def test_build_in_hindi_offline_with_espeak(tmp_path):
    out = tmp_path / "out"
    result = run("build", str(FIXTURES / "digest-hi.txt"), "--out", str(out), "--episode", "hi-test")
    assert result.exit_code == 0, result.output
    assert "language hi" in result.output
    assert json.loads((out / "hi-test" / "speech.json").read_text())["engine"] == "espeak"
    vtt = (out / "hi-test" / "transcript.vtt").read_text(encoding="utf-8")
    assert "परत सामान्यीकरण" in vtt


def test_rejected_key_is_one_line_exit_4_without_the_key(tmp_path):
    with SpeechServer(fail=lambda n, body: 401) as server:
        result = CliRunner().invoke(cli, ["build", str(FIXTURES / "newsletter.txt"), "--engine", "openai",
                                          "--out", str(tmp_path / "out")],
                                    env={"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": f"{server.url}/v1"})
    assert result.exit_code == 4
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"error: the speech service at {server.url}/v1 rejected the API key (HTTP 401) "
                     "(check $OPENAI_API_KEY)"]


def test_cache_reports_its_size_per_hour_of_episode(tmp_path, fake_engine):
    from podcast.speech.cache import SpeechCache

    out = tmp_path / "output"
    cache = SpeechCache(out / ".cache" / "speech")
    keys = _episode_using(out, "2025-03", "A short episode. It has two sentences and no more.", cache, fake_engine())
    (out / "2025-03" / "speech.json").write_text(json.dumps({"keys": keys, "segments": {"intro": keys}}))
    seconds = cache.get(keys[-1]).duration
    entries, size = cache.size()
    result = run("cache")
    assert result.exit_code == 0, result.output
    per_hour = size / (seconds / 3600) / 1024 ** 2
    assert f"Episodes: {seconds / 60:.1f} minutes of speech under output: {per_hour:.1f} MB per hour of episode" \
        in result.output


def test_cache_shows_the_kept_mp3_pieces_and_prunes_those_of_deleted_episodes(tmp_path, fake_engine):
    import shutil

    for episode in ("2025-01", "2025-02"):
        result = run("build", str(FIXTURES / "newsletter.txt"), "--engine", "fake", "--out", "output",
                     "--episode", episode)
        assert result.exit_code == 0, result.output
    pieces = tmp_path / "output" / ".cache" / "pieces"
    assert sorted(p.name for p in pieces.iterdir()) == ["2025-01", "2025-02"]
    assert list((pieces / "2025-02").glob("*.mp3"))
    result = run("cache")
    assert result.exit_code == 0 and "of encoded MP3 pieces for 2 episode(s)" in result.output

    shutil.rmtree(tmp_path / "output" / "2025-01")
    result = run("cache", "--prune")
    assert result.exit_code == 0, result.output
    assert "the MP3 pieces of 1 episode(s) no longer under output" in result.output
    assert sorted(p.name for p in pieces.iterdir()) == ["2025-02"]
