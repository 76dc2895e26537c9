"""perceptron.xor_features: XOR-like data, a Gordan certificate and an explicit separator.

Seeds 001 Q1 and 002 Q3 argue that XOR defeats a perceptron; 002's own three-point
table is in fact linearly separable (checked below), so the type uses four points.
"""

import itertools
import json

import numpy as np
import pytest

from qbank.render.documents import render_fragments

ID = "perceptron.xor_features"
UNIT_SQUARE = [[0, 0], [1, 0], [0, 1], [1, 1]]
XOR = {"points": UNIT_SQUARE, "labels": [0, 1, 1, 0], "feature": "product"}


@pytest.fixture(scope="module")
def variants(qtype):
    return [qtype.draw(seed) for seed in range(300)]


def feature(name, x1, x2):
    """The feature as the question states it, written out again here."""
    return {"product": x1 * x2, "squared_difference": (x1 - x2) * (x1 - x2)}[name]


def linear_separator(points, labels, limit=4):
    """Brute force: integer (w0, w1, w2) with sign(w0 + w1 x1 + w2 x2) matching every label."""
    for w in itertools.product(range(-limit, limit + 1), repeat=3):
        if all((w[0] + w[1] * x1 + w[2] * x2 > 0) == (z == 1) for (x1, x2), z in zip(points, labels)):
            return w
    return None


def gordan_certificate(points, labels):
    """Non-negative integer multipliers, not all zero, with sum lambda_i y_i (1, x1, x2) = 0.

    If they exist, no w has y_i w.x_i > 0 for every i (Gordan's theorem): the data is
    not linearly separable, whatever the weights.
    """
    signs = [1 if z == 1 else -1 for z in labels]
    for lambdas in itertools.product(range(3), repeat=len(points)):
        if any(lambdas) and all(
                sum(l * y * x for l, y, x in zip(lambdas, signs, column)) == 0
                for column in ([1] * len(points), [p[0] for p in points], [p[1] for p in points])):
            return lambdas
    return None


def test_classic_xor_weights(qtype):
    answer = qtype.solve(XOR)
    # -(2x1 - 1)(2x2 - 1): the textbook XOR separator with the product feature.
    assert (answer["bias"], answer["weights"]) == (-1, [2, 2, -4])
    assert answer["scores"] == [-1, 1, 1, -1]
    assert answer["feature_table"] == [[1, 0, 0, 0], [1, 1, 0, 0], [1, 0, 1, 0], [1, 1, 1, 1]]
    assert answer["linearly_separable"] is False


def test_xor_with_squared_difference(qtype):
    answer = qtype.solve({**XOR, "feature": "squared_difference"})
    assert (answer["bias"], answer["weights"]) == (-1, [0, 0, 2])
    assert answer["predictions"] == XOR["labels"]


def test_seed_002_table_is_separable_and_rejected(qtype):
    # The seed's (x1, x2) -> z: (0,0) -> 1, (1,1) -> 1, (1,0) -> 0. Not XOR-like at all.
    points, labels = [[0, 0], [1, 1], [1, 0]], [1, 1, 0]
    assert linear_separator(points, labels) is not None
    assert gordan_certificate(points, labels) is None
    assert qtype.problems({"points": points, "labels": labels, "feature": "product"})
    # The seed's feature (2x1 - 1)^2 is 1 on every point of {0, 1}^2: it adds nothing.
    assert {(2 * x1 - 1) ** 2 for x1, _ in points} == {1}


def test_not_linearly_separable(variants):
    for v in variants:
        points, labels = v.params["points"], v.params["labels"]
        assert gordan_certificate(points, labels) is not None
        assert linear_separator(points, labels) is None
        assert v.answer["linearly_separable"] is False


def test_weights_separate_every_point(variants):
    for v in variants:
        p = v.params
        inputs = np.array([[1, x1, x2, feature(p["feature"], x1, x2)] for x1, x2 in p["points"]])
        weights = np.array([v.answer["bias"], *v.answer["weights"]])
        scores = inputs @ weights
        assert inputs.tolist() == v.answer["feature_table"]
        assert scores.tolist() == v.answer["scores"]
        assert all(s != 0 for s in scores)
        assert [int(s > 0) for s in scores] == p["labels"] == v.answer["predictions"]
        assert all(isinstance(w, int) for w in weights.tolist())


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        assert len({tuple(q) for q in p["points"]}) == 4 and sorted(p["labels"]) == [0, 0, 1, 1]
        assert all(type(c) is int and 0 <= c <= 4 for q in p["points"] for c in q)
        assert json.loads(v.dumps())["answer"] == v.answer
    assert len({json.dumps(v.params) for v in variants[:200]}) >= 150
    assert {v.params["feature"] for v in variants} == {"product", "squared_difference"}


@pytest.mark.parametrize("bad, reason", [
    ({"points": UNIT_SQUARE[:3], "labels": [0, 1, 1]}, "four"),
    ({"points": [[0, 0], [1, 0], [0, 1], [2, 2]]}, "rectangle"),
    ({"labels": [0, 0, 1, 1]}, "XOR"),
    ({"labels": [0, 1, 1, 2]}, "0 or 1"),
    ({"feature": "sum"}, "feature"),
    ({"points": [[0, 1], [1, 1], [0, 2], [1, 2]], "feature": "squared_difference"}, "diagonal"),
    ({"points": [[0, 0], [True, 0], [0, 1], [1, 1]]}, "whole"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems({**XOR, **bad})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:30]:
        f = render_fragments(v)
        # Only part (b) has one right value; (a) and (c) are marked by their rubrics.
        assert f.solution.count(r"\finalanswer") == 1 and r"\finalanswer" not in f.question
        assert f.solution.count("Marking rubric") == 2
        assert "yes" in f.solution and r"\text{point }" in f.solution
        assert "Correct?" not in f.question and "w_0 =" not in f.question
        assert f"$w_0 = {v.answer['bias']}$" in f.solution


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_feature_part_is_the_feature_as_the_question_states_it(qtype, variants):
    for v in variants:
        parts = _parts(qtype, v)
        assert [(p.kind, p.weight) for p in parts.values()] == [("free", 2), ("vector", 1),
                                                                 ("free", 2)]
        assert parts["b"].answer == [feature(v.params["feature"], x1, x2)
                                     for x1, x2 in v.params["points"]]


def test_model_proof_adds_the_points_of_each_label(qtype, variants):
    # The contradiction of part (a): the two points of each label add up to the same
    # (2, sum of x1, sum of x2), so the inequalities of the two labels add to one form.
    for v in variants:
        points, labels = np.array(v.params["points"]), np.array(v.params["labels"])
        positive, negative = points[labels == 1].sum(axis=0), points[labels == 0].sum(axis=0)
        assert positive.tolist() == negative.tolist()
        x1, x2 = positive.tolist()
        form = f"2w_0 {'-' if x1 < 0 else '+'} {abs(x1)}\\,w_1 {'-' if x2 < 0 else '+'} {abs(x2)}\\,w_2"
        assert f"${form} > 0$" in _parts(qtype, v)["a"].model_answer
