"""attention.local_window_mask: the seed's window rule, exact fractions, brute force."""

import math
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


def test_parts_are_the_three_asks(qtype, variants):
    for v in variants[:50]:
        parts = qtype.parts(v)
        assert [(p.label, p.kind, p.places, p.weight) for p in parts] == [
            ("a", "vector", None, 1), ("b", "vector", None, 1), ("c", "vector", 4, 2)]
        keys = ("mask", "masked", "renormalised")
        assert [p.answer for p in parts] == [v.answer[k] for k in keys]
    assert qtype.choice_part == "c"


def test_renormalised_part_by_brute_force(qtype, variants):
    # Brute force: every position is kept or not by its distance to P; exact fractions.
    for v in variants:
        p = v.params
        part = qtype.parts(v)[2]
        alpha = [Fraction(repr(x)) for x in p["alpha"]]
        kept = [x for j, x in enumerate(alpha, start=1) if abs(j - p["step"]) <= p["half_width"]]
        expected = [x / sum(kept) if abs(j - p["step"]) <= p["half_width"] else 0
                    for j, x in enumerate(alpha, start=1)]
        assert part.answer == pytest.approx([float(x) for x in expected], rel=1e-12, abs=1e-15)


def _renormalised(weights):
    return [w / sum(weights) for w in weights]


def test_mistakes_per_part_on_seed_003_q11(qtype):
    # M = 6, P = 2, k = 1: window 1..3 holds 0.10, 0.30, 0.20 (sum 0.6).
    variant = qtype.variant(0, EXAMPLE)
    mistakes = {part.label: {m.name: m.value for m in part.mistakes}
                for part in qtype.parts(variant)}
    alpha = EXAMPLE["alpha"]
    assert mistakes["a"] == {"window end excluded": [1, 1, 0, 0, 0, 0],
                             "window one too wide": [1, 1, 1, 1, 0, 0],
                             "window one too narrow": [0, 1, 0, 0, 0, 0]}
    assert mistakes["b"]["window one too wide"] == [0.10, 0.30, 0.20, 0.15, 0, 0]
    c = mistakes["c"]
    assert c["not renormalised"] == [0.10, 0.30, 0.20, 0, 0, 0]
    assert c["window end excluded"] == pytest.approx([0.25, 0.75, 0, 0, 0, 0])   # 1..2
    assert c["window one too wide"] == pytest.approx(_renormalised(alpha[:4]) + [0, 0])
    assert c["window one too narrow"] == pytest.approx([0, 1, 0, 0, 0, 0])
    exps = [math.exp(a) for a in alpha[:3]]
    assert c["softmax in window"] == pytest.approx(_renormalised(exps) + [0, 0, 0])
    # Masked positions at 0 instead of -inf: each still adds e^0 = 1 to the denominator.
    assert c["softmax, zeros kept"] == pytest.approx(_renormalised(exps + [1, 1, 1]))
    assert c["multiplied by the sum"] == pytest.approx([0.06, 0.18, 0.12, 0, 0, 0])
    assert len(c) >= 5
