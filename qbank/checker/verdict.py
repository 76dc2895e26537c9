"""Right, close, a named mistake, wrong or unreadable: the verdict on one response.

Every component x of a response is compared with the expected v within
``bound(v) = max(absolute, relative * |v|)``.  A response is *right* when every
component is within its bound, a *mistake* when it is right against one of the
modelled mistakes instead (the first, in the type's order), *close* when every
component is within ``close_factor`` bounds, and *wrong* otherwise.  An
expression is compared at the sample points, and is also right when sympy
proves it equal to the expected expression.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from qbank.checker import responses
from qbank.checker.grammar import ResponseError, evaluate, normalise, parse, to_sympy

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
    absolute, relative = tolerance["absolute"], tolerance["relative"]
    return all(math.isfinite(x) and abs(x - v) <= factor * max(absolute, relative * abs(v))
               for x, v in zip(got, expected))


def _read(data: dict, response: str):
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
            point = ", ".join(f"{name} = {at}" for name, at in sample["at"].items())
            raise ResponseError(f"{normalise(response)!r} is not a finite number at {point}.")
        values.append(value)
    return values


def _sympy_equal(node, expression: str | None, variables: tuple[str, ...]) -> bool:
    if not expression:
        return False
    import sympy

    try:
        difference = to_sympy(node) - to_sympy(parse(expression, variables))
        return sympy.simplify(difference.rewrite(sympy.exp)) == 0
    except Exception:  # sympy can fail in many ways on odd input; the samples still decide
        return False


def _judge_expression(data: dict, response: str) -> Verdict:
    variables = tuple(data["variables"])
    node = responses.expression(response, variables)
    tolerance = data["tolerance"]
    got = _samples(node, data["samples"], response)
    if (_sympy_equal(node, data.get("expression"), variables)
            or _within(got, [s["value"] for s in data["samples"]], tolerance)):
        return Verdict("right", MESSAGES["right"])
    for mistake in data.get("mistakes", []):
        if (_sympy_equal(node, mistake.get("expression"), variables)
                or _within(got, [s["value"] for s in mistake["samples"]], tolerance)):
            return Verdict("mistake", MISTAKE.format(mistake["explanation"]))
    if _within(got, [s["value"] for s in data["samples"]], tolerance, data.get("close_factor", 10)):
        return Verdict("close", MESSAGES["close"])
    return Verdict("wrong", MESSAGES["wrong"])


def judge(data: dict, response: str) -> Verdict:
    """The verdict on ``response`` for the answer described by ``data`` (see expected.py)."""
    try:
        if data["kind"] == "choice":
            picked = responses.choice(response, data["options"])
            if picked == data["value"]:
                return Verdict("right", MESSAGES["right"])
            for mistake in data.get("mistakes", []):
                if picked == mistake["value"]:
                    return Verdict("mistake", MISTAKE.format(mistake["explanation"]))
            return Verdict("wrong", MESSAGES["wrong"])
        if data["kind"] == "expression":
            return _judge_expression(data, response)
        got = _read(data, response)
    except ResponseError as error:
        return Verdict("malformed", str(error))
    tolerance = data["tolerance"]
    if _within(got, _flat(data["value"]), tolerance):
        return Verdict("right", MESSAGES["right"])
    for mistake in data.get("mistakes", []):
        if _within(got, _flat(mistake["value"]), tolerance):
            return Verdict("mistake", MISTAKE.format(mistake["explanation"]))
    if _within(got, _flat(data["value"]), tolerance, data.get("close_factor", 10)):
        return Verdict("close", MESSAGES["close"])
    return Verdict("wrong", MESSAGES["wrong"])
