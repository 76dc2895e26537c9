"""What a student types to give a value, for tests that answer through the checker."""

from __future__ import annotations


def typed(value) -> str:
    """0.5 -> '0.5'; [1, 2] -> '[1.0, 2.0]'; [[1, 2], [3, 4]] -> '[1.0, 2.0; 3.0, 4.0]'."""
    if isinstance(value, list) and value and isinstance(value[0], list):
        return "[" + "; ".join(", ".join(repr(float(x)) for x in row) for row in value) + "]"
    if isinstance(value, list):
        return "[" + ", ".join(repr(float(x)) for x in value) + "]"
    return repr(value)


def response(part: dict, target: dict | None = None) -> str:
    """The response giving ``target``'s value (default: the part's own) for a part's check data."""
    target = part if target is None else target
    if part["kind"] == "expression":
        return target["expression"]
    value = target["value"]
    if part["kind"] == "choice":
        return value
    if part["kind"] == "matching":
        return ", ".join(value)
    return typed(value)
