"""Symbolic equivalence with sympy, on a budget: when it runs out, the sample points decide.

sympy has no bound of its own.  Asked whether ``(1+x/1000)^1000`` equals
``2*sigmoid(2*x) - 1`` it does not answer within 20 s;
``sigmoid(sigmoid(sigmoid(sigmoid(x))))`` takes 25 s to simplify; ``9^9^9`` is an
integer of 370 million digits, computed in C where nothing can interrupt it.
Yet the sample points already settle nearly every answer (an expression equal
to the expected one agrees with it at every point), so sympy is only asked
where they leave doubt -- no points, or a near miss (``verdict.py``) -- and
then only

* about a tree of at most ``MAX_NODES`` nodes,
* whose exponents, where they hold no variable, are at most ``MAX_EXPONENT`` in
  size, and whose variable-free powers are finite as floats (so no giant
  integer is ever built),
* trying the cheap ``cancel(together(...))`` before ``simplify``,
* within one ``Budget`` of wall-clock time for all of one response's comparisons,
  enforced by a SIGALRM timer.  Without one (another thread, another OS, a
  timer already in use) sympy is not asked at all.

"Not proved" is never "wrong": it only leaves the verdict to the samples.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from contextlib import contextmanager

from qbank.checker.grammar import Node, evaluate, parse, to_sympy

MAX_NODES = 80
MAX_EXPONENT = 16
BUDGET_SECONDS = 0.5
RETRY_SECONDS = 0.05  # the timer fires again this often, in case sympy swallows one


class Budget:
    """Wall-clock seconds for the sympy calls of one judgement, counted from the first
    call (importing sympy, about half a second, is not sympy thinking)."""

    def __init__(self, seconds: float = BUDGET_SECONDS):
        self.seconds = seconds
        self.deadline: float | None = None

    def left(self) -> float:
        if self.deadline is None:
            self.deadline = time.monotonic() + self.seconds
        return self.deadline - time.monotonic()


class _OutOfTime(BaseException):
    """Raised by the timer; a BaseException, so sympy's own ``except Exception`` lets it by."""


def _has_variable(node: Node) -> bool:
    return node.op == "name" or any(_has_variable(arg) for arg in node.args)


def _nodes(node: Node) -> list[Node]:
    """Every node of the tree, or only the first MAX_NODES + 1 (no recursion: a sum of
    a thousand terms is a thousand nodes deep)."""
    stack, seen = [node], []
    while stack and len(seen) <= MAX_NODES:
        seen.append(stack.pop())
        stack.extend(seen[-1].args)
    return seen


def tractable(node: Node) -> bool:
    """Small enough, with small enough powers, for sympy to be worth asking."""
    nodes = _nodes(node)
    if len(nodes) > MAX_NODES:
        return False
    for power in (n for n in nodes if n.op == "^"):
        exponent = power.args[1]
        if not _has_variable(exponent) and not abs(evaluate(exponent)) <= MAX_EXPONENT:
            return False
        if not _has_variable(power) and not math.isfinite(evaluate(power)):
            return False
    return True


def _timer_free() -> bool:
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))


@contextmanager
def _deadline(seconds: float):
    def expire(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, RETRY_SECONDS)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)


def proves_equal(node: Node, expression: str | None, variables: tuple[str, ...],
                 budget: Budget) -> bool:
    """True when sympy shows ``node`` equal to ``expression`` within the budget."""
    if not expression or not tractable(node) or not _timer_free():
        return False
    import sympy  # before the timer starts: an import cut short would stay broken

    seconds = budget.left()
    if seconds <= 0:
        return False
    try:
        with _deadline(seconds):
            difference = (to_sympy(node) - to_sympy(parse(expression, variables))).rewrite(sympy.exp)
            return (sympy.cancel(sympy.together(difference)) == 0
                    or sympy.simplify(difference) == 0)
    except _OutOfTime:
        return False
    except Exception:  # sympy can fail in many ways on odd input; the samples still decide
        return False
