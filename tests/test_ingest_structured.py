"""Structured input: YAML and JSON paper lists, and their validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from podcast.errors import InputError
from podcast.ingest import ingest

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _ingest_text(tmp_path: Path, text: str, name: str = "papers.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ingest([str(path)], cache_dir=tmp_path / "cache")


def _error(tmp_path: Path, text: str, name: str = "papers.yaml") -> InputError:
    with pytest.raises(InputError) as info:
        _ingest_text(tmp_path, text, name)
    assert info.value.hint
    assert not (tmp_path / "cache").exists()
    return info.value


def test_yaml_mapping_with_episode_fields():
    episode = ingest([str(FIXTURES / "papers.yaml")], show="Paper Cuts")
    assert (episode.show, episode.date, episode.id, episode.language) == (
        "Paper Cuts Specials", "2024-12-20", "2024-12", "en")
    vae, gan, bitter = episode.papers
    assert (vae.id, vae.authors, vae.links) == (
        "1312.6114", ["Diederik P. Kingma", "Max Welling"], ["https://arxiv.org/abs/1312.6114"])
    assert vae.summary.endswith("flow through it.\n\nIt gave us the variational autoencoder.")
    assert (gan.id, gan.links) == ("1406.2661", ["https://arxiv.org/abs/1406.2661"])
    assert (bitter.id, bitter.authors) == ("the-bitter-lesson", ["Rich Sutton"])
    assert all(p.source == "structured" for p in episode.papers)


def test_json_list_with_given_id():
    episode = ingest([str(FIXTURES / "papers.json")])
    assert [p.id for p in episode.papers] == ["1503.02531", "1512.03385", "momentum-essay"]
    assert episode.papers[1].links == ["https://arxiv.org/abs/1512.03385",
                                       "https://github.com/KaimingHe/deep-residual-networks"]
    assert episode.papers[2].summary == "" and episode.language == "en" and episode.date == ""


def test_format_is_chosen_by_content_not_extension(tmp_path):
    episode = _ingest_text(tmp_path, '[{"title": "A", "url": "https://example.org/a"}]', "list.txt")
    assert episode.papers[0].id == "a"
    episode = _ingest_text(tmp_path, "- title: B\n  summary: About B.\n", "list.txt")
    assert episode.papers[0].summary == "About B."


def test_invalid_json_names_the_line(tmp_path):
    error = _error(tmp_path, '[\n  {"title": "A",\n   "link": }\n]\n', "papers.json")
    assert error.message.endswith("papers.json is not valid JSON: Expecting value at line 3, column 12")


def test_invalid_yaml_names_the_line(tmp_path):
    error = _error(tmp_path, "papers:\n  - title: A\n    link: [unclosed\n  - title: B\n")
    assert "is not valid YAML" in error.message and "line 4" in error.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- title: A\n  link: https://example.org/a\n- title: B\n  links: https://example.org/b\n",
         "paper 2 ('B'): 'links' must be a list of strings, not a string"),
        ("- title: A\n  summary: 42\n", "paper 1 ('A'): 'summary' must be a string, not a number"),
        ("- title: A\n  summary: ok\n  authors: [1, 2]\n", "paper 1 ('A'): 'authors' must be a string or a list"),
        ("- link: https://example.org/a\n", "paper 1: 'title' must be a non-empty string"),
        ("- title: A\n  summery: typo\n", "paper 1 ('A'): unknown field 'summery'"),
        ("- just a string\n", "paper 1 must be a mapping with title, link and summary, not a string"),
        ("- title: A\n", "paper 1 ('A') has neither a link nor a summary"),
        ("papers: {title: A}\n", "'papers' must be a list, not a mapping"),
        ("papers: []\n", "no papers found in"),
        ("show: X\n", "has no 'papers' list"),
        ("papers:\n  - {title: A, summary: s}\ndate: soon\n", "'date' must be a date like 2025-02-01, not 'soon'"),
        ("papers:\n  - {title: A, summary: s}\nlanguage: English\n", "'language' must be a two-letter"),
        ("papers:\n  - {title: A, summary: s}\nauthor: me\n", "unknown top-level field 'author'"),
        ("- {title: A, summary: s, id: ../../etc}\n", "'id' '../../etc' may only hold"),
    ],
)
def test_wrong_types_name_the_item_and_field(tmp_path, text, message):
    assert message in _error(tmp_path, text).message


def test_repeated_ids_get_suffixes(tmp_path):
    episode = _ingest_text(tmp_path, "- {title: A, link: 'https://arxiv.org/abs/1706.03762'}\n"
                                     "- {title: B, link: 'https://arxiv.org/pdf/1706.03762v3'}\n"
                                     "- {title: C, summary: s, id: 1706.03762-2}\n")
    assert [p.id for p in episode.papers] == ["1706.03762", "1706.03762-2", "1706.03762-2-2"]
