"""Weekly digests in Korean, Hindi and English: titles, labelled sections and paper links."""

from __future__ import annotations

from pathlib import Path

import pytest

from podcast.errors import InputError
from podcast.ingest import ingest
from podcast.ingest.digest import clean_title, match_label

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "digest.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_korean_digest():
    episode = ingest([str(FIXTURES / "digest-ko.txt")])
    assert (episode.id, episode.date, episode.language) == ("2024-06-10", "2024-06-10", "ko")
    assert [p.id for p in episode.papers] == ["1706.03762", "2106.09685", "2201.11903"]
    attention, lora, cot = episode.papers
    assert attention.title == "어텐션만 있으면 된다 / Attention Is All You Need"
    assert lora.title == "LoRA: 대규모 언어 모델의 저랭크 적응 / LoRA: Low-Rank Adaptation of Large Language Models"
    assert cot.title == "생각의 사슬 프롬프팅 / Chain-of-Thought Prompting Elicits Reasoning in Large Language Models"
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
    assert ddpm.title == "विसरण द्वारा चित्र निर्माण / Denoising Diffusion Probabilistic Models"
    assert ddpm.summary.split("\n\n")[0].startswith("यह शोध-पत्र दिखाता है")  # inline "परिचय: …"
    assert ddpm.summary.count("\n\n") == 2
    assert ddpm.links == ["https://arxiv.org/abs/2006.11239", "https://github.com/hojonathanho/diffusion"]
    assert mamba.links == ["https://arxiv.org/abs/2312.00752"]
    assert mamba.title.endswith("/ Mamba: Linear-Time Sequence Modeling with Selective State Spaces")
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


def test_labels_and_titles():
    assert match_label("논문 초록(Abstract)").kind == "abstract"
    assert match_label("**Paper link:** https://arxiv.org/abs/1706.03762").rest == "https://arxiv.org/abs/1706.03762"
    assert match_label("📝 पेपर लिंक").kind == "link"
    assert match_label("Read more — https://example.org/x").kind == "more"
    for prose in ("Abstract reasoning is hard.", "Paper: a title, not a link", "More than 50 models", "소개된 방법은"):
        assert match_label(prose) is None, prose
    assert clean_title("12. 🔥 Some Title") == ("Some Title", 12)
    assert clean_title("3D Gaussian Splatting") == ("3D Gaussian Splatting", None)


def test_link_first_layout_and_numbered_papers_without_links(tmp_path):
    text = ("Digest 2024-05-06\n\n"
            "1. First Paper\nPaper link: https://arxiv.org/abs/1706.03762\nAbstract\nAbout the first.\n\n"
            "2. Second Paper\nSummary: About the second.\n"
            "3. Third Paper\nIntroduction\nAbout the third.\nPaper link\nhttps://example.org/third\n")
    episode = ingest([_write(tmp_path, text)])
    assert [(p.title, p.summary) for p in episode.papers] == [
        ("First Paper", "About the first."), ("Second Paper", "About the second."), ("Third Paper", "About the third.")]
    assert [p.id for p in episode.papers] == ["1706.03762", "second-paper", "third-paper"]
    assert episode.intro_text == "Digest 2024-05-06"


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
