"""neuron.preactivation: seed 000 Q1d (a = w1 x1 + w2 x2 + b), checked with numpy."""

import numpy as np
import pytest

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
        assert rf"+ b = {a}" in f.solution and "+ b = " not in f.question


def test_choice_mistakes_on_seed_000_q1d(qtype):
    variant = qtype.variant(0, {"weights": [0.5, -0.3], "inputs": [2, 1], "bias": 0.1,
                                "activation": "sigmoid"})
    values = {m.name: m.value for m in qtype.mistakes(variant.params, variant.answer)}

    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    # w.x = 1 - 0.3 = 0.7, a = 0.8.
    assert values["no bias"] == pytest.approx(sigmoid(0.7))
    assert values["no activation"] == pytest.approx(0.8)
    assert values["tanh instead of sigmoid"] == pytest.approx(np.tanh(0.8))
    assert values["bias in every term"] == pytest.approx(sigmoid(0.9))
    assert values["sign in the exponent"] == pytest.approx(sigmoid(-0.8))
    assert qtype.format_option(values["no activation"]) == r"\num{0.8000}"
