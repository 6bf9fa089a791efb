"""Digests read by structure: our own fixtures in six languages and scripts, label mutations, sanity errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import invoke
from podcast.errors import InputError
from podcast.ingest import ingest

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
CODE = Path(__file__).parent.parent / "podcast"

# Every label spelling of each fixture, and an unseen synonym for it (variants keep a shared word or gloss).
LABELS: dict[str, dict[str, str]] = {
    "weekly-hi.txt": {
        "शोधपत्र परिचय": "लेख की भूमिका", "पेपर परिचय": "प्रपत्र की भूमिका",
        "शोधपत्र सारांश(Abstract)": "लेख का निचोड़(मूल)", "पेपर सार (Abstract)": "प्रपत्र निचोड़ (मूल)",
        "शोध सार (Abstract)": "अध्ययन निचोड़ (मूल)",
        "शोधपत्र लिंक": "लेख की कड़ी", "पेपर लिंक": "प्रपत्र की कड़ी", "शोध-पत्र लिंक": "अध्ययन-पत्र की कड़ी",
        "आगे पढ़ें": "विस्तार से देखें", "और पढ़ें": "अधिक देखें"},
    "weekly-es.txt": {"Dónde leerlo": "Enlace al trabajo", "En pocas palabras": "Lo esencial",
                      "Resumen original (inglés)": "Texto de los autores (en inglés)",
                      "Para profundizar": "Material extra"},
    "weekly-ja.txt": {"ひとことで": "要するに", "原文アブストラクト": "英語の概要", "論文はこちら": "本文リンク",
                      "関連リンク": "参考資料"},
    "weekly-ar.txt": {"الفكرة باختصار": "الخلاصة", "رابط الورقة": "الورقة كاملة", "للاستزادة": "مصادر إضافية"},
    "weekly-en.txt": {"The gist": "In a nutshell", "Why it matters": "So what", "Read it here": "Full text",
                      "Also worth a look": "Further material"},
    "weekly-ko.txt": {"한 줄 요약": "핵심", "자세히": "더 들어가기", "논문 바로가기": "원문 주소",
                      "함께 보면 좋은 글": "참고 자료"},
    # The older fixtures use common words; mutated, they must not need the built-in tie-breaker list.
    "digest-en.txt": {"Introduction": "Setting the scene", "Abstract": "What they found", "Paper link": "Source",
                      "Read more": "Extras"},
    "digest-ko.txt": {"논문 소개": "논문 개관", "논문 초록(Abstract)": "논문 줄거리(Gist)", "초록(Abstract)": "줄거리(Gist)",
                      "원문(Original)": "영어 원본(Source)", "논문 링크": "논문 주소", "더 읽어보기": "참고할 곳"},
}

EXPECTED = {  # file: (language, episode id, [(title, other title, first link, number of links)])
    "weekly-hi.txt": ("hi", "2025-09-01", [
        ("छोटे मॉडलों में लंबा तर्क", "Long Reasoning in Small Models", "https://arxiv.org/abs/2509.01001", 2),
        ("सस्ता वरीयता संरेखण", "Preference Alignment on a Budget", "https://arxiv.org/abs/2509.01002", 2),
        ("बिना उदाहरणों के औज़ार चुनना", "Tool Choice Without Demonstrations", "https://arxiv.org/abs/2509.01003", 1),
        ("लंबे संदर्भ के लिए स्मृति संपीड़न", "Memory Compression for Long Contexts", "https://arxiv.org/abs/2509.01004", 2)]),
    "weekly-es.txt": ("es", "2025-09-08", [
        ("Agentes que planifican con mapas del mundo", "Agents That Plan With World Maps",
         "https://arxiv.org/abs/2509.02001", 2),
        ("Recuperación de documentos con consultas reescritas", "Retrieval With Rewritten Queries",
         "https://arxiv.org/abs/2509.02002", 1),
        ("Visión y lenguaje con pocos datos", "Vision and Language From Few Examples",
         "https://arxiv.org/abs/2509.02003", 2)]),
    "weekly-ja.txt": ("ja", "2025-09-15", [
        ("推論時の計算量を賢く配分する", "Allocating Test-Time Compute Wisely", "https://arxiv.org/abs/2509.03001", 2),
        ("音声と文字を一つのモデルで", "One Model for Speech and Text", "https://arxiv.org/abs/2509.03002", 1),
        ("少ないデータで大きな拡散モデル", "Small Data, Big Diffusion", "https://arxiv.org/abs/2509.03003", 2)]),
    "weekly-ar.txt": ("ar", "2025-09-22", [
        ("تقطير النماذج اللغوية الكبيرة", "Distilling Large Language Models", "https://arxiv.org/abs/2509.04001", 2),
        ("الترجمة الآلية للهجات العربية", "Machine Translation for Arabic Dialects", "https://arxiv.org/abs/2509.04002", 1),
        ("تقييم النماذج على أسئلة طويلة", "Evaluating Models on Long Questions", "https://arxiv.org/abs/2509.04003", 2)]),
    "weekly-en.txt": ("en", "2025-09-26", [
        ("Learning Rate Warmup, Explained", "", "https://arxiv.org/abs/2509.05001", 2),
        ("Mixture of Experts Without Load Balancing Losses", "", "https://arxiv.org/abs/2509.05002", 1),
        ("Benchmarks That Age Well", "", "https://openreview.net/forum?id=AgeWell2025", 2)]),
    "weekly-ko.txt": ("ko", "2025-09-29", [
        ("긴 영상 이해를 위한 토큰 압축", "Token Compression for Long Video Understanding", "https://arxiv.org/abs/2509.06001", 1),
        ("스스로 설명하는 보상 모델", "Reward Models That Explain Themselves", "https://arxiv.org/abs/2509.06002", 2),
        ("작은 모델을 위한 합성 데이터", "Synthetic Data for Small Models", "https://arxiv.org/abs/2509.06003", 1)]),
}


def _mutate(text: str, labels: dict[str, str]) -> str:
    """Replace each label at the start of a line (after any decoration) with its synonym."""
    pattern = re.compile(r"^(\W*?)(" + "|".join(map(re.escape, sorted(labels, key=len, reverse=True))) + ")",
                         re.MULTILINE)
    found: set[str] = set()

    def swap(match: re.Match) -> str:
        found.add(match.group(2))
        return match.group(1) + labels[match.group(2)]

    mutated = pattern.sub(swap, text)
    assert found == set(labels)  # every spelling was there to replace
    return mutated


def _facts(episode):
    return [(p.id, p.title, p.title_alt, p.links, p.summary, p.abstract) for p in episode.papers], (
        episode.id, episode.language, episode.intro_text, episode.overview, episode.closing_text,
        episode.closing_links, episode.unspoken)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_papers(name):
    language, episode_id, papers = EXPECTED[name]
    episode = ingest([str(FIXTURES / name)])
    assert (episode.language, episode.id, episode.date) == (language, episode_id, episode_id)
    assert [(p.title, p.title_alt, p.url, len(p.links)) for p in episode.papers] == papers
    for paper in episode.papers:
        assert paper.summary and paper.source == "digest" and paper.input == str(FIXTURES / name)
        assert not any(label in paper.summary for label in LABELS[name])
        assert "http" not in paper.summary


@pytest.mark.parametrize("name", sorted(LABELS))
def test_unseen_label_synonyms_give_the_same_papers(name, tmp_path):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    mutated = tmp_path / name
    mutated.write_text(_mutate(text, LABELS[name]), encoding="utf-8")
    assert mutated.read_text(encoding="utf-8") != text
    assert _facts(ingest([str(mutated)])) == _facts(ingest([str(FIXTURES / name)]))


@pytest.mark.parametrize("name", [name for name in LABELS if name.startswith("weekly-")])
def test_fixture_labels_are_in_no_list_in_the_code(name):
    code = "\n".join(path.read_text(encoding="utf-8") for path in (CODE / "ingest").glob("*.py"))
    for label in LABELS[name]:
        assert re.sub(r"\s*\(.*", "", label) not in code, label


def test_hindi_weekly_digest_in_full():
    episode = ingest([str(FIXTURES / "weekly-hi.txt")])
    reasoning, alignment, tools, memory = episode.papers
    # Hindi summaries are spoken; the English originals quoted with "> " are the abstracts.
    assert reasoning.summary.startswith("यह शोधपत्र दिखाता है") and reasoning.summary.count("\n\n") == 1
    assert reasoning.summary.endswith("छोटे सत्यापक से करवाते हैं।")
    assert reasoning.abstract.startswith("We train a one-billion-parameter model")
    assert tools.summary.endswith("इस शोधपत्र का विषय है।") and tools.abstract.startswith("An agent learns")
    assert memory.abstract.startswith("Old segments") and not re.search(r"[a-z]{4}", memory.summary)
    assert (tools.title, tools.title_alt) == ("बिना उदाहरणों के औज़ार चुनना", "Tool Choice Without Demonstrations")
    assert alignment.links == ["https://arxiv.org/abs/2509.01002", "https://example-lab.github.io/budget-alignment/"]
    assert episode.overview == ["छोटे मॉडल भी लंबा तर्क सीख रहे हैं", "प्रशिक्षण के बाद का संरेखण सस्ता हो रहा है",
                                "एजेंट अपने औज़ार खुद चुनने लगे हैं"]
    assert episode.intro_text.splitlines() == [
        "[2025/09/01 ~ 07] इस सप्ताह पढ़ने लायक एआई शोधपत्र",
        "स्रोत: पायटॉर्च हिंदी समुदाय का साप्ताहिक संकलन — https://discuss.pytorch-hi.example/t/saptahik-shodhpatra/4127"]
    # The disclaimer is closing words; the advertisement and "no comments yet" are kept but never spoken.
    assert episode.closing_text == "अस्वीकरण: ये सारांश समुदाय के सदस्यों ने लिखे हैं; किसी भी दावे के लिए मूल शोधपत्र देखें।"
    assert episode.unspoken == [
        "विज्ञापन: पायटॉर्च हिंदी मीटअप, 20 सितंबर, बेंगलुरु — पंजीकरण यहाँ करें https://meetup.pytorch-hi.example/sept",
        "अभी कोई टिप्पणी नहीं", "अभी कोई टिप्पणी नहीं"]
    assert not any("टिप्पणी" in p.summary or "विज्ञापन" in p.summary for p in episode.papers)


def test_end_matter_in_other_languages():
    es = ingest([str(FIXTURES / "weekly-es.txt")])
    assert es.closing_text == "Este boletín lo escriben voluntarios; revisa siempre el artículo original."
    assert es.unspoken == ["Patrocinado: cursos de aprendizaje automático en https://cursos.ejemplo.org/ml", "3 comentarios"]
    assert es.papers[2].summary.endswith("una selección cuidadosa de los ejemplos.")
    ja = ingest([str(FIXTURES / "weekly-ja.txt")])
    assert ja.unspoken == ["コメントはまだありません"] * 2 and ja.closing_text == ""
    assert ja.papers[2].summary.endswith("報告しています。") and ja.papers[2].abstract == ""
    ar = ingest([str(FIXTURES / "weekly-ar.txt")])
    assert ar.closing_text == "شكرًا لقراءتكم، نلقاكم الأسبوع القادم." and "شكرًا" not in ar.papers[2].summary
    en = ingest([str(FIXTURES / "weekly-en.txt")])
    assert en.closing_links == ["https://fridaypile.example/subscribe"]
    assert en.closing_text.endswith("Unsubscribe any time; we will miss you.")
    assert en.papers[2].summary.endswith("this is a cheap, practical fix.")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_papers_command_shows_each_fixture(name):
    result = invoke("papers", str(FIXTURES / name), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    _, episode_id, papers = EXPECTED[name]
    assert data["episode"] == episode_id
    assert [(row["title"], row["title_alt"], row["link"]) for row in data["papers"]] == [p[:3] for p in papers]
    assert all(row["summary_words"] > 10 and row["input"] == str(FIXTURES / name) for row in data["papers"])


def _error(tmp_path: Path, text: str) -> tuple[str, str]:
    path = tmp_path / "digest.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        ingest([str(path)])
    assert "\n" not in str(info.value) and info.value.hint
    return info.value.message, str(path)


BASE = ("Weekly picks 2025-09-01\n\nAlpha Paper About Caching\nGist\nA short note on the first paper.\n"
        "Where\nhttps://arxiv.org/abs/2509.07001\n\nBeta Paper About Routing\nGist\nA short note on the second paper.\n"
        "Where\nhttps://arxiv.org/abs/2509.07002\n\nGamma Paper About Pruning\nGist\nA short note on the third paper.\n"
        "Where\nhttps://arxiv.org/abs/2509.07003\n")


def test_base_of_the_sanity_cases_is_fine(tmp_path):
    path = tmp_path / "digest.txt"
    path.write_text(BASE, encoding="utf-8")
    assert [p.title for p in ingest([str(path)]).papers] == [
        "Alpha Paper About Caching", "Beta Paper About Routing", "Gamma Paper About Pruning"]


def test_a_title_reading_like_a_sentence_is_an_error(tmp_path):
    text = BASE.replace("Beta Paper About Routing\n", "This one is worth reading twice, we think.\n")
    message, path = _error(tmp_path, text)
    assert message == (f"line 9 of {path}: the title 'This one is worth reading twice, we think.' "
                       "reads like a sentence")


def test_prose_between_a_title_and_its_first_label_is_summary(tmp_path):
    text = BASE.replace("Beta Paper About Routing\n", "Beta Paper About Routing\nThis one is worth reading twice.\n")
    path = tmp_path / "digest.txt"
    path.write_text(text, encoding="utf-8")
    beta = ingest([str(path)]).papers[1]
    assert (beta.title, beta.summary) == ("Beta Paper About Routing",
                                          "This one is worth reading twice.\n\nA short note on the second paper.")


def test_a_bilingual_title_on_two_lines(tmp_path):
    text = (FIXTURES / "weekly-ko.txt").read_text(encoding="utf-8").replace(
        "2. Reward Models That Explain Themselves / 스스로 설명하는 보상 모델",
        "2. Reward Models That Explain Themselves\n스스로 설명하는 보상 모델")
    path = tmp_path / "weekly-ko.txt"
    path.write_text(text, encoding="utf-8")
    assert _facts(ingest([str(path)])) == _facts(ingest([str(FIXTURES / "weekly-ko.txt")]))


def test_a_summary_holding_another_papers_title_is_an_error(tmp_path):
    text = BASE.replace("A short note on the first paper.\n", "A short note on the first paper.\nGamma Paper About Pruning\n")
    message, path = _error(tmp_path, text)
    assert message == (f"line 6 of {path}: the summary of 'Alpha Paper About Caching' contains the title of another "
                       "paper, 'Gamma Paper About Pruning'")


def test_a_paper_lacking_the_link_all_others_have_is_an_error(tmp_path):
    text = BASE.replace("Where\nhttps://arxiv.org/abs/2509.07002\n", "")
    message, path = _error(tmp_path, text)
    assert message == f"line 9 of {path}: paper 'Beta Paper About Routing' has no link, though 2 other papers have one"


def test_no_structure_says_what_was_looked_for(tmp_path):
    message, path = _error(tmp_path, "Notes from the week\nWe read a lot.\nNothing stood out.\nSee you.\n")
    assert message.endswith("no recurring section labels and no paper links found")
    assert message.startswith(str(path))


def test_bad_digest_through_the_cli_is_one_line_and_writes_nothing(tmp_path):
    path = tmp_path / "digest.txt"
    path.write_text(BASE.replace("Where\nhttps://arxiv.org/abs/2509.07002\n", ""), encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("script", str(path), "--out", str(out))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "has no link" in result.stderr
    assert not out.exists()


def test_one_paper_digest_uses_the_tie_breaker_words(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("Paper of the week, 2025-09-01\n\nSparse Mixtures at Scale\nSummary\nIt scales.\n"
                    "Paper link: https://arxiv.org/abs/2509.07009\n", encoding="utf-8")
    (paper,) = ingest([str(path)]).papers
    assert (paper.title, paper.summary, paper.links) == ("Sparse Mixtures at Scale", "It scales.",
                                                         ["https://arxiv.org/abs/2509.07009"])


def test_paper_link_comes_first_whatever_the_order(tmp_path):
    text = BASE.replace("Where\nhttps://arxiv.org/abs/2509.07001\n",
                        "Where\nhttps://github.com/example/caching\nhttps://arxiv.org/pdf/2509.07001v2\n")
    path = tmp_path / "digest.txt"
    path.write_text(text, encoding="utf-8")
    assert ingest([str(path)]).papers[0].links == ["https://arxiv.org/pdf/2509.07001v2",
                                                   "https://github.com/example/caching"]


def test_reading_writer_speaks_the_themes_overview_before_the_papers(tmp_path):
    out = tmp_path / "out"
    result = invoke("script", str(FIXTURES / "weekly-hi.txt"), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    script = (out / "2025-09-01" / "script.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", script, re.MULTILINE)
    assert headings[:3] == ["intro", "overview", "paper-2509.01001"] and headings[-1] == "outro"
    overview = script.split("## [overview]")[1].split("## [")[0]
    assert "छोटे मॉडल भी लंबा तर्क सीख रहे हैं।" in overview and "एजेंट अपने औज़ार खुद चुनने लगे हैं।" in overview
    assert "1" not in overview and "️⃣" not in overview
    # Ads and comment lines are never spoken; they stay in papers.json.
    assert "विज्ञापन" not in script and "टिप्पणी" not in script
    saved = json.loads((out / "2025-09-01" / "papers.json").read_text(encoding="utf-8"))
    assert saved["unspoken"][-1] == "अभी कोई टिप्पणी नहीं" and saved["papers"][0]["title_alt"]
    paper = script.split("## [paper-2509.01001]")[1].split("## [")[0]
    assert "छोटे मॉडलों में लंबा तर्क" in paper and "Long Reasoning" not in paper and "We train" not in paper


# The label variants of a real Hindi weekly digest, each swapped for ONE label of our older Hindi fixture.
VARIANTS = [("परिचय: यह", "शोधपत्र परिचय: यह"), ("परिचय\nध्यान", "पेपर परिचय\nध्यान"),
            ("सार\nलेखक", "शोधपत्र सारांश(Abstract)\nलेखक"), ("सार\nलंबे", "पेपर सार (Abstract)\nलंबे"),
            ("सार\nपरतें", "शोध सार (Abstract)\nपरतें"), ("पेपर लिंक\nhttps://arxiv.org/abs/2006", "शोधपत्र लिंक\nhttps://arxiv.org/abs/2006"),
            ("पेपर लिंक: https", "शोध-पत्र लिंक: https"), ("और पढ़ें\nhttps://github.com/hojo", "आगे पढ़ें\nhttps://github.com/hojo")]


@pytest.mark.parametrize("old,new", VARIANTS, ids=[new.split("\n")[0][:20] for _, new in VARIANTS])
def test_one_label_variant_changes_nothing(old, new, tmp_path):
    text = (FIXTURES / "digest-hi.txt").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "digest-hi.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert _facts(ingest([str(path)])) == _facts(ingest([str(FIXTURES / "digest-hi.txt")]))


def test_markdown_digest_with_linked_titles(tmp_path):
    episode = ingest([str(FIXTURES / "weekly-markdown.md")])
    assert [(p.title, p.links) for p in episode.papers] == [
        ("Scaling Sparse Autoencoders", ["https://arxiv.org/abs/2510.00001", "https://github.com/example/sae"]),
        ("Diffusion Language Models Revisited", ["https://arxiv.org/abs/2510.00002"]),
        ("Reasoning Traces Are Not Faithful", ["https://arxiv.org/abs/2510.00003", "https://github.com/example/faithful"])]
    assert episode.papers[1].summary == ("Diffusion-based text generation closes much of the gap to autoregressive "
                                         "models.\n\nParallel decoding could make generation much faster.")
    assert (episode.id, episode.closing_links) == ("2025-10-06", ["https://example.org/subscribe"])
    path = tmp_path / "plain.md"  # without bold marks, and with labels of other words
    path.write_text(_mutate((FIXTURES / "weekly-markdown.md").read_text(encoding="utf-8").replace("**", ""),
                            {"Summary": "Short version", "Why read it": "Worth it because", "Code": "Repository"}),
                    encoding="utf-8")
    assert _facts(ingest([str(path)]))[0] == _facts(episode)[0]


@pytest.mark.parametrize("name,closing", [
    ("weekly-ko.txt", "이번 주 정리는 여기까지입니다. 다음 주에 또 만나요!"),
    ("weekly-hi.txt", "इस सप्ताह के लिए बस इतना ही, अगले सप्ताह फिर मिलेंगे।"),
    ("weekly-es.txt", "Eso es todo por esta semana; ¡hasta la próxima!"),
    ("weekly-en.txt", "That's all for this week. See you next Friday!")])
def test_a_sign_off_right_after_the_last_summary_is_closing(name, closing, tmp_path):
    """The last paper ends in prose and nothing (no rule, link or bullet) marks where the closing starts."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").rstrip("\n").split("\n")
    title = next(i for i, line in enumerate(lines) if EXPECTED[name][2][-1][0] in line)
    rest = lines[title + 1 :]
    links = [i for i, line in enumerate(rest) if "http" in line or (i + 1 < len(rest) and rest[i + 1].startswith("http"))]
    others = [line for i, line in enumerate(rest) if i not in links and line.strip() and "•" not in line
              and line != "---" and not line.startswith(("You are", "Unsubscribe"))]
    prose = others[: max(i for i, line in enumerate(others) if len(line) > 40 and line[0] != ">") + 1]
    kept = lines[: title + 1] + [rest[i] for i in links if "•" not in rest[i]] + prose + [closing]
    path = tmp_path / name
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    episode = ingest([str(path)])
    assert episode.closing_text == closing
    assert episode.papers[-1].summary.endswith(prose[-1][-30:]) and closing not in episode.papers[-1].summary
