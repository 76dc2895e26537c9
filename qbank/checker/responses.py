"""A response read as the shape the answer has: a number, a vector, a matrix, a letter.

Every rule and message here has its twin in ``qbank/practice/checker.js``: the
same response gets the same verdict, and the same reason, in the terminal and
on the page (``tests/data/checker_cases.json`` runs through both).
"""

from __future__ import annotations

import math
import re

from qbank.checker.grammar import Node, ResponseError, evaluate, normalise, parse, quoted

# 1,265,220 is one number; 0,665 (a decimal comma) is not read as 665.
GROUPED = re.compile(r"^-?[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]+)?$")
LETTER = re.compile(r"^(?:\(([A-Za-z])\)|([A-Za-z])[).]?)$")   # b, (b), b), b.
TRUTH = {"t": "True", "true": "True", "f": "False", "false": "False"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _require(text: str) -> str:
    text = normalise(text)
    if not text:
        raise ResponseError("Type an answer first.")
    return text


def _finite(text: str) -> float:
    value = evaluate(parse(text))
    if not math.isfinite(value):
        raise ResponseError(f"{quoted(text)} is not a finite number.")
    return value


def _unwrap(text: str, parentheses: bool) -> str:
    """'[1, 2]' -> '1, 2'; '(1, 2)' -> '1, 2' too when asked, but '(1)+(2)' stays whole."""
    if text.startswith("[") and text.endswith("]"):
        return text[1:-1]
    if parentheses and text.startswith("(") and text.endswith(")"):
        depth = 0
        for index, char in enumerate(text):
            depth += (char == "(") - (char == ")")
            if depth == 0:
                return text[1:-1] if index == len(text) - 1 else text
    return text


def _split(text: str, separator: str) -> list[str]:
    """Split at separators outside parentheses; nothing at all is no parts."""
    if not text:
        return []
    parts, depth, current = [], 0, []
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    return parts + ["".join(current)]


def number(text: str) -> float:
    text = _require(text)
    if GROUPED.match(text):
        return float(text.replace(",", ""))
    return _finite(text)


def vector(text: str, length: int) -> list[float]:
    parts = _split(_unwrap(_require(text), parentheses=True), ",")
    if len(parts) != length:
        raise ResponseError(f"Expected {_plural(length, 'number')}, got {len(parts)}.")
    return [_element(part, f"Number {index}") for index, part in enumerate(parts, start=1)]


def matrix(text: str, rows: int, columns: int) -> list[list[float]]:
    lines = [_split(line, ",") for line in _split(_unwrap(_require(text), parentheses=False), ";")]
    if len(lines) != rows or any(len(line) != columns for line in lines):
        raise ResponseError(f"Expected {_plural(rows, 'row')} of {_plural(columns, 'number')}.")
    return [[_element(cell, f"Row {row}, number {column}")
             for column, cell in enumerate(line, start=1)]
            for row, line in enumerate(lines, start=1)]


def _element(text: str, name: str) -> float:
    if not text:
        raise ResponseError(f"{name} is missing.")
    return _finite(text)


def expression(text: str, variables: tuple[str, ...]) -> Node:
    return parse(_require(text), variables, "an expression")


def choice(text: str, options: list[str]) -> str:
    text = _require(text)  # whitespace dropped: "( b )" reads as "(b)"
    if {"true", "false"} <= {option.lower() for option in options} and text.lower() in TRUTH:
        return TRUTH[text.lower()]
    match = LETTER.match(text)
    letter = match and (match[1] or match[2]).upper()
    if letter and letter in options:
        return letter
    raise ResponseError(f"Answer with one of {', '.join(options)}.")
