"""speakable(), speak_title() and unspeakable_tokens(): exact spoken text for each rule."""

from __future__ import annotations

import re

import pytest

from podcast.lexicon import Lexicon
from podcast.speakable import speak_title, speakable, spell, unspeakable_tokens


ENGLISH = [
    # URLs and links
    ("Read it at https://example.com/paper.", "Read it at the link in the show notes."),
    ("We beat the baseline (https://example.com/x) easily.", "We beat the baseline easily."),
    ("Paper: https://arxiv.org/abs/2501.00001", "Paper: the link in the show notes"),
    ("See [our blog](https://example.com/blog) for more.", "See our blog for more."),
    ("Shown in ![a chart](chart.png) and cited [3].", "Shown in a chart and cited."),
    # markdown
    ("**Bold**, __strong__, *italic*, _emphasis_ and `inline_code`.",
     "Bold, strong, italic, emphasis and inline code."),
    ("# A Heading\nBody text.", "A Heading.\nBody text."),
    ("- first point\n- second point", "first point.\nsecond point"),
    ("| Model | Score |\n|---|---|\n| Ours | 91% |", "Model, Score.\nOurs, ninety-one percent"),
    ("> quoted words", "quoted words"),
    ("```\nprint('hi')\n```\nAfter the code.", "After the code."),
    ("A line that\nwraps here.\n\nSecond paragraph.", "A line that wraps here.\n\nSecond paragraph."),
    ("Great results 🚀🔥 today.", "Great results today."),
    # LaTeX and math
    ("Runs in $O(n^2)$ time.", "Runs in O of n squared time."),
    ("Uses \\alpha and \\beta.", "Uses alpha and beta."),
    ("Each token x_i is scored.", "Each token x sub i is scored."),
    ("The ratio \\frac{a}{b} matters.", "The ratio a over b matters."),
    ("A learning rate of 10^{-3}.", "A learning rate of ten to the minus three."),
    ("$W \\in \\mathbb{R}^{d \\times k}$", "W in R to the d times k"),
    ("$x \\leq y$ and $\\sum_{i=1}^{n} x_i$",
     "x less than or equal to y and the sum from i equals one to n of x sub i"),
    ("$\\unknowncmd{z}$ stays", "z stays"),
    ("median r² of 0.94", "median r squared of zero point nine four"),
    ("the loss nN^α + ϵ", "the loss nN to the alpha plus epsilon"),
    # LaTeX text mode is words; citations, references, labels and footnotes are not said
    ("\\textbf{hi} and \\emph{Great results}, \\texttt{my\\_code}.", "hi and Great results, my code."),
    ("As shown \\cite{foo}, it holds (\\eqref{eq:loss}); details in the appendix~\\ref{app:a}.",
     "As shown, it holds; details in the appendix."),
    ("Prior work~\\citep[see][]{smith2020,lee2021} shows\\footnote{A side note.} it\\label{sec:x}.",
     "Prior work shows it."),
    ("$x_{\\text{max}}$ and $\\mathrm{softmax}(z)$ and $\\mathrm{d}x$", "x sub max and softmax of z and d x"),
    ("\\text{if $x>0$} with \\textit{5\\% gain}", "if x greater than zero with five percent gain"),
    ("\\href{https://example.com/a_b}{our \\emph{code}} is out.", "our code is out."),
    # arXiv ids
    ("See arXiv:2501.00343 now.", "See arXiv two five oh one dot zero zero three four three now."),
    ("Version 2501.00343v2 is out.", "Version two five oh one dot zero zero three four three version two is out."),
    # numbers
    ("It is 1.4x faster.", "It is one point four times faster."),
    ("Sizes from 0.1B-1.2B parameters.", "Sizes from zero point one billion to one point two billion parameters."),
    ("Gains of 1-3% overall.", "Gains of one to three percent overall."),
    ("1~3 layers, 5~10% and 1 ~ 3 runs, ~5 runs.",
     "one to three layers, five to ten percent and one to three runs, about five runs."),
    ("Week of 2024/06/03 ~ 06/09, out 2024.06.10.",
     "Week of June third, twenty twenty-four to June ninth, out June tenth, twenty twenty-four."),
    ("A 2-bit quantizer.", "A two bit quantizer."),
    ("The 7B model.", "The seven billion model."),
    ("After 10k or 10K steps.", "After ten thousand or ten thousand steps."),
    ("Accuracy rose 3.5%.", "Accuracy rose three point five percent."),
    ("Published in 2025.", "Published in twenty twenty-five."),
    ("Only 1905 and 2007 and 2010.", "Only nineteen oh five and two thousand seven and twenty ten."),
    ("It has 95,973 parameters and 1458 layers.",
     "It has ninety-five thousand nine hundred seventy-three parameters and one thousand four hundred "
     "fifty-eight layers."),
    ("~5 ms, ≈ 3, ±0.3 points, >5 layers, <0.1 loss",
     "about five milliseconds, approximately three, plus or minus zero point three points, "
     "more than five layers, less than zero point one loss"),
    ("A 3×3 kernel on 224x224 images.",
     "A three by three kernel on two hundred twenty-four by two hundred twenty-four images."),
    ("Use lr 1e-4 or 3e-5.", "Use lr ten to the minus four or three times ten to the minus five."),
    ("The 21st century.", "The twenty-first century."),
    ("On 2025-02-01 and in 2025-02.", "On February first, twenty twenty-five and in February twenty twenty-five."),
    ("Cost: $5M, or $1.", "Cost: five million dollars, or one dollar."),
    ("In the 1990s.", "In the nineteen nineties."),
    ("Version 1.2.3 and 18/20 solved.", "Version one point two point three and eighteen over twenty solved."),
    ("At 90°C.", "At ninety degrees Celsius."),
    ("Results on AIME 2024 with 79.8% Pass@1.",
     "Results on AIME twenty twenty-four with seventy-nine point eight percent Pass at one."),
    ("A V100 and the M3PT model on CIFAR-10.", "A V one hundred and the M three P T model on CIFAR ten."),
    # acronyms
    ("LLMs and an LLM, GPT-4, RLHF, VAE, GAN, CNN, RNN, MLP, NLP, KV, SFT, DPO, RAG, kNN.",
     "L L M's and an L L M, G P T four, R L H F, V A-E, G A-N, C N N, R N N, M L P, N L P, K V, S F T, "
     "D P O, R A-G, k N N."),
    ("BERT, GLUE, NASA and ImageNet stay; it does NOT fail.", "BERT, GLUE, NASA and ImageNet stay; it does NOT fail."),
    ("SOTA results, e.g. on MMLU, i.e. a benchmark, etc. Then vs. others.",
     "state of the art results, for example on M M L U, that is a benchmark, et cetera. Then versus others."),
    ("CD-LM, kNN-LM and VQ-VAE.", "C D L M, k N N L M and V Q V A-E."),
    ("The AI lab, with GPUs.", "The A-I lab, with G P U's."),
    # lexicon terms are left for Lexicon.apply
    ("MoE, LoRA, Qwen2.5-72B, GSM8K and RoPE.", "MoE, LoRA, Qwen two point five seventy-two B, GSM8K and RoPE."),
    # punctuation
    ("Wait — really? Yes - really.", "Wait, really? Yes, really."),
    ("encoder/decoder and A → B", "encoder decoder and A to B"),
    # a colon whose URL or code is not said ends the sentence
    ("the scripts I use to create this newsletter:\nhttps://github.com/x/y\nYou've been listening.",
     "the scripts I use to create this newsletter.\nYou've been listening."),
    ("The code is here:\n```\nrun()\n```\nThanks.", "The code is here.\nThanks."),
    ("Scripts are here:\n\nYou've been listening.", "Scripts are here.\n\nYou've been listening."),
    ("Key results:\n- first\n- second", "Key results:\nfirst.\nsecond"),
    ("The scripts are here:", "The scripts are here."),
]

KOREAN = [
    ("정확도가 1-3% 향상되었습니다.", "정확도가 1에서 3 퍼센트 향상되었습니다."),
    ("속도는 1.4x 빠릅니다.", "속도는 1.4배 빠릅니다."),
    ("7B 모델과 10k 단계", "70억 모델과 1만 단계"),
    ("0.1B-1.2B 파라미터", "1억에서 12억 파라미터"),
    ("1~3배", "1에서 3배"),
    ("~5% 개선, 점수 >90", "약 5 퍼센트 개선, 점수 90 초과"),
    ("2025-02-01에 발표", "2025년 2월 1일에 발표"),
    ("2025년에 3.5% 상승", "2025년에 3.5 퍼센트 상승"),
    ("LLM은 RAG보다 낫다", "L L M은 R A-G보다 낫다"),
    ("GPT-4와 LoRA", "GPT 4와 LoRA"),
    ("자세한 내용: https://example.com", "자세한 내용: 쇼 노트의 링크"),
    ("**중요** 결과 🚀", "중요 결과"),
    ("1e-4 학습률", "10의 마이너스 4승 학습률"),
    ("[2024/06/03 ~ 06/09] 주요 논문", "2024년 6월 3일에서 6월 9일 주요 논문"),
    ("자세한 내용:\nhttps://example.com\n감사합니다.", "자세한 내용.\n감사합니다."),
]

HINDI = [
    ("सटीकता में 1-3% सुधार हुआ।", "सटीकता में 1 से 3 प्रतिशत सुधार हुआ।"),
    ("यह 1.4x तेज़ है।", "यह 1.4 गुना तेज़ है।"),
    ("7B मॉडल और 10k चरण", "7 बिलियन मॉडल और 10 हज़ार चरण"),
    ("१-३% सुधार और १.४x गति", "१ से ३ प्रतिशत सुधार और १.४ गुना गति"),
    ("~5% और >90 अंक", "लगभग 5 प्रतिशत और 90 से अधिक अंक"),
    ("2025-02-01 को प्रकाशित", "1 फ़रवरी 2025 को प्रकाशित"),
    ("LLM और GPT-4", "L L M और G P T 4"),
    ("विवरण https://example.com पर देखें।", "विवरण शो नोट्स में दिया लिंक पर देखें।"),
    ("$5M की लागत", "5 मिलियन डॉलर की लागत"),
    ("5~10% और 1 ~ 3 परतें", "5 से 10 प्रतिशत और 1 से 3 परतें"),
    ("2024/06/03 ~ 06/09 के शोध-पत्र", "3 जून 2024 से 9 जून के शोध-पत्र"),
    ("\\textbf{महत्वपूर्ण} परिणाम \\citep{k}।", "महत्वपूर्ण परिणाम।"),
]


@pytest.mark.parametrize(("written", "spoken"), ENGLISH)
def test_english(written: str, spoken: str) -> None:
    assert speakable(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), KOREAN)
def test_korean(written: str, spoken: str) -> None:
    assert speakable(written, "ko") == spoken


@pytest.mark.parametrize(("written", "spoken"), HINDI)
def test_hindi(written: str, spoken: str) -> None:
    assert speakable(written, "hi") == spoken


def test_other_languages_keep_digits_and_drop_symbols() -> None:
    assert speakable("Bis zu 1.4x schneller, ~5% besser, 1-3% weniger.", "de") == \
        "Bis zu 1.4 schneller, 5% besser, 1–3% weniger."
    assert speakable("Woche 2024/06/03 ~ 06/09, 1~3% mehr.", "de") == "Woche 2024/06/03–06/09, 1–3% mehr."


def test_never_empty_for_meaningful_input() -> None:
    assert speakable("https://example.com/paper") == "the link in the show notes"
    assert speakable("$x$") == "x"
    assert speakable("(\\cite{a}; \\citet{b})") == ""  # a citation alone says nothing
    assert speakable("  \n\n ") == ""


def test_spell_ties_a_to_the_next_letter() -> None:
    assert spell("LLM") == "L L M"
    assert spell("RAG") == "R A-G"
    assert spell("SOTA") == "S O T A"


@pytest.mark.parametrize(("title", "language", "spoken"), [
    ("# Chunk-Distilled Language Modeling (CD-LM)", "en", "Chunk-Distilled Language Modeling (C D L M)"),
    ("FSMoE - A Flexible System", "en", "F S MoE, A Flexible System"),
    ("청크 증류 언어 모델링 / Chunk-Distilled LLMs, 2025", "ko", "청크 증류 언어 모델링, Chunk-Distilled L L M's, twenty twenty-five"),
    ("चंक डिस्टिल्ड मॉडल 7B / Distilled 7B Models", "hi",
     "चंक डिस्टिल्ड मॉडल 7 बिलियन, Distilled seven billion Models"),
    ("Distilled 7B Models / 증류 7B 모델", "en", "Distilled seven billion Models, 증류 70억 모델"),
])
def test_speak_title(title: str, language: str, spoken: str) -> None:
    assert speak_title(title, language) == spoken


@pytest.mark.parametrize(("text", "tokens"), [
    ("See https://x.org/a.", ["https://x.org/a"]),
    ("$x^2$ and \\alpha", ["$x^2$", "\\alpha"]),
    ("x_i and n^2", ["x_i", "n^2"]),
    ("**bold** and **more**", ["**"]),
    ("# Heading\n- item", ["#", "-"]),
    ("| a | b |", ["|"]),
    ("[text](http://x.io/y)", ["[text](http://x.io/y)"]),
    ("_it_ and *it* and `code`", ["_it_", "*it*", "`"]),
    ("ok 🚀", ["🚀"]),
    ("arXiv:2501.00343 and 2501.00343v2", ["arXiv:2501.00343", "2501.00343v2"]),
    ("Plain words, 1.4 times, fine.", []),
])
def test_unspeakable_tokens(text: str, tokens: list[str]) -> None:
    assert unspeakable_tokens(text) == tokens


def test_speakable_output_has_no_unspeakable_tokens() -> None:
    written = "\n".join(w for w, _ in ENGLISH)
    assert unspeakable_tokens(written)  # the cases do contain markup
    assert unspeakable_tokens(speakable(written)) == []


def test_whole_sample_is_speakable(shared_sample) -> None:
    written = shared_sample.read_text(encoding="utf-8")
    spoken = speakable(written)
    assert unspeakable_tokens(spoken) == []
    assert not re.search(r"https?://|www\.|\\[A-Za-z]|[$*_#`|^{}\[\]]", spoken)
    said = Lexicon.load("en").apply(spoken)  # what the speech stage hands the engine
    assert not re.search(r"\d", said), "every English number is said in words"
    assert len(spoken.split()) > 0.9 * len(written.split())  # nothing big went missing
    headings = [line[2:].strip() for line in written.splitlines() if line.startswith("# ")]
    assert len(headings) == 51
    assert speak_title(headings[0]) == "Chunk-Distilled Language Modeling"
