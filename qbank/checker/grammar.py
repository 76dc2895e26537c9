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
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

FUNCTIONS = ("sqrt", "exp", "log", "ln", "sin", "cos", "tanh", "sigmoid")
CONSTANTS = {"pi": math.pi, "e": math.e}
TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
                   r"|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|[-+*/^()%]))")


class ResponseError(ValueError):
    """A response that cannot be read; the message says why, in one line."""


@dataclass(frozen=True)
class Node:
    op: str            # "num", "name", "const", "call", "neg", "pct", "+", "-", "*", "/", "^"
    args: tuple = ()
    text: str = ""     # the number's digits, or the name


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ResponseError(f"Could not read {text.strip()!r} as a number.")
        kind = "num" if match[1] else "name" if match[2] else "op"
        tokens.append((kind, match[1] or match[2] or match[3]))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str, variables: tuple[str, ...]):
        self.text = text.strip()
        self.tokens = _tokens(text)
        self.index = 0
        self.variables = variables

    def fail(self):
        raise ResponseError(f"Could not read {self.text!r} as a number.")

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
            operand = self.unary()
            return Node("neg", (operand,)) if sign == "-" else operand
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        if self.peek() in ("^", "**"):
            self.take()
            return Node("^", (base, self.unary()))
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
                argument = self.expression()
                self.expect(")")
                return Node("call", (argument,), value)
            if value in self.variables:
                return Node("name", text=value)
            if value in CONSTANTS:
                return Node("const", text=value)
            raise ResponseError(f"Unknown name {value!r}.")
        if value == "(":
            node = self.expression()
            self.expect(")")
            return node
        self.fail()


def normalise(text: str) -> str:
    """Whitespace dropped (1 000 is 1000) and the page's − × · read as - * *."""
    return "".join(text.split()).replace("\u2212", "-").replace("\u00d7", "*").replace("\u00b7", "*")


def parse(text: str, variables: tuple[str, ...] = ()) -> Node:
    return _Parser(normalise(text), variables).parse()


def _call(name: str, x: float) -> float:
    if name == "sigmoid":
        return 1 / (1 + math.exp(-x)) if x > -700 else 0.0
    if name in ("log", "ln"):
        return math.log(x)
    return getattr(math, name)(x)


def evaluate(node: Node, at: dict[str, float] | None = None) -> float:
    """The value of the tree; ``inf``/``nan`` where arithmetic breaks (never raises)."""
    try:
        return _evaluate(node, at or {})
    except (ZeroDivisionError, OverflowError, ValueError):
        return math.nan


def _evaluate(node: Node, at: dict[str, float]) -> float:
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
    left, right = _evaluate(args[0], at), _evaluate(args[1], at)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        return left / right
    return float(left ** right) if not (left < 0 and not float(right).is_integer()) else math.nan


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
    left, right = to_sympy(args[0]), to_sympy(args[1])
    return {"+": left + right, "-": left - right, "*": left * right, "/": left / right,
            "^": left ** right}[op]
