"""neuron.preactivation: seed 000 Q1d (a = w1 x1 + w2 x2 + b), checked with numpy."""

import numpy as np
import pytest
import sympy

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed, grouped, plain

ID = "neuron.preactivation"
SEEDS = range(300)
NUMPY_ACTIVATIONS = {"sigmoid": lambda a: 1 / (1 + np.exp(-a)), "tanh": np.tanh,
                     "relu": lambda a: np.maximum(a, 0.0)}


def test_seed_000_q1d_instance(qtype):
    # a = w1 x1 + w2 x2 + b = 0.5 * 2 - 0.3 * 1 + 0.1 = 0.8; sigma(0.8) = 0.68997.
    answer = qtype.solve({"weights": [0.5, -0.3], "inputs": [2, 1], "bias": 0.1,
                          "activation": "sigmoid"})
    assert answer["preactivation"] == 0.8
    assert round(answer["output"], 4) == 0.6900


@pytest.mark.parametrize("activation, expected", [("tanh", -0.5370), ("relu", 0.0)])
def test_negative_preactivation(qtype, activation, expected):
    # a = -0.6 * 1 + 0.2 * 0 + 0 = -0.6: tanh(-0.6) = -0.5370, ReLU gives 0.
    answer = qtype.solve({"weights": [-0.6, 0.2], "inputs": [1, 0], "bias": 0.0,
                          "activation": activation})
    assert answer["preactivation"] == -0.6 and round(answer["output"], 4) == expected


def test_numpy_dot_product_and_activation(variants):
    for v in variants:
        p = v.params
        a = float(np.dot(p["weights"], p["inputs"]) + p["bias"])
        assert v.answer["preactivation"] == pytest.approx(a, abs=1e-12)
        # Exact decimal arithmetic: the pre-activation is a one-decimal number.
        assert round(v.answer["preactivation"], 1) == v.answer["preactivation"]
        expected = float(NUMPY_ACTIVATIONS[p["activation"]](np.float64(v.answer["preactivation"])))
        assert v.answer["output"] == pytest.approx(expected, rel=1e-14, abs=1e-15)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == [] and set(p) == {"weights", "inputs", "bias", "activation"}
        assert len(p["weights"]) in (2, 3) and len(p["inputs"]) == len(p["weights"])
        assert all(type(w) is float and w != 0 and abs(w) <= 1 and round(w, 1) == w for w in p["weights"])
        assert all(type(x) is int and -3 <= x <= 3 for x in p["inputs"]) and any(p["inputs"])
        assert type(p["bias"]) is float and abs(p["bias"]) <= 1 and round(p["bias"], 1) == p["bias"]
        assert set(v.answer) == {"preactivation", "output"}
    assert {v.params["activation"] for v in variants} == {"sigmoid", "tanh", "relu"}
    relu = [v.answer["preactivation"] for v in variants if v.params["activation"] == "relu"]
    assert min(relu) < 0 < max(relu)  # both the active and the dead ReLU case occur
    assert len({str(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("change, reason", [
    ({"inputs": [1]}, "inputs must be a list of 2"),
    ({"weights": []}, "weights must be"),
    ({"bias": None}, "bias"),
    ({"activation": "softplus"}, "activation"),
    ({"weights": [100.0, 0.0]}, "within"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    params = {"weights": [0.5, -0.3], "inputs": [2, 1], "bias": 0.1, "activation": "relu"}
    assert qtype.problems(params) == []
    found = qtype.problems({**params, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:60]:
        f = render_fragments(v)
        a = rf"\num{{{grouped(str(plain(v.answer['preactivation'])))}}}"
        output = v.answer["output"]
        shown = plain(output) if v.params["activation"] == "relu" else fixed(output, 4)
        assert a in f.solution and rf"\num{{{grouped(str(shown))}}}" in f.solution
        assert rf" = {a}." in f.solution and rf"\finalanswer{{$a = {a}$}}" in f.solution


def test_parts_by_numpy_and_sympy(qtype, variants):
    """The numbers by numpy, the formula by sympy: a(x) is w . x + b as a polynomial."""
    for v in variants:
        p = v.params
        formula, output_formula, a, h = qtype.parts(v)
        assert [part.kind for part in (formula, output_formula, a, h)] == \
            ["expression", "free", "number", "number"]
        n = len(p["weights"])
        w, x, b = sympy.symbols(f"w1:{n + 1}"), sympy.symbols(f"x1:{n + 1}"), sympy.Symbol("b")
        names = {str(s): s for s in (*w, *x, b)}
        assert set(formula.variables) == set(names)
        typed = sympy.sympify(formula.answer.replace("^", "**"), locals=names)
        assert sympy.expand(typed - (sum(wi * xi for wi, xi in zip(w, x)) + b)) == 0
        for mistake in formula.mistakes:   # each slip is a different polynomial
            slip = sympy.sympify(mistake.value, locals=names)
            assert sympy.expand(slip - typed) != 0
        expected = float(np.dot(p["weights"], p["inputs"]) + p["bias"])
        assert a.answer == pytest.approx(expected, abs=1e-12) and a.places is None
        assert h.answer == pytest.approx(
            float(NUMPY_ACTIVATIONS[p["activation"]](np.float64(expected))), abs=1e-12)
        assert h.places == 4 and qtype.choice_part == h.label


def test_the_formula_is_checked_at_the_variants_own_numbers(qtype, variants):
    for v in variants[:40]:
        formula = qtype.parts(v)[0]
        own = formula.points[0]
        value = sum(own[f"w{i}"] * own[f"x{i}"] for i in range(1, len(v.params["weights"]) + 1))
        assert value + own["b"] == pytest.approx(v.answer["preactivation"], abs=1e-12)


def test_mistakes_on_seed_000_q1d(qtype):
    variant = qtype.variant(0, {"weights": [0.5, -0.3], "inputs": [2, 1], "bias": 0.1,
                                "activation": "sigmoid"})
    formula, _, a, h = qtype.parts(variant)
    values = {m.name: m.value for m in h.mistakes}

    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    # w.x = 1 - 0.3 = 0.7, a = 0.8.
    assert values["no bias"] == pytest.approx(sigmoid(0.7))
    assert values["no activation"] == pytest.approx(0.8)
    assert values["tanh instead of sigmoid"] == pytest.approx(np.tanh(0.8))
    assert values["bias in every term"] == pytest.approx(sigmoid(0.9))
    assert values["sign in the exponent"] == pytest.approx(sigmoid(-0.8))
    values = {m.name: m.value for m in a.mistakes}
    assert values == pytest.approx({"no bias": 0.7, "bias in every term": 0.9,
                                    "bias subtracted": 0.6, "minus signs dropped": 1.4})
    assert {m.name: m.value for m in formula.mistakes}["no bias"] == "w1*x1 + w2*x2"
