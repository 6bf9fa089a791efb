"""Bad input of every kind: one-line InputError with a hint, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from podcast.errors import InputError
from podcast.ingest import ingest

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _error(tmp_path: Path, sources: list[str]) -> InputError:
    cache = tmp_path / "cache"
    with pytest.raises(InputError) as info:
        ingest(sources, cache_dir=cache)
    error = info.value
    assert "\n" not in error.message and error.hint, error
    assert error.exit_code == 2
    assert not cache.exists()
    return error


def _file(tmp_path: Path, data: bytes, name: str = "input.txt") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_empty_file(tmp_path):
    path = _file(tmp_path, b"")
    assert _error(tmp_path, [path]).message == f"{path} is empty"


def test_whitespace_only(tmp_path):
    path = _file(tmp_path, b" \n\t\r\n  \n")
    assert _error(tmp_path, [path]).message == f"{path} contains only whitespace"


def test_binary_data(tmp_path):
    path = _file(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "cover.txt")
    assert _error(tmp_path, [path]).message == f"{path} is binary data (NUL byte at offset 8), not text"


def test_undecodable_text(tmp_path):
    path = _file(tmp_path, "# Caf\u00e9 paper\nhttps://example.org/x\nSummary.\n".encode("latin-1"))
    error = _error(tmp_path, [path])
    assert error.message == f"{path} is not UTF-8 text (undecodable byte at offset 5)"
    assert "UTF-8" in error.hint


def test_utf16_with_bom_is_read(tmp_path):
    text = (FIXTURES / "newsletter.txt").read_text(encoding="utf-8")
    path = _file(tmp_path, text.encode("utf-16"))
    assert len(ingest([path]).papers) == 4


def test_missing_path(tmp_path):
    path = str(tmp_path / "nope.txt")
    assert _error(tmp_path, [path]).message == f"{path} does not exist"


def test_directory(tmp_path):
    assert _error(tmp_path, [str(tmp_path)]).message == f"{tmp_path} is a directory, not a file"


def test_unknown_format_names_the_accepted_ones(tmp_path):
    path = _file(tmp_path, b"Dear diary,\nToday I read nothing at all.\n")
    error = _error(tmp_path, [path])
    assert error.message == (f"{path} is not in a format podcast reads: no '# Title' headings followed by a link, "
                             "no recurring section labels and no paper links found")
    for kind in ("newsletter", "digest", "arXiv", "YAML/JSON"):
        assert kind in error.hint


def test_no_sources(tmp_path):
    assert _error(tmp_path, []).message == "no input given"


def test_one_bad_file_among_several_names_it(tmp_path):
    first = _file(tmp_path, b"# A\nhttps://example.org/a\n", "a.txt")
    second = _file(tmp_path, b"", "b.txt")
    assert _error(tmp_path, [first, second]).message == f"{second} is empty"


def test_links_without_structure_say_what_is_missing(tmp_path):
    path = _file(tmp_path, b"Some links I liked\nhttps://example.org/a\nand this one https://example.org/b\n")
    assert _error(tmp_path, [path]).message == (
        f"{path} is not in a format podcast reads: no '# Title' headings followed by a link, "
        "2 lines with links, but no recurring section labels and no numbered titles around them")


def test_labels_without_links_say_what_is_missing(tmp_path):
    path = _file(tmp_path, "Week\nFirst Paper\nGist\nIt is good.\nSecond Paper\nGist\nIt is better.\n".encode())
    assert _error(tmp_path, [path]).message == (
        f"{path} is not in a format podcast reads: no '# Title' headings followed by a link, "
        "recurring section labels ('gist') but no paper links")
