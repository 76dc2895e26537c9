"""regression.ridge_closed_form: seed 000 Q4 (whose gradient is wrong), checked with sympy and numpy."""

import numpy as np
import pytest
import sympy

from qbank.parts import printed_answer
from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed, grouped

ID = "regression.ridge_closed_form"
SEEDS = range(300)


def test_hand_worked_example(qtype):
    # Seed 000 Q4 writes J'(theta) = (1/N) sum x_i + A theta, dropping the residual; the right
    # gradient is (1/N) X^T (X theta - y) + lam theta.  By hand: X^T X = [[2, 1], [1, 2]],
    # X^T y = (4, 5), [[5, 1], [1, 5]] theta = (4, 5) -> theta = (15/24, 21/24).
    answer = qtype.solve({"X": [[1, 0], [0, 1], [1, 1]], "y": [1, 2, 3], "lam": 1.0})
    assert answer["gradient_at_zero"] == pytest.approx([-4 / 3, -5 / 3], rel=1e-15)
    assert answer["theta_star"] == pytest.approx([0.625, 0.875], rel=1e-15)


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_sympy_minimises_the_loss_exactly(qtype, variants):
    t1, t2 = sympy.symbols("t1 t2")
    for v in variants[:150]:
        p = v.params
        n, lam = len(p["X"]), sympy.nsimplify(p["lam"])
        loss = sum((row[0] * t1 + row[1] * t2 - target) ** 2
                   for row, target in zip(p["X"], p["y"])) / (2 * n) + lam / 2 * (t1 ** 2 + t2 ** 2)
        gradient = [sympy.diff(loss, t) for t in (t1, t2)]
        at_zero = [float(g.subs({t1: 0, t2: 0})) for g in gradient]
        optimum = sympy.solve(gradient, [t1, t2], dict=True)
        assert len(optimum) == 1
        assert v.answer["gradient_at_zero"] == pytest.approx(at_zero, rel=1e-15, abs=1e-15)
        assert v.answer["theta_star"] == pytest.approx(
            [float(optimum[0][t1]), float(optimum[0][t2])], rel=1e-14, abs=1e-15)
        # The checked parts are these values, at the four decimals the question asks for.
        parts = _parts(qtype, v)
        assert parts["b"].answer == pytest.approx(at_zero, rel=1e-15, abs=1e-15)
        assert parts["d"].answer == pytest.approx([float(optimum[0][t1]), float(optimum[0][t2])],
                                                  rel=1e-14, abs=1e-15)
        assert [(p.kind, p.places) for p in parts.values()] == [
            ("free", None), ("vector", 4), ("free", None), ("vector", 4)]


def test_numpy_least_squares_on_augmented_data(variants):
    # Ridge is ordinary least squares on X stacked over sqrt(N lam) I, with zeros appended to y.
    for v in variants:
        X, y = np.array(v.params["X"], float), np.array(v.params["y"], float)
        n = len(y)
        augmented = np.vstack([X, np.sqrt(n * v.params["lam"]) * np.eye(2)])
        theta, *_ = np.linalg.lstsq(augmented, np.concatenate([y, [0.0, 0.0]]), rcond=None)
        assert v.answer["theta_star"] == pytest.approx(theta, rel=1e-9, abs=1e-12)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == [] and set(p) == {"X", "y", "lam"}
        n = len(p["X"])
        assert n in (3, 4) and len(p["y"]) == n and all(len(row) == 2 for row in p["X"])
        assert all(type(x) is int and -2 <= x <= 2 for row in p["X"] for x in row)
        assert all(type(t) is int and -3 <= t <= 3 for t in p["y"])
        assert type(p["lam"]) is float and (n * p["lam"]).is_integer()  # integer 2x2 system
        X = np.array(p["X"])
        assert np.linalg.matrix_rank(X) == 2 and all(X.T @ np.array(p["y"]))
        assert set(v.answer) == {"gradient_at_zero", "theta_star"}
    assert len({str(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("change, reason", [
    ({"X": [[1, 0, 2], [0, 1, 1], [1, 1, 0]]}, "two numbers"),
    ({"y": [1, 2]}, "y must be a list of 3"),
    ({"lam": -1.0}, "at least 0"),
    ({"lam": "1"}, "at least 0"),
    ({"lam": 0.0, "X": [[1, 2], [2, 4], [3, 6]]}, "singular"),
    ({"X": [[1, float("nan")], [0, 1], [1, 1]]}, "finite"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    params = {"X": [[1, 0], [0, 1], [1, 1]], "y": [1, 2, 3], "lam": 1.0}
    assert qtype.problems(params) == []
    found = qtype.problems({**params, **change})
    assert found and reason in found[0]


def test_unregularised_fit_is_allowed_when_x_has_full_rank(qtype):
    answer = qtype.solve({"X": [[1, 0], [0, 1], [1, 1]], "y": [1, 2, 3], "lam": 0.0})
    assert answer["theta_star"] == pytest.approx([1.0, 2.0])


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        theta = [rf"\num{{{grouped(fixed(t, 4))}}}" for t in v.answer["theta_star"]]
        assert all(t in f.solution for t in theta)
        assert "theta}^* =" not in f.question
        assert f.solution.count(r"\finalanswer") == 2 and f.solution.count("Marking rubric") == 2


def test_choice_mistakes_are_the_modelled_slips(qtype):
    # X^T X = [[2, 1], [1, 2]], X^T y = (4, 5), N = 3, lam = 1; the correct system has 3 on
    # the diagonal shift, the slips 1 (lam without N), 0 (no lam) and 6 (2 N lam).
    params = {"X": [[1, 0], [0, 1], [1, 1]], "y": [1, 2, 3], "lam": 1.0}
    v = qtype.variant(0, params)
    assert qtype.choice_part == "d"
    values = {m.name: m.value for m in _parts(qtype, v)["d"].mistakes}
    gram, moment = np.array([[2.0, 1.0], [1.0, 2.0]]), np.array([4.0, 5.0])
    assert values["no lam"] == pytest.approx([1.0, 2.0])
    assert values["lam without N"] == pytest.approx(np.linalg.solve(gram + np.eye(2), moment))
    assert values["lam without N"] == pytest.approx([7 / 8, 11 / 8])
    assert values["2 N lam"] == pytest.approx([3 / 7, 4 / 7])
    assert printed_answer(_parts(qtype, v)["d"]).text == "[0.6250, 0.8750]"  # four places


def test_gradient_mistakes_by_numpy(qtype, variants):
    # -(1/N) X^T y with its sign, its 1/N and its factor 2 slipped.
    for v in variants[:50]:
        X, y = np.array(v.params["X"], float), np.array(v.params["y"], float)
        right = -X.T @ y / len(y)
        values = {m.name: m.value for m in _parts(qtype, v)["b"].mistakes}
        assert values["sign flipped"] == pytest.approx(-right)
        assert values["no 1/N"] == pytest.approx(len(y) * right)
        assert values["1/(2N)"] == pytest.approx(right / 2)
