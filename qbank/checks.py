"""Small validators that question types use in ``problems()``.

Pinned parameters come from a YAML file and may be of any type; these turn
the common checks into readable reasons instead of a crash in ``solve``.
"""

from __future__ import annotations

import math


def is_whole(value) -> bool:
    """An int that is not a bool (YAML's true is not a layer size)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value) -> bool:
    """A finite int or float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def size_problems(params: dict, keys, minimum: int = 1) -> list[str]:
    """One reason per key whose value is not a whole number of at least ``minimum``."""
    wanted = "a positive whole number" if minimum == 1 else f"a whole number of at least {minimum}"
    return [f"{key} must be {wanted}, got {params[key]!r}"
            for key in keys if not (is_whole(params[key]) and params[key] >= minimum)]


def flag_problems(params: dict, keys) -> list[str]:
    """One reason per key whose value is not true or false."""
    return [f"{key} must be true or false, got {params[key]!r}"
            for key in keys if not isinstance(params[key], bool)]


def number_list_problems(params: dict, key: str, shortest: int, longest: int,
                         limit: float | None = None) -> list[str]:
    """Why ``params[key]`` is not a list of ``shortest``..``longest`` finite numbers.

    With ``limit``, every number must also lie within +-limit (the range in
    which the question's arithmetic stays meaningful).
    """
    values = params[key]
    if not isinstance(values, list) or not shortest <= len(values) <= longest:
        return [f"{key} must be a list of {shortest} to {longest} numbers"]
    if not all(is_number(v) for v in values):
        return [f"every entry of {key} must be a finite number"]
    if limit is not None and max(abs(v) for v in values) > limit:
        return [f"every entry of {key} must lie within +-{limit:g}"]
    return []
