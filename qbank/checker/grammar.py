"""What a student may type: arithmetic on numbers, a few functions, named variables.

A small tokenizer and recursive-descent parser, so a response is never given
to ``eval``: only numbers, ``+ - * / ^ **``, parentheses, ``%`` after a number
or a bracket, the functions in ``FUNCTIONS``, the constants ``pi`` and ``e``
and the variables the question names can appear.  The parse tree is evaluated
with ``math`` (for numbers and for sampling) or turned into sympy (for
symbolic equivalence).

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("+" | "-") unary | power
    power      := postfix (("^" | "**") unary)?
    postfix    := primary "%"?
    primary    := NUMBER | NAME "(" expression ")" | NAME | "(" expression ")"
    NUMBER     := digits 0-9 with an optional point and exponent: 12, 0.5, .5, 1., 6.65e-1

Only the ASCII digits 0-9 are digits: ``int()``, ``float()`` and ``\\d`` would also
take ``٣``, ``१२`` or a full-width ``３``, which the page's JavaScript does not, and a
checker that reads an answer the other one refuses is worse than one that refuses
both with a reason.  That reason names the digits 0-9 when the character refused is
a digit of another script: one of the ``DIGIT_ZEROS`` sets of ten, spelled out here
and in the JavaScript rather than asked of ``str.isdecimal`` and ``\\p{Nd}``, whose
Unicode versions differ (Python 3.11 knows Unicode 14, Chromium 156 Unicode 17, so
the Kirat Rai ``𖵰`` was a digit on the page only).  ``qbank/practice/checker.js``
implements this same grammar, with the same messages (``tests/test_checker_differential.py``
compares the two on thousands of generated responses); ``limits.py`` bounds how long
and how deep a response is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from qbank.checker.limits import MAX_DEPTH, TOO_DEEP

FUNCTIONS = ("sqrt", "exp", "log", "ln", "sin", "cos", "tanh", "sigmoid")
CONSTANTS = {"pi": math.pi, "e": math.e}
NUMBER = r"[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?"
TOKEN = re.compile(rf"({NUMBER})|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|[-+*/^()%])")
# Dropped anywhere in a response ("1 000" is 1000): JavaScript's \s, spelled out so that
# Python (whose str.split() also splits at \x1c-\x1f and \x85, but not at \ufeff) drops
# exactly what the page drops.
WHITESPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")
# The zero of every set of ten decimal digits (general category Nd) in Unicode 17.
DIGIT_ZEROS = (
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450,
    0x114D0, 0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50,
    0x11D50, 0x11DA0, 0x11DE0, 0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950,
    0x1FBF0)
SHOWN = 60  # characters of a response quoted in a message; longer ones end in "…"
CHAINS = {"+": ("+", "-"), "-": ("+", "-"), "*": ("*", "/"), "/": ("*", "/")}


class ResponseError(ValueError):
    """A response that cannot be read; the message says why, in one line."""


@dataclass(frozen=True)
class Node:
    op: str            # "num", "name", "const", "call", "neg", "pct", "+", "-", "*", "/", "^"
    args: tuple = ()
    text: str = ""     # the number's digits, or the name


def quoted(text: str) -> str:
    """A response as messages show it, in single quotes (as the page shows it, not repr)."""
    return "'" + (text if len(text) <= SHOWN else text[:SHOWN - 1] + "…") + "'"


def is_digit(char: str) -> bool:
    """A decimal digit of any script (Unicode 17), whatever this Python's Unicode version."""
    return any(0 <= ord(char) - zero < 10 for zero in DIGIT_ZEROS)


def _check_brackets(text: str) -> None:
    """Balanced, and at most MAX_DEPTH deep -- checked before any recursion starts."""
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth > MAX_DEPTH:
            raise ResponseError(TOO_DEEP)
        if depth < 0:
            break
    if depth:
        raise ResponseError(f"Unbalanced parentheses in {quoted(text)}.")


def _tokens(text: str, what: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            digits = ": use the digits 0-9" if is_digit(text[position]) else ""
            raise ResponseError(f"Could not read {quoted(text)} as {what}{digits}.")
        kind = "num" if match[1] else "name" if match[2] else "op"
        tokens.append((kind, match[1] or match[2] or match[3]))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str, variables: tuple[str, ...], what: str):
        self.text, self.what, self.variables = text, what, variables
        _check_brackets(text)
        self.tokens = _tokens(text, what)
        self.index = 0
        self.depth = 0  # brackets, signs and exponents around the current position

    def fail(self):
        raise ResponseError(f"Could not read {quoted(self.text)} as {self.what}.")

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ResponseError(TOO_DEEP)

    def peek(self) -> str | None:
        return self.tokens[self.index][1] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.index >= len(self.tokens):
            self.fail()
        self.index += 1
        return self.tokens[self.index - 1]

    def expect(self, symbol: str) -> None:
        if self.take() != ("op", symbol):
            self.fail()

    def parse(self) -> Node:
        if not self.tokens:
            raise ResponseError("Type an answer first.")
        node = self.expression()
        if self.index != len(self.tokens):
            self.fail()
        return node

    def expression(self) -> Node:
        node = self.term()
        while self.peek() in ("+", "-"):
            node = Node(self.take()[1], (node, self.term()))
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.peek() in ("*", "/"):
            node = Node(self.take()[1], (node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.peek() in ("+", "-"):
            sign = self.take()[1]
            self.deeper()
            operand = self.unary()
            self.depth -= 1
            return Node("neg", (operand,)) if sign == "-" else operand
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        if self.peek() in ("^", "**"):
            self.take()
            self.deeper()
            exponent = self.unary()
            self.depth -= 1
            return Node("^", (base, exponent))
        return base

    def postfix(self) -> Node:
        node = self.primary()
        if self.peek() == "%":
            self.take()
            node = Node("pct", (node,))
        return node

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "num":
            return Node("num", text=value)
        if kind == "name":
            if value in FUNCTIONS:
                self.expect("(")
                return Node("call", (self.bracketed(),), value)
            if value in self.variables:
                return Node("name", text=value)
            if value in CONSTANTS:
                return Node("const", text=value)
            raise ResponseError(f"Unknown name {quoted(value)}.")
        if value == "(":
            return self.bracketed()
        self.fail()

    def bracketed(self) -> Node:
        """The expression after an opening bracket, and its closing one."""
        self.deeper()
        node = self.expression()
        self.expect(")")
        self.depth -= 1
        return node


def normalise(text: str) -> str:
    """Whitespace dropped (1 000 is 1000) and the page's − × · read as - * *."""
    return WHITESPACE.sub("", text).replace("\u2212", "-").replace("\u00d7", "*").replace("\u00b7", "*")


def parse(text: str, variables: tuple[str, ...] = (), what: str = "a number") -> Node:
    """The tree of ``text``; ``what`` ("a number", "an expression") names it in messages."""
    return _Parser(normalise(text), variables, what).parse()


def chain(node: Node) -> tuple[Node, list[tuple[str, Node]]]:
    """``a + b - c`` as ``(a, [("+", b), ("-", c)])``, walked without recursion.

    Sums and products lean left, so a sum of a thousand terms is a tree a thousand
    nodes deep; evaluating it by recursion would overflow the stack.
    """
    family, rest = CHAINS[node.op], []
    while node.op in family:
        rest.append((node.op, node.args[1]))
        node = node.args[0]
    return node, rest[::-1]


def _call(name: str, x: float) -> float:
    if name == "sigmoid":
        return 1 / (1 + math.exp(-x)) if x > -700 else 0.0
    if name in ("log", "ln"):
        return math.log(x)
    return getattr(math, name)(x)


def evaluate(node: Node, at: dict[str, float] | None = None) -> float:
    """The value of the tree; ``nan`` where arithmetic breaks (never raises).

    Any value along the way that is not finite makes the whole one ``nan``: ``1/(1/0)``
    and ``1/exp(1000)`` are not read as 0, the way an overflow that Python raises and
    one that it lets through as ``inf`` (``1e308*10``) are treated alike, and the page,
    whose JavaScript never raises, is held to the same rule.
    """
    try:
        return _evaluate(node, at or {})
    except (ZeroDivisionError, OverflowError, ValueError):
        return math.nan


def _arithmetic(op: str, left: float, right: float) -> float:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        return left / right
    return float(left ** right) if not (left < 0 and not float(right).is_integer()) else math.nan


def _evaluate(node: Node, at: dict[str, float]) -> float:
    value = _value(node, at)
    if not math.isfinite(value):
        raise ValueError("not finite")
    return value


def _value(node: Node, at: dict[str, float]) -> float:
    op, args = node.op, node.args
    if op == "num":
        return float(node.text)
    if op == "const":
        return CONSTANTS[node.text]
    if op == "name":
        return float(at[node.text])
    if op == "call":
        return _call(node.text, _evaluate(args[0], at))
    if op == "neg":
        return -_evaluate(args[0], at)
    if op == "pct":
        return _evaluate(args[0], at) / 100
    if op == "^":
        return _arithmetic(op, _evaluate(args[0], at), _evaluate(args[1], at))
    first, rest = chain(node)
    value = _evaluate(first, at)
    for symbol, operand in rest:
        value = _arithmetic(symbol, value, _evaluate(operand, at))
        if not math.isfinite(value):
            raise ValueError("not finite")
    return value


def to_sympy(node: Node):
    """The same tree as a sympy expression (numbers exact), for symbolic equivalence."""
    import sympy

    op, args = node.op, node.args
    if op == "num":
        return sympy.Rational(node.text) if "e" not in node.text.lower() else sympy.Float(node.text)
    if op == "const":
        return {"pi": sympy.pi, "e": sympy.E}[node.text]
    if op == "name":
        return sympy.Symbol(node.text)
    if op == "call":
        x = to_sympy(args[0])
        if node.text == "sigmoid":
            return 1 / (1 + sympy.exp(-x))
        return {"sqrt": sympy.sqrt, "exp": sympy.exp, "log": sympy.log, "ln": sympy.log,
                "sin": sympy.sin, "cos": sympy.cos, "tanh": sympy.tanh}[node.text](x)
    if op == "neg":
        return -to_sympy(args[0])
    if op == "pct":
        return to_sympy(args[0]) / 100
    if op == "^":
        return to_sympy(args[0]) ** to_sympy(args[1])
    first, rest = chain(node)
    value = to_sympy(first)
    for symbol, operand in rest:
        value = _arithmetic(symbol, value, to_sympy(operand))  # + - * / work on sympy too
    return value
