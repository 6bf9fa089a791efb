"""The faithfulness guard: numbers and names in generated text that its source does not contain.

An LLM rewriting a summary may invent a figure ("a 97% win rate") or a model, dataset or
benchmark ("beats GPT-4 on MMLU"). :func:`unsupported` lists every such item as a flag
that is stored with the segment and shown by ``podcast preview``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

FLAG_PREFIX = "not in the source:"  # every faithfulness flag starts with this

SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9,
          "t": 1e12, "trillion": 1e12}
UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
DIGITS = {w: UNITS[w] for w in "zero one two three four five six seven eight nine".split()}
TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
# "one" and "zero" are mostly not claims ("one of the", "zero-shot"); spelled numbers start at two.
MIN_SPELLED = 2

# Acronyms and terms that name a kind of thing, not a particular model, dataset or benchmark.
GENERIC = {
    "ai", "ml", "llm", "llms", "nlp", "nlu", "rl", "rlhf", "rlaif", "sft", "dpo", "ppo", "gpu", "tpu", "cpu",
    "api", "sota", "cot", "qa", "vqa", "moe", "rag", "kv", "flops", "flop", "nn", "dnn", "cnn", "rnn", "gnn",
    "gan", "vae", "mlp", "asr", "tts", "ocr", "agi", "phd", "us", "uk", "eu", "ok", "pdf", "url", "json", "sql",
    "html", "cv", "ir", "iot", "ui", "ux", "io", "ram", "vram", "ssm", "lm", "lms", "vlm", "vlms", "mllm", "mllms",
    "ood", "kl", "mse", "sgd", "bpe", "fp8", "fp16", "fp32", "bf16", "int4", "int8", "l1", "l2", "id", "ids",
    "i", "a", "ceo", "usa", "ar", "ssl", "gpus", "tpus", "apis", "elbo", "mcts", "llmasajudge",
}
# Single words that name a model family even without telltale capitals or digits.
KNOWN_NAMES = {
    "llama", "claude", "gemini", "qwen", "mistral", "mixtral", "gemma", "phi", "falcon", "vicuna", "alpaca",
    "grok", "codex", "whisper", "copilot", "bard", "sora", "midjourney", "chinchilla", "gopher", "pythia",
    "olmo", "orca", "sonnet", "opus", "deepseek", "chatgpt", "gpt", "bert", "roberta", "wikipedia", "imagenet",
}

_STRIP = "()[]{}<>,;:!?\"'“”‘’«»*_`…"
_NUMBER = re.compile(r"^[-+~≈]?\$?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)(?P<rest>.*)$")
_METRIC = re.compile(r"^(?:top|pass|recall|hits|p|r|ndcg|map)[-@]?(?P<num>\d+)$", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"\s+|(?<=[a-z])/(?=[A-Za-z])")
_POSSESSIVE = re.compile(r"['’]s$")
_NOT_ALNUM = re.compile(r"[^0-9a-z]")
_RANGE = re.compile(r"[–—]|(?<=\d)-(?=\d)|(?<=%)-(?=\d)")
_UNIT = re.compile(r"^(%|x|×|[a-z]+|[-–/]\S*|\+)$")
_PARTS = re.compile(r"[-/]")
_EMBEDDED = re.compile(r"(\d+(?:\.\d+)?)([KMBT]?)(?![\d.])", re.IGNORECASE)
_ALPHA_PREFIX = re.compile(r"^[a-z]{3,}(?=\d)")
_LETTER, _DIGIT, _CAPITAL, _CAMEL = (re.compile(p) for p in (r"[A-Za-z]", r"\d", r"[A-Z]", r"[a-z][A-Z]"))


@dataclass(frozen=True)
class Claim:
    """A number or name found in text: its text as written and how it is compared."""

    text: str
    kind: str  # "number" or "name"
    values: frozenset  # floats for numbers, normalized spellings for names


def _tokens(text: str) -> list[str]:
    tokens = []
    for raw in _WORD_SPLIT.split(text):
        token = _POSSESSIVE.sub("", raw.strip(_STRIP).rstrip(".").strip(_STRIP))
        if token:
            tokens.append(token)
    return tokens


def _norm(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())


def _spelled(words: list[str], start: int) -> tuple[float, int] | None:
    """A spelled-out number starting at ``words[start]``: (value, words used), or None.

    "twenty-five", "three hundred and five", "1.5 million"'s "million" is not one (no number
    word before it); "one eight" is two numbers, not nine.
    """
    total, current, used, last = 0.0, 0.0, 0, ""
    opens = ("", "hundred", "scale", "and")  # what may come before a units or tens word
    for i in range(start, len(words)):
        word = words[i].lower()
        tens, _, unit = word.partition("-")
        if tens in TENS and unit in UNITS and UNITS[unit] < 10 and last in opens:
            current, kind = current + TENS[tens] + UNITS[unit], "unit"
        elif word in TENS and last in opens:
            current, kind = current + TENS[word], "tens"
        elif word in UNITS and (last in opens or (last == "tens" and UNITS[word] < 10)):
            current, kind = current + UNITS[word], "unit"
        elif word == "hundred" and last == "unit" and current < 100:
            current, kind = current * 100, "hundred"
        elif word in ("thousand", "million", "billion", "trillion") and last in ("unit", "tens", "hundred"):
            total, current, kind = total + current * SCALES[word], 0.0, "scale"
        elif word == "and" and last == "hundred" and i + 1 < len(words) and words[i + 1].lower().split("-")[0] in (
                *UNITS, *TENS):
            kind = "and"
        elif word == "point" and last in ("unit", "tens") and i + 1 < len(words) and words[i + 1].lower() in DIGITS:
            decimals = ""
            for following in words[i + 1:]:
                if following.lower() not in DIGITS:
                    break
                decimals += str(DIGITS[following.lower()])
            return total + current + float(f"0.{decimals}"), used + 1 + len(decimals)
        else:
            break
        last, used = kind, used + 1
    if last == "and":  # never ends on "and"
        used -= 1
    return (total + current, used) if used else None


def _number_values(num: str, rest: str, following: str) -> set[float] | None:
    """The values a numeric token stands for, or None if ``rest`` makes it something else."""
    value = float(num.replace(",", ""))
    values = {value}
    rest_l, following_l = rest.lower().lstrip("-"), following.lower()
    scale = rest_l.split("-")[0]  # "7B", "557-million-parameter"
    if scale in SCALES:
        values.add(value * SCALES[scale])
    elif following_l in SCALES and len(following_l) > 1:
        values.add(value * SCALES[following_l])
    elif rest and not _UNIT.match(rest_l):
        return None
    return values


def claims(text: str) -> list[Claim]:
    """Every number and model/dataset/benchmark-like name in ``text``, in order."""
    words = _tokens(text)
    found: list[Claim] = []
    i = 0
    while i < len(words):
        word, following = words[i], words[i + 1] if i + 1 < len(words) else ""
        spelled = _spelled(words, i)
        if spelled:
            value, used = spelled
            if value >= MIN_SPELLED or used > 1:
                found.append(Claim(" ".join(words[i:i + used]), "number", frozenset({value})))
            i += used
            continue
        found.extend(_claims_in_word(word, following))
        i += 1
    return found


def _claims_in_word(word: str, following: str) -> list[Claim]:
    parts = _RANGE.split(word)
    if len(parts) > 1 and all(_NUMBER.match(p) for p in parts):  # a range: "10-20%", "3–5"
        return [c for p in parts for c in _claims_in_word(p, following)]
    match = _NUMBER.match(word)
    if match:
        values = _number_values(match["num"], match["rest"], following)
        if values is not None:
            return [Claim(word, "number", frozenset(values))]
    metric = _METRIC.match(word)
    if metric:
        return [Claim(word, "number", frozenset({float(metric["num"])}))]
    if _is_name(word):
        return [Claim(word, "name", frozenset(_name_variants(word)))]
    return []


def _is_name(word: str) -> bool:
    if word[0].isdigit() or not _LETTER.search(word):
        return False
    if all(len(part) <= 1 for part in _PARTS.split(word) if part.isalpha()) and not _DIGIT.search(word):
        return False  # "A-E", "(a)/(b)": labels, not names
    if _norm(word) in GENERIC or _norm(word.removesuffix("s")) in GENERIC:
        return False
    letters_digits = bool(_DIGIT.search(word))
    capitals = len(_CAPITAL.findall(word)) >= 2
    return letters_digits or capitals or bool(_CAMEL.search(word)) or word.lower() in KNOWN_NAMES


def _name_variants(word: str) -> set[str]:
    """Spellings that count as the same name: GPT-4o, gpt4o; CD-LM-based, CD-LM; VAEs, VAE."""
    variants = {_norm(word)}
    parts = _PARTS.split(word)
    while len(parts) > 1 and parts[-1].islower() and parts[-1].isalpha():
        parts = parts[:-1]
        variants.add(_norm("".join(parts)))
    while len(parts) > 1 and parts[0].islower() and parts[0].isalpha():
        parts = parts[1:]
        variants.add(_norm("".join(parts)))
    if re.search(r"[A-Z]s$", word):
        variants.add(_norm(word[:-1]))
    return {v for v in variants if v}


def _supported_number(values: frozenset, source_values: frozenset[float]) -> bool:
    for c in values:
        for s in source_values:
            if abs(c - s) <= 1e-9 * max(1.0, abs(s)) or abs(c - 100 * s) < 1e-6 or abs(100 * c - s) < 1e-6:
                return True
            digits = len(f"{c:g}".partition(".")[2])  # "about 95%" for 94.7%: rounding is allowed
            if s != c and abs(round(s, digits) - c) < 1e-9 and s != 0 and c != 0:
                return True
    return False


@lru_cache(maxsize=256)  # a paper's summary is checked against its draft and its retry
def _source_index(source: str) -> tuple[frozenset[float], frozenset[str]]:
    numbers: set[float] = set()
    names: set[str] = set()
    for claim in claims(source):
        (numbers if claim.kind == "number" else names).update(claim.values)
        if claim.kind == "name":  # "CIFAR-10" and "Llama-3-70B" also state 10, 3, 70 and 70 billion
            for match in _EMBEDDED.finditer(claim.text):
                value = float(match[1])
                numbers.update({value, value * SCALES.get(match[2].lower(), 1.0)})
    raw = _tokens(source)
    tokens = [t for t in (_norm(t) for t in raw) if t]
    names.update(tokens)
    for token in raw:  # "CIFAR-10" supports "CIFAR", "ResNets" "ResNet", "Qwen2.5" "Qwen"
        names.update(_norm(part) for part in _PARTS.split(token))
        norm = _norm(token)
        names.add(norm.removesuffix("s"))
        prefix = _ALPHA_PREFIX.match(norm)
        if prefix:
            names.add(prefix[0])
    for size in (2, 3):  # "Llama 3" in the source supports "Llama-3"
        names.update("".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1))
    return frozenset(numbers), frozenset(names)


def unsupported(text: str, source: str, allowed: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Flags for numbers and names in ``text`` that ``source`` (or ``allowed``) lacks, in order."""
    numbers, names = _source_index("\n".join([source, *allowed]))
    flags: list[str] = []
    for claim in claims(text):
        if claim.kind == "number":
            ok = _supported_number(claim.values, numbers)
        else:
            ok = bool(claim.values & names)
        flag = f"{FLAG_PREFIX} {claim.text}"
        if not ok and flag not in flags:
            flags.append(flag)
    return flags


def is_faithfulness_flag(flag: str) -> bool:
    """True for flags written by :func:`unsupported`."""
    return flag.startswith(FLAG_PREFIX)
