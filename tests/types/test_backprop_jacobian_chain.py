"""backprop.jacobian_chain: a hand example, central finite differences over 300 seeds."""

import numpy as np
import pytest

from qbank.render.documents import render_fragments
from qbank.render.filters import matrix

ID = "backprop.jacobian_chain"
SEEDS = range(300)
EPS = 1e-3  # pre-activations are non-zero integers, so no kink lies within EPS * |W|^2


EXAMPLE = {"x": [1, 2], "W_A": [[1, -1], [2, 0]], "f_A": "relu", "W_B": [[1, 1], [-1, 2]],
           "f_B": "identity", "upstream": [1, -1]}


def test_hand_example(qtype):
    # Seed 002 Q2 gives only the formulas (J = J_B W_B J_A W_A in column form, shape
    # [len(y), len(x)], dL/dx = J^T dL/dy).  By hand: a = (-1, 2), so hidden unit 1 is off;
    # J = W_B[:, 2] times W_A[2, :] = (1, 2)^T (2, 0).
    answer = qtype.variant(0, EXAMPLE).answer
    assert answer == {"jacobian_shape": [2, 2], "jacobian": [[2, 0], [4, 0]], "grad_x": [-2, 0]}


def _network(p):
    act = {"relu": lambda v: np.maximum(v, 0.0), "identity": lambda v: v}
    W_A, W_B = np.array(p["W_A"], float), np.array(p["W_B"], float)
    return lambda x: act[p["f_B"]](W_B @ act[p["f_A"]](W_A @ x))


def test_finite_differences(variants):
    for v in variants:
        p, a = v.params, v.answer
        y, x = _network(p), np.array(p["x"], float)
        columns = [(y(x + EPS * e) - y(x - EPS * e)) / (2 * EPS) for e in np.eye(len(x))]
        numeric = np.stack(columns, axis=1)
        assert list(numeric.shape) == a["jacobian_shape"]
        np.testing.assert_allclose(a["jacobian"], numeric, atol=1e-9)
        # dL/dx by differencing L(x) = upstream . y(x) directly, without the Jacobian.
        loss = lambda x: float(np.dot(p["upstream"], y(x)))  # noqa: E731
        grad = [(loss(x + EPS * e) - loss(x - EPS * e)) / (2 * EPS) for e in np.eye(len(x))]
        np.testing.assert_allclose(a["grad_x"], grad, atol=1e-9)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p, a = v.params, v.answer
        assert qtype.problems(p) == []
        assert set(p) == {"x", "W_A", "W_B", "f_A", "f_B", "upstream"}
        assert set(a) == {"jacobian_shape", "jacobian", "grad_x"}
        n_x, n_h, n_y = len(p["x"]), len(p["W_A"]), len(p["W_B"])
        assert {n_x, n_h, n_y} <= {2, 3} and len(p["upstream"]) == n_y
        numbers = [*p["x"], *p["upstream"], *(w for row in p["W_A"] + p["W_B"] for w in row)]
        assert all(type(w) is int and -2 <= w <= 2 for w in numbers)
        assert all(type(j) is int for row in a["jacobian"] for j in row)
        assert any(a["grad_x"])
        for name, pre in ((p["f_A"], v.work["pre_a"]), (p["f_B"], v.work["pre_b"])):
            if name == "relu":
                assert 0 not in pre and max(pre) > 0
    assert len({str(v.params) for v in variants[:200]}) >= 150
    assert {(v.params["f_A"], v.params["f_B"]) for v in variants} == {
        (f, g) for f in ("relu", "identity") for g in ("relu", "identity")}
    # Some draws switch a hidden ReLU unit off, so the gating by J_A shows.
    assert any(0 in [row[i] for i, row in enumerate(v.work["J_A"])] for v in variants)


@pytest.mark.parametrize("change, reason", [
    ({"f_A": "tanh"}, "f_A and f_B must be one of"),
    ({"x": [1, 1]}, "pre-activation of layer A is 0"),   # a = (0, 2)
    ({"W_B": [[1, 1, 1], [1, 1, 1]]}, "W_B must be 2 x 2"),
    ({"W_A": [[1, 2, 3]]}, "W_A must be a matrix with 2 columns"),
    ({"upstream": []}, "x and upstream must be non-empty"),
    ({"x": [-1, 1]}, "every ReLU unit of layer A is inactive"),  # a = (-2, -2)
])
def test_problems_catch_bad_values(qtype, change, reason):
    found = qtype.problems({**EXAMPLE, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        assert matrix(v.answer["jacobian"]) not in f.question
        assert matrix(v.answer["jacobian"]) in f.solution


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_parts_are_the_three_sub_questions_checked_by_finite_differences(qtype, variants):
    for v in variants[:100]:
        parts = _parts(qtype, v)
        assert [(p.label, p.kind, p.weight) for p in parts.values()] == [
            ("a", "vector", 1), ("b", "matrix", 2), ("c", "vector", 1)]
        y, x = _network(v.params), np.array(v.params["x"], float)
        numeric = np.stack([(y(x + EPS * e) - y(x - EPS * e)) / (2 * EPS) for e in np.eye(len(x))],
                           axis=1)
        assert parts["a"].answer == list(numeric.shape)
        np.testing.assert_allclose(parts["b"].answer, numeric, atol=1e-9)
        np.testing.assert_allclose(parts["c"].answer, numeric.T @ np.array(v.params["upstream"]),
                                   atol=1e-9)
        # Every modelled Jacobian slip is a whole matrix of the Jacobian's shape.
        for mistake in parts["b"].mistakes:
            assert np.array(mistake.value).shape == numeric.shape, mistake.name


def test_jacobian_mistakes_by_numpy(qtype):
    # Hand example: J_A = diag(0, 1) (a = (-1, 2)), f_B the identity.
    v = qtype.variant(0, EXAMPLE)
    W_A, W_B = np.array(EXAMPLE["W_A"]), np.array(EXAMPLE["W_B"])
    values = {m.name: m.value for m in _parts(qtype, v)["b"].mistakes}
    assert values["ReLU zeros ignored"] == (W_B @ W_A).tolist() == [[3, -1], [3, 1]]
    assert values["J transposed"] == [[2, 4], [0, 0]]
    # f(a) on the diagonals: diag(relu(a)) = diag(0, 2), diag(b) = diag(2, 4) with h = (0, 2).
    assert values["f not f'"] == (np.diag([2, 4]) @ W_B @ np.diag([0, 2]) @ W_A).tolist()
    assert values["W transposed"] == (W_B.T @ np.diag([0, 1]) @ W_A.T).tolist()
    shapes = {m.name: m.value for m in _parts(qtype, v)["a"].mistakes}
    assert shapes["transposed shape"] == [2, 2]


def test_choice_mistakes_are_the_modelled_slips(qtype):
    # Hand example: a = (-1, 2), J = [[2, 0], [4, 0]], dL/dx = (-2, 0).
    v = qtype.variant(0, EXAMPLE)
    part = _parts(qtype, v)[qtype.choice_part]
    assert part.label == "c" and part.answer == [-2, 0]
    values = {m.name: m.value for m in part.mistakes}
    W_A, W_B, u = (np.array(EXAMPLE[k]) for k in ("W_A", "W_B", "upstream"))
    assert values["J not transposed"] == [2, 4]                       # J u
    assert values["ReLU zeros ignored"] == ((W_B @ W_A).T @ u).tolist() == [0, -2]
    # f(a) for f'(a): h = (0, 2), pre_b = (2, 4); (2, 4) * u = (2, -4); W_B^T: (6, -6);
    # times relu(a) = (0, 2): (0, -12); W_A^T: (-24, 0).
    assert values["f not f'"] == [-24, 0]
    assert values["W_A not transposed"] == (W_A @ (np.array([0, 1]) * (W_B.T @ u))).tolist()
