"""losses.cross_entropy: seed 004 Q9, exact products of hundredths, one-hot sums."""

import math
from fractions import Fraction

import numpy as np
import pytest

from qbank.checker.expected import check_data
from qbank.checker.verdict import judge
from qbank.choice import option_tex
from qbank.parts import part_tolerance
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


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def _three(x):
    # Python's own formatting, not qbank's half-up rounding: the two differ only on exact ties.
    return float(f"{x:.3f}")


def test_parts_ask_per_sample_total_and_mean(qtype, variants):
    for v in variants[:60]:
        parts = _parts(qtype, v)
        assert [(p.label, p.kind, p.places, p.weight) for p in parts.values()] == [
            ("a", "vector", 3, 2), ("b", "number", 3, 1), ("c", "number", 3, 1)]
        # Independently: numpy's logs of the true-class probabilities.
        probs = np.array(v.params["probs"])
        losses = -np.log(probs[np.arange(len(probs)), v.params["labels"]])
        assert parts["a"].answer == pytest.approx(losses.tolist(), rel=1e-12)
        assert parts["b"].answer == pytest.approx(losses.sum(), rel=1e-12)
        assert parts["c"].answer == pytest.approx(losses.mean(), rel=1e-12)
        assert qtype.choice_part == "c"


def _outside(part, typed):
    tolerance = part_tolerance(part)
    return abs(typed - part.answer) > max(tolerance.absolute, tolerance.relative * abs(part.answer))


def test_carried_total_comes_from_the_rounded_losses(qtype, variants):
    for v in variants:
        parts = _parts(qtype, v)
        probs, labels = v.params["probs"], v.params["labels"]
        written = [_three(-math.log(row[label])) for row, label in zip(probs, labels)]
        (total,) = parts["b"].accepted
        assert total == pytest.approx(sum(written), abs=1e-12)
        data = {p["label"]: p for p in check_data(v)["parts"]}
        assert judge(data["b"], f"{total:.3f}").is_right
        # The mean from the carried total stays within the mean's own tolerance.
        assert parts["c"].accepted == ()
        assert judge(data["c"], f"{total / len(written):.3f}").is_right


def test_carried_total_is_needed_when_the_roundings_add_up(qtype):
    # -ln 0.66 = 0.41552, -ln 0.72 = 0.32850, -ln 0.85 = 0.16252, -ln 0.89 = 0.11653: each
    # rounds up by about 0.0005, so the written losses add to 1.025 against a total of 1.023.
    variant = qtype.variant(0, {"probs": [[0.66, 0.17, 0.17], [0.72, 0.14, 0.14],
                                          [0.85, 0.10, 0.05], [0.89, 0.06, 0.05]],
                                "labels": [0, 0, 0, 0]})
    total = _parts(qtype, variant)["b"]
    assert _three(total.answer) == 1.023 and total.accepted == pytest.approx((1.025,))
    assert _outside(total, 1.025)
    data = {p["label"]: p for p in check_data(variant)["parts"]}
    assert judge(data["b"], "1.025").is_right and not judge(data["b"], "1.027").is_right


def test_mistakes_on_seed_004_q9(qtype):
    variant = qtype.variant(0, {"probs": [[0.8, 0.1, 0.1], [0.3, 0.3, 0.4]], "labels": [0, 1]})
    parts = _parts(qtype, variant)
    mean = {m.name: m.value for m in parts["c"].mistakes}
    assert parts["c"].answer == pytest.approx(-math.log(0.24) / 2)
    # Summing instead of averaging: the total -ln 0.24 = 1.427.
    assert mean["total instead of mean"] == pytest.approx(-math.log(0.24))
    assert mean["log base 10"] == pytest.approx(-math.log10(0.24) / 2)
    # Sample 2 predicts class 2 (0.4), not its true class 1 (0.3).
    assert mean["predicted class"] == pytest.approx(-math.log(0.8 * 0.4) / 2)
    assert mean["binary per class"] == pytest.approx(
        -(math.log(0.8) + 2 * math.log(0.9) + math.log(0.3) + math.log(0.7) + math.log(0.6)) / 2)
    # The same slips in the per-sample losses and the total, in their shapes.
    per_sample = {m.name: m.value for m in parts["a"].mistakes}
    assert per_sample["predicted class"] == pytest.approx([-math.log(0.8), -math.log(0.4)])
    assert per_sample["no minus sign"] == pytest.approx([math.log(0.8), math.log(0.3)])
    total = {m.name: m.value for m in parts["b"].mistakes}
    assert total["mean instead of total"] == pytest.approx(-math.log(0.24) / 2)
    assert total["log base 2"] == pytest.approx(-math.log2(0.24))
    assert option_tex(parts["c"], mean["total instead of mean"]) == r"\num{1.427}"
