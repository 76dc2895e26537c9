"""retrieval.precision_recall: seed 000 Q2a, brute-force counts, AP as area under the PR steps."""

from fractions import Fraction

import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed

ID = "retrieval.precision_recall"
SEEDS = range(300)


def test_seed_000_q2a(qtype):
    relevant = [True, True, False, False, False, True, False, True]
    answer = qtype.solve({"relevant": relevant, "total_relevant": 4})
    assert [round(p, 3) for p in answer["precision"]] == [1, 1, 0.667, 0.5, 0.4, 0.5, 0.429, 0.5]
    assert answer["recall"] == pytest.approx([0.25, 0.5, 0.5, 0.5, 0.5, 0.75, 0.75, 1.0])
    assert answer["average_precision"] == pytest.approx(0.75)


def test_missed_relevant_documents_lower_recall_and_ap(qtype):
    # Same ranking, but the collection has 8 relevant documents: AP halves, recall stops at 0.5.
    answer = qtype.solve({"relevant": [True, True, False, False, False, True, False, True],
                          "total_relevant": 8})
    assert answer["recall"][-1] == pytest.approx(0.5)
    assert answer["average_precision"] == pytest.approx(0.375)


def test_brute_force_slices(variants):
    # Count relevant results in each prefix afresh, with exact fractions.
    for v in variants:
        relevant, total = v.params["relevant"], v.params["total_relevant"]
        for k in range(1, len(relevant) + 1):
            top_k = relevant[:k]
            assert v.answer["precision"][k - 1] == pytest.approx(float(Fraction(top_k.count(True), k)))
            assert v.answer["recall"][k - 1] == pytest.approx(float(Fraction(top_k.count(True), total)))


def test_ap_is_area_under_precision_recall_steps(variants):
    # AP = sum over ranks of precision@k times the change in recall at k.
    for v in variants:
        relevant, total = v.params["relevant"], v.params["total_relevant"]
        area, previous_recall = Fraction(0), Fraction(0)
        for k in range(1, len(relevant) + 1):
            hits = sum(relevant[:k])
            recall = Fraction(hits, total)
            area += Fraction(hits, k) * (recall - previous_recall)
            previous_recall = recall
        assert v.answer["average_precision"] == pytest.approx(float(area))


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        relevant = v.params["relevant"]
        assert qtype.problems(v.params) == []
        assert 6 <= len(relevant) <= 10
        assert all(type(r) is bool for r in relevant)
        assert type(v.params["total_relevant"]) is int
        assert 1 <= sum(relevant) <= v.params["total_relevant"]
        assert set(v.answer) == {"precision", "recall", "average_precision"}
    assert len({(tuple(v.params["relevant"]), v.params["total_relevant"])
                for v in variants[:200]}) >= 150
    # Both cases occur: every relevant document retrieved, and some missed.
    assert any(v.answer["recall"][-1] == 1 for v in variants)
    assert any(v.answer["recall"][-1] < 1 for v in variants)


@pytest.mark.parametrize("bad, reason", [
    ({"relevant": [False, False, False], "total_relevant": 2}, "at least one"),
    ({"relevant": [True, True, False], "total_relevant": 1}, "smaller"),
    ({"relevant": [1, 0, 1], "total_relevant": 2}, "true/false"),
    ({"relevant": [True, False], "total_relevant": 2.5}, "integer"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        assert f.solution.count(r"\finalanswer") == 2
        assert r"\finalanswer" not in f.question
        assert fixed(v.answer["average_precision"], 3) not in f.question
        assert fixed(v.answer["average_precision"], 3) in f.solution


def test_parts_by_brute_force(qtype, variants):
    """The table (P@k row, R@k row) and the AP by counting prefixes afresh, exactly."""
    for v in variants:
        relevant, total = v.params["relevant"], v.params["total_relevant"]
        precision = [Fraction(relevant[:k].count(True), k) for k in range(1, len(relevant) + 1)]
        recall = [Fraction(relevant[:k].count(True), total) for k in range(1, len(relevant) + 1)]
        ap = sum(p for p, r in zip(precision, relevant) if r) / total
        table, average = qtype.parts(v)
        assert (table.kind, average.kind) == ("table", "number")
        assert table.answer == [pytest.approx([float(p) for p in precision]),
                                pytest.approx([float(r) for r in recall])]
        assert average.answer == pytest.approx(float(ap))
        assert table.places == average.places == 3 and qtype.choice_part == average.label
        for mistake in table.mistakes:
            assert [len(row) for row in mistake.value] == [len(relevant)] * 2


def test_carrying_the_rounded_precisions_stays_within_the_tolerance(qtype, variants):
    """Why part (b) accepts no carried value: the AP from the table's three-decimal
    precisions, rounded again, is within one unit of the third decimal -- also for pinned
    rankings of up to 20 results, where 16ths round by exactly half a unit."""
    rankings = [(v.params["relevant"], v.params["total_relevant"]) for v in variants]
    rankings += [([k % 16 == 0 or k < 3 for k in range(1, 21)], 4),
                 ([True] * 20, 20), ([k in (1, 16) for k in range(1, 21)], 2)]
    for relevant, total in rankings:
        v = qtype.variant(0, {"relevant": relevant, "total_relevant": total})
        printed = [float(fixed(p, 3)) for p, r in zip(v.answer["precision"], relevant) if r]
        carried = float(fixed(sum(printed) / total, 3))
        average = qtype.parts(v)[1]
        assert abs(carried - average.answer) <= 1e-3 + 1e-12 and average.accepted == ()
        # The solution's sum is the sum of the printed precisions.
        assert v.work["ap_sum"] == pytest.approx(sum(printed), abs=1e-12)


def test_mistakes_on_seed_000_q2a(qtype):
    # Relevance T, T, F, F, F, T, F, T; precisions at the relevant ranks 1, 1, 1/2, 1/2.
    relevant = [True, True, False, False, False, True, False, True]
    variant = qtype.variant(0, {"relevant": relevant, "total_relevant": 8})
    table, average = qtype.parts(variant)
    values = {m.name: m.value for m in average.mistakes}
    assert variant.answer["average_precision"] == pytest.approx(3 / 8)
    assert values["over retrieved relevant"] == pytest.approx(3 / 4)
    all_ranks = [1, 1, 2 / 3, 2 / 4, 2 / 5, 3 / 6, 3 / 7, 4 / 8]
    assert values["over all ranks"] == pytest.approx(sum(all_ranks) / 8)
    # Recall at the relevant ranks: 1/8, 2/8, 3/8, 4/8.
    assert values["recall for precision"] == pytest.approx((1 + 2 + 3 + 4) / 8 / 8)
    assert values["precision of the list"] == pytest.approx(0.5)
    hits = [1, 2, 2, 2, 2, 3, 3, 4]
    values = {m.name: m.value for m in table.mistakes}
    assert values["rows swapped"][0] == pytest.approx([h / 8 for h in hits])
    assert values["precision over the list"][0] == pytest.approx([h / 8 for h in hits])
    # Four of the eight relevant documents retrieved: recall over 4, not 8.
    assert values["recall over retrieved relevant"][1] == pytest.approx([h / 4 for h in hits])
