"""Reads the arithmetic a worked solution prints, and checks that it adds up.

The test of issue 12 ("rounding that adds up") recomputes every printed
equation from its *printed* operands: the LaTeX is parsed, not the code that
made it.  This module is that reader.  It is deliberately strict: a side of an
equation is evaluated only if it is pure arithmetic that it understands; a
letter, a subscript, ``\\text``, an unknown command or anything ambiguous
makes the side "not arithmetic" and it is skipped, never guessed.

Reading a fragment (``check``):

1. Math regions: ``$..$``, ``\\(..\\)``, ``\\[..\\]``, ``$$..$$`` and the
   equation/align/gather/multline environments, wherever they are (tables and
   ``\\finalanswer`` included), ``%`` comments removed first.  An inline region
   that starts with a relation right after another (``$10000^{2/4}$% $= 100$``)
   continues it.
2. Lines: a region splits at top-level ``\\\\``; a line that starts with a
   relation (``&= ...`` in an align) continues the line before it.
3. Statements: a line splits at top-level ``,`` ``;`` ``:`` ``\\colon`` ``\\quad``
   ``\\qquad`` and at an ``&`` that does not stand next to a relation (``&&``).
   "Top level" is outside braces, brackets, ``\\left..\\right`` and matrices.
4. Chains: a statement splits at top-level relations.  ``=`` and ``\\approx``
   compare their neighbours; any other relation (``<``, ``\\le``, ``\\neq``,
   ``\\leftarrow``, ``\\in``, ...) only separates them.  A trailing ``.`` goes.

Grammar of an arithmetic side (``parse``)::

    expr    := term (('+'|'-') term)*
    term    := factor ((\\cdot|\\times|\\ast|*|/|\\div) factor | factor)*
                        (juxtaposition: see _juxtaposable)
    factor  := ('-'|'+') factor | power
    power   := atom ['^' (group | one token | \\top)]
    atom    := number | \\num{number} | ( expr ) | [ expr ] | \\left( .. \\right)
             | vector ( expr, expr, ... ) | \\left| expr \\right| | bmatrix/pmatrix
             | \\frac{}{} (\\dfrac, \\tfrac) | \\sqrt[n]{} | e^{..} | \\pi
             | \\exp \\ln \\log_b \\tanh \\sinh \\cosh \\sin \\cos \\sigma(..) \\max(..) \\min(..)

``\\sigma(..)`` is the logistic function: every template that applies
``\\sigma`` to a number means it (LayerNorm's and the noise's ``\\sigma`` are
never applied to a parenthesised argument, so they stay unread).  Bare
``\\log`` has no base in qbank's notation and is refused.

Values are floats, 1-D arrays (vectors) and 2-D arrays (bmatrix, colvector).
A scalar scales an array; arrays of one shape add; two matrices side by side
multiply; ``^\\top`` turns a vector into a column and transposes a matrix;
functions apply entry by entry.  Anything else between arrays (``\\times`` of two
vectors, a scalar added to a vector) is refused, except that operands which
cannot fit (adding a 2-vector to a 3-vector, a 2x3 by 2x2 product) are an
``ArithmeticFailure``, as are undefined values (``\\frac{1}{0}``, ``\\ln 0``).

The rule (``check``): for neighbours ``L = R`` (or ``\\approx``) that are both
arithmetic, L is recomputed from its printed numbers, taken as exact, and must
come within R's tolerance plus a float epsilon (1e-9, relative above 1).  R's
tolerance is how far R moves when one of its rounded numbers moves by one unit
of its last printed digit, summed over those numbers, entry by entry for arrays:

* for a printed number, vector or matrix that is just the unit of each entry, as
  issue 12 asks (``\\num{0.270}``: 0.001; an integer printed alone: 1);
* for an R that is an expression, the units of its numbers carried through it,
  so ``10^{\\num{0.66}}`` may move by ``ln 10 * 10^0.66 * 0.01``, not by 0.01,
  and ``\\num{9.56} \\times 10^{2}`` by 1.  Integers inside an expression (the 1
  of ``1 + x``, the 2 of ``2 \\times x``, the 10 of ``10^{-3}``) are exact, so an
  expression of integers only must be met exactly;
* when L is itself only printed numbers (a rounded result restated,
  ``= \\num{-0.7616} = \\tanh(-1)``), L's own units count as well: the larger
  tolerance of the two.

A pair whose shapes differ (a vector against a column) fails, and so does an
``ArithmeticFailure`` on either side.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

import numpy as np


class NotArithmetic(ValueError):
    """A side the evaluator does not read as pure arithmetic: it is skipped."""


class ArithmeticFailure(ValueError):
    """Printed arithmetic that cannot be right: operands whose shapes do not fit,
    or a value that is undefined (division by zero, the log of a negative)."""


# --------------------------------------------------------------------------- tokens

@dataclass(frozen=True)
class Token:
    kind: str   # num, cmd, char, open, close, begin, end, word
    text: str
    start: int = 0   # span in the region's LaTeX
    end: int = 0


MATH_ENVIRONMENTS = ("equation", "equation*", "align", "align*", "gather", "gather*",
                     "multline", "multline*", "flalign", "flalign*", "alignat", "alignat*",
                     "eqnarray", "eqnarray*", "displaymath", "math")
_TRANSPARENT_ENVIRONMENTS = {"aligned", "alignedat", "gathered", "split"}
_MATRIX_ENVIRONMENTS = {"bmatrix", "pmatrix", "matrix", "smallmatrix"}  # not vmatrix (a det)

_SPACING = {r"\,", r"\;", r"\!", r"\ ", r"\:", r"\>", "~", r"\enspace", r"\thinspace",
            r"\medspace", r"\thickspace", r"\negthinspace", r"\displaystyle", r"\textstyle",
            r"\nonumber", r"\notag", r"\limits", r"\nolimits"}
_SPACING_WITH_ARGUMENT = {r"\hspace", r"\hspace*", r"\phantom", r"\hphantom", r"\vphantom",
                          r"\label"}
# Commands whose argument is text: swallowed whole, so a $ or & inside cannot mislead.
_TEXT_COMMANDS = {r"\text", r"\textrm", r"\textit", r"\textbf", r"\textsf", r"\texttt", r"\emph",
                  r"\mbox", r"\mathrm", r"\mathit", r"\mathbf", r"\mathsf", r"\mathtt",
                  r"\mathcal", r"\mathbb", r"\boldsymbol", r"\operatorname", r"\textup"}
_SIZED_OPEN = {r"\left", r"\bigl", r"\Bigl", r"\biggl", r"\Biggl"}
_SIZED_CLOSE = {r"\right", r"\bigr", r"\Bigr", r"\biggr", r"\Biggr"}
_SIZED_EITHER = {r"\big", r"\Big", r"\bigg", r"\Bigg"}
_DELIMITERS = {"(": "(", ")": ")", "[": "[", "]": "]", "|": "|", ".": ".",
               r"\{": "{", r"\}": "}", r"\lvert": "|", r"\rvert": "|", r"\vert": "|",
               r"\|": "‖", r"\lVert": "‖", r"\rVert": "‖", r"\Vert": "‖",
               r"\langle": "<", r"\rangle": ">", r"\lfloor": "⌊", r"\rfloor": "⌋",
               r"\lceil": "⌈", r"\rceil": "⌉"}
_OPENING = {"(", "[", "{", "<", "⌊", "⌈"}

_COMMAND = re.compile(r"\\(?:[A-Za-z]+\*?|.)", re.DOTALL)
_BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NUM_ARGUMENT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def _braced(text: str, start: int) -> tuple[str, int]:
    """The argument ``{...}`` at ``start`` (after spaces): its content and the index after it."""
    i = start
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text) or text[i] != "{":
        raise NotArithmetic("a command without its braced argument")
    depth, j = 0, i
    while j < len(text):
        char = text[j]
        if char == "\\":
            j += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1:j], j + 1
        j += 1
    raise NotArithmetic("unbalanced braces")


def _delimiter(text: str, i: int) -> tuple[str, int]:
    """The delimiter after ``\\left``, ``\\bigl`` etc.: its normal form and the index after it."""
    while i < len(text) and text[i].isspace():
        i += 1
    match = _COMMAND.match(text, i)
    raw = match.group() if match else text[i:i + 1]
    if raw not in _DELIMITERS:
        raise NotArithmetic(f"unknown delimiter {raw!r}")
    return _DELIMITERS[raw], i + len(raw)


def _command_token(name: str, text: str, i: int) -> tuple[Token | None, int]:
    """The token of command ``name`` whose arguments start at ``i``, and the index after."""
    if name in _SPACING:
        return None, i
    if name in _SPACING_WITH_ARGUMENT:
        return None, _braced(text, i)[1]
    if name in _TEXT_COMMANDS:
        content, i = _braced(text, i)
        return Token("word", name + "{" + content + "}"), i
    if name == r"\num":
        content, i = _braced(text, i)
        if _NUM_ARGUMENT.fullmatch(content.strip()):
            return Token("num", content.strip().replace(",", "")), i
        return Token("word", name + "{" + content + "}"), i
    if name in (r"\begin", r"\end"):
        content, i = _braced(text, i)
        return Token(name[1:], content.strip()), i
    if name in _SIZED_OPEN or name in _SIZED_CLOSE or name in _SIZED_EITHER:
        delimiter, i = _delimiter(text, i)
        if name in _SIZED_EITHER:
            return Token("open" if delimiter in _OPENING else "close", delimiter), i
        return Token("open" if name in _SIZED_OPEN else "close", delimiter), i
    if name in (r"\lvert", r"\lVert"):
        return Token("open", _DELIMITERS[name]), i
    if name in (r"\rvert", r"\rVert"):
        return Token("close", _DELIMITERS[name]), i
    return Token("cmd", name), i


def _next_token(text: str, i: int) -> tuple[Token | None, int]:
    """The token starting at ``i`` (None for spacing), and the index after it."""
    char = text[i]
    if char.isspace() or char == "~":
        return None, i + 1
    if char == "\\":
        name = _COMMAND.match(text, i).group()
        return _command_token(name, text, i + len(name))
    number = _BARE_NUMBER.match(text, i)
    if number:
        return Token("num", number.group()), number.end()
    if char in "([":
        return Token("open", char), i + 1
    if char in ")]":
        return Token("close", char), i + 1
    return Token("char", char), i + 1


def tokenize(text: str) -> list[Token]:
    """Tokens of math-mode LaTeX, spacing dropped, each with its span in ``text``.

    Raises NotArithmetic only for malformed input (an unbalanced ``\\text{``), which
    a caller treats as unreadable."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        token, end = _next_token(text, i)
        if token is not None:
            tokens.append(Token(token.kind, token.text, i, end))
        i = end
    return tokens


# --------------------------------------------------------------------------- regions

_COMMENT = re.compile(r"(?<!\\)((?:\\\\)*)%[^\n]*")   # a % after an even number of \


def strip_comments(tex: str) -> str:
    """The text without ``%`` comments (an escaped ``\\%`` stays)."""
    return _COMMENT.sub(r"\1", tex)


def _inline_end(tex: str, start: int, closer: str) -> int:
    """Index of the ``closer`` ($ or $$) ending inline math that starts at ``start``,
    at the same brace depth (so a $ inside \\text{..} inside the math is skipped)."""
    depth, i = 0, start
    while i < len(tex):
        char = tex[i]
        if char == "\\":
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and tex.startswith(closer, i):
            return i
        i += 1
    return -1


def _region_spans(tex: str) -> list[tuple[str, int, int, bool]]:
    """(body, start, end, inline) of every math region of comment-free ``tex``."""
    spans, i = [], 0
    while i < len(tex):
        char = tex[i]
        if char == "\\":
            begin = re.match(r"\\begin\{([^}]*)\}", tex[i:i + 40])
            if begin and begin.group(1) in MATH_ENVIRONMENTS:
                closer = r"\end{" + begin.group(1) + "}"
                end = tex.find(closer, i)
                if end < 0:
                    break
                spans.append((tex[i + begin.end():end], i, end + len(closer), False))
                i = end + len(closer)
                continue
            pair = {"[": r"\]", "(": r"\)"}.get(tex[i + 1:i + 2])
            if pair:
                end = tex.find(pair, i + 2)
                if end < 0:
                    break
                spans.append((tex[i + 2:end], i, end + 2, pair == r"\)"))
                i = end + 2
                continue
            i += 2  # an escaped character or a command, \\ and \$ included
            continue
        if char == "$":
            closer = "$$" if tex.startswith("$$", i) else "$"
            end = _inline_end(tex, i + len(closer), closer)
            if end < 0:
                break
            spans.append((tex[i + len(closer):end], i, end + len(closer), closer == "$"))
            i = end + len(closer)
            continue
        i += 1
    return spans


_STARTS_WITH_RELATION = re.compile(r"\s*&?\s*(=|\\approx(?![A-Za-z]))")


def math_regions(tex: str) -> list[str]:
    """The bodies of every math region of ``tex``, in order.

    An inline region that starts with a relation and follows another with only
    spaces between (``$10000^{2/4}$% <newline> $= 100$``) continues it.
    """
    tex = strip_comments(tex)
    regions: list[str] = []
    previous = None
    for body, start, end, inline in _region_spans(tex):
        if (inline and previous is not None and previous[1] and not tex[previous[0]:start].strip()
                and _STARTS_WITH_RELATION.match(body)):
            regions[-1] = regions[-1] + " " + body
        else:
            regions.append(body)
        previous = (end, inline)
    return regions


# --------------------------------------------------------------------------- chains

COMPARISONS = {"=", r"\approx"}
_OTHER_RELATIONS = {"<", ">", r"\le", r"\leq", r"\ge", r"\geq", r"\neq", r"\ne", r"\leftarrow",
                    r"\gets", r"\to", r"\rightarrow", r"\Rightarrow", r"\Leftarrow", r"\implies",
                    r"\iff", r"\Leftrightarrow", r"\mapsto", r"\equiv", r"\sim", r"\simeq",
                    r"\cong", r"\propto", r"\in", r"\notin", r"\ll", r"\gg", r"\leqslant",
                    r"\geqslant", r"\coloneqq", r"\mid", r"\longrightarrow", r"\lt", r"\gt",
                    r"\subset", r"\subseteq"}
_SEPARATORS = {",", ";", ":", r"\colon", r"\quad", r"\qquad"}


def _relation(token: Token) -> str | None:
    if token.kind in ("char", "cmd") and (token.text in COMPARISONS
                                          or token.text in _OTHER_RELATIONS):
        return token.text
    return None


def _depth_change(token: Token) -> int:
    if token.kind == "open" or (token.kind == "char" and token.text == "{"):
        return 1
    if token.kind == "close" or (token.kind == "char" and token.text == "}"):
        return -1
    if token.kind == "begin":
        return 0 if token.text in _TRANSPARENT_ENVIRONMENTS else 1
    if token.kind == "end":
        return 0 if token.text in _TRANSPARENT_ENVIRONMENTS else -1
    return 0


def _top_level(tokens: list[Token]):
    """Yield (index, token, depth before it) for every token."""
    depth = 0
    for index, token in enumerate(tokens):
        change = _depth_change(token)
        if change < 0:
            depth += change
        yield index, token, depth
        if change > 0:
            depth += change


@dataclass
class Chain:
    """One statement: sides (token lists) joined by relations."""

    sides: list[list[Token]]
    relations: list[str] = field(default_factory=list)


def _lines(tokens: list[Token]) -> list[list[Token]]:
    """The lines of a region: split at top-level ``\\\\`` (and its ``*`` or ``[2pt]``)."""
    lines, current, after_break = [], [], False
    for _, token, depth in _top_level(tokens):
        if token.kind in ("begin", "end") and token.text in _TRANSPARENT_ENVIRONMENTS:
            continue
        if depth == 0 and token.kind == "cmd" and token.text == "\\\\":
            lines.append(current)
            current, after_break = [], True
            continue
        if after_break and token.kind == "char" and token.text == "*":
            continue
        if after_break and depth == 0 and token.kind == "open" and token.text == "[":
            after_break = "dimension"
            continue
        if after_break == "dimension":
            after_break = not (depth == 0 and token.kind == "close" and token.text == "]") \
                and "dimension"
            continue
        current.append(token)
        after_break = False
    lines.append(current)
    return lines


def _statements(line: list[Token]) -> list[Chain]:
    chains = [Chain([[]])]
    for index, token, depth in _top_level(line):
        chain = chains[-1]
        if depth > 0:
            chain.sides[-1].append(token)
            continue
        if token.kind == "char" and token.text == "&":
            after = line[index + 1] if index + 1 < len(line) else None
            beside_relation = (after is not None and _relation(after)) or (
                not chain.sides[-1] and chain.relations)
            if not beside_relation:
                chains.append(Chain([[]]))
            continue
        relation = _relation(token)
        if relation:
            chain.relations.append(relation)
            chain.sides.append([])
        elif token.text in _SEPARATORS and token.kind in ("char", "cmd"):
            chains.append(Chain([[]]))
        else:
            chain.sides[-1].append(token)
    return chains


def chains(region: str) -> list[Chain]:
    """The statements of one math region, align continuation lines joined."""
    try:
        tokens = tokenize(region)
    except NotArithmetic:
        return []
    result: list[Chain] = []
    for line in _lines(tokens):
        statements = _statements(line)
        first = statements[0]
        continues = not first.sides[0] and first.relations and result
        if continues:
            previous = result[-1]
            previous.relations.extend(first.relations)
            previous.sides.extend(first.sides[1:])
            statements = statements[1:]
        result.extend(statements)
    for chain in result:
        for side in chain.sides:
            while side and side[-1].kind == "char" and side[-1].text == ".":
                side.pop()
    return [chain for chain in result if chain.relations or chain.sides[0]]


def untokenize(tokens: list[Token]) -> str:
    """A readable LaTeX-ish rendering of tokens, for messages."""
    out = []
    for token in tokens:
        if token.kind == "num":
            out.append(token.text)
        elif token.kind == "open":
            out.append(r"\left" + token.text if token.text not in "([" else token.text)
        elif token.kind == "close":
            out.append(r"\right" + token.text if token.text not in ")]" else token.text)
        elif token.kind in ("begin", "end"):
            out.append(f"\\{token.kind}{{{token.text}}}")
        else:
            out.append(token.text)
    return " ".join(out)


# --------------------------------------------------------------------------- parser

@dataclass(frozen=True)
class Literal:
    """A printed number: its value and the unit of its last printed digit."""

    value: float
    unit: float
    integer: bool


_FUNCTIONS = {r"\exp": np.exp, r"\ln": np.log, r"\tanh": np.tanh, r"\sinh": np.sinh,
              r"\cosh": np.cosh, r"\sin": np.sin, r"\cos": np.cos,
              r"\sigma": lambda x: 1 / (1 + np.exp(-x))}
_NEEDS_PARENTHESES = {r"\sigma"}   # \sigma alone is a standard deviation
_PRODUCTS = {r"\cdot", r"\times", r"\ast", "*"}
_QUOTIENTS = {"/", r"\div"}
_FRACTIONS = {r"\frac", r"\dfrac", r"\tfrac", r"\cfrac"}


class _Parser:
    """Recursive descent over the tokens of one side; builds a small expression tree.

    Nodes are tuples: ("lit", i), ("const", v), ("neg", a), ("add"|"sub", a, b),
    ("mul", a, b), ("juxt", a, b), ("div", a, b), ("pow", a, b), ("fn", name, a),
    ("log", base, a), ("root", n, a), ("abs", a), ("max"|"min", [..]), ("vec", [..]),
    ("mat", [[..]]), ("T", a).  ``("lit", i)`` indexes ``literals``.
    """

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0
        self.literals: list[Literal] = []

    # helpers
    def peek(self, offset: int = 0) -> Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def is_(self, kind: str, text: str | None = None, offset: int = 0) -> bool:
        token = self.peek(offset)
        return token is not None and token.kind == kind and (text is None or token.text == text)

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise NotArithmetic("side ends too early")
        self.pos += 1
        return token

    def where(self) -> str:
        token = self.peek()
        return "the end" if token is None else repr(token.text)

    def operator(self) -> str | None:
        token = self.peek()
        if token is not None and token.kind in ("char", "cmd"):
            return token.text
        return None

    # grammar
    def side(self):
        if not self.tokens:
            raise NotArithmetic("empty side")
        node = self.expr()
        if self.peek() is not None:
            raise NotArithmetic(f"cannot read {self.where()}")
        return node

    def expr(self):
        node = self.term()   # a leading sign is the first factor's
        while self.operator() in ("+", "-"):
            op = "add" if self.take().text == "+" else "sub"
            node = (op, node, self.term())
        return node

    def term(self):
        node, kind = self.factor()
        while True:
            op = self.operator()
            if op in _PRODUCTS or op in _QUOTIENTS:
                self.take()
                right, kind = self.factor()
                node = ("mul" if op in _PRODUCTS else "div", node, right)
            elif self._juxtaposable(kind):
                right, kind = self.factor()
                node = ("juxt", node, right)
            else:
                return node

    def _juxtaposable(self, left_kind: str) -> bool:
        """Whether the next token starts a factor multiplied by juxtaposition.

        ``2\\,(3 + 1)``, ``\\frac{1}{4}(..)``, ``0.3\\,\\left(1, 2\\right)``, ``(a)(b)``,
        ``2\\sigma(x)``, ``2\\sqrt{2}`` and two matrices are products; two numbers side
        by side, ``2\\frac{1}{2}`` (a mixed number?) and anything after a function
        applied without parentheses (``\\ln 2 (3)``) are refused.
        """
        token = self.peek()
        if token is None or left_kind == "bare function":
            return False
        if token.kind == "open" and token.text in "([|":
            return True
        if token.kind == "begin" and token.text in _MATRIX_ENVIRONMENTS:
            return True
        if token.kind == "cmd" and (token.text in _FUNCTIONS or token.text in
                                    (r"\sqrt", r"\log", r"\max", r"\min", r"\pi")):
            return True
        if token.kind == "cmd" and token.text in _FRACTIONS:
            return left_kind != "number"
        if token.kind == "char" and token.text == "e" and self.is_("char", "^", 1):
            return True
        if token.kind == "num":
            raise NotArithmetic("two numbers side by side")
        return False

    def factor(self):
        if self.operator() in ("-", "+"):
            sign = self.take().text
            node, kind = self.factor()
            return (("neg", node) if sign == "-" else node), kind
        return self.power()

    def power(self):
        node, kind = self.atom()
        if self.is_("char", "^"):
            if kind in ("function", "bare function", "power"):
                raise NotArithmetic("a power of a function application (or a double ^)")
            self.take()
            if self.is_("cmd", r"\top") or (self.is_("char", "{") and self.is_("cmd", r"\top", 1)
                                            and self.is_("char", "}", 2)):
                self.pos += 1 if self.is_("cmd", r"\top") else 3
                return ("T", node), "power"
            return ("pow", node, self.argument()), "power"
        return node, kind

    def argument(self):
        """A TeX argument: ``{expr}`` or one token (a digit, not ``16``)."""
        if self.is_("char", "{"):
            return self.group("{", "}")
        token = self.take()
        if token.kind == "num" and len(token.text) == 1:
            return self.literal(token.text)
        raise NotArithmetic(f"unbraced argument {token.text!r}")

    def group(self, opener: str, closer: str):
        self.pos += 1
        node = self.expr()
        if not (self.is_("char", closer) or self.is_("close", closer)):
            raise NotArithmetic(f"expected {closer} at {self.where()}")
        self.take()
        return node

    def literal(self, text: str):
        decimals = len(text.partition(".")[2])
        self.literals.append(Literal(float(text), 10.0 ** -decimals, "." not in text))
        return ("lit", len(self.literals) - 1)

    def atom(self):
        token = self.peek()
        if token is None:
            raise NotArithmetic("side ends too early")
        if token.kind == "num":
            self.take()
            return self.literal(token.text), "number"
        if token.kind == "open":
            return self.parenthesised(), "group"
        if token.kind == "char" and token.text == "{":
            return self.group("{", "}"), "group"
        if token.kind == "begin" and token.text in _MATRIX_ENVIRONMENTS:
            return self.matrix(), "group"
        if token.kind == "char" and token.text == "e" and self.is_("char", "^", 1):
            self.pos += 2
            return ("fn", r"\exp", self.argument()), "power"
        if token.kind != "cmd":
            raise NotArithmetic(f"not arithmetic: {token.text!r}")
        name = token.text
        self.take()
        if name in _FRACTIONS:
            numerator = self.argument()
            return ("div", numerator, self.argument()), "fraction"
        if name == r"\sqrt":
            index = ("const", 2.0)
            if self.is_("open", "["):
                index = self.group("[", "]")
            return ("root", index, self.argument()), "function"
        if name == r"\pi":
            return ("const", math.pi), "number"
        if name in (r"\max", r"\min"):
            if not self.is_("open", "("):
                raise NotArithmetic(f"{name} without parentheses")
            return (name[1:], self.items()), "function"
        if name == r"\log":
            if not self.is_("char", "_"):
                raise NotArithmetic(r"\log without a base")
            self.take()
            base = self.argument()
            node, kind = self.function_argument(name)
            return ("log", base, node), kind
        if name in _FUNCTIONS:
            node, kind = self.function_argument(name)
            return ("fn", name, node), kind
        raise NotArithmetic(f"unknown command {name}")

    def function_argument(self, name: str):
        if self.is_("open", "(") or self.is_("open", "["):
            return self.parenthesised(), "function"
        if name in _NEEDS_PARENTHESES:
            raise NotArithmetic(f"{name} without parentheses")
        if self.is_("char", "{"):
            return self.group("{", "}"), "function"
        node, _ = self.power()
        return node, "bare function"

    def items(self) -> list:
        """The comma-separated expressions of a parenthesised group."""
        opener = self.take().text
        closer = {"(": ")", "[": "]", "|": "|"}.get(opener)
        if closer is None:
            raise NotArithmetic(f"delimiter {opener}")
        items = [self.expr()]
        while self.is_("char", ","):
            self.take()
            items.append(self.expr())
        if not self.is_("close", closer):
            raise NotArithmetic(f"expected {closer} at {self.where()}")
        self.take()
        return items

    def parenthesised(self):
        opener = self.peek().text
        if opener == "|":
            items = self.items()
            if len(items) != 1:
                raise NotArithmetic("a list inside | |")
            return ("abs", items[0])
        if opener not in "([":
            raise NotArithmetic(f"delimiter {opener}")
        items = self.items()
        if len(items) == 1:
            return items[0]
        if opener != "(":
            raise NotArithmetic("a list in square brackets")
        return ("vec", items)

    def matrix(self):
        environment = self.take().text
        rows, row = [], []
        while True:
            if self.is_("end", environment):
                self.take()
                break
            row.append(self.expr())
            if self.is_("char", "&"):
                self.take()
            elif self.is_("cmd", "\\\\"):
                self.take()
                rows.append(row)
                row = []
            elif not self.is_("end", environment):
                raise NotArithmetic(f"cannot read {self.where()} in a matrix")
        if row:
            rows.append(row)
        if not rows or len({len(r) for r in rows}) != 1:
            raise NotArithmetic("a ragged or empty matrix")
        return ("mat", rows)


# --------------------------------------------------------------------------- evaluation

def _is_array(value) -> bool:
    return isinstance(value, np.ndarray)


def _shape(value) -> tuple:
    return value.shape if _is_array(value) else ()


def _scalar(value, what: str):
    if _is_array(value):
        raise NotArithmetic(f"{what} of an array")
    return value


def _evaluate(node, values: list[float]):
    op = node[0]
    if op == "lit":
        return values[node[1]]
    if op == "const":
        return node[1]
    if op == "neg":
        return -_evaluate(node[1], values)
    if op in ("add", "sub"):
        left, right = _evaluate(node[1], values), _evaluate(node[2], values)
        if _is_array(left) != _is_array(right):
            raise NotArithmetic("a scalar added to an array (broadcast notation?)")
        if _shape(left) != _shape(right):
            raise ArithmeticFailure(f"adding shapes {_shape(left)} and {_shape(right)}")
        return left + right if op == "add" else left - right
    if op in ("mul", "juxt"):
        left, right = _evaluate(node[1], values), _evaluate(node[2], values)
        if not _is_array(left) or not _is_array(right):
            return left * right
        if op == "juxt" and left.ndim == 2 and right.ndim == 2:
            if left.shape[1] != right.shape[0]:
                raise ArithmeticFailure(f"matrix product of shapes {left.shape} and {right.shape}")
            return left @ right
        raise NotArithmetic("a product of two arrays")
    if op == "div":
        left = _evaluate(node[1], values)
        right = _scalar(_evaluate(node[2], values), "a division by")
        return left / right
    if op == "pow":
        base = _scalar(_evaluate(node[1], values), "a power")
        result = base ** _scalar(_evaluate(node[2], values), "an exponent")
        if isinstance(result, complex):
            raise ArithmeticFailure("a negative number to a fractional power")
        return result
    if op == "fn":
        return _FUNCTIONS[node[1]](_evaluate(node[2], values))
    if op == "log":
        base = _scalar(_evaluate(node[1], values), "a log base")
        return np.log(_evaluate(node[2], values)) / np.log(base)
    if op == "root":
        index = _scalar(_evaluate(node[1], values), "a root index")
        radicand = _evaluate(node[2], values)
        return np.sqrt(radicand) if index == 2 else radicand ** (1 / index)
    if op == "abs":
        return abs(_evaluate(node[1], values))
    if op in ("max", "min"):
        items = [_scalar(_evaluate(item, values), op) for item in node[1]]
        return max(items) if op == "max" else min(items)
    if op == "vec":
        return np.array([_scalar(_evaluate(item, values), "a vector") for item in node[1]])
    if op == "mat":
        return np.array([[_scalar(_evaluate(cell, values), "a matrix") for cell in row]
                         for row in node[1]])
    if op == "T":
        value = _evaluate(node[1], values)
        if not _is_array(value):
            raise NotArithmetic("a transposed scalar")
        return value.reshape(-1, 1) if value.ndim == 1 else value.T
    raise AssertionError(op)


def _value(node, values):
    with np.errstate(all="ignore"):
        try:
            result = _evaluate(node, values)
        except (OverflowError, ZeroDivisionError) as error:
            raise ArithmeticFailure(f"undefined: {error}") from None
    if _is_array(result):
        result = result.astype(float)
        finite = bool(np.all(np.isfinite(result)))
    else:
        if isinstance(result, complex):
            raise ArithmeticFailure("a complex value")
        result = float(result)
        finite = math.isfinite(result)
    return result, finite


def _standalone_literals(node, alone: bool = True, found: set | None = None) -> set:
    """Indexes of the literals that stand alone: the whole side, or a whole entry of a
    vector or matrix that is the whole side (an integer there is a rounded result)."""
    found = set() if found is None else found
    op = node[0]
    if op == "lit":
        if alone:
            found.add(node[1])
    elif op in ("neg", "T"):
        _standalone_literals(node[1], alone, found)
    elif op == "vec":
        for item in node[1]:
            _standalone_literals(item, alone, found)
    elif op == "mat":
        for row in node[1]:
            for cell in row:
                _standalone_literals(cell, alone, found)
    else:
        for child in node[1:]:
            for item in (child if isinstance(child, list) else [child]):
                for sub in (item if isinstance(item, list) else [item]):
                    if isinstance(sub, tuple):
                        _standalone_literals(sub, False, found)
    return found


def _only_numbers(node) -> bool:
    op = node[0]
    if op == "lit":
        return True
    if op in ("neg", "T"):
        return _only_numbers(node[1])
    if op == "vec":
        return all(_only_numbers(item) for item in node[1])
    if op == "mat":
        return all(_only_numbers(cell) for row in node[1] for cell in row)
    return False


@dataclass(frozen=True)
class Side:
    """An arithmetic side: its tree, printed numbers and value."""

    tex: str
    node: tuple
    literals: tuple[Literal, ...]
    value: float | np.ndarray

    @property
    def printed(self) -> bool:
        """Whether the side is only printed numbers (a number, vector or matrix of them)."""
        return _only_numbers(self.node)

    def tolerance(self):
        """How far this side may be from the exact value of what it stands for, given
        that each of its rounded numbers may be off by one unit in its last digit."""
        base = [lit.value for lit in self.literals]
        # Every decimal is rounded; an integer only where it stands alone.
        rounded = _standalone_literals(self.node) | {
            i for i, lit in enumerate(self.literals) if not lit.integer}
        total = np.zeros(_shape(self.value)) if _is_array(self.value) else 0.0
        for index in sorted(rounded):
            worst = 0.0
            for direction in (1, -1):
                shifted = list(base)
                shifted[index] += direction * self.literals[index].unit
                try:
                    moved, finite = _value(self.node, shifted)
                except (NotArithmetic, ArithmeticFailure):
                    continue
                if finite:
                    worst = np.maximum(worst, np.abs(moved - self.value))
            total = total + worst
        return total


def parse(tex_or_tokens) -> Side:
    """Read one side; raise NotArithmetic if it is not pure arithmetic, or
    ArithmeticFailure if it is arithmetic that cannot be right."""
    tokens = tokenize(tex_or_tokens) if isinstance(tex_or_tokens, str) else tex_or_tokens
    parser = _Parser(tokens)
    node = parser.side()
    values = [lit.value for lit in parser.literals]
    value, finite = _value(node, values)
    if not finite:
        raise ArithmeticFailure("undefined (not a finite number)")
    text = tex_or_tokens if isinstance(tex_or_tokens, str) else untokenize(tokens)
    return Side(text, node, tuple(parser.literals), value)


def evaluate(tex: str):
    """The value of one side (float or numpy array)."""
    return parse(tex).value


# --------------------------------------------------------------------------- the rule

EPSILON = 1e-9


@dataclass(frozen=True)
class Check:
    """One printed equation ``left relation right`` whose two sides were read."""

    left: str
    relation: str
    right: str
    left_value: object
    right_value: object
    tolerance: object
    problem: str | None    # None if the equation adds up
    latex: str = ""        # the printed LaTeX from the left side to the right

    @property
    def ok(self) -> bool:
        return self.problem is None

    def describe(self) -> str:
        return (f"{self.left} {self.relation} {self.right}: recomputed {show(self.left_value)}, "
                f"printed {show(self.right_value)} ({self.problem})")


def show(value) -> str:
    """A value for messages: a float to 6 figures, an array on one line."""
    if _is_array(value):
        return np.array2string(value, precision=6, separator=", ").replace("\n", "")
    return "?" if value is None else f"{value:.6g}"


def compare(left: Side, relation: str, right: Side) -> Check:
    """Apply the rule to one pair of neighbouring arithmetic sides."""
    def result(problem, tolerance=None):
        return Check(left.tex, relation, right.tex, left.value, right.value, tolerance, problem)

    if _shape(left.value) != _shape(right.value):
        return result(f"shapes {_shape(left.value)} and {_shape(right.value)} differ")
    tolerance = right.tolerance()
    if left.printed:   # a rounded result restated: "= -0.7616 = tanh(-1)"
        tolerance = np.maximum(tolerance, left.tolerance())
    allowed = tolerance + EPSILON * np.maximum(1.0, np.abs(right.value))
    off = np.abs(left.value - right.value)
    if np.all(off <= allowed):
        return result(None, tolerance)
    worst = float(np.max(off - allowed))
    return result(f"off by {float(np.max(off)):.3g}, more than the allowed "
                  f"{show(tolerance)} (excess {worst:.3g})", tolerance)


def _read(tokens: list[Token]):
    """A side's Side, or the ArithmeticFailure it raises, or None if not arithmetic."""
    if not tokens:
        return None
    try:
        return parse(tokens)
    except ArithmeticFailure as failure:
        return failure
    except (NotArithmetic, RecursionError):
        return None


def check(tex: str) -> list[Check]:
    """Every printed equation of ``tex`` whose neighbouring sides are both arithmetic."""
    checks = []
    for region in math_regions(tex):
        for chain in chains(region):
            sides = [_read(side) for side in chain.sides]
            for index, relation in enumerate(chain.relations):
                left, right = sides[index], sides[index + 1]
                if relation not in COMPARISONS or left is None or right is None:
                    continue
                left_tokens, right_tokens = chain.sides[index], chain.sides[index + 1]
                latex = region[left_tokens[0].start:right_tokens[-1].end]
                failure = next((s for s in (left, right) if isinstance(s, ArithmeticFailure)),
                               None)
                if failure is not None:
                    result = Check(untokenize(left_tokens), relation, untokenize(right_tokens),
                                   None, None, None, str(failure))
                else:
                    result = compare(left, relation, right)
                checks.append(replace(result, latex=" ".join(latex.split())))
    return checks
