"""attention.additive_score: a worked example, numpy with tanh from exponentials."""

import math

import numpy as np
import pytest

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


def test_choice_mistakes_on_worked_example(qtype):
    params = {"h": [1, 0], "c": [[1, 1], [0, -1]],
              "W": [[0.5, 0, 0.5, 0], [0, 0.5, 0, -0.5]], "v": [1, 1]}
    variant = qtype.variant(0, params)
    values = {m.name: m.value for m in qtype.mistakes(variant.params, variant.answer)}

    def softmax(a, b):
        return [math.exp(a) / (math.exp(a) + math.exp(b)), math.exp(b) / (math.exp(a) + math.exp(b))]

    # Without tanh: v . (1, -0.5) = 0.5 and v . (0.5, 0.5) = 1.
    assert values["no tanh"] == pytest.approx(softmax(0.5, 1.0))
    # [c; h]: W (1, 1, 1, 0) = (1, 0.5) and W (0, -1, 1, 0) = (0.5, -0.5).
    assert values["[c; h] order"] == pytest.approx(
        softmax(math.tanh(1) + math.tanh(0.5), 0.0))
    assert values["scores as weights"] == pytest.approx(
        [math.tanh(1) - math.tanh(0.5), 2 * math.tanh(0.5)])
