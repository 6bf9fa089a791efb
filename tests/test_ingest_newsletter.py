"""The monthly newsletter format: the shared 51-paper sample and our own small fixture."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from podcast.errors import InputError
from podcast.ingest import ingest

FIXTURE = Path(__file__).parent / "fixtures" / "ingest" / "newsletter.txt"


def _oracle(text: str) -> list[tuple[str, str, str]]:
    """(title, link, summary) per paper, read the plain way: heading, one link line, paragraphs."""
    body = text.split("\nThanks for reading/listening")[0]
    papers = []
    for block in body.split("\n# ")[1:]:
        title, link, *paragraphs = [line for line in block.split("\n") if line.strip()]
        papers.append((title, link, "\n\n".join(paragraphs)))
    return papers


def test_shared_sample_has_all_51_papers_exactly(shared_sample):
    text = shared_sample.read_text(encoding="utf-8")
    episode = ingest([str(shared_sample)])
    expected = _oracle(text)
    assert len(expected) == 51
    assert [(p.title, p.links[0], p.summary) for p in episode.papers] == expected
    assert all(len(p.links) == 1 and p.source == "newsletter" for p in episode.papers)
    assert (episode.id, episode.date, episode.language, episode.show) == ("2025-02", "2025-02-01", "en", "Paper Cuts")
    assert episode.intro_text == "\n".join(text.splitlines()[:2])
    assert episode.closing_text.startswith("Thanks for reading/listening, that's all for this month.")
    assert "Share this post" not in episode.closing_text
    assert episode.closing_links == ["https://youtube.com/@Tunadorable",
                                     "https://github.com/evintunador/arxiv-summaries-workflow"]
    ids = [p.id for p in episode.papers]
    assert len(set(ids)) == 51
    assert ids[0] == "2501.00343"
    assert {"2501.12948", "math/0406077", "2501.10322", "machine-super-intelligence"} <= set(ids)


def test_shared_sample_in_every_monthly_encoding_and_heading_style(shared_sample, tmp_path):
    """CRLF, a UTF-8 BOM, UTF-16 with a BOM (both byte orders) and `## Title` headings give the same 51 papers."""
    text = shared_sample.read_text(encoding="utf-8")
    expected = [(p.title, p.links, p.summary) for p in ingest([str(shared_sample)]).papers]
    variants = {
        "crlf-bom.txt": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
        "utf16le.txt": text.encode("utf-16"),
        "utf16be.txt": b"\xfe\xff" + text.encode("utf-16-be"),
        "markdown.md": re.sub(r"(?m)^# ", "## ", text).encode("utf-8"),
    }
    for name, data in variants.items():
        path = tmp_path / name
        path.write_bytes(data)
        episode = ingest([str(path)])
        assert [(p.title, p.links, p.summary) for p in episode.papers] == expected, name
        assert (episode.id, episode.date) == ("2025-02", "2025-02-01"), name


def test_shared_sample_four_times_over_keeps_every_paper_in_order(shared_sample, tmp_path):
    """Not timed (scripts/bench_ingest.py measures speed): a 204-paper file is read whole and in order."""
    text = shared_sample.read_text(encoding="utf-8")
    body = text.split("\nThanks for reading/listening")[0]
    head, papers = body.split("\n# ", 1)
    path = tmp_path / "big.txt"
    path.write_text(head + ("\n# " + papers) * 4 + text[len(body):], encoding="utf-8")
    episode = ingest([str(path)])
    single = [p.title for p in ingest([str(shared_sample)]).papers]
    assert [p.title for p in episode.papers] == single * 4
    assert len({p.id for p in episode.papers}) == 204


def test_markdown_subheadings_inside_summaries_are_not_papers(tmp_path):
    path = tmp_path / "n.md"
    path.write_text("Monthly notes 2025-03-01\n# First Paper\nhttps://example.org/1\nIntro.\n## Method\nDetails.\n"
                    "# Second Paper\nhttps://example.org/2\nMore.\n", encoding="utf-8")
    first, second = ingest([str(path)]).papers
    assert (first.title, first.summary) == ("First Paper", "Intro.\n\n## Method\n\nDetails.")
    assert second.title == "Second Paper"


def test_own_newsletter_fixture():
    episode = ingest([str(FIXTURE)])
    assert [p.id for p in episode.papers] == ["1412.6980", "hep-th/9711200", "why-momentum-really-works", "1503.02531"]
    adam, maldacena, momentum, distill = episode.papers
    assert adam.title == "Adam - A Method for Stochastic Optimization"
    assert adam.links == ["https://arxiv.org/pdf/1412.6980v9"]
    assert adam.summary.count("\n\n") == 2 and adam.summary.startswith("Adam keeps running averages")
    assert adam.summary.endswith("generalize worse than plain momentum.")
    assert maldacena.links == ["https://arxiv.org/abs/hep-th/9711200"]
    assert momentum.links == ["https://distill.pub/2017/momentum/"]
    assert distill.links == ["https://www.alphaxiv.org/abs/1503.02531", "https://github.com/example/distillation-notes"]
    assert distill.summary.endswith('hard labels ("dark knowledge").')
    assert (episode.id, episode.date, episode.language) == ("2024-11", "2024-11-01", "en")
    assert episode.intro_text.splitlines()[1] == "This issue was written by a small language model on 2024-11-01."
    assert episode.closing_text == ("Thanks for reading/listening, that's all for this month.\n"
                                    "The scripts that make this newsletter are here:")
    assert episode.closing_links == ["https://github.com/example/paper-cuts"]


def test_language_and_show_given(tmp_path):
    episode = ingest([str(FIXTURE)], language="DE", show="Papierschnitte")
    assert (episode.language, episode.show) == ("de", "Papierschnitte")


def test_crlf_bom_and_blank_lines_are_tolerated(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("\n# ", "\n\n# ").replace("\n", "\r\n")
    path = tmp_path / "newsletter.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    crlf, plain = ingest([str(path)]), ingest([str(FIXTURE)])
    assert [p.input for p in crlf.papers] == [str(path)] * 4
    for paper in crlf.papers + plain.papers:
        paper.input = ""
    assert crlf.to_dict() == plain.to_dict()


def test_repeated_titles_get_unique_ids(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text("# Same Title\nhttps://example.org/a\nFirst.\n# Same Title\nhttps://example.org/b\nSecond.\n"
                    "# Other\nhttps://arxiv.org/abs/1706.03762\nThird.\n# Again\nhttps://arxiv.org/abs/1706.03762v2\n",
                    encoding="utf-8")
    episode = ingest([str(path)])
    assert [p.id for p in episode.papers] == ["same-title", "same-title-2", "1706.03762", "1706.03762-2"]
    assert episode.papers[3].summary == ""


def _error(tmp_path: Path, text: str) -> tuple[InputError, Path]:
    path = tmp_path / "n.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        ingest([str(path)])
    assert info.value.hint
    return info.value, path


def test_title_without_link_or_summary_names_it(tmp_path):
    error, _ = _error(tmp_path, "Header line\n# Good\nhttps://example.org/good\nText.\n# Lonely Heading\n\n"
                                "# Next\nhttps://example.org/next\nMore.\n")
    assert error.message == "line 5: paper 'Lonely Heading' has neither a link nor a summary"


def test_newsletter_without_papers(tmp_path):
    error, path = _error(tmp_path, "Welcome to the monthly AI newsletter.\nThis article was written by a bot "
                                   "on 2025-03-01.\nThanks for reading/listening, that's all for this month.\n")
    assert error.message == f"no papers found in {path}"
    assert "# Title" in error.hint


def test_import_stays_light():
    code = ("import sys, podcast.ingest, podcast.language; "
            "print(sorted(m for m in ('arxiv', 'yaml', 'requests', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
