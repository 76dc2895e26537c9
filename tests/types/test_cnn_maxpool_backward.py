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


def test_finite_differences(variants):
    # f(x) = sum(upstream * pool(x)); a step of 1/4 never changes which entry is the
    # max of an integer window with a unique max, so central differences are exact.
    step = 0.25
    for v in variants:
        p = v.params
        x, g = np.array(p["input"], dtype=float), np.array(p["upstream"], dtype=float)
        assert np.array_equal(_pool(x, p["pool"]), np.array(v.answer["pooled"]))
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


def test_choice_mistakes_by_hand(qtype):
    # Top windows [[1, 3], [4, 2]] (max 4, min 1) and [[0, 2], [5, 1]] (max 5, min 0): both
    # maxima lie in row 2, so the correct first row of dL/dX is zero.
    params = {"input": [[1, 3, 0, 2], [4, 2, 5, 1], [9, 1, 2, 3], [0, 0, 0, 8]],
              "upstream": [[0.5, -1.0], [0.2, 0.3]], "pool": 2, "stride": 2}
    variant = qtype.variant(0, params)
    values = {m.name: m.value for m in qtype.mistakes(variant.params, variant.answer)}
    assert qtype.choice_value(variant.answer) == [0.0, 0.0, 0.0, 0.0]
    assert values["spread evenly"] == pytest.approx([0.125, 0.125, -0.25, -0.25])
    assert values["copied to every cell"] == pytest.approx([0.5, 0.5, -1.0, -1.0])
    assert values["routed to the min"] == pytest.approx([0.5, 0.0, -1.0, 0.0])
