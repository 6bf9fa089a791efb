"""The faithfulness guard: invented numbers and names are flagged, restated ones are not."""

from __future__ import annotations

import pytest

from podcast.faithfulness import FLAG_PREFIX, claims, is_faithfulness_flag, unsupported

SOURCE = ("Sparse Lanterns (SL-Attn) lets a 7B model attend to 64 memory blocks. On the Needle Sweep benchmark "
          "and on GSM8K it keeps 98.2% recall with 4x less compute than Llama 3, using 12,000 documents and "
          "three datasets.")


def flagged(text: str, source: str = SOURCE) -> list[str]:
    return [f.removeprefix(FLAG_PREFIX).strip() for f in unsupported(text, source)]


def test_restated_claims_pass_in_any_spelling():
    text = ("Here the SL-Attn-based design lets a model with 7 billion parameters attend to sixty-four blocks; "
            "on GSM8K it keeps 98.2 percent recall with four times less compute than Llama-3, over 12000 "
            "documents and 3 datasets. One of the nice parts is that it is zero-shot.")
    assert flagged(text) == []


def test_invented_numbers_are_flagged():
    assert flagged("It reaches 99% recall, 5x less compute, on 2023 data.") == ["99%", "5x", "2023"]


def test_invented_names_are_flagged_but_generic_terms_are_not():
    text = "Unlike GPT-4 and Claude, this LLM beats MMLU-Pro and ImageNet, and its GPU cost is small."
    assert flagged(text) == ["GPT-4", "Claude", "MMLU-Pro", "ImageNet"]


def test_rounding_a_source_figure_is_allowed_but_changing_it_is_not():
    assert flagged("about 98% recall") == []
    assert flagged("about 90% recall") == ["90%"]


def test_fractions_and_percentages_are_the_same_claim():
    assert flagged("an accuracy of 95%", "accuracy of 0.95") == []


def test_ranges_check_each_end():
    assert flagged("between 64-70 blocks") == ["70"]


def test_allowed_extra_context_counts_as_source():
    assert unsupported("The episode has 51 papers.", "no numbers", ["51 papers"]) == []


def test_flags_are_unique_and_marked():
    flags = unsupported("GPT-5 and GPT-5 again, 77% and 77%.", SOURCE)
    assert flags == [f"{FLAG_PREFIX} GPT-5", f"{FLAG_PREFIX} 77%"]
    assert all(is_faithfulness_flag(f) for f in flags)
    assert not is_faithfulness_flag("unspeakable: https://x")


@pytest.mark.parametrize("word,kind", [("GPT-4o", "name"), ("o1", "name"), ("DeepSeek", "name"),
                                       ("70B", "number"), ("4-bit", "number"), ("top-5", "number"),
                                       ("Transformers", None), ("fp16", None)])
def test_what_counts_as_a_claim(word, kind):
    found = claims(f"We saw {word} here.")
    assert [c.kind for c in found] == ([kind] if kind else [])


@pytest.mark.parametrize("text,value", [("twenty-five", 25), ("three hundred and five", 305), ("fifteen hundred", 1500),
                                        ("two thousand three hundred", 2300), ("ninety-five point three", 95.3),
                                        ("557-million-parameter", 557e6), ("1.5 million", 1.5e6)])
def test_spelled_and_scaled_numbers_are_read_as_values(text, value):
    found = claims(f"It used {text} steps.")
    assert len(found) == 1 and value in found[0].values


def test_digit_words_in_a_row_are_separate_numbers():
    assert [sorted(c.values) for c in claims("codes one eight and three hundred million and one billion")] == [
        [8.0], [3e8], [1e9]]


def test_numbers_inside_source_names_and_name_parts_support_the_text():
    source = "Trained on CIFAR-10 with Llama-3-70B and ResNets."
    assert unsupported("CIFAR, ten classes, Llama with 70 billion parameters, a ResNet.", source) == []
    assert unsupported("Labels A-E and (a)/(b) are not names.", "nothing") == []
