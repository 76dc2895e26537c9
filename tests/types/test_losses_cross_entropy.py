"""losses.cross_entropy: seed 004 Q9, exact products of hundredths, one-hot sums."""

import math
from fractions import Fraction

import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed, grouped

ID = "losses.cross_entropy"
SEEDS = range(300)


def test_seed_004_q9(qtype):
    answer = qtype.solve({"probs": [[0.8, 0.1, 0.1], [0.3, 0.3, 0.4]], "labels": [0, 1]})
    # -ln 0.8 - ln 0.3 = -ln 0.24 = ln(1/0.24) = 1.427; the student's "log(25)" = 3.219 is wrong.
    assert round(answer["total"], 3) == 1.427
    assert answer["total"] == pytest.approx(math.log(1 / 0.24), rel=1e-12)
    assert answer["total"] != pytest.approx(math.log(25), rel=1e-3)
    assert [round(x, 4) for x in answer["per_sample"]] == [0.2231, 1.2040]
    assert round(answer["mean"], 4) == 0.7136


def _hundredths(p):
    return Fraction(round(p * 100), 100)


def test_total_is_minus_log_of_the_exact_product(variants):
    # One logarithm of the exact product of the true-class probabilities, not a sum of logs.
    for v in variants:
        product = math.prod(_hundredths(row[label])
                            for row, label in zip(v.params["probs"], v.params["labels"]))
        assert v.answer["total"] == pytest.approx(-math.log(product), rel=1e-12)
        assert v.answer["mean"] == pytest.approx(-math.log(product) / len(v.params["labels"]),
                                                 rel=1e-12)


def test_per_sample_is_the_full_one_hot_sum(variants):
    for v in variants:
        for row, label, loss in zip(v.params["probs"], v.params["labels"], v.answer["per_sample"]):
            target = [1.0 if c == label else 0.0 for c in range(len(row))]
            full = -sum(t * math.log(p) for t, p in zip(target, row))
            assert loss == pytest.approx(full, rel=1e-12)
            # The loss is small exactly when the true class gets the largest probability share.
            assert (loss < math.log(2)) == (row[label] > 0.5)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        probs, labels = v.params["probs"], v.params["labels"]
        assert qtype.problems(v.params) == [] and set(v.params) == {"probs", "labels"}
        assert 2 <= len(probs) <= 4 and len(labels) == len(probs)
        assert len({len(row) for row in probs}) == 1 and len(probs[0]) in (3, 4)
        for row in probs:
            assert all(type(p) is float for p in row)
            # Whole hundredths of at least 0.05 that add up to exactly 1.
            assert all(abs(p * 100 - round(p * 100)) < 1e-9 and p >= 0.05 for p in row)
            assert sum(_hundredths(p) for p in row) == 1
        assert all(type(label) is int and 0 <= label < len(probs[0]) for label in labels)
    assert len({str(v.params) for v in variants[:200]}) >= 150
    # Batches mix correct predictions (true class most probable) with mistakes.
    rows = [pair for v in variants for pair in zip(v.params["probs"], v.params["labels"])]
    correct = sum(row[label] == max(row) for row, label in rows) / len(rows)
    assert 0.55 <= correct <= 0.85


@pytest.mark.parametrize("bad, reason", [
    ({"probs": [[0.5, 0.4, 0.2]], "labels": [0]}, "sum to 1"),
    ({"probs": [[0.5, 0.5, 0.0]], "labels": [2]}, "infinite"),
    ({"probs": [[0.5, 0.5], [0.2, 0.3, 0.5]], "labels": [0, 1]}, "same number"),
    ({"probs": [[0.5, 0.5]], "labels": [2]}, "class index"),
    ({"probs": [[0.5, 0.5]], "labels": [True]}, "class index"),
    ({"probs": [[0.5, 0.5]], "labels": [0, 1]}, "one class index per row"),
    ({"probs": [[1.5, -0.5]], "labels": [0]}, "between 0 and 1"),
    ({"probs": [], "labels": []}, "1 to 8 rows"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        total, mean = fixed(v.answer["total"], 3), fixed(v.answer["mean"], 3)
        assert f"{{{total}}}" not in f.question and f"{{{mean}}}" not in f.question
        assert f"{{{total}}}" in f.solution and f"{{{mean}}}" in f.solution
        assert all(f"{{{fixed(p, 2)}}}" in f.question for row in v.params["probs"] for p in row)
        # The product of the true-class probabilities is written out factor by factor.
        pairs = zip(v.params["probs"], v.params["labels"])
        product = r" \times ".join(f"\\num{{{grouped(str(fixed(row[label], 2)))}}}" for row, label in pairs)
        assert product in f.solution


def test_pinned_three_decimal_probabilities_are_not_rounded_away(qtype):
    f = render_fragments(qtype.variant(0, {"probs": [[0.333, 0.333, 0.334]], "labels": [2]}))
    assert r"\num{0.334}" in f.question and r"\num{0.33}" not in f.question


def test_choice_mistakes_on_seed_004_q9(qtype):
    variant = qtype.variant(0, {"probs": [[0.8, 0.1, 0.1], [0.3, 0.3, 0.4]], "labels": [0, 1]})
    values = {m.name: m.value for m in qtype.mistakes(variant.params, variant.answer)}
    assert qtype.choice_value(variant.answer) == pytest.approx(-math.log(0.24) / 2)
    # Summing instead of averaging: the total -ln 0.24 = 1.427.
    assert values["total instead of mean"] == pytest.approx(1.4271163556401458)
    assert values["log base 10"] == pytest.approx(-math.log10(0.24) / 2)
    # Sample 2 predicts class 2 (0.4), not its true class 1 (0.3).
    assert values["predicted class"] == pytest.approx(-math.log(0.8 * 0.4) / 2)
    assert values["binary per class"] == pytest.approx(
        -(math.log(0.8) + 2 * math.log(0.9) + math.log(0.3) + math.log(0.7) + math.log(0.6)) / 2)
    assert qtype.format_option(values["total instead of mean"]) == r"\num{1.427}"
