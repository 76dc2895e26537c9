"""regularization.dropout: worked example, enumeration of dropout masks, exact expectations."""

import itertools
import math
from fractions import Fraction

import pytest

from qbank.render.documents import render_fragments
from qbank.render.filters import num

ID = "regularization.dropout"
SEEDS = range(300)


def test_worked_example(qtype):
    # Seed 003 Q1c describes dropout as a weight-sharing ensemble (no numbers); by hand:
    # p = 0.8 on 4 + 3 hidden units.
    answer = qtype.solve({"keep_prob": 0.8, "hidden": [4, 3], "activation": 1.2})
    assert answer == {"scale": 1.25, "scaled_activation": 1.5,
                      "expected_active_per_layer": [3.2, 2.4],
                      "expected_active": 5.6, "subnetworks": 128}


def test_exact_decimals(qtype):
    # 1.2 / 0.8 in floats is 1.4999999999999998 and 0.9 * 7 is 6.300000000000001.
    answer = qtype.solve({"keep_prob": 0.9, "hidden": [7], "activation": 0.9})
    assert answer["expected_active"] == 6.3 and answer["scaled_activation"] == 1.0


def _expected_active_by_binomial(p, units):
    """sum_k k C(N, k) p^k (1 - p)^(N - k), exactly."""
    return sum(k * math.comb(units, k) * p ** k * (1 - p) ** (units - k) for k in range(units + 1))


def test_exact_expectations(variants):
    for v in variants:
        p = Fraction(str(v.params["keep_prob"]))
        per_layer = [_expected_active_by_binomial(p, n) for n in v.params["hidden"]]
        assert v.answer["expected_active_per_layer"] == [float(e) for e in per_layer]
        total = _expected_active_by_binomial(p, sum(v.params["hidden"]))
        assert v.answer["expected_active"] == float(total)
        # Inverted dropout keeps the expected output equal to the activation:
        # p * (a * scale) + (1 - p) * 0 = a.
        a = Fraction(str(v.params["activation"]))
        assert p * Fraction(str(v.answer["scale"])) * a == pytest.approx(a, rel=1e-12)
        assert v.answer["scaled_activation"] == pytest.approx(float(a / p), rel=1e-15)


def test_subnetworks_by_enumerating_masks(variants):
    small = [v for v in variants if sum(v.params["hidden"]) <= 12]
    assert len(small) > 50
    for v in small:
        masks = set(itertools.product((0, 1), repeat=sum(v.params["hidden"])))
        assert v.answer["subnetworks"] == len(masks)
        # Mean number of kept units over all masks, weighted by their probability.
        p = Fraction(str(v.params["keep_prob"]))
        mean = sum(p ** sum(m) * (1 - p) ** (len(m) - sum(m)) * sum(m) for m in masks)
        assert float(mean) == v.answer["expected_active"]


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        assert set(p) == {"keep_prob", "hidden", "activation"}
        assert set(v.answer) == {"scale", "scaled_activation", "expected_active_per_layer",
                                 "expected_active", "subnetworks"}
        assert p["keep_prob"] in (0.5, 0.8, 0.9)
        assert 1 <= len(p["hidden"]) <= 3 and all(2 <= n <= 8 for n in p["hidden"])
        assert sum(p["hidden"]) <= 20 and type(v.answer["subnetworks"]) is int
        assert 0.1 <= p["activation"] <= 3 and (10 * p["activation"]) == round(10 * p["activation"])
    assert len({str(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("change, reason", [
    ({"keep_prob": 0}, "keep_prob must be a probability"),
    ({"keep_prob": 1.5}, "keep_prob must be a probability"),
    ({"hidden": [3, 0]}, "hidden must be a non-empty list"),
    ({"hidden": [True]}, "hidden must be a non-empty list"),
    ({"hidden": []}, "hidden must be a non-empty list"),
    ({"hidden": [40, 30]}, "at most 64"),
    ({"activation": "x"}, "activation must be a number"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    found = qtype.problems({"keep_prob": 0.8, "hidden": [4, 3], "activation": 1.2, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        count = num(v.answer["subnetworks"])
        assert count not in f.question and count in f.solution
        if len(v.params["hidden"]) > 1:
            assert "the sum over the layers" in f.solution


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_parts_by_enumeration_and_exact_fractions(qtype, variants):
    # Every checked part from the definitions: 1/p and a/p as fractions of the decimals
    # read as written, expectations by the binomial sum, the count by enumerating masks.
    for v in variants:
        parts = _parts(qtype, v)
        assert [(q.label, q.kind, q.places) for q in parts.values()] == [
            ("a", "number", 3), ("b", "number", 3), ("c", "free", None), ("d", "vector", None),
            ("e", "number", None), ("f", "number", None)]
        p, a = Fraction(str(v.params["keep_prob"])), Fraction(str(v.params["activation"]))
        assert parts["a"].answer == pytest.approx(float(1 / p), rel=1e-15)
        assert parts["b"].answer == pytest.approx(float(a / p), rel=1e-15)
        assert parts["d"].answer == [float(_expected_active_by_binomial(p, n))
                                     for n in v.params["hidden"]]
        assert parts["e"].answer == float(_expected_active_by_binomial(p, sum(v.params["hidden"])))
        if sum(v.params["hidden"]) <= 12:
            masks = itertools.product((0, 1), repeat=sum(v.params["hidden"]))
            assert parts["f"].answer == sum(1 for _ in masks)
        assert sum(line.points for line in parts["c"].rubric) == parts["c"].weight


def test_scale_and_expectation_mistakes(qtype):
    v = qtype.variant(0, {"keep_prob": 0.8, "hidden": [4, 3], "activation": 1.2})
    parts = _parts(qtype, v)
    scale = {m.name: m.value for m in parts["a"].mistakes}
    assert scale["times p"] == 0.8 and scale["drop probability"] == pytest.approx(5.0)
    passed = {m.name: m.value for m in parts["b"].mistakes}
    assert passed["times p"] == pytest.approx(0.96) and passed["unscaled"] == 1.2
    per_layer = {m.name: m.value for m in parts["d"].mistakes}
    assert per_layer["dropped counted"] == pytest.approx([0.8, 0.6])
    total = {m.name: m.value for m in parts["e"].mistakes}
    assert total["dropped counted"] == pytest.approx(1.4) and total["one layer"] == pytest.approx(3.2)
    # p = 1 keeps every unit: no "divide by 1 - p" slip to model.
    v = qtype.variant(0, {"keep_prob": 1.0, "hidden": [4], "activation": 1.2})
    assert "drop probability" not in {m.name for m in _parts(qtype, v)["a"].mistakes}


def test_choice_mistakes_are_the_modelled_slips(qtype):
    # Docstring example: hidden [4, 3], 2^7 = 128 thinned networks.
    v = qtype.variant(0, {"keep_prob": 0.8, "hidden": [4, 3], "activation": 1.2})
    part = _parts(qtype, v)[qtype.choice_part]
    assert part.label == "f" and part.answer == 128
    values = {m.name: m.value for m in part.mistakes}
    assert values["2^layers"] == 4
    assert values["layers added"] == 16 + 8
    assert values["empty network excluded"] == 127
    assert values["kept counts"] == 5 * 4
