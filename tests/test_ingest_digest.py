"""Weekly digests in Korean, Hindi and English: titles, labelled sections and paper links."""

from __future__ import annotations

from pathlib import Path

import pytest

from podcast.errors import InputError
from podcast.ingest import ingest
from podcast.ingest.digest import read_lines
from podcast.ingest.lines import clean_title, read_line

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "digest.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_korean_digest():
    episode = ingest([str(FIXTURES / "digest-ko.txt")])
    # The range "[2024/06/03 ~ 06/09]" on the first line dates the episode, not the later publication date.
    assert (episode.id, episode.date, episode.language) == ("2024-06-03", "2024-06-03", "ko")
    assert [p.id for p in episode.papers] == ["1706.03762", "2106.09685", "2201.11903"]
    attention, lora, cot = episode.papers
    assert (attention.title, attention.title_alt) == ("어텐션만 있으면 된다", "Attention Is All You Need")
    assert (lora.title, lora.title_alt) == ("LoRA: 대규모 언어 모델의 저랭크 적응", "LoRA: Low-Rank Adaptation of Large Language Models")
    assert (cot.title, cot.title_alt) == ("생각의 사슬 프롬프팅", "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models")
    assert attention.links == ["https://arxiv.org/abs/1706.03762", "https://github.com/tensorflow/tensor2tensor",
                               "https://jalammar.github.io/illustrated-transformer/"]
    assert lora.links == ["https://arxiv.org/abs/2106.09685"]
    intro, abstract = attention.summary.split("\n\n")
    assert intro.startswith("순환 구조와 합성곱을") and abstract.endswith("더 나은 품질을 보여 줍니다.")
    # The Korean introduction and abstract are the summary; the English original is the abstract only.
    assert lora.summary.count("\n\n") == 1 and lora.summary.endswith("비슷한 품질을 냅니다.")
    assert "Fine-tuning" not in lora.summary
    assert lora.abstract.startswith("Fine-tuning every weight") and lora.abstract.endswith("trainable parameters.")
    assert not any(label in p.summary for p in episode.papers for label in ("논문 소개", "초록(Abstract)", "원문"))
    assert all(p.source == "digest" for p in episode.papers)
    assert episode.intro_text.startswith("[2024/06/03 ~ 06/09] 이번 주의 주요 AI 논문 모음\n")
    assert episode.closing_text == "이번 주 소식은 여기까지입니다. 다음 주에 또 만나요!"
    assert episode.closing_links == ["https://paperdigest.example/ko/subscribe"]


def test_hindi_digest():
    episode = ingest([str(FIXTURES / "digest-hi.txt")])
    assert (episode.id, episode.language) == ("2024-03-18", "hi")
    assert [p.id for p in episode.papers] == ["2006.11239", "2312.00752", "1512.03385"]
    ddpm, mamba, resnet = episode.papers
    assert (ddpm.title, ddpm.title_alt) == ("विसरण द्वारा चित्र निर्माण", "Denoising Diffusion Probabilistic Models")
    assert ddpm.summary.split("\n\n")[0].startswith("यह शोध-पत्र दिखाता है")  # inline "परिचय: …"
    assert ddpm.summary.count("\n\n") == 2
    assert ddpm.links == ["https://arxiv.org/abs/2006.11239", "https://github.com/hojonathanho/diffusion"]
    assert mamba.links == ["https://arxiv.org/abs/2312.00752"]
    assert mamba.title_alt == "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"
    # The Hindi voice reads the Hindi sections only; the English original is kept as the abstract.
    assert resnet.summary.count("\n\n") == 1 and resnet.summary.endswith("प्रशिक्षित हो जाते हैं।")
    assert "Instead of learning" not in resnet.summary
    assert resnet.abstract.startswith("Instead of learning") and resnet.abstract.endswith("easy to optimize.")
    assert episode.closing_text == "इस सप्ताह के लिए बस इतना ही। अगले सप्ताह फिर मिलेंगे!"
    assert episode.intro_text.splitlines()[1] == "इस सप्ताह के तीन चुनिंदा शोध-पत्र, सरल हिंदी में।"


def test_english_digest():
    episode = ingest([str(FIXTURES / "digest-en.txt")])
    assert (episode.id, episode.date, episode.language) == ("2024-01-15", "2024-01-15", "en")
    gpt3, instruct, llama = episode.papers
    assert [p.title for p in episode.papers] == [
        "Language Models are Few-Shot Learners",
        "Training language models to follow instructions with human feedback",
        "LLaMA: Open and Efficient Foundation Language Models"]
    assert gpt3.links == ["https://arxiv.org/abs/2005.14165",
                          "https://openai.com/index/language-models-are-few-shot-learners/"]
    assert gpt3.summary.count("\n\n") == 2
    assert instruct.id == "2203.02155"
    assert instruct.links == ["https://arxiv.org/pdf/2203.02155v1", "https://openai.com/index/instruction-following/"]
    assert instruct.summary.startswith("Fine-tuning a language model on human demonstrations")
    assert llama.links == ["https://arxiv.org/abs/2302.13971"]
    assert episode.closing_text.startswith("That's all for this week.")
    assert episode.closing_links == ["https://weeklypaperstack.example/archive"]


def test_line_shapes():
    abstract = read_line(1, "논문 초록(Abstract)")
    assert (abstract.key, abstract.gloss, abstract.rest) == ("논문 초록", "Abstract", None)
    link = read_line(1, "**Paper link:** https://arxiv.org/abs/1706.03762")
    assert (link.key, link.rest, link.urls) == ("paper link", "https://arxiv.org/abs/1706.03762",
                                                ["https://arxiv.org/abs/1706.03762"])
    assert read_line(1, "📝 पेपर लिंक").key == "पेपर लिंक"
    assert read_line(1, "Read more — https://example.org/x").key == "read more"
    for prose in ("Abstract reasoning is hard.", "More than 50 models were compared in this study", "소개된 방법은 빠릅니다."):
        assert read_line(1, prose).key == "", prose
    assert read_line(1, "> quoted").quoted and read_line(1, "• bullet").bullet and read_line(1, "———").rule
    assert clean_title("12. 🔥 Some Title") == ("Some Title", 12)
    assert clean_title("3️⃣ **Bold Title**") == ("Bold Title", 3)
    assert clean_title("3D Gaussian Splatting") == ("3D Gaussian Splatting", None)
    assert clean_title("1.5B Parameters Are Enough") == ("1.5B Parameters Are Enough", None)


def test_labels_are_what_recurs():
    lines = read_lines("Week\nAlpha Paper\nGist: one.\nSee: https://a.example/1\n"
                       "Beta Paper\nGist: two.\nSee: https://a.example/2\nBye: now.\n")
    assert [line.raw for line in lines if line.label] == [
        "Gist: one.", "See: https://a.example/1", "Gist: two.", "See: https://a.example/2"]


def test_link_first_layout(tmp_path):
    text = ("Digest 2024-05-06\n\n"
            "1. First Paper\nPaper link: https://arxiv.org/abs/1706.03762\nAbstract\nAbout the first.\n\n"
            "2. Second Paper\nPaper link: https://example.org/second\nAbstract: About the second.\n"
            "3. Third Paper\nAbstract\nAbout the third.\nPaper link\nhttps://example.org/third\n")
    episode = ingest([_write(tmp_path, text)])
    assert [(p.title, p.summary) for p in episode.papers] == [
        ("First Paper", "About the first."), ("Second Paper", "About the second."), ("Third Paper", "About the third.")]
    assert [p.id for p in episode.papers] == ["1706.03762", "second-paper", "third-paper"]
    assert episode.intro_text == "Digest 2024-05-06"


def test_numbered_titles_without_labels(tmp_path):
    text = ("Reading list, 2024-05-06\n\n1. First Paper\nIt does one thing well.\nhttps://arxiv.org/abs/1706.03762\n"
            "2. Second Paper\nIt does another.\nhttps://example.org/second\n")
    first, second = ingest([_write(tmp_path, text)]).papers
    assert (first.title, first.summary, first.links) == ("First Paper", "It does one thing well.",
                                                         ["https://arxiv.org/abs/1706.03762"])
    assert (second.title, second.links) == ("Second Paper", ["https://example.org/second"])


def test_label_before_any_title_is_input_error(tmp_path):
    with pytest.raises(InputError) as info:
        ingest([_write(tmp_path, "Abstract\nSome text.\nPaper link: https://example.org/a\n")])
    assert info.value.message.startswith("line 1 of ")
    assert "before any paper title" in info.value.message


def test_paper_with_empty_link_label_and_no_summary(tmp_path):
    text = "Weekly\nOnly A Title\nPaper link\nAnother Title\nAbstract\nText.\nPaper link: https://example.org/b\n"
    with pytest.raises(InputError) as info:
        ingest([_write(tmp_path, text)])
    assert "'Only A Title' " in info.value.message and "neither a link nor a summary" in info.value.message


def test_english_original_alone_stays_the_summary(tmp_path):
    text = ("주간 논문 2024-06-10\n\n"
            "1. 첫 논문 / First Paper\n원문\nWe only have the English abstract.\n논문 링크: https://example.org/1\n\n"
            "2. 둘째 논문 / Second Paper\n원문(Original)\nThe English abstract.\n요약: 한국어 요약입니다.\n"
            "논문 링크: https://example.org/2\n")
    first, second = ingest([_write(tmp_path, text)]).papers
    assert (first.summary, first.abstract) == ("We only have the English abstract.",) * 2
    assert (second.summary, second.abstract) == ("한국어 요약입니다.", "The English abstract.")
