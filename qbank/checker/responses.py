"""A response read as the shape the answer has: a number, a vector, a matrix, a letter,
or one letter for each item of a matching question.

Every rule and message here has its twin in ``qbank/practice/checker.js``: the
same response gets the same verdict, and the same reason, in the terminal and
on the page (``tests/data/checker_cases.json`` runs through both).
"""

from __future__ import annotations

import math
import re

from qbank.checker.grammar import Node, ResponseError, evaluate, normalise, parse, quoted

# 1,265,220 is one number; 0,665 (a decimal comma) is not read as 665.
GROUPED = re.compile(r"-?[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]+)?")
# b, (b), b), b. -- ASCII letters only: the Kelvin sign K is not a K, though it lowercases to k.
LETTER = re.compile(r"\(([A-Za-z])\)|([A-Za-z])[).]?")
TRUTH = {"t": "true", "true": "true", "f": "false", "false": "false"}
# A matching answer, whitespace already dropped: letters in item order (B,A,C or BAC), or
# numbered pairs in any order (1B 2A 3C, 1-B, 2:A, 3)C, (1)B, 1->B, 1=B, 1.B).
PAIR = r"(?:\([0-9]+\)|[0-9]+(?:->|[-:.)=])?)[A-Za-z]"
PAIRS = re.compile(r"(?:\(([0-9]+)\)|([0-9]+)(?:->|[-:.)=])?)([A-Za-z])")
NUMBERED = re.compile(rf"{PAIR}(?:[,;]?{PAIR})*")
UNNUMBERED = re.compile(r"[A-Za-z](?:[,;]?[A-Za-z])*")


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
    """A number or a calculation.  Grouped thousands too large for a float are refused as
    ``1e400`` is (they used to be read as infinity and judged wrong)."""
    text = _require(text)
    if GROUPED.fullmatch(text):
        value = float(text.replace(",", ""))
        if not math.isfinite(value):
            raise ResponseError(f"{quoted(text)} is not a finite number.")
        return value
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
    """The option picked, as the options spell it, matched without regard to case.

    ``True``/``False`` items also take t, true, f, false.  Options are compared without
    regard to case as the page always did: options a, b, c used to refuse every letter
    here (``b`` was read as ``B``, not an option) while the page took them."""
    text = _require(text)  # whitespace dropped: "( b )" reads as "(b)"
    lowered = [str(option).lower() for option in options]
    if {"true", "false"} <= set(lowered) and text.lower() in TRUTH:
        return options[lowered.index(TRUTH[text.lower()])]
    match = LETTER.fullmatch(text)
    if match and (match[1] or match[2]).lower() in lowered:
        return options[lowered.index((match[1] or match[2]).lower())]
    raise ResponseError(f"Answer with one of {', '.join(map(str, options))}.")


def matching_example(count: int, options: list[str]) -> list[str]:
    """Letters for a format example of ``count`` items: the options in order, repeated if need be."""
    return [str(options[index % len(options)]) for index in range(count)] if options else []


def matching(text: str, count: int, options: list[str]) -> list[str]:
    """The option picked for each of ``count`` items, in item order, as the options spell it.

    Letters in order (``B, A, C``, ``B A C``, ``BAC``) or numbered (``1B 2A 3C``,
    ``1-B, 2-A, 3-C``, ``1:B 2:A 3:C``, in any order), without regard to case.
    """
    text = _require(text)
    if UNNUMBERED.fullmatch(text):
        letters = [char for char in text if char not in ",;"]
        numbers = [str(item) for item in range(1, len(letters) + 1)]
    elif NUMBERED.fullmatch(text):
        pairs = PAIRS.findall(text)
        numbers, letters = [first or second for first, second, _ in pairs], [pair[2] for pair in pairs]
    else:
        raise ResponseError(f"Expected {_plural(count, 'letter')}, one per item, "
                            f"e.g. {', '.join(matching_example(count, options))}.")
    if len(letters) != count:
        raise ResponseError(f"Expected {_plural(count, 'letter')}, one per item, got {len(letters)}.")
    picked: dict[int, str] = {}
    for typed, letter in zip(numbers, letters):
        item = int(typed)
        if not 1 <= item <= count:
            raise ResponseError(f"There is no item {typed} (the items are 1 to {count}).")
        if item in picked:
            raise ResponseError(f"Item {item} is answered twice.")
        picked[item] = letter
    lowered = [str(option).lower() for option in options]
    for item in range(1, count + 1):
        if picked[item].lower() not in lowered:
            raise ResponseError(f"Item {item}: answer with one of {', '.join(map(str, options))}.")
    return [options[lowered.index(picked[item].lower())] for item in range(1, count + 1)]
