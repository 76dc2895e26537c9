"""losses.sigmoid_mse_gradient: seed 002 Q2 option 3, tanh form and finite differences."""

import itertools
import math

import pytest

from qbank.checker.expected import check_data
from qbank.checker.verdict import judge
from qbank.choice import option_tex
from qbank.parts import part_tolerance
from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed

ID = "losses.sigmoid_mse_gradient"
SEEDS = range(300)
STEP = 1e-6


def test_seed_002_q2_option_3(qtype):
    # z = -5, t = 1: y = 0.0067 and dL/dz = -0.0066, as the seed says.
    answer = qtype.solve({"z": -5.0, "t": 1})
    assert round(answer["y"], 4) == 0.0067
    assert round(answer["gradient"], 4) == -0.0066


def _sigmoid(z):
    # The tanh form of the logistic function, a different route from 1 / (1 + e^-z).
    return (1 + math.tanh(z / 2)) / 2


def _loss(z, t):
    return (_sigmoid(z) - t) ** 2 / 2


def test_tanh_form_and_finite_differences(variants):
    for v in variants:
        z, t = v.params["z"], v.params["t"]
        assert v.answer["y"] == pytest.approx(_sigmoid(z), rel=1e-12)
        slope = (_loss(z + STEP, t) - _loss(z - STEP, t)) / (2 * STEP)
        assert v.answer["gradient"] == pytest.approx(slope, abs=1e-9)


def test_gradient_vanishes_when_confidently_wrong(variants):
    for v in variants:
        error = v.answer["y"] - v.params["t"]
        # The squared-error gradient is at most a quarter of the cross-entropy one, y - t,
        # and points the same way.
        assert abs(v.answer["gradient"]) <= abs(error) / 4 + 1e-15
        assert v.answer["gradient"] * error >= 0
        if abs(error) > 0.99:
            assert abs(v.answer["gradient"]) < 0.01


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        z, t = v.params["z"], v.params["t"]
        assert qtype.problems(v.params) == [] and set(v.params) == {"z", "t"}
        assert type(z) is float and -6 <= z <= 6 and abs(z * 10 - round(z * 10)) < 1e-9
        assert type(t) is int and t in (0, 1)
    # 242 possible parameter sets: about 136 distinct in 200 draws.
    assert len({(v.params["z"], v.params["t"]) for v in variants[:200]}) >= qtype.variety


@pytest.mark.parametrize("bad, reason", [
    ({"z": 50.0, "t": 1}, "between"),
    ({"z": "1", "t": 1}, "between"),
    ({"z": 1.0, "t": 0.5}, "0 or 1"),
    ({"z": 1.0, "t": False}, "0 or 1"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(qtype, variants):
    for v in variants[:40]:
        f = render_fragments(v)
        gradient = f"{{{fixed(v.answer['gradient'], 6)}}}"   # the working's six decimals
        assert gradient not in f.question and gradient in f.solution
        assert "four decimal places" in f.question
    wrong = render_fragments(qtype.variant(0, {"z": -5.0, "t": 1})).solution
    assert "confidently wrong" in wrong and r"\num{-0.006604}" in wrong


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def _cross_entropy(z, t):
    y = _sigmoid(z)
    return -t * math.log(y) - (1 - t) * math.log(1 - y)


def test_parts_ask_output_both_gradients_and_why(qtype, variants):
    for v in variants:
        parts = _parts(qtype, v)
        assert [(p.label, p.kind, p.places, p.weight) for p in parts.values()] == [
            ("a", "number", 4, 1), ("b", "number", 4, 2), ("c", "number", 4, 1),
            ("d", "free", None, 2)]
        z, t = v.params["z"], v.params["t"]
        assert parts["a"].answer == pytest.approx(_sigmoid(z), rel=1e-12)
        assert parts["b"].answer == v.answer["gradient"]
        # The cross-entropy gradient by finite differences of the cross-entropy loss itself.
        slope = (_cross_entropy(z + STEP, t) - _cross_entropy(z - STEP, t)) / (2 * STEP)
        assert parts["c"].answer == pytest.approx(slope, abs=1e-7)
        assert sum(line.points for line in parts["d"].rubric) == parts["d"].weight
    assert qtype.choice_part == "b"


def test_carried_gradients_come_from_the_rounded_output(qtype):
    outside = []
    for z, t in itertools.product(range(-60, 61), (0, 1)):     # every parameter set
        v = qtype.variant(0, {"z": z / 10, "t": t})
        parts = _parts(qtype, v)
        y = float(f"{_sigmoid(z / 10):.4f}")
        slope = float(f"{y * (1 - y):.4f}")
        carried = (y - t) * slope
        assert parts["b"].accepted == pytest.approx((carried,), rel=1e-12, abs=1e-15)
        data = {p["label"]: p for p in check_data(v)["parts"]}
        written = f"{carried:.4f}"      # and the student rounds the result as asked
        assert judge(data["b"], written).is_right, (z, t, written)
        tolerance = part_tolerance(parts["b"])
        if abs(float(written) - v.answer["gradient"]) > \
                max(tolerance.absolute, tolerance.relative * abs(v.answer["gradient"])):
            outside.append((z / 10, t))
    # z = -5.1, t = 1: y = 0.0061 and y(1 - y) = 0.0061 carried give -0.9939 x 0.0061 = -0.0061;
    # the gradient is -0.0060 to four places.
    assert (-5.1, 1) in outside and (5.1, 0) in outside


def test_mistakes_on_seed_002_q2(qtype):
    variant = qtype.variant(0, {"z": -5.0, "t": 1})
    parts = _parts(qtype, variant)
    values = {m.name: m.value for m in parts["b"].mistakes}
    y = 1 / (1 + math.exp(5))                                        # 0.006693
    assert values["no sigmoid slope"] == pytest.approx(y - 1)        # -0.9933, cross-entropy's
    assert values["half kept"] == pytest.approx((y - 1) * y * (1 - y) / 2)
    # sigma(5) = 0.9933 instead of sigma(-5).
    flipped = 1 / (1 + math.exp(-5))
    assert values["sign in the sigmoid"] == pytest.approx((flipped - 1) * flipped * (1 - flipped))
    assert values["divided by the slope"] == pytest.approx((y - 1) / (y * (1 - y)))
    assert option_tex(parts["b"], values["no sigmoid slope"]) == r"\num{-0.9933}"
    assert {m.name: m.value for m in parts["a"].mistakes}["sign in the sigmoid"] == \
        pytest.approx(flipped)
    cross_entropy = {m.name: m.value for m in parts["c"].mistakes}
    assert parts["c"].answer == pytest.approx(y - 1)
    assert cross_entropy["t - y"] == pytest.approx(1 - y)
    assert cross_entropy["stops at dL/dy"] == pytest.approx(-1 / y)
