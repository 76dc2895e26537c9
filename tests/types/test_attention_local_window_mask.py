"""attention.local_window_mask: the seed's window rule, exact fractions, brute force."""

from fractions import Fraction

import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed

ID = "attention.local_window_mask"
SEEDS = range(300)
EXAMPLE = {"source_length": 6, "step": 2, "half_width": 1,
           "alpha": [0.10, 0.30, 0.20, 0.15, 0.15, 0.10]}


def test_worked_example(qtype):
    # Seed 003 Q11: mask_P is 1 exactly at P - k..P + k; here positions 1..3.
    a = qtype.solve(EXAMPLE)
    assert a["mask"] == [1, 1, 1, 0, 0, 0]
    assert a["masked"] == [0.10, 0.30, 0.20, 0.0, 0.0, 0.0]
    assert a["renormalised"] == pytest.approx([1 / 6, 1 / 2, 1 / 3, 0, 0, 0])


def test_window_is_clipped_at_both_ends(qtype):
    assert qtype.solve({**EXAMPLE, "step": 1, "half_width": 2})["mask"] == [1, 1, 1, 0, 0, 0]
    assert qtype.solve({**EXAMPLE, "step": 6, "half_width": 1})["mask"] == [0, 0, 0, 0, 1, 1]


def test_exact_fraction_route(variants):
    for v in variants:
        p, a = v.params, v.answer
        # Distance to the decoder step, not the window's end points.
        keep = [abs(j - p["step"]) <= p["half_width"] for j in range(1, p["source_length"] + 1)]
        alpha = [Fraction(repr(x)) for x in p["alpha"]]
        kept = [x if k else Fraction(0) for x, k in zip(alpha, keep)]
        total = sum(kept)
        assert a["mask"] == [int(k) for k in keep]
        assert [Fraction(repr(x)) for x in a["masked"]] == kept
        assert a["renormalised"] == pytest.approx([float(x / total) for x in kept], rel=1e-12)


def test_well_posed_and_varied(qtype, variants):
    clipped = 0
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        assert 6 <= p["source_length"] <= 10 and 1 <= p["step"] <= p["source_length"]
        assert p["half_width"] in (1, 2) and len(p["alpha"]) == p["source_length"]
        hundredths = [Fraction(repr(x)) * 100 for x in p["alpha"]]
        assert all(h.denominator == 1 and h >= 1 for h in hundredths) and sum(hundredths) == 100
        assert sum(v.answer["renormalised"]) == pytest.approx(1.0)
        clipped += sum(v.answer["mask"]) < 2 * p["half_width"] + 1
    assert 0 < clipped < len(variants)
    assert len({repr(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("change, reason", [
    ({"step": 7}, "outside"),
    ({"half_width": -1}, "half_width"),
    ({"alpha": [0.5, 0.5]}, "list of 6"),
    ({"alpha": [0.2] * 6}, "sum to 1"),
    ({"alpha": [0, 0, 0, 0.5, 0.5, 0]}, "zero"),
    ({"source_length": 6.0}, "source_length"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    found = qtype.problems({**EXAMPLE, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        renormalised = [fixed(x, 4) for x in v.answer["renormalised"] if x]
        assert all(x in f.solution for x in renormalised)
        assert not any(x in f.question for x in renormalised)


def test_choice_mistakes_on_seed_003_q11(qtype):
    # Window 1..3 holds 0.10, 0.30, 0.20 (sum 0.6): the largest renormalised weight is 0.5.
    variant = qtype.variant(0, {"source_length": 6, "step": 2, "half_width": 1,
                                "alpha": [0.10, 0.30, 0.20, 0.15, 0.15, 0.10]})
    values = {m.name: m.value for m in qtype.mistakes(variant.params, variant.answer)}
    assert qtype.choice_value(variant.answer) == pytest.approx(0.5)
    assert values["not renormalised"] == pytest.approx(0.30)
    assert values["window end excluded"] == pytest.approx(0.30 / 0.40)   # positions 1..2
    assert values["window one too wide"] == pytest.approx(0.30 / 0.75)   # positions 1..4
