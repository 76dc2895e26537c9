"""attention.additive_score: a worked example, numpy with tanh from exponentials."""

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from qbank.checker.expected import check_data
from qbank.checker.verdict import judge
from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed

ID = "attention.additive_score"
SEEDS = range(300)
EXAMPLE = {"h": [1, 0], "c": [[1, 1], [0, -1]],
           "W": [[0.5, 0, 0.5, 0], [0, 0.5, 0, -0.5]], "v": [1, 1]}


def test_worked_example(qtype):
    # Seed 003 Q2e gives only f_att(h, c) = v^T tanh(W [h; c]); W[h; c_1] = (1, -0.5),
    # W[h; c_2] = (0.5, 0.5), scores tanh 1 - tanh 0.5 and 2 tanh 0.5.
    a = qtype.solve(EXAMPLE)
    assert a["preactivations"] == [[1.0, -0.5], [0.5, 0.5]]
    assert a["scores"] == pytest.approx([math.tanh(1) - math.tanh(0.5), 2 * math.tanh(0.5)])
    assert [round(w, 4) for w in a["weights"]] == [0.3487, 0.6513]


def tanh_from_exp(x):
    return (np.exp(2 * x) - 1) / (np.exp(2 * x) + 1)


def test_numpy_route(variants):
    for v in variants:
        p, a = v.params, v.answer
        stacked = np.array([p["h"] + c for c in p["c"]], dtype=float).T  # 4 x 2
        pre = np.array(p["W"]) @ stacked  # one column per candidate
        act = tanh_from_exp(pre)
        scores = np.array(p["v"], dtype=float) @ act
        np.testing.assert_allclose(a["preactivations"], pre.T, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(a["activations"], act.T, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(a["scores"], scores, rtol=1e-12, atol=1e-13)
        # Two-way softmax is a sigmoid of the score difference.
        first = 1 / (1 + math.exp(scores[1] - scores[0]))
        assert a["weights"] == pytest.approx([first, 1 - first], rel=1e-12)


def test_well_posed(qtype, variants):
    for v in variants:
        p, a = v.params, v.answer
        assert qtype.problems(p) == []
        assert all(type(x) is int and -2 <= x <= 2 for x in p["h"] + p["c"][0] + p["c"][1])
        assert all(type(x) is int and x in (-2, -1, 1, 2) for x in p["v"])
        assert all(abs(w) <= 1 and round(10 * w) == 10 * w for row in p["W"] for w in row)
        assert all(abs(u) <= 2 + 1e-12 for row in a["preactivations"] for u in row)
        assert abs(a["scores"][0] - a["scores"][1]) >= 0.05
        assert p["c"][0] != p["c"][1] and any(p["h"])
    assert len({repr(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("change, reason", [
    ({"W": [[0.5, 0, 0.5], [0, 0.5, 0]]}, "2 x 4"),
    ({"c": [[1, 1]]}, "two candidate"),
    ({"h": [1, "a"]}, "two numbers"),
    ({"v": [100, 100], "W": [[1, 1, 1, 1], [1, 1, 1, 1]]}, "within"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    found = qtype.problems({**EXAMPLE, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        numbers = [fixed(s, 4) for s in v.answer["scores"] + v.answer["weights"]]
        assert all(n in f.solution for n in numbers)
        assert not any(n in f.question for n in numbers)


def _softmax(a, b):
    return [math.exp(a) / (math.exp(a) + math.exp(b)), math.exp(b) / (math.exp(a) + math.exp(b))]


def test_parts_are_the_five_asks(qtype, variants):
    for v in variants[:50]:
        parts = qtype.parts(v)
        assert [(p.label, p.kind, p.places, p.weight) for p in parts] == [
            ("a", "matrix", None, 2), ("b", "matrix", 4, 2), ("c", "vector", 4, 2),
            ("d", "vector", 4, 2), ("e", "number", None, 1)]
    assert qtype.choice_part == "d"


def test_parts_by_numpy(qtype, variants):
    # Each part's answer from numpy, tanh from exponentials, the preference by argmax.
    for v in variants:
        p = v.params
        parts = {part.label: part.answer for part in qtype.parts(v)}
        stacked = np.array([p["h"] + c for c in p["c"]], dtype=float)  # a row per candidate
        pre = stacked @ np.array(p["W"]).T
        act = tanh_from_exp(pre)
        scores = act @ np.array(p["v"], dtype=float)
        weights = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
        np.testing.assert_allclose(parts["a"], pre, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(parts["b"], act, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(parts["c"], scores, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(parts["d"], weights, rtol=1e-12, atol=1e-14)
        assert parts["e"] == 1 + int(np.argmax(weights))


def test_mistakes_per_part_on_worked_example(qtype):
    variant = qtype.variant(0, EXAMPLE)
    mistakes = {part.label: {m.name: m.value for m in part.mistakes}
                for part in qtype.parts(variant)}
    t1, th = math.tanh(1), math.tanh(0.5)
    # [c; h]: W (1, 1, 1, 0) = (1, 0.5) and W (0, -1, 1, 0) = (0.5, -0.5).
    assert mistakes["a"] == {"[c; h] order": [[1.0, 0.5], [0.5, -0.5]]}
    np.testing.assert_allclose(mistakes["b"]["[c; h] order"], [[t1, th], [th, -th]], rtol=1e-12)
    sigmoid = [[1 / (1 + math.exp(-u)) for u in row] for row in ([1, -0.5], [0.5, 0.5])]
    np.testing.assert_allclose(mistakes["b"]["sigmoid for tanh"], sigmoid, rtol=1e-12)
    # Without tanh: v . (1, -0.5) = 0.5 and v . (0.5, 0.5) = 1.
    assert mistakes["c"]["no tanh"] == pytest.approx([0.5, 1.0])
    assert mistakes["c"]["tanh after v"] == pytest.approx([math.tanh(0.5), math.tanh(1.0)])
    assert mistakes["c"]["[c; h] order"] == pytest.approx([t1 + th, 0.0])
    assert mistakes["d"]["no tanh"] == pytest.approx(_softmax(0.5, 1.0))
    assert mistakes["d"]["[c; h] order"] == pytest.approx(_softmax(t1 + th, 0.0))
    assert mistakes["d"]["scores as weights"] == pytest.approx([t1 - th, 2 * th])
    assert mistakes["d"]["no exponentials"] == pytest.approx(
        [(t1 - th) / (t1 + th), 2 * th / (t1 + th)])
    assert len(mistakes["d"]) >= 5
    assert mistakes["e"] == {"lower score": 1}


def _rounded(x, places):
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(x))).quantize(quantum, rounding=ROUND_HALF_UP))


def test_carried_scores_come_from_tanh_rounded_to_four_decimals(qtype, variants):
    outside = 0
    for v in variants:
        p = v.params
        part = qtype.parts(v)[2]
        pre = np.array([p["h"] + c for c in p["c"]], dtype=float) @ np.array(p["W"]).T
        rounded = np.vectorize(lambda x: _rounded(x, 4))(tanh_from_exp(pre))
        carried = rounded @ np.array(p["v"], dtype=float)
        (accepted,) = part.accepted
        np.testing.assert_allclose(accepted, carried, rtol=1e-12, atol=1e-14)
        tolerance = [max(1e-4, 1e-3 * abs(f)) for f in part.answer]
        outside += any(abs(c - f) > t for c, f, t in zip(carried, part.answer, tolerance))
        typed = "[" + ", ".join(f"{c:.4f}" for c in carried) + "]"
        assert judge(check_data(v)["parts"][2], typed).is_right
    # The carried scores fall outside the answer's own tolerance now and then: that is
    # why they are accepted.
    assert outside > 0


def test_solution_prints_tanh_finer_and_the_gap_from_the_printed_scores(variants):
    for v in variants[:40]:
        solution = render_fragments(v).solution
        a = v.answer
        assert all(fixed(t, 5) in solution for row in a["activations"] for t in row)
        f1, f2 = (float(fixed(f, 4)) for f in a["scores"])
        assert f"= \\num{{{fixed(f2 - f1, 4)}}},\n" in solution
        assert solution.count(r"\finalanswer") == 5
