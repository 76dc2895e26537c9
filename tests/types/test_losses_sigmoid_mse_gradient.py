"""losses.sigmoid_mse_gradient: seed 002 Q2 option 3, tanh form and finite differences."""

import math

import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import significant

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
        gradient = f"{{{significant(v.answer['gradient'], 4)}}}"
        assert gradient not in f.question and gradient in f.solution
    wrong = render_fragments(qtype.variant(0, {"z": -5.0, "t": 1})).solution
    assert "confidently wrong" in wrong and r"\num{-0.006604}" in wrong


def test_choice_mistakes_on_seed_002_q2(qtype):
    variant = qtype.variant(0, {"z": -5.0, "t": 1})
    values = {m.name: m.value for m in qtype.mistakes(variant.params, variant.answer)}
    y = 1 / (1 + math.exp(5))                                        # 0.006693
    assert values["no sigmoid slope"] == pytest.approx(y - 1)        # -0.9933, cross-entropy's
    assert values["half kept"] == pytest.approx((y - 1) * y * (1 - y) / 2)
    # sigma(5) = 0.9933 instead of sigma(-5).
    flipped = 1 / (1 + math.exp(-5))
    assert values["sign in the sigmoid"] == pytest.approx((flipped - 1) * flipped * (1 - flipped))
    assert qtype.format_option(values["no sigmoid slope"]) == r"\num{-0.9933}"
