"""Derivations as data: each step's LaTeX beside the same expression for sympy.

A symbolic question type keeps its derivation as a tuple of ``Step``; the
solution template typesets ``tex`` and ``why``, and the type's tests parse
``sympy`` and check that every step equals the one before, so the printed
derivation cannot drift from the mathematics.  sympy itself is imported only
by the tests, keeping the command line quick to start.
"""

from typing import NamedTuple


class Step(NamedTuple):
    """One line of a derivation: what the solution shows, the same in sympy, and why."""

    tex: str
    sympy: str
    why: str
