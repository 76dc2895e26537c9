"""Right, close, a named mistake, wrong or unreadable: the verdict on one response.

Every component x of a response is compared with the expected v within
``bound(v) = max(absolute, relative * |v|)``.  A response is *right* when every
component is within its bound, a *mistake* when it is right against one of the
modelled mistakes instead (the first, in the type's order), *close* when every
component is within ``close_factor`` bounds, and *wrong* otherwise.  A number,
vector or matrix may also list ``accepted`` values (the answer reached by carrying
a worked solution's printed, rounded intermediates): each is as right as the
value itself, and a response within close_factor bounds of one is close.  A choice is right when its letter
is the answer's, a matching answer when every item's letter is; a matching answer
that is not says how many items it matched.  An
expression is compared at the sample points; where they leave doubt (no
points, or a near miss) it is also right, or that mistake, when sympy proves
it equal within its budget (``symbolic.py``).  So neither a right answer nor a
plainly wrong one waits for sympy.  A response longer than ``limits.MAX_LENGTH``
is not read at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from qbank.checker import responses
from qbank.checker.grammar import ResponseError, evaluate, normalise, quoted
from qbank.checker.limits import MAX_LENGTH, TOO_LONG
from qbank.checker.symbolic import Budget, proves_equal

MESSAGES = {"right": "Right.", "close": "Close, but outside the tolerance.", "wrong": "Wrong."}
# Mistake explanations are verb phrases ("forgets the bias of every unit").
MISTAKE = "Not quite: this answer {}."


@dataclass(frozen=True)
class Verdict:
    verdict: str    # right | close | mistake | wrong | malformed
    message: str

    @property
    def is_right(self) -> bool:
        return self.verdict == "right"


def _flat(value) -> list[float]:
    if isinstance(value, list):
        return [x for item in value for x in _flat(item)]
    return [float(value)]


def _within(got: list[float], expected: list[float], tolerance: dict, factor: float = 1) -> bool:
    """Every component within its bound; nothing to compare is no match."""
    absolute, relative = tolerance["absolute"], tolerance["relative"]
    return bool(expected) and len(got) == len(expected) and all(
        math.isfinite(x) and abs(x - v) <= factor * max(absolute, relative * abs(v))
        for x, v in zip(got, expected))


def _read(data: dict, response: str) -> list[float]:
    kind = data["kind"]
    if kind == "number":
        return [responses.number(response)]
    if kind == "vector":
        return responses.vector(response, len(data["value"]))
    if kind == "matrix":
        value = data["value"]
        return _flat(responses.matrix(response, len(value), len(value[0])))
    raise ValueError(f"unknown answer kind {kind!r}")


def _samples(node, samples: list[dict], response: str) -> list[float]:
    values = []
    for sample in samples:
        value = evaluate(node, sample["at"])
        if not math.isfinite(value):
            point = ", ".join(f"{name} = {_shown(at)}" for name, at in sample["at"].items())
            raise ResponseError(f"{quoted(normalise(response))} is not a finite number at {point}.")
        values.append(value)
    return values


def _shown(value: float) -> str:
    """A sample point as JavaScript's ``String(number)`` prints it: 2, not 2.0; 1e-7, not
    1e-07; 0.00001 and 100000000000000000000, not 1e-05 and 1e+20 (ECMAScript's
    Number::toString, from the same shortest digits as ``repr``).  Only the first rule
    was followed before, so a point such as 1e-07 was named differently on the page."""
    value = float(value)
    if value == 0:
        return "0"  # -0 too
    if not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("-" if value < 0 else "") + "Infinity"
    mantissa, _, power = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    # value = 0.DIGITS x 10^point
    point = len(whole) + int(power or 0) - (len(whole + fraction) - len(digits))
    digits = digits.rstrip("0")
    sign = "-" if value < 0 else ""
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    exponent = point - 1
    return (sign + digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
            + "e" + ("+" if exponent > 0 else "-") + str(abs(exponent)))


def _judge_expression(data: dict, response: str) -> Verdict:
    """The samples first: they are cheap and settle nearly every answer.  sympy is asked
    only where they leave doubt -- a target without sample points, or a response within
    ``close_factor`` bounds of one, where floating point might be to blame."""
    variables = tuple(data["variables"])
    node = responses.expression(response, variables)
    tolerance, factor = data["tolerance"], data.get("close_factor", 10)
    targets = [(data, Verdict("right", MESSAGES["right"]))] + [
        (mistake, Verdict("mistake", MISTAKE.format(mistake["explanation"])))
        for mistake in data.get("mistakes", [])]
    values: dict[int, list[float]] = {}

    def compare(index: int, within: float) -> bool:
        samples = targets[index][0]["samples"]
        if index not in values:  # evaluated when first needed, as the page does
            values[index] = _samples(node, samples, response)
        return _within(values[index], [sample["value"] for sample in samples], tolerance, within)

    for index, (_, verdict) in enumerate(targets):
        if compare(index, 1):
            return verdict
    budget = Budget()
    for index, (target, verdict) in enumerate(targets):
        doubtful = not target["samples"] or compare(index, factor)
        if doubtful and proves_equal(node, target.get("expression"), variables, budget):
            return verdict
    if compare(0, factor):
        return Verdict("close", MESSAGES["close"])
    return Verdict("wrong", MESSAGES["wrong"])


def _judge_letters(data: dict, response: str) -> Verdict:
    """A choice (one letter, or True/False) or a matching answer (a letter per item);
    letters match without regard to case."""
    def same(got, value) -> bool:
        if isinstance(value, list):
            return isinstance(got, list) and len(got) == len(value) and all(map(same, got, value))
        return str(got).lower() == str(value).lower()

    if data["kind"] == "choice":
        picked = responses.choice(response, data["options"])
    else:
        picked = responses.matching(response, len(data["value"]), data["options"])
    if same(picked, data["value"]):
        return Verdict("right", MESSAGES["right"])
    for mistake in data.get("mistakes", []):
        if same(picked, mistake["value"]):
            return Verdict("mistake", MISTAKE.format(mistake["explanation"]))
    if data["kind"] == "matching":
        matched = sum(same(got, value) for got, value in zip(picked, data["value"]))
        return Verdict("wrong", f"{matched} of {len(picked)} matched correctly.")
    return Verdict("wrong", MESSAGES["wrong"])


def judge(data: dict, response: str) -> Verdict:
    """The verdict on ``response`` for the answer described by ``data`` (see expected.py)."""
    try:
        if len(response) > MAX_LENGTH:
            raise ResponseError(TOO_LONG)
        if data["kind"] in ("choice", "matching"):
            return _judge_letters(data, response)
        if data["kind"] == "expression":
            return _judge_expression(data, response)
        got = _read(data, response)
    except ResponseError as error:
        return Verdict("malformed", str(error))
    tolerance, factor = data["tolerance"], data.get("close_factor", 10)
    answers = [_flat(value) for value in [data["value"], *data.get("accepted", [])]]
    if any(_within(got, answer, tolerance) for answer in answers):
        return Verdict("right", MESSAGES["right"])
    for mistake in data.get("mistakes", []):
        if _within(got, _flat(mistake["value"]), tolerance):
            return Verdict("mistake", MISTAKE.format(mistake["explanation"]))
    if any(_within(got, answer, tolerance, factor) for answer in answers):
        return Verdict("close", MESSAGES["close"])
    return Verdict("wrong", MESSAGES["wrong"])
