"""logreg.gradient_step: seed 004 Q5's vectorised gradient, checked by finite differences of the loss."""

import math
from decimal import ROUND_HALF_UP, Decimal

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


def numeric_gradients(params):
    """Central differences of the loss in theta_1, theta_2 and b."""
    X, y, theta, b = (params[k] for k in ("X", "y", "theta", "b"))
    found = []
    for j in range(2):
        up, down = list(theta), list(theta)
        up[j] += STEP
        down[j] -= STEP
        found.append((mean_bce(X, y, up, b) - mean_bce(X, y, down, b)) / (2 * STEP))
    found.append((mean_bce(X, y, theta, b + STEP) - mean_bce(X, y, theta, b - STEP)) / (2 * STEP))
    return found


def test_parts_by_finite_differences(qtype, variants):
    """Every checked part from the loss itself: the gradients by central differences and
    the step taken with them, not from solve()."""
    for v in variants:
        d_theta_1, d_theta_2, d_b = numeric_gradients(v.params)
        lr = v.params["lr"]
        derivation, gradient, gradient_b, theta_next, b_next = qtype.parts(v)
        assert derivation.kind == "free" and sum(r.points for r in derivation.rubric) == 2
        assert gradient.answer == pytest.approx([d_theta_1, d_theta_2], abs=1e-7)
        assert gradient_b.answer == pytest.approx(d_b, abs=1e-7)
        assert theta_next.answer == pytest.approx(
            [t - lr * g for t, g in zip(v.params["theta"], (d_theta_1, d_theta_2))], abs=1e-7)
        assert b_next.answer == pytest.approx(v.params["b"] - lr * d_b, abs=1e-7)
        assert {p.places for p in (gradient, gradient_b, theta_next, b_next)} == {4}


def four(value):
    """Rounded half up to four decimals, as a student writes a number down."""
    return float(Decimal(repr(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def test_accepted_values_carry_residuals_rounded_to_four_places(qtype, variants):
    """What is accepted besides the answer is what a student reaches from residuals
    rounded to the four decimals asked -- and it is listed only when it is outside the
    tolerance of the exact answer."""
    listed = 0
    for v in variants:
        X, y, theta, b, lr = (v.params[k] for k in ("X", "y", "theta", "b", "lr"))
        m = len(X)
        residuals = [four(1 / (1 + math.exp(-(row[0] * theta[0] + row[1] * theta[1] + b))) - label)
                     for row, label in zip(X, y)]
        gradient = [four(sum(row[j] * r for row, r in zip(X, residuals)) / m) for j in range(2)]
        gradient_b = four(sum(residuals) / m)
        carried = {"b": gradient, "c": gradient_b,
                   "d": [t - lr * g for t, g in zip(theta, gradient)], "e": b - lr * gradient_b}
        for part in qtype.parts(v)[1:]:
            value = carried[part.label]
            exact = part.answer if isinstance(part.answer, list) else [part.answer]
            near = value if isinstance(value, list) else [value]
            outside = any(abs(e - c) > max(1e-4, 1e-3 * abs(e)) for e, c in zip(exact, near))
            assert bool(part.accepted) == outside, (v.seed, part.label)
            if part.accepted:
                listed += 1
                assert part.accepted[0] == pytest.approx(value, abs=1e-12)
    assert listed > 0


def test_mistakes_are_the_modelled_slips(qtype):
    # Docstring example: residuals (-0.5, 0.5), gradient (-0.5, -0.5), theta_next (0.05, 0.05).
    params = {"X": [[1, 2], [-1, 0]], "y": [1, 0], "theta": [0.0, 0.0], "b": 0.0, "lr": 0.1}
    v = qtype.variant(0, params)
    parts = {part.label: part for part in qtype.parts(v)}
    assert qtype.choice_part == "d" and parts["d"].answer == pytest.approx([0.05, 0.05])
    values = {m.name: m.value for m in parts["d"].mistakes}
    assert values["y - sigma"] == pytest.approx([-0.05, -0.05])
    assert values["sum not mean"] == pytest.approx([0.1, 0.1])  # gradient (-1, -1) unaveraged
    # Logits (0, 0) used as probabilities: residuals (-1, 0), gradient (-0.5, -1).
    assert values["logit not sigma"] == pytest.approx([0.05, 0.1])
    assert values["gradient reported"] == pytest.approx([-0.5, -0.5])
    values = {m.name: m.value for m in parts["b"].mistakes}
    assert values["logit not sigma"] == pytest.approx([-0.5, -1.0])
    assert values["no x"] == pytest.approx([0.0, 0.0])
    assert "no learning rate" not in values   # a slip in the step, not in the gradient
    values = {m.name: m.value for m in parts["c"].mistakes}
    assert values["logit not sigma"] == pytest.approx(-0.5)   # mean of (-1, 0)
    assert "no x" not in values
    values = {m.name: m.value for m in parts["e"].mistakes}
    assert values["logit not sigma"] == pytest.approx(0.05)
