"""A response read as the shape the answer has: a number, a vector, a matrix, a letter."""

from __future__ import annotations

import math
import re

from qbank.checker.grammar import Node, ResponseError, evaluate, normalise, parse

# 1,265,220 is one number; 0,665 (a decimal comma) is not read as 665.
GROUPED = re.compile(r"^-?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
LETTER = re.compile(r"^\(?([A-Za-z])[).]?$")
TRUTH = {"t": "True", "true": "True", "f": "False", "false": "False"}


def _require(text: str) -> str:
    if not text.strip():
        raise ResponseError("Type an answer first.")
    return normalise(text)


def _finite(text: str) -> float:
    value = evaluate(parse(text))
    if not math.isfinite(value):
        raise ResponseError(f"{text!r} is not a finite number.")
    return value


def _unwrap(text: str, brackets: str) -> str:
    """Drop one pair of surrounding brackets, e.g. '[1, 2]' -> '1, 2'."""
    for opening, closing in zip(brackets[::2], brackets[1::2]):
        if text.startswith(opening) and text.endswith(closing):
            return text[1:-1].strip()
    return text


def _split(text: str, separator: str) -> list[str]:
    """Split at separators outside parentheses."""
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
    parts = _split(_unwrap(_require(text), "[]()"), ",")
    if len(parts) != length:
        raise ResponseError(f"Expected {length} numbers, got {len(parts)}.")
    return [_finite(part) if part else _empty_element() for part in parts]


def matrix(text: str, rows: int, columns: int) -> list[list[float]]:
    body = _unwrap(_require(text), "[]")
    lines = [_split(line, ",") for line in _split(body, ";")]
    if len(lines) != rows or any(len(line) != columns for line in lines):
        raise ResponseError(f"Expected {rows} rows of {columns} numbers.")
    return [[_finite(cell) if cell else _empty_element() for cell in line] for line in lines]


def _empty_element():
    raise ResponseError("An element is missing between two commas.")


def expression(text: str, variables: tuple[str, ...]) -> Node:
    return parse(_require(text), variables)


def choice(text: str, options: list[str]) -> str:
    text = _require(text)  # whitespace dropped: "( b )" reads as "(b)"
    if options == ["True", "False"]:
        if text.lower() in TRUTH:
            return TRUTH[text.lower()]
        raise ResponseError("Answer with one of True, False.")
    match = LETTER.match(text)
    if match and match[1].upper() in options:
        return match[1].upper()
    raise ResponseError(f"Answer with one of {', '.join(options)}.")
