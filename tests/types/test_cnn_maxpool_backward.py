"""cnn.maxpool_backward: hand examples, then finite differences over 300 seeds."""

import math

import numpy as np
import pytest

from qbank.render.documents import render_fragments
from qbank.render.filters import matrix

ID = "cnn.maxpool_backward"
SEEDS = range(300)


def test_seed_003_rule_on_one_window(qtype):
    # 003 Q4: dL/dh_ij = dL/dm for the max cell of its 2x2 window, 0 otherwise.
    answer = qtype.solve({"input": [[1, 3], [4, 2]], "upstream": [[0.5]], "pool": 2, "stride": 2})
    assert answer == {"pooled": [[4]], "grad_input": [[0.0, 0.0], [0.5, 0.0]]}


def test_hand_example_4x4(qtype):
    x = [[1, 5, 2, 0],
         [3, 2, 7, 1],
         [0, 6, 4, 4],
         [2, 1, 3, 8]]
    answer = qtype.solve({"input": x, "upstream": [[1, -2], [3, 2]], "pool": 2, "stride": 2})
    assert answer["pooled"] == [[5, 7], [6, 8]]
    assert answer["grad_input"] == [[0, 1, 0, 0], [0, 0, -2, 0], [0, 3, 0, 0], [0, 0, 0, 2]]


def _pool(x, p):
    """Non-overlapping max pooling by reshaping into (rows, p, cols, p) blocks."""
    h, w = x.shape
    return x.reshape(h // p, p, w // p, p).max(axis=(1, 3))


def test_finite_differences(qtype, variants):
    # f(x) = sum(upstream * pool(x)); a step of 1/4 never changes which entry is the
    # max of an integer window with a unique max, so central differences are exact.
    step = 0.25
    for v in variants:
        p = v.params
        pooled, grad_part, _ = qtype.parts(v)
        x, g = np.array(p["input"], dtype=float), np.array(p["upstream"], dtype=float)
        assert np.array_equal(_pool(x, p["pool"]), np.array(v.answer["pooled"]))
        assert np.array_equal(_pool(x, p["pool"]), np.array(pooled.answer))
        assert grad_part.answer == v.answer["grad_input"]
        f = lambda z: float((g * _pool(z, p["pool"])).sum())
        grad = np.zeros_like(x)
        for index in np.ndindex(x.shape):
            bump = np.zeros_like(x)
            bump[index] = step
            grad[index] = (f(x + bump) - f(x - bump)) / (2 * step)
        for got, want in zip(np.array(v.answer["grad_input"]).flat, grad.flat):
            assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p, a = v.params, v.answer
        assert qtype.problems(p) == [] and p["stride"] == p["pool"]
        x, k = np.array(p["input"]), p["pool"]
        assert (x.shape, k) in {((4, 4), 2), ((6, 6), 2), ((6, 6), 3)}
        blocks = x.reshape(x.shape[0] // k, k, x.shape[1] // k, k).transpose(0, 2, 1, 3)
        for block in blocks.reshape(-1, k * k):
            assert (block == block.max()).sum() == 1  # unique max
        g = np.array(p["upstream"])
        assert g.shape == np.array(a["pooled"]).shape and (g != 0).all()
        assert all(abs(u) <= 3 and u == round(u, 1) for u in g.flat)
        # Each window routes its gradient to one cell: the gradient's mass is conserved.
        grad = np.array(a["grad_input"])
        assert (grad != 0).sum() == g.size and math.isclose(grad.sum(), g.sum(), abs_tol=1e-12)
    assert {(len(v.params["input"]), v.params["pool"]) for v in variants} == {(4, 2), (6, 2), (6, 3)}
    kinds = {isinstance(v.params["upstream"][0][0], float) for v in variants}
    assert kinds == {True, False}
    assert len({str(v.params) for v in variants[:200]}) >= 150


GOOD = {"input": [[1, 5, 2, 0], [3, 2, 7, 1], [0, 6, 4, 4], [2, 1, 3, 8]],
        "upstream": [[1, -2], [3, 2]], "pool": 2, "stride": 2}


@pytest.mark.parametrize("change, reason", [
    ({"input": [[5, 5, 2, 0], [3, 2, 7, 1], [0, 6, 4, 4], [2, 1, 3, 8]]}, "tied maximum"),
    ({"stride": 1}, "stride must equal pool"),
    ({"upstream": [[1, 2, 3]]}, "upstream must be 2 x 2"),
    ({"input": [[1, 2, 3]] * 3}, "not divisible"),
    ({"pool": 0}, "pool must be a positive"),
    ({"upstream": [[1, None], [3, 2]]}, "finite number"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    assert qtype.problems(GOOD) == []
    found = qtype.problems({**GOOD, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:60]:
        f = render_fragments(v)
        grad = matrix(v.answer["grad_input"])
        assert grad in f.solution and grad not in f.question
        assert matrix(v.answer["pooled"]) in f.solution


def test_parts_and_mistakes_by_hand(qtype):
    # Windows [[1, 3], [4, 2]] (max 4, min 1), [[0, 2], [5, 1]] (max 5, min 0),
    # [[9, 1], [0, 0]] (max 9, first min at row 4, col 1) and [[2, 3], [0, 8]] (max 8, min 0).
    params = {"input": [[1, 3, 0, 2], [4, 2, 5, 1], [9, 1, 2, 3], [0, 0, 0, 8]],
              "upstream": [[0.5, -1.0], [0.2, 0.3]], "pool": 2, "stride": 2}
    pooled, grad, routing = qtype.parts(qtype.variant(0, params))
    assert qtype.choice_part == grad.label == "b"
    assert [(p.kind, p.weight, p.places) for p in (pooled, grad, routing)] \
        == [("matrix", 1, None), ("matrix", 2, None), ("free", 1, None)]
    assert pooled.answer == [[4, 5], [9, 8]]
    assert {m.name: m.value for m in pooled.mistakes} \
        == {"average pooling": [[2.5, 2.0], [2.5, 3.25]], "min pooling": [[1, 0], [0, 0]]}
    assert grad.answer == [[0, 0, 0, 0], [0.5, 0, -1.0, 0], [0.2, 0, 0, 0], [0, 0, 0, 0.3]]
    values = {m.name: np.array(m.value) for m in grad.mistakes}
    assert np.allclose(values["spread evenly"], [[0.125, 0.125, -0.25, -0.25]] * 2
                       + [[0.05, 0.05, 0.075, 0.075]] * 2)
    assert np.allclose(values["routed to the min"],
                       [[0.5, 0, -1.0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0.2, 0, 0.3, 0]])
    assert np.allclose(values["pooled value passed back"],
                       [[0, 0, 0, 0], [4, 0, 5, 0], [9, 0, 0, 0], [0, 0, 0, 8]])
    assert sum(line.points for line in routing.rubric) == routing.weight


def test_spreading_mistakes_by_numpy(qtype, variants):
    # The slips that ignore where the maximum is, rebuilt from the upstream gradient alone.
    for v in variants[:60]:
        p = v.params
        g, k = np.array(p["upstream"], dtype=float), p["pool"]
        corner = np.zeros((g.shape[0] * k, g.shape[1] * k))
        corner[::k, ::k] = g
        expected = {"copied to every cell": np.kron(g, np.ones((k, k))),
                    "spread evenly": np.kron(g, np.ones((k, k))) / k ** 2,
                    "top-left unpooling": corner}
        values = {m.name: np.array(m.value) for m in qtype.parts(v)[1].mistakes}
        for name, value in expected.items():
            assert values[name].shape == value.shape and np.allclose(values[name], value), name
