"""LaTeX and inline math read aloud: "O(n^2)" → "O of n squared", "\\frac{a}{b}" → "a over b".

Math is always said in English words; only the numbers in it follow the episode's language
(the caller passes how to say a number). Unknown commands are dropped and braces removed.
"""

from __future__ import annotations

import re
from typing import Callable

GREEK = {name: name for name in (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau "
    "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega").split()}
GREEK.update(varepsilon="epsilon", vartheta="theta", varphi="phi", varrho="rho", varsigma="sigma", varpi="pi")
GREEK_CHARS = dict(zip(
    "αβγδεϵζηθϑικλμνξοπρσςτυφϕχψωΓΔΘΛΞΠΣΥΦΨΩ",
    ("alpha beta gamma delta epsilon epsilon zeta eta theta theta iota kappa lambda mu nu xi omicron pi rho "
     "sigma sigma tau upsilon phi phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi "
     "Omega").split()))
# Commands and characters that are one fixed phrase.
WORDS = {
    "times": "times", "cdot": "times", "div": "divided by", "pm": "plus or minus", "mp": "minus or plus",
    "leq": "less than or equal to", "le": "less than or equal to", "geq": "greater than or equal to",
    "ge": "greater than or equal to", "neq": "not equal to", "ne": "not equal to", "approx": "approximately",
    "sim": "distributed as", "equiv": "equivalent to", "propto": "proportional to", "in": "in",
    "notin": "not in", "subset": "subset of", "subseteq": "subset of", "cup": "union", "cap": "intersection",
    "to": "to", "rightarrow": "to", "longrightarrow": "to", "leftarrow": "from", "Rightarrow": "implies",
    "implies": "implies", "iff": "if and only if", "mapsto": "maps to", "infty": "infinity",
    "partial": "partial", "nabla": "nabla", "forall": "for all", "exists": "there exists", "neg": "not",
    "land": "and", "wedge": "and", "lor": "or", "vee": "or", "ldots": "and so on", "cdots": "and so on",
    "dots": "and so on", "circ": "composed with", "otimes": "tensor", "oplus": "plus", "perp": "perp",
    "mid": "given", "ell": "ell", "emptyset": "the empty set", "%": "percent", "&": "and", "top": "transpose",
    "+": "plus", "-": "minus", "−": "minus", "=": "equals", "<": "less than", ">": "greater than",
    "*": "times", "/": "over", "!": "factorial", "'": "prime", "≤": "less than or equal to",
    "≥": "greater than or equal to", "≠": "not equal to", "≈": "approximately", "×": "times", "·": "times",
    "±": "plus or minus", "→": "to", "∞": "infinity", "∈": "in", "∑": "the sum of", "∂": "partial",
    "∇": "nabla", "⊥": "perp", "√": "the square root of", "∝": "proportional to", ",": ",", ";": ",",
}
FUNCTIONS = {"log": "log", "ln": "natural log", "exp": "exp", "sin": "sine", "cos": "cosine", "tan": "tangent",
             "tanh": "tanh", "sigmoid": "sigmoid", "softmax": "softmax", "det": "determinant",
             "Pr": "probability", "Var": "variance"}
LIMITED = {"sum": "the sum", "prod": "the product", "int": "the integral", "max": "the max", "min": "the min",
           "argmax": "the arg max", "argmin": "the arg min", "sup": "the supremum", "inf": "the infimum",
           "lim": "the limit", "bigcup": "the union", "bigcap": "the intersection"}
WRAPPERS = set("mathbb mathcal mathbf mathfrak boldsymbol bm".split())
# Text-mode commands: their argument is words ("\\textbf{hi}" → "hi"), never variables.
TEXT_MODE = set("text textrm textbf textit textsf texttt textup textsl textsc textnormal emph mbox hbox "
                "underline".split())
# Math fonts whose argument is a word when it is one ("\\mathrm{softmax}"), else math ("\\mathrm{d}").
WORD_FONTS = {"mathrm", "mathit", "mathsf", "mathtt", "operatorname"}
# Commands said not at all, with their arguments: citations, cross-references, labels, footnotes.
DROPPED = set("cite citep citet citealp citealt citeauthor citeyear nocite parencite textcite autocite ref "
              "eqref autoref cref Cref pageref nameref label footnote footnotemark footnotetext url".split())
ACCENTS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde",
           "widetilde": "tilde", "dot": "dot", "ddot": "double dot"}
FRACTIONS = {"frac", "dfrac", "tfrac", "cfrac"}
SUPERSCRIPTS = {"2": "squared", "3": "cubed", "T": "transpose", "\\top": "transpose", "\\intercal": "transpose",
                "-1": "inverse", "−1": "inverse", "*": "star", "\\ast": "star", "\\star": "star",
                "\\prime": "prime", "'": "prime", "\\dagger": "dagger"}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|[A-Za-z]+|\s+|.", re.DOTALL)
_SHORT_RUN = 3  # letter runs up to this long are separate variables ("nN" → "n N"), longer ones words
_TIDY = re.compile(r"\s+([,])")
_WORD_ARG = re.compile(r"[A-Za-z]{2,}(?:[\s-]+[A-Za-z]+)*")
_ESCAPED = re.compile(r"\\([_%&#$])")
_TEXT_MATH = re.compile(r"(?<!\\)\$([^$]*)(?<!\\)\$")
_TEXT_COMMAND = re.compile(r"\\[A-Za-z]+(?:\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\[[^\]]*\]))*")

Number = Callable[[str], str]

# A run of math in prose with this many operators cannot be followed by ear: a placeholder is said instead.
FORMULA_OPERATORS = 6
FORMULA_WITH_EQUALS = (4, 6)  # or this many operators, an "=" among them, over at least this many words
_OPERATOR = re.compile(r"[=^+<>≈±×·/∑√∝−]|(?<=[A-Za-z0-9}])_(?=[A-Za-z0-9{])|\\(?:frac|sum|prod|int|cdot|times)")
_MATHY = re.compile(r"[$=^+<>≈±×·/∑√∂∇∝−‖\\\u0370-\u03FF]|^[(\[]*(?:[A-Za-z]|\d[\d.,]*|log\w*|exp|ln)[)\],;:.]*$"
                    r"|^[(\[]*[A-Za-z]\(|[A-Za-z0-9}]_[A-Za-z0-9{]")
_WORDS_NOT_MATH = frozenset({"a", "A", "I"})


class _Reader:
    """A small recursive reader over LaTeX tokens that collects the spoken words."""

    def __init__(self, source: str, number: Number):
        self.tokens = _TOKEN.findall(source)
        self.i = 0
        self.number = number
        self.calls: list[bool] = []  # open parentheses: True for f(...), False for grouping

    def peek(self, skip_space: bool = True) -> str | None:
        while skip_space and self.i < len(self.tokens) and self.tokens[self.i].isspace():
            self.i += 1
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> str | None:
        token = self.peek()
        self.i += token is not None
        return token

    def group(self) -> list[str]:
        """Words up to the matching "}" (or the end)."""
        words: list[str] = []
        while (token := self.peek()) is not None and token != "}":
            words += self.term()
        self.i += token == "}"
        return words

    def arg(self) -> tuple[str, list[str]]:
        """One argument, braced or a single token: its source text and its words."""
        start = self.i
        token = self.take()
        if token == "{":
            words = self.group()
            return "".join(self.tokens[start + 1:self.i - 1]).strip(), words
        return (token or ""), self.atom(token)[0]

    def raw_arg(self) -> str:
        """One argument's source text, braced or a single token, without reading it."""
        token = self.take()
        if token != "{":
            return token or ""
        start, depth = self.i, 1
        while self.i < len(self.tokens):
            depth += (self.tokens[self.i] == "{") - (self.tokens[self.i] == "}")
            self.i += 1
            if depth == 0:
                return "".join(self.tokens[start:self.i - 1])
        return "".join(self.tokens[start:])

    def optional(self) -> str:
        """An optional [argument]'s source text, or ""."""
        if self.peek() != "[":
            return ""
        end = self.tokens.index("]", self.i) if "]" in self.tokens[self.i:] else len(self.tokens)
        text, self.i = "".join(self.tokens[self.i + 1:end]), end + 1
        return text.strip()

    def term(self) -> list[str]:
        """One atom with its sub- and superscripts, and "of" when a function is applied."""
        words, is_name = self.atom(self.take())
        while (token := self.peek(skip_space=False)) in ("^", "_", "'"):
            self.i += 1
            if token == "'":
                words.append("prime")
                continue
            raw, arg = self.arg()
            words += superscript(raw, arg) if token == "^" else ["sub", *arg]
            is_name = True
        if is_name and self.peek(skip_space=False) == "(":
            self.i += 1
            self.calls.append(True)
            words.append("of")
        return words

    def atom(self, token: str | None) -> tuple[list[str], bool]:
        """The words for one token (reading a command's arguments) and whether it names something."""
        if token is None or token.isspace() or token in "}[]&~.:":
            return [], False
        if token == "{":
            return self.group(), False
        if token == "(":
            self.calls.append(False)
            return [], False
        if token == ")":
            if self.calls:
                self.calls.pop()
            return [], False
        if token == "|":
            return (["given"] if self.calls and self.calls[-1] else []), False
        if token.startswith("\\"):
            return self.command(token[1:])
        if token[0].isdecimal():
            return [self.number(token)], False
        if token.isascii() and token.isalpha():
            if token in FUNCTIONS:
                return [FUNCTIONS[token]], True
            return ([token] if len(token) > _SHORT_RUN else list(token)), True
        if token in GREEK_CHARS:
            return [GREEK_CHARS[token]], True
        if "\ue000" <= token <= "\uf8ff":  # a protected term, kept as it is
            return [token], True
        return ([WORDS[token]] if token in WORDS else []), False

    def command(self, name: str) -> tuple[list[str], bool]:
        if name in GREEK:
            return [GREEK[name]], True
        if name in FRACTIONS:
            top, bottom = self.arg()[1], self.arg()[1]
            return [*top, "over", *bottom], False
        if name == "sqrt":
            degree = self.optional()
            root = {"": "square", "2": "square", "3": "cube"}.get(degree, f"{self.number(degree)}th")
            return [f"the {root} root of", *self.arg()[1]], False
        if name in DROPPED:
            while self.peek() == "[":
                self.optional()
            if self.peek() == "{":
                self.raw_arg()
            return [], False
        if name in TEXT_MODE:
            return [text_words(self.raw_arg(), self.number)], True
        if name in WORD_FONTS and self.peek() == "{":
            start = self.i
            if _WORD_ARG.fullmatch(raw := self.raw_arg().strip()):
                return [raw], True
            self.i = start
            return self.arg()[1], True
        if name in WRAPPERS:
            return self.arg()[1], True
        if name in ACCENTS:
            return [*self.arg()[1], ACCENTS[name]], True
        if name == "vec":
            return ["vector", *self.arg()[1]], True
        if name in LIMITED:
            return self.limits(LIMITED[name]), False
        if name in FUNCTIONS:
            return [FUNCTIONS[name]], True
        return ([WORDS[name]] if name in WORDS else []), False

    def limits(self, phrase: str) -> list[str]:
        """A big operator with optional limits: "the sum from i equals one to n of"."""
        bounds: dict[str, list[str]] = {}
        while (token := self.peek()) in ("_", "^") and token not in bounds:
            self.i += 1
            bounds[token] = self.arg()[1]
        words = [phrase]
        if "_" in bounds and "^" in bounds:
            words += ["from", *bounds["_"], "to", *bounds["^"]]
        elif "_" in bounds:
            words += ["over", *bounds["_"]]
        return [*words, "of"] if phrase in ("the sum", "the product", "the integral") else words


def formulas(text: str, placeholder: str) -> str:
    """Runs of prose math too long to follow by ear ("L(N, D) = nN^α + dD^β + …") replaced by ``placeholder``."""
    tokens = text.split(" ")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and tokens[j] not in _WORDS_NOT_MATH and _MATHY.search(tokens[j]):
            j += 1
        if j == i:
            out.append(tokens[i])
            i += 1
            continue
        run = tokens[i:j]
        joined = " ".join(run)
        operators = len(_OPERATOR.findall(joined))
        least, words = FORMULA_WITH_EQUALS
        if operators >= FORMULA_OPERATORS or operators >= least and "=" in joined and len(run) >= words:
            tail = run[-1][len(run[-1].rstrip(",;:.")):]
            out.append(placeholder + tail)
        else:
            out += run
        i = j
    return " ".join(out)


def superscript(raw: str, words: list[str]) -> list[str]:
    """Words for a superscript: "squared", "transpose", "inverse", else "to the …"."""
    key = raw.replace(" ", "").strip("{}")
    if key in SUPERSCRIPTS:
        return [SUPERSCRIPTS[key]]
    if key.isdigit() and len(words) == 1 and not words[0][:1].isdigit():  # English words: "to the sixth"
        from .spoken_numbers import ordinal

        return ["to the", ordinal(int(key))]
    return ["to the", *words]


def text_words(source: str, number: Number) -> str:
    """A text-mode argument as the words it says; inline math and commands in it are read as usual."""
    text = source.replace("~", " ").replace("\\\\", " ")
    if "$" in text:
        text = _TEXT_MATH.sub(lambda m: f" {math_words(m[1], number)} ", text)
    if "\\" in text:
        text = _ESCAPED.sub(r"\1", _TEXT_COMMAND.sub(lambda m: f" {math_words(m[0], number)} ", text))
    return " ".join(text.split())


def _join(words: list[str]) -> str:
    return _TIDY.sub(r"\1", " ".join(w for w in words if w)).strip(" ,")


def math_words(source: str, number: Number) -> str:
    """Spoken English for a piece of LaTeX or plain math."""
    reader = _Reader(source, number)
    words: list[str] = []
    while reader.peek() is not None:
        words += reader.term()
        if reader.peek() == "}":  # a stray closing brace
            reader.i += 1
    return _join(words)


def superscript_words(source: str, number: Number) -> str:
    """Spoken English for a superscript's content, as it follows its base ("squared", "to the n")."""
    inner = source[1:-1] if source.startswith("{") and source.endswith("}") else source
    return _join(superscript(inner, _Reader(inner, number).group()))
