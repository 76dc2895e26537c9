"""perceptron.training: a hand-worked run, and the rule re-run as an endless stream of points.

Seed 001 Q1 only argues that a perceptron draws a line; the numbers below are worked by
hand for this test.
"""

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest

from qbank.render.documents import render_fragments

ID = "perceptron.training"
EXAMPLE = {"points": [[1, 1], [2, -1], [-1, 2]], "labels": [1, -1, 1],
           "initial_weights": [0, 0, 0], "learning_rate": 1}


@pytest.fixture(scope="module")
def variants(qtype):
    return [qtype.draw(seed) for seed in range(300)]


def stream_training(points, labels, weights, rate):
    """Cycle through the points forever; stop once n points in a row need no update.

    Returns the weights after each update and the 0-based step of the last update.
    """
    weights, updates, last, streak = [Fraction(w) for w in weights], [], -1, 0
    for step, index in enumerate(itertools.cycle(range(len(points)))):
        x = (1, *points[index])
        if labels[index] * sum(w * xi for w, xi in zip(weights, x)) > 0:
            streak += 1
            if streak == len(points):
                return updates, last
            continue
        weights = [w + Fraction(rate) * labels[index] * xi for w, xi in zip(weights, x)]
        updates.append(weights)
        last, streak = step, 0
        assert step < 100, "did not converge"


def test_hand_worked_example(qtype):
    v = qtype.variant(0, EXAMPLE)
    # Step 1: s = 0 is a mistake, w = (1, 1, 1). Step 2: s = 1 + 2 - 1 = 2 for y = -1,
    # w = (0, -1, 2). Step 3: s = 0 + 1 + 4 = 5, correct. Pass 2: scores 1, -4, 5, all correct.
    assert v.answer == {"weights_after_update": [[1, 1, 1], [0, -1, 2]], "updated_points": [1, 2],
                        "final_weights": [0, -1, 2], "passes": 2}
    assert [s["score"] for s in v.work["steps"]] == [0, 2, 5, 1, -4, 5]


def test_stream_route_agrees(variants):
    for v in variants:
        p = v.params
        updates, last = stream_training(p["points"], p["labels"], p["initial_weights"],
                                        p["learning_rate"])
        assert v.answer["weights_after_update"] == updates
        assert v.answer["final_weights"] == updates[-1]
        # The clean pass is the one after the pass holding the last update.
        assert v.answer["passes"] == last // len(p["points"]) + 2
        assert len(v.answer["updated_points"]) == len(updates)


def test_parts_by_the_stream_route(qtype, variants):
    # Every part from the endless-stream run, not from the type's own train().
    for v in variants:
        p = v.params
        parts = {part.label: part for part in qtype.parts(v)}
        updates, last = stream_training(p["points"], p["labels"], p["initial_weights"],
                                        p["learning_rate"])
        points, weights = [row[0] for row in parts["a"].answer], [row[1:] for row in parts["a"].answer]
        assert weights == updates
        # Re-run the updates from the logged points alone: each must be a misclassified point.
        w = [Fraction(x) for x in p["initial_weights"]]
        for point, after in zip(points, weights):
            x, y = (1, *p["points"][point - 1]), p["labels"][point - 1]
            assert y * sum(a * b for a, b in zip(w, x)) <= 0
            w = [a + p["learning_rate"] * y * b for a, b in zip(w, x)]
            assert w == after
        assert parts["b"].answer == updates[-1]
        assert parts["c"].answer == last // len(p["points"]) + 2
        final = np.array(updates[-1], dtype=float)
        inputs = np.column_stack([np.ones(len(p["points"])), np.array(p["points"], dtype=float)])
        assert parts["d"].answer == (np.array(p["labels"]) * (inputs @ final)).tolist()
        assert [part.kind for part in parts.values()] == ["table", "vector", "number", "vector"]


def test_final_weights_separate_the_data(variants):
    for v in variants:
        w = v.answer["final_weights"]
        for (x1, x2), y in zip(v.params["points"], v.params["labels"]):
            assert y * (w[0] + w[1] * x1 + w[2] * x2) > 0


def test_learning_rate_scales_weights_from_zero(qtype):
    # From w = 0 the mistakes do not depend on eta, so every weight scales with it.
    for seed in range(60):
        p = {**qtype.draw(seed).params, "initial_weights": [0, 0, 0]}
        if qtype.problems(p):
            continue
        one = qtype.solve(p)
        half = qtype.solve({**p, "learning_rate": 0.5})
        assert half["updated_points"] == one["updated_points"]
        assert half["final_weights"] == [w / 2 for w in one["final_weights"]]


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        assert 3 <= len(p["points"]) <= 4 and len({tuple(q) for q in p["points"]}) == len(p["points"])
        assert set(p["labels"]) == {-1, 1} and p["learning_rate"] == 1
        assert all(type(c) is int and -3 <= c <= 3 for q in p["points"] for c in q)
        assert all(w in (-1, 0, 1) for w in p["initial_weights"])
        assert 2 <= len(v.answer["weights_after_update"]) and v.answer["passes"] <= 3
        assert json.loads(v.dumps())["answer"] == v.answer
    assert len({json.dumps(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("bad, reason", [
    ({"points": [[0, 0], [1, 1], [1, 0], [0, 1]], "labels": [1, 1, -1, -1]}, "within"),  # XOR
    ({"labels": [1, 0, 1]}, "+1 or -1"),
    ({"labels": [1, 1, 1]}, "both classes"),
    ({"points": [[1, 1], [1, 1], [-1, 2]]}, "distinct"),
    ({"learning_rate": 0}, "positive"),
    ({"initial_weights": [0, -1, 2]}, "already"),
    ({"initial_weights": [0, 0]}, "three"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems({**EXAMPLE, **bad})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:30]:
        f = render_fragments(v)
        assert f.solution.count(r"\finalanswer") == 4 and r"\finalanswer" not in f.question
        assert f.solution.count(r"\emph{Pass") == v.answer["passes"]
        assert "none" not in f.question and "Step" not in f.question


def _part(qtype, variant, label):
    return next(part for part in qtype.parts(variant) if part.label == label)


def test_choice_mistakes_are_the_modelled_slips(qtype):
    # Worked by hand on EXAMPLE (final weights (0, -1, 2)).
    v = qtype.variant(0, EXAMPLE)
    assert qtype.choice_part == "b"
    part = _part(qtype, v, "b")
    assert part.answer == [0, -1, 2]
    values = {m.name: m.value for m in part.mistakes}
    # Every score from w = 0 is 0; counted as correct, nothing is ever updated.
    assert values["0 counts as correct"] == [0, 0, 0]
    # (y - y_hat) x: +(1, 1, 1); at point 2 (s = 2) -2 (1, 2, -1) -> (-1, -3, 3); pass 2, point 1
    # scores -1: +2 (1, 1, 1) -> (1, -1, 5); pass 3 is clean.
    assert values["(y - y_hat) rule"] == [1, -1, 5]
    # Batch: all three points score 0 in pass 1, summed update (1, -2, 4); pass 2 is clean.
    assert values["batch updates"] == [1, -2, 4]
    assert values["one update short"] == [1, 1, 1]


def test_part_mistakes_worked_by_hand(qtype):
    v = qtype.variant(0, EXAMPLE)
    # (y - y_hat): point 1 (s = 0, y_hat = 0) -> (1, 1, 1); point 2 (s = 2) -> (-1, -3, 3);
    # pass 2, point 1 scores -1 -> (1, -1, 5); pass 3 is clean.
    log = {m.name: m.value for m in _part(qtype, v, "a").mistakes}
    assert log["(y - y_hat) rule"] == [[1, 1, 1, 1], [2, -1, -3, 3], [1, 1, -1, 5]]
    assert _part(qtype, v, "a").answer == [[1, 1, 1, 1], [2, 0, -1, 2]]
    passes = {m.name: m.value for m in _part(qtype, v, "c").mistakes}
    assert passes["clean pass not counted"] == 1 and passes["(y - y_hat) rule"] == 3
    # Final weights (0, -1, 2): scores 1, 4 and 5 at the three points, labels +1, -1, +1.
    check = _part(qtype, v, "d")
    assert check.answer == [1, 4, 5]
    assert {m.name: m.value for m in check.mistakes}["y left out"] == [1, -4, 5]
