"""attention.ops_count: multiplications in single-head self-attention (seed 000 Q3a)."""

import json

import numpy as np
import pytest
import sympy

from qbank.checker.expected import check_data
from qbank.checker.verdict import judge
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
    assert f.solution.count(r"\finalanswer") == 4
    assert total in f.solution
    assert "not counted" in f.solution


N = sympy.Symbol("n", positive=True, integer=True)


def _polynomials(params):
    """The three counts as polynomials in n, from the shapes of the products (a*b*c each)."""
    d_model, d_k, d_v = params["d_model"], params["d_k"], params["d_v"]
    projections = sum(a * b * c for a, b, c in
                      [(N, d_model, d_k), (N, d_model, d_k), (N, d_model, d_v)])
    return [sympy.expand(projections), sympy.expand(N * d_k * N), sympy.expand(N * N * d_v)]


def test_expression_parts_are_the_polynomials_of_the_shapes(qtype):
    for seed in range(100):
        v = qtype.draw(seed)
        parts = qtype.parts(v)
        assert [(p.label, p.kind, p.weight) for p in parts] == [
            ("a", "expression", 2), ("b", "expression", 1), ("c", "expression", 1),
            ("d", "number", 1)]
        for part, polynomial in zip(parts, _polynomials(v.params)):
            assert part.variables == ("n",)
            assert sympy.expand(sympy.sympify(part.answer.replace("^", "**"),
                                              locals={"n": N})) == polynomial
        assert parts[3].answer == sum(_polynomials(v.params)).subs(N, v.params["n"])
    assert qtype.choice_part == "d"


def test_seed_expressions_and_their_mistakes_are_checked(qtype):
    variant = qtype.variant(0, SEED_PARAMS)
    data = {part["label"]: part for part in check_data(variant)["parts"]}
    # The seed's own forms: 3600n + 3600n + 2500n, 36n^2, 25n^2.
    for label, typed in (("a", "3600*n + 3600*n + 2500*n"), ("b", "36*n^2"), ("c", "n*n*25")):
        assert judge(data[label], typed).is_right
    assert judge(data["d"], "1070625").is_right
    for label, typed, slip in (("a", "n*(36 + 36 + 25)", "entries"), ("b", "36*n", "instead of"),
                               ("b", "100*n^2", "d_model"), ("c", "36*n^2", "d_k")):
        verdict = judge(data[label], typed)
        assert verdict.verdict == "mistake" and slip in verdict.message, (label, typed)


def test_mistakes_seed_000_q3a(qtype):
    # n 75, d_model 100, d_k 36, d_v 25: 727,500 + 202,500 + 140,625 = 1,070,625.
    variant = qtype.variant(0, SEED_PARAMS)
    mistakes = {part.label: {m.name: m.value for m in part.mistakes}
                for part in qtype.parts(variant)}
    assert mistakes["a"] == {"d_k for the values": "10800*n",
                             "entries instead of multiplications": "97*n"}
    assert mistakes["b"] == {"n instead of n squared": "36*n", "d_model instead of d_k": "100*n^2",
                             "entries instead of multiplications": "1*n^2",
                             "scaling counted": "37*n^2"}
    # Counting the entries of AV gives 25n, already listed as n for n squared.
    assert mistakes["c"] == {"n instead of n squared": "25*n", "d_k for the values": "36*n^2"}
    values = mistakes["d"]
    assert values["n instead of n squared"] == 727_500 + 36 * 75 + 25 * 75
    assert values["d_model instead of d_k"] == 727_500 + 100 * 75 * 75 + 140_625
    assert values["projections forgotten"] == 202_500 + 140_625
    assert values["scaling counted"] == 1_070_625 + 75 * 75
    assert len(values) >= 5


def test_a_slip_that_gives_the_right_count_is_not_a_mistake(qtype):
    # With d_k = d_v, using d_k for the values changes nothing in (a) or (c).
    variant = qtype.variant(0, {**SEED_PARAMS, "d_v": 36})
    mistakes = {part.label: {m.name for m in part.mistakes} for part in qtype.parts(variant)}
    assert "d_k for the values" not in mistakes["a"] | mistakes["c"]
