"""Spoken text as a person would say it: each case of issue 9, and the same kinds with other names."""

from __future__ import annotations

import pytest

from podcast.lexicon import Lexicon
from podcast.speakable import speakable
from podcast.spoken import normalizer

NO_LEXICON = Lexicon({})  # the rules alone, no built-in pronunciations kept aside

RULES = [
    # acronym plurals and possessives
    ("RNNs' ability", "R N Ns' ability"),
    ("GANs' ability to sample", "G A-Ns' ability to sample"),
    ("NTMs' memory and an LLM's answer", "N T Ms' memory and an L L M's answer"),
    ("LLMs and VLMs and GPUs", "L L M's and V L M's and G P U's"),  # read "emz", "yooz"
    ("the CNNs' filters, kNNs' votes", "the C N Ns' filters, k N Ns' votes"),
    # numbers inside names
    ("CIFAR10", "CIFAR ten"),
    ("CIFAR-10", "CIFAR ten"),
    ("CIFAR-100 and MNIST", "CIFAR one hundred and MNIST"),
    ("WikiText-103", "WikiText one oh three"),
    ("Caltech-101", "Caltech one oh one"),
    ("ResNet-1001", "ResNet ten oh one"),
    ("ResNet-152 and ResNet-50", "ResNet one fifty-two and ResNet fifty"),
    ("GPT-4o", "G P T four o"),
    ("GPT-3.5", "G P T three point five"),
    ("Llama-3.1-8B", "Llama three point one eight B"),
    ("Mistral-7B-Instruct", "Mistral seven B Instruct"),
    ("Qwen2.5-72B-Instruct", "Qwen two point five seventy-two B Instruct"),
    ("DeepSeek-R1-Distill-Qwen-32B", "DeepSeek R one Distill Qwen thirty-two B"),
    ("OpenAI's o1-1217", "OpenAI's o one twelve seventeen"),
    ("22B parameters", "twenty-two billion parameters"),
    ("a 7B model and 1.5T tokens", "a seven billion model and one point five trillion tokens"),
    ("A V100 or an H100", "A V one hundred or an H one hundred"),
    ("top-5 accuracy", "top five accuracy"),
    # math: short expressions read, long formulas replaced
    ("O(n log n)", "O of n log n"),
    ("O(n^2) time", "O of n squared time"),
    ("the loss L(N)", "the loss L of N"),
    ("p < 0.05", "p less than zero point zero five"),
    ("α ≈ 0.07 ± 0.01", "alpha approximately zero point zero seven plus or minus zero point zero one"),
    ("10^6 steps", "ten to the sixth steps"),
    ("x^2 and 2^10", "x squared and two to the tenth"),
    ("The law is L(N, D) = A/N^α + B/D^β + E, fitted on 400 runs.",
     "The law is a formula given in the paper, fitted on four hundred runs."),
    ("It follows $f(x) = \\sum_{i=1}^{n} w_i x_i^2 + \\lambda \\|w\\|^2 + b$ exactly.",
     "It follows a formula given in the paper exactly."),
    # enumerations
    ("Key results: 1) faster; 2) smaller; 3) cheaper.", "Key results: first, faster; second, smaller; third, cheaper."),
    ("Two parts (1) a scorer and (2) a reader.", "Two parts first, a scorer and second, a reader."),
    ("2) The second claim holds.", "second, The second claim holds."),
    ("Eq. (3) holds.", "equation (three) holds."),
    # references
    ("§3.2 shows it", "section three point two shows it"),
    ("See Sec. 4 and Fig. 2 and Table 1.", "See section four and figure two and Table one."),
    ("Figs. 3-5 and Tab. 2", "figures three to five and table two"),
    # acronyms glued to known terms, mixed case
    ("fMRI and mRNA and kNN", "f M R I and m R N A and k N N"),
]


@pytest.mark.parametrize(("written", "spoken"), RULES)
def test_rules(written: str, spoken: str) -> None:
    assert speakable(written, lexicon=NO_LEXICON) == spoken


HEARD = [  # what the engine receives, built-in lexicon included
    ("MoE layers", "M O E layers"),
    ("FSMoE scales", "F S M O E scales"),
    ("bAbI tasks", "babby tasks"),
    ("fMRI scans", "f M R I scans"),
    ("CIFAR10 and CIFAR-10", "see far ten and see far ten"),
    ("Qwen2.5-72B-Instruct", "kwen two point five seventy-two B Instruct"),
    ("GPT-4o and gpt-4o-mini", "G P T four o and G P T four o mini"),
    ("OpenAI's o1-1217", "open A I's oh one twelve seventeen"),
    ("WikiText-103", "wiki text one oh three"),
]


@pytest.mark.parametrize(("written", "heard"), HEARD)
def test_what_the_engine_hears(written: str, heard: str) -> None:
    assert normalizer("en")(written) == heard


def test_an_acronym_glued_to_a_known_term_is_spelled_before_it() -> None:
    assert speakable("FSMoE and DeepSpeed-MoE") == "F S MoE and DeepSpeed-MoE"  # the lexicon says MoE


@pytest.mark.parametrize(("written", "language", "spoken"), [
    ("Llama-3.1-8B और 22B", "hi", "Llama 3.1 8 बिलियन और 22 बिलियन"),
    ("1) 빠름 2) 작음", "ko", "1) 빠름 2) 작음"),
])
def test_other_languages_keep_digits(written: str, language: str, spoken: str) -> None:
    assert speakable(written, language, lexicon=NO_LEXICON) == spoken
