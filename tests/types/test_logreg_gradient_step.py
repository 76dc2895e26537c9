"""logreg.gradient_step: seed 004 Q5's vectorised gradient, checked by finite differences of the loss."""

import math

import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed, grouped

ID = "logreg.gradient_step"
SEEDS = range(300)
STEP = 1e-6


def mean_bce(X, y, theta, b):
    """Mean binary cross-entropy written from its definition, log-probabilities and all."""
    total = 0.0
    for row, label in zip(X, y):
        z = sum(x * t for x, t in zip(row, theta)) + b
        log_p, log_not_p = -math.log1p(math.exp(-z)), -math.log1p(math.exp(z))
        total -= label * log_p + (1 - label) * log_not_p
    return total / len(X)


def test_hand_worked_example(qtype):
    # At theta = 0, b = 0 every prediction is 0.5: residuals (-0.5, 0.5),
    # gradient (1/2)((1, 2)(-0.5) + (-1, 0)(0.5)) = (-0.5, -0.5), db = 0.
    answer = qtype.solve({"X": [[1, 2], [-1, 0]], "y": [1, 0], "theta": [0.0, 0.0],
                          "b": 0.0, "lr": 0.1})
    assert answer["gradient_theta"] == pytest.approx([-0.5, -0.5])
    assert answer["gradient_b"] == pytest.approx(0.0)
    assert answer["theta_next"] == pytest.approx([0.05, 0.05])
    assert answer["b_next"] == pytest.approx(0.0)


def test_central_differences_of_the_loss(variants):
    for v in variants:
        X, y, theta, b = (v.params[k] for k in ("X", "y", "theta", "b"))
        for j in range(2):
            up, down = list(theta), list(theta)
            up[j] += STEP
            down[j] -= STEP
            numeric = (mean_bce(X, y, up, b) - mean_bce(X, y, down, b)) / (2 * STEP)
            assert v.answer["gradient_theta"][j] == pytest.approx(numeric, abs=1e-7)
        numeric_b = (mean_bce(X, y, theta, b + STEP) - mean_bce(X, y, theta, b - STEP)) / (2 * STEP)
        assert v.answer["gradient_b"] == pytest.approx(numeric_b, abs=1e-7)


def test_step_follows_the_gradient(variants):
    for v in variants:
        lr = v.params["lr"]
        assert v.answer["theta_next"] == pytest.approx(
            [t - lr * g for t, g in zip(v.params["theta"], v.answer["gradient_theta"])], rel=1e-15)
        assert v.answer["b_next"] == pytest.approx(v.params["b"] - lr * v.answer["gradient_b"], rel=1e-15)
        # A small enough step along the negative gradient lowers the loss (it is convex).
        X, y = v.params["X"], v.params["y"]
        small = [t - 1e-3 * g for t, g in zip(v.params["theta"], v.answer["gradient_theta"])]
        assert mean_bce(X, y, small, v.params["b"] - 1e-3 * v.answer["gradient_b"]) <= \
            mean_bce(X, y, v.params["theta"], v.params["b"])


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == [] and set(p) == {"X", "y", "theta", "b", "lr"}
        m = len(p["X"])
        assert 2 <= m <= 4 and len(p["y"]) == m and 0 < sum(p["y"]) < m
        assert all(type(x) is int and -2 <= x <= 3 for row in p["X"] for x in row)
        assert all(len(row) == 2 for row in p["X"]) and len(p["theta"]) == 2
        assert all(type(t) is float and (2 * t).is_integer() for t in p["theta"] + [p["b"]])
        assert p["lr"] in (0.1, 0.5, 1.0)
        assert set(v.answer) == {"gradient_theta", "gradient_b", "theta_next", "b_next"}
    assert len({str(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("change, reason", [
    ({"y": [1, 2]}, "0 or 1"),
    ({"y": [True, False]}, "0 or 1"),
    ({"y": [1]}, "labels"),
    ({"theta": [0.0, 0.0, 0.0]}, "X must be"),
    ({"lr": 0.0}, "positive"),
    ({"b": float("inf")}, "finite"),
    ({"b": 100.0}, "logit"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    params = {"X": [[1, 2], [-1, 0]], "y": [1, 0], "theta": [0.0, 0.0], "b": 0.0, "lr": 0.1}
    assert qtype.problems(params) == []
    found = qtype.problems({**params, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        step = [rf"\num{{{grouped(str(fixed(t, 4)))}}}" for t in v.answer["theta_next"] + [v.answer["b_next"]]]
        assert all(s in f.solution for s in step)
        assert not any(s in f.question for s in step)


def test_choice_mistakes_are_the_modelled_slips(qtype):
    # Docstring example: residuals (-0.5, 0.5), gradient (-0.5, -0.5), theta_next (0.05, 0.05).
    params = {"X": [[1, 2], [-1, 0]], "y": [1, 0], "theta": [0.0, 0.0], "b": 0.0, "lr": 0.1}
    v = qtype.variant(0, params)
    assert qtype.choice_value(v.answer) == pytest.approx([0.05, 0.05])
    values = {m.name: m.value for m in qtype.mistakes(v.params, v.answer)}
    assert values["y - sigma"] == pytest.approx([-0.05, -0.05])
    assert values["sum not mean"] == pytest.approx([0.1, 0.1])  # gradient (-1, -1) unaveraged
    # Logits (0, 0) used as probabilities: residuals (-1, 0), gradient (-0.5, -1).
    assert values["logit not sigma"] == pytest.approx([0.05, 0.1])
