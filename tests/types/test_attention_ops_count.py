"""attention.ops_count: multiplications in single-head self-attention (seed 000 Q3a)."""

import json

import numpy as np
import pytest
import sympy

from qbank.render.documents import render_fragments
from qbank.render.numbers import grouped

ID = "attention.ops_count"
SEED_PARAMS = {"n": 75, "d_model": 100, "d_k": 36, "d_v": 25}


class CountingMatmul:
    """Matrix product by an explicit triple loop that counts its scalar multiplications."""

    def __init__(self):
        self.count = 0

    def __call__(self, a, b):
        rows, inner = a.shape
        inner_b, cols = b.shape
        assert inner == inner_b
        out = np.zeros((rows, cols), dtype=a.dtype)
        for i in range(rows):
            for j in range(cols):
                for k in range(inner):
                    out[i, j] += a[i, k] * b[k, j]
                    self.count += 1
        return out


def counted_attention(params, rng):
    """Run self-attention on random small ints; multiplication counts per stage."""
    n, d_model, d_k, d_v = (params[k] for k in ("n", "d_model", "d_k", "d_v"))
    x = rng.integers(-3, 4, size=(n, d_model))
    w_q, w_k = rng.integers(-3, 4, size=(2, d_model, d_k))
    w_v = rng.integers(-3, 4, size=(d_model, d_v))
    counts = {}
    mm = CountingMatmul()
    q, k, v = mm(x, w_q), mm(x, w_k), mm(x, w_v)
    counts["projections"] = mm.count
    mm = CountingMatmul()
    scores = mm(q, k.T)
    counts["scores"] = mm.count
    # Scaling and softmax are element-wise: not counted.
    z = scores / np.sqrt(d_k)
    weights = np.exp(z - z.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    mm = CountingMatmul()
    out = mm(weights, v.astype(float))
    counts["weighted_sum"] = mm.count
    # The counted loops really computed the products.
    np.testing.assert_array_equal(q, x @ w_q)
    np.testing.assert_array_equal(scores, q @ k.T)
    np.testing.assert_allclose(out, weights @ v)
    return counts


def test_seed_paper_numbers(qtype):
    # 000 Q3a: 3600n + 3600n + 2500n, 36n^2, 25n^2, total 61n^2 + 9700n = 1,070,625.
    answer = qtype.variant(0, SEED_PARAMS).answer
    assert answer == {"projections": 3600 * 75 * 2 + 2500 * 75, "scores": 36 * 75**2,
                      "weighted_sum": 25 * 75**2, "total": 1070625}


def test_seed_as_polynomial_in_n(qtype):
    n = sympy.Symbol("n", positive=True, integer=True)
    d_model, d_k, d_v = 100, 36, 25
    # Each (a x b)(b x c) product: a*b*c multiplications.
    shapes = [(n, d_model, d_k), (n, d_model, d_k), (n, d_model, d_v),
              (n, d_k, n), (n, n, d_v)]
    total = sympy.expand(sum(a * b * c for a, b, c in shapes))
    assert total == 61 * n**2 + 9700 * n  # the seed's expression
    for tokens in (1, 7, 75, 128):
        answer = qtype.variant(0, {**SEED_PARAMS, "n": tokens}).answer
        assert answer["total"] == total.subs(n, tokens)


@pytest.mark.parametrize("seed", range(40))
def test_counted_triple_loops_small_sizes(qtype, seed):
    rng = np.random.default_rng(seed)
    params = {key: int(rng.integers(1, 7)) for key in ("n", "d_model", "d_k", "d_v")}
    answer = qtype.variant(0, params).answer
    counts = counted_attention(params, rng)
    assert {k: answer[k] for k in counts} == counts
    assert answer["total"] == sum(counts.values())


def _multiplications(shape_a, shape_b):
    """Size of the broadcast element-wise product a[:, :, None] * b[None, :, :]."""
    return int(np.prod(np.broadcast_shapes(shape_a + (1,), (1,) + shape_b)))


def test_drawn_variants_by_broadcast_shapes(qtype):
    for seed in range(300):
        v = qtype.draw(seed)
        n, d_model, d_k, d_v = (v.params[k] for k in ("n", "d_model", "d_k", "d_v"))
        x = (n, d_model)
        projections = (_multiplications(x, (d_model, d_k)) * 2
                       + _multiplications(x, (d_model, d_v)))
        scores = _multiplications((n, d_k), (d_k, n))
        weighted = _multiplications((n, n), (n, d_v))
        assert v.answer == {"projections": projections, "scores": scores,
                            "weighted_sum": weighted,
                            "total": projections + scores + weighted}


def test_well_posed_and_varied(qtype):
    seen = set()
    for seed in range(200):
        v = qtype.draw(seed)
        assert qtype.problems(v.params) == []
        assert set(v.params) == {"n", "d_model", "d_k", "d_v"}
        assert set(v.answer) == {"projections", "scores", "weighted_sum", "total"}
        assert all(type(x) is int and x > 0 for x in (*v.params.values(), *v.answer.values()))
        assert v.params["d_k"] <= v.params["d_model"] and v.params["d_v"] <= v.params["d_model"]
        assert json.loads(v.dumps())["answer"] == v.answer
        seen.add(tuple(sorted(v.params.items())))
    assert len(seen) >= 150


@pytest.mark.parametrize("bad", [{"n": 0}, {"d_model": -4}, {"d_k": 2.5}, {"d_v": True},
                                 {"n": "75"}])
def test_problems_rejects_bad_values(qtype, bad):
    assert qtype.problems({**SEED_PARAMS, **bad})
    assert qtype.problems(SEED_PARAMS) == []


@pytest.mark.parametrize("seed", [None, *range(10)])
def test_templates_render(qtype, seed):
    v = qtype.variant(0, SEED_PARAMS) if seed is None else qtype.draw(seed)
    f = render_fragments(v)
    total = rf"\num{{{grouped(str(v.answer['total']))}}}"
    assert total not in f.question
    assert "multiplications in the matrix products" in f.question
    assert f.solution.count(r"\finalanswer") == 1
    assert total in f.solution
    assert "not counted" in f.solution


def test_choice_mistakes_seed_000_q3a(qtype):
    # n 75, d_model 100, d_k 36, d_v 25: 727,500 + 202,500 + 140,625 = 1,070,625.
    params = {"n": 75, "d_model": 100, "d_k": 36, "d_v": 25}
    answer = qtype.solve(params)
    values = {m.name: m.value for m in qtype.mistakes(params, answer)}
    assert qtype.choice_value(answer) == 1_070_625
    assert values["n instead of n squared"] == 727_500 + 36 * 75 + 25 * 75
    assert values["d_model instead of d_k"] == 727_500 + 100 * 75 * 75 + 140_625
    assert values["projections forgotten"] == 202_500 + 140_625
    assert values["scaling counted"] == 1_070_625 + 75 * 75
