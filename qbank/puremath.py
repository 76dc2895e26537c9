"""Small pure-Python numerics shared by question types.

Answers are computed on Python floats with ``math`` (not numpy), so the same
parameters give the same bits on every machine; these are the pieces several
types need.
"""

from __future__ import annotations

import math


def sigmoid(z: float) -> float:
    """The logistic function, without overflow for large |z|."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def dot(u, v) -> float:
    """Inner product of two equal-length sequences."""
    return sum(a * b for a, b in zip(u, v))
