"""One line telling a student how to type an answer of a given kind (drill and page)."""

from __future__ import annotations

from qbank.checker.responses import matching_example


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_hint(check: dict) -> str:
    """One line on how to type an answer of this kind."""
    kind, value = check.get("kind"), check.get("value")
    if kind == "vector":
        return f"Type {_plural(len(value), 'number')} separated by commas, e.g. 0.5, -1/4, 1."
    if kind == "matrix":
        columns = len(value[0]) if value else 0
        return (f"Type {_plural(len(value), 'row')} of {_plural(columns, 'number')}: "
                "commas between numbers, semicolons between rows.")
    if kind == "expression":
        names = ", ".join(check.get("variables", []))
        return f"Type an expression in {names}, e.g. 2*x^2 - 1, exp(-x) or sigmoid(x)."
    if kind == "matching":
        count, options = len(value or []), check.get("options", [])
        example = matching_example(count, options)
        numbered = " ".join(f"{item}-{letter}" for item, letter in enumerate(example, start=1))
        return (f"Type {_plural(count, 'letter')}, one for each numbered item in order, "
                f"e.g. {', '.join(example)} or {numbered}.")
    if kind == "choice":
        return "Answer with one of " + ", ".join(map(str, check.get("options", []))) + "."
    return "Type a number or a calculation, e.g. 0.665, 2/3, 6.65e-1, 66.5% or sqrt(2)/2."
