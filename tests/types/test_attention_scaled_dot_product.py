"""attention.scaled_dot_product: a worked example, numpy and exact sympy routes."""

import math

import numpy as np
import pytest
import sympy

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed

ID = "attention.scaled_dot_product"
SEEDS = range(300)


def test_token_most_similar_to_itself(qtype):
    # Seed 001 Q3 only gives the formula; a query equal to the first key, d = 4:
    # scores (2, 0) / 2 = (1, 0), weights (e, 1) / (e + 1), V = I so output = weights.
    answer = qtype.solve({"q": [[1, 0, 1, 0]], "k": [[1, 0, 1, 0], [0, 1, 0, 1]],
                          "v": [[1, 0], [0, 1]]})
    e = math.e
    assert answer["scores"] == [[1.0, 0.0]]
    assert answer["weights"][0] == pytest.approx([e / (e + 1), 1 / (e + 1)], rel=1e-12)
    assert answer["output"][0] == pytest.approx([e / (e + 1), 1 / (e + 1)], rel=1e-12)


def test_d_two_scales_by_root_two(qtype):
    answer = qtype.solve({"q": [[1, 1]], "k": [[1, 1], [1, -1]], "v": [[2], [0]]})
    assert answer["scores"][0] == pytest.approx([math.sqrt(2), 0.0])
    assert answer["output"][0][0] == pytest.approx(2 / (1 + math.exp(-math.sqrt(2))))


def test_numpy_route(variants):
    for v in variants:
        q, k, val = (np.array(v.params[name], dtype=float) for name in ("q", "k", "v"))
        scores = np.einsum("id,jd->ij", q, k) / np.sqrt(q.shape[1])
        shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
        weights = shifted / shifted.sum(axis=1, keepdims=True)
        np.testing.assert_allclose(v.answer["scores"], scores, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(v.answer["weights"], weights, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(v.answer["output"], weights @ val, rtol=1e-12, atol=1e-13)


def test_exact_sympy_route(variants):
    for v in variants[:60]:
        q, k, val = (sympy.Matrix(v.params[name]) for name in ("q", "k", "v"))
        scores = q * k.T / sympy.sqrt(q.shape[1])
        exps = scores.applyfunc(sympy.exp)
        weights = sympy.Matrix(exps.rows, exps.cols,
                               lambda i, j: exps[i, j] / sum(exps.row(i)))
        output = weights * val
        for got, exact in ((v.answer["weights"], weights), (v.answer["output"], output)):
            expected = [[float(sympy.N(exact[i, j], 30)) for j in range(exact.cols)]
                        for i in range(exact.rows)]
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


def test_well_posed_and_exam_friendly(qtype, variants):
    dims = []
    for v in variants:
        p, a = v.params, v.answer
        assert qtype.problems(p) == []
        d = len(p["q"][0])
        dims.append(d)
        assert d in (2, 4) and 1 <= len(p["q"]) <= 2 and 2 <= len(p["k"]) <= 3
        assert len(p["v"]) == len(p["k"]) and 2 <= len(p["v"][0]) <= 3
        assert all(type(x) is int and -2 <= x <= 2 for m in p.values() for row in m for x in row)
        assert all(any(row) for row in p["v"])
        for row in a["scores"]:
            assert len(set(row)) > 1 and max(map(abs, row)) <= 3
        for row in a["weights"]:
            assert sum(row) == pytest.approx(1.0)
    assert dims.count(4) > dims.count(2) > 0


@pytest.mark.parametrize("bad, reason", [
    ({"q": [[1, 0]], "k": [[1, 0, 1]], "v": [[1]]}, "same dimension"),
    ({"q": [[1, 0]], "k": [[1, 0], [0, 1]], "v": [[1]]}, "one value per key"),
    ({"q": [[1, 0], [1]], "k": [[1, 0]], "v": [[1]]}, "matrix"),
    ({"q": [["a", 0]], "k": [[1, 0]], "v": [[1]]}, "matrix"),
    ({"q": [[100, 100]], "k": [[100, 0]], "v": [[1]]}, "within"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        outputs = [fixed(x, 3) for row in v.answer["output"] for x in row]
        assert all(o in f.solution for o in outputs)
        weights = [fixed(w, 3) for row in v.answer["weights"] for w in row]
        assert all(w in f.solution for w in weights)
        assert not any(w in f.question for w in weights + outputs)


def test_mistakes_per_part_on_token_most_similar_to_itself(qtype):
    # Raw scores (2, 0), d = 4, V = I: each output row equals the weights.
    variant = qtype.variant(0, {"q": [[1, 0, 1, 0]], "k": [[1, 0, 1, 0], [0, 1, 0, 1]],
                                "v": [[1, 0], [0, 1]]})
    scores, weights, output = ({m.name: m.value for m in part.mistakes}
                               for part in qtype.parts(variant))
    e2, e05 = math.exp(2), math.exp(0.5)
    assert scores["no scaling"] == [[2.0, 0.0]] and scores["divided by d_k"] == [[0.5, 0.0]]
    for values in (weights, output):
        assert values["no scaling"] == [pytest.approx([e2 / (e2 + 1), 1 / (e2 + 1)])]
        assert values["divided by d_k"] == [pytest.approx([e05 / (e05 + 1), 1 / (e05 + 1)])]
        # One query: a softmax down each column gives every weight 1.
        assert values["softmax over columns"] == [pytest.approx([1.0, 1.0])]
        assert values["no softmax"] == [pytest.approx([1.0, 0.0])]


def test_carried_output_comes_from_the_weights_rounded_to_three_decimals(qtype, variants):
    for v in variants[:80]:
        rounded = np.round(np.array(v.answer["weights"]) * 1000) / 1000
        expected = rounded @ np.array(v.params["v"], dtype=float)
        (carried,) = qtype.parts(v)[2].accepted
        np.testing.assert_allclose(carried, expected, atol=1e-12)


def test_printed_working_uses_the_printed_weights(variants):
    for v in variants[:80]:
        shown = [[float(fixed(w, 4)) for w in row] for row in v.answer["weights"]]
        expected = np.array(shown) @ np.array(v.params["v"], dtype=float)
        np.testing.assert_allclose(v.work["shown_output"], expected, atol=1e-12)
        # And still within a unit of the third decimal of the exact output.
        assert np.max(np.abs(expected - np.array(v.answer["output"]))) < 1e-3
