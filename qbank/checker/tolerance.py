"""How near a typed number must be to count as right: within max(absolute, relative * |v|)."""

from typing import NamedTuple


class Tolerance(NamedTuple):
    relative: float
    absolute: float
