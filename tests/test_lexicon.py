"""The pronunciation lexicon: built-in entries, user files, matching rules and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from podcast.errors import ConfigError
from podcast.lexicon import Lexicon
from podcast.speakable import speakable


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lexicon.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("written", "spoken"), [
    ("GPipe", "gee pipe"),
    ("MoE", "M O E"),
    ("Qwen", "kwen"),
    ("o1", "oh one"),
    ("LoRA", "lora"),
    ("QLoRA", "Q lora"),
    ("Mem^p", "mem P"),
    ("arXiv", "archive"),
    ("LLaMA", "llama"),
    ("ChatGPT", "chat G P T"),
    ("DeepSeek", "deep seek"),
    ("PyTorch", "pie torch"),
    ("JAX", "jacks"),
    ("ONNX", "onyx"),
    ("ReLU", "rel you"),
    ("AdamW", "Adam W"),
    ("SentencePiece", "sentence piece"),
    ("ViT", "vit"),
    ("DALL-E", "dolly"),
    ("RoPE", "rope"),
    ("FLOPs", "flops"),
    ("MMLU", "M M L U"),
    ("GSM8K", "G S M eight K"),
    ("HumanEval", "human eval"),
    ("SWE-bench", "swee bench"),
    ("C++", "C plus plus"),
])
def test_builtin_english_entries(written: str, spoken: str) -> None:
    assert Lexicon.load("en").apply(f"We use {written} here.") == f"We use {spoken} here."


def test_builtin_tables_per_language() -> None:
    assert Lexicon.load("ko").apply("PyTorch로 LoRA를") == "파이토치로 로라를"
    assert Lexicon.load("hi-IN").apply("PyTorch और DeepSeek") == "पाइटॉर्च और डीपसीक"
    assert Lexicon.load("fr").apply("PyTorch") == "PyTorch"  # no French table: left alone


def test_user_file_overrides_and_adds(tmp_path: Path) -> None:
    path = write(tmp_path, '[en]\n"GPipe" = "G pipe"\n"Titans" = "tie tans"\n')
    lexicon = Lexicon.load("en", path)
    assert lexicon.entries["GPipe"] == "G pipe"
    assert lexicon.apply("GPipe and Titans and LoRA") == "G pipe and tie tans and lora"
    assert Lexicon.load("en").entries["GPipe"] == "gee pipe"  # the built-in set is untouched


def test_all_table_applies_to_every_language(tmp_path: Path) -> None:
    path = write(tmp_path, '[all]\n"Tunadorable" = "tuna dorable"\n[ko]\n"Tunadorable" = "튜나도러블"\n')
    assert Lexicon.load("en", path).apply("Tunadorable") == "tuna dorable"
    assert Lexicon.load("hi", path).apply("Tunadorable") == "tuna dorable"
    assert Lexicon.load("ko", path).apply("Tunadorable") == "튜나도러블"  # the language table wins


def test_longest_match_wins() -> None:
    lexicon = Lexicon({"Qwen": "kwen", "Qwen2.5": "kwen two point five", "GPT-4o-mini": "G P T four oh mini",
                       "GPT-4o": "G P T four oh"})
    assert lexicon.apply("Qwen2.5 beats Qwen") == "kwen two point five beats kwen"
    assert lexicon.apply("GPT-4o-mini, GPT-4o.") == "G P T four oh mini, G P T four oh."


def test_whole_terms_only() -> None:
    lexicon = Lexicon({"MoE": "M O E", "Qwen2": "kwen two", "JAX": "jacks"})
    assert lexicon.apply("FSMoE and MoEs and MoE-based") == "FSMoE and MoEs and M O E-based"
    assert lexicon.apply("Qwen2.5 and Qwen2") == "Qwen2.5 and kwen two"  # not the start of a version
    assert lexicon.apply("JAXon (JAX)") == "JAXon (jacks)"
    assert lexicon.apply("MoE는 좋다") == "M O E는 좋다"  # a Korean particle after the term


def test_special_characters() -> None:
    lexicon = Lexicon({"Mem^p": "mem P", "C++": "C plus plus", "C#": "C sharp", ".NET": "dot net"})
    assert lexicon.apply("Mem^p, C++ and C# on .NET.") == "mem P, C plus plus and C sharp on dot net."
    assert lexicon.apply("ASP.NET and C++x") == "ASP.NET and C++x"


def test_case_sensitive_first() -> None:
    lexicon = Lexicon({"LLaMA": "llama", "Llama": "lah mah", "softmax": "soft max", "RoPE": "rope embedding"})
    assert lexicon.apply("LLaMA and Llama") == "llama and lah mah"  # exact case wins
    assert lexicon.apply("Softmax then SOFTMAX") == "soft max then soft max"  # case-free entry
    assert lexicon.apply("LLAMA") == "lah mah"  # only the case-free entry may match another case
    assert lexicon.apply("a rope and RoPE") == "a rope and rope embedding"  # mixed-case entry: exact only


def test_editing_entries_updates_matching() -> None:
    lexicon = Lexicon({"GPipe": "gee pipe"})
    assert lexicon.apply("Titans") == "Titans"
    lexicon.entries["Titans"] = "tie tans"
    assert lexicon.apply("GPipe Titans") == "gee pipe tie tans"


def test_composes_with_speakable() -> None:
    script = speakable("We fine-tune Qwen2.5-7B with LoRA and MoE layers on GSM8K; GPT-4 and LLMs lag.")
    assert script == ("We fine-tune Qwen two point five seven B with LoRA and MoE layers on GSM8K; "
                      "G P T four and L L M's lag.")
    assert Lexicon.load("en").apply(script) == (
        "We fine-tune kwen two point five seven B with lora and M O E layers on G S M eight K; "
        "G P T four and L L M's lag.")


def test_digest_changes_with_entries(tmp_path: Path) -> None:
    path = write(tmp_path, '[en]\n"GPipe" = "G pipe"\n')
    assert Lexicon.load("en").digest() == Lexicon.load("en").digest()
    assert Lexicon.load("en", path).digest() != Lexicon.load("en").digest()


@pytest.mark.parametrize(("text", "message"), [
    ('[en]\n"GPipe" = \n', "is not valid TOML"),
    ('[en]\n"GPipe" = 3\n', "[en] 'GPipe' must be a string, not int"),
    ('[en.extra]\n"GPipe" = "x"\n', "[en] 'extra' must be a string, not dict"),
    ('"GPipe" = "gee pipe"\n', "'GPipe' is outside a language table"),
    ('[english]\n"GPipe" = "gee pipe"\n', "[english] is not a language code"),
    ('[en]\n"GPipe" = ""\n', "[en] 'GPipe' has an empty term or spoken form"),
])
def test_bad_user_file(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        Lexicon.load("en", path)
    assert str(path) in caught.value.message
    assert message in caught.value.message
    assert caught.value.hint


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        Lexicon.load("en", tmp_path / "nope.toml")
