"""Helpers shared by the loss types: drawing and checking distributions and logits.

Not a question type itself (it defines no QuestionType), so discovery skips it.
Everything is pure Python on Python floats, so answers are identical on every machine.
"""

import math

from pydantic import model_validator

from qbank.checks import is_number, is_whole
from qbank.param_models import Count, ParamModel, Real, ShapeError, nonempty_list
from qbank.model import redraws
from qbank.render.numbers import fixed


# Tolerance for "sums to one": two-decimal floats such as 0.07 + 0.93 are not exact.
SUM_TOLERANCE = 1e-9


def hundredths(rng, parts, smallest):
    """``parts`` probabilities in whole hundredths, each >= ``smallest``/100, summing to 1.

    Cutting the spare hundredths at sorted random points gives every split a chance;
    dividing a whole number by 100 gives the same float as typing the decimal.
    """
    spare = 100 - parts * smallest
    cuts = sorted(int(c) for c in rng.integers(0, spare + 1, size=parts - 1))
    edges = [0, *cuts, spare]
    return [(smallest + high - low) / 100 for low, high in zip(edges, edges[1:])]


def in_hundredths(values):
    """True when every value is a whole number of hundredths (shown with two decimals)."""
    return all(abs(v * 100 - round(v * 100)) < 1e-9 for v in values)


def distribution_problems(probs, name="probs"):
    """Reasons ``probs`` is not a list of 2--8 probabilities summing to one."""
    if not isinstance(probs, list) or not 2 <= len(probs) <= 8:
        return [f"{name} must be a list of 2 to 8 probabilities"]
    if not all(is_number(p) and 0 <= p <= 1 for p in probs):
        return [f"every entry of {name} must be a number between 0 and 1"]
    if abs(math.fsum(probs) - 1) > SUM_TOLERANCE:
        return [f"{name} must sum to 1, got {math.fsum(probs):g}"]
    return []


def draw_logits(rng, count):
    """``count`` distinct logits: small integers, or one-decimal values, between -2 and 3."""
    for _ in redraws(__name__):
        if rng.random() < 0.5:
            logits = [float(v) for v in rng.integers(-2, 4, size=count)]
        else:
            logits = [int(v) / 10 for v in rng.integers(-20, 31, size=count)]
        if len(set(logits)) == count:
            return logits


class LogitsParams(ParamModel):
    """Logits of one example and its true class, shared by the softmax-gradient types."""

    logits: nonempty_list(Real)
    target: Count   # 0-based class index

    @model_validator(mode="after")
    def _target_is_a_class(self):
        if self.target >= len(self.logits):
            raise ShapeError("target", f"is {self.target} but there are only "
                             f"{len(self.logits)} logits (classes 0 to {len(self.logits) - 1})")
        return self


def logits_problems(params, sizes=(2, 3, 4, 5, 6)):
    """Reasons ``logits``/``target`` do not make a small, well-posed classification."""
    logits, target = params["logits"], params["target"]
    if not isinstance(logits, list) or len(logits) not in sizes:
        return [f"logits must be a list of {min(sizes)} to {max(sizes)} numbers"]
    if not all(is_number(z) and abs(z) <= 20 for z in logits):
        return ["every logit must be a number between -20 and 20"]
    if not is_whole(target) or not 0 <= target < len(logits):
        return [f"target must be a class index from 0 to {len(logits) - 1}, got {target!r}"]
    return []


def softmax_steps(logits):
    """Exponentials, their sum and the softmax, by the textbook formula.

    Logits are at most 20 in size, so no overflow guard is needed, and the worked
    solution can show exactly the numbers a student computes.
    """
    exps = [math.exp(z) for z in logits]
    total = math.fsum(exps)
    return exps, total, [e / total for e in exps]


def one_hot(index, size):
    return [1 if k == index else 0 for k in range(size)]


def scientific(value, figures=3):
    """Mantissa and power of ten of a very small ``value`` (below 0.001), else None.

    Focal-loss factors and vanishing gradients reach 1e-10; written as decimals they
    would be a row of zeros, so the templates show them as mantissa x 10^exponent.
    """
    if value == 0 or abs(value) >= 1e-3:
        return None
    mantissa, exponent = f"{value:.{figures - 1}e}".split("e")
    return {"mantissa": float(mantissa), "exponent": int(exponent)}


def rounded(values, places):
    """``values`` (a number or a list) rounded as printed to ``places`` decimals.

    What a student carries on after writing an intermediate down at the precision
    asked; the carried answers the parts accept are computed from these.
    """
    if isinstance(values, list):
        return [rounded(value, places) for value in values]
    return float(fixed(values, places))
