"""The checker's name for a part's tolerance (defined with the parts, which declare it)."""

from qbank.parts import Tolerance

__all__ = ["Tolerance"]
