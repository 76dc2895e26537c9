"""losses.entropy: exact sympy entropy, the dyadic list by brute force, bits vs nats."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy

from qbank.checker.expected import check_data
from qbank.checker.verdict import judge
from qbank.choice import option_tex
from qbank.parts import part_tolerance
from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed
from qbank.types.losses.entropy import DYADIC

ID = "losses.entropy"
SEEDS = range(300)


def test_dyadic_example_and_uniform(qtype):
    # Seed 004 Q6 only defines H = -sum p log p; 1/2, 1/4, 1/4 is the textbook 1.5 bits.
    answer = qtype.solve({"probs": [0.5, 0.25, 0.25]})
    assert answer["entropy_bits"] == 1.5
    assert answer["entropy_nats"] == pytest.approx(1.0397207708, rel=1e-9)
    assert qtype.solve({"probs": [0.25] * 4})["entropy_bits"] == 2.0
    # A zero probability contributes nothing (0 log 0 = 0).
    assert qtype.solve({"probs": [0.5, 0.5, 0.0]})["entropy_bits"] == 1.0


def test_dyadic_list_is_complete():
    # Every way to split 1 into 3--5 powers of 1/2 no smaller than 1/16.
    found = {combo for parts in (3, 4, 5)
             for combo in itertools.combinations_with_replacement(range(1, 5), parts)
             if sum(Fraction(1, 2 ** e) for e in combo) == 1}
    assert found == {tuple(sorted(d)) for d in DYADIC}


def test_exact_sympy_entropy(variants):
    for v in variants:
        probs = [sympy.nsimplify(p) for p in v.params["probs"]]
        assert sum(probs) == 1
        bits = -sum(p * sympy.log(p, 2) for p in probs if p != 0)
        nats = -sum(p * sympy.log(p) for p in probs if p != 0)
        assert v.answer["entropy_bits"] == pytest.approx(float(sympy.N(bits, 30)), rel=1e-12)
        assert v.answer["entropy_nats"] == pytest.approx(float(sympy.N(nats, 30)), rel=1e-12)


def test_units_and_bounds(variants):
    for v in variants:
        bits, nats = v.answer["entropy_bits"], v.answer["entropy_nats"]
        assert nats == pytest.approx(bits * math.log(2), rel=1e-12)
        assert 0 < bits <= math.log2(len(v.params["probs"])) + 1e-12


def test_well_posed_and_varied(qtype, variants):
    dyadic = 0
    for v in variants:
        probs = v.params["probs"]
        assert qtype.problems(v.params) == [] and set(v.params) == {"probs"}
        assert 3 <= len(probs) <= 5 and all(type(p) is float for p in probs)
        if all(math.log2(p).is_integer() for p in probs):
            dyadic += 1
            assert min(probs) >= 1 / 16
        else:
            assert all(abs(p * 100 - round(p * 100)) < 1e-9 and p >= 0.05 for p in probs)
            assert sum(Fraction(round(p * 100), 100) for p in probs) == 1
    assert 50 <= dyadic <= 150
    assert len({tuple(v.params["probs"]) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("bad, reason", [
    ({"probs": [0.5, 0.4]}, "sum to 1"),
    ({"probs": [1.2, -0.2]}, "between 0 and 1"),
    ({"probs": [1.0]}, "2 to 8"),
    ({"probs": [0.5, "0.5"]}, "between 0 and 1"),
    ({"probs": 0.5}, "2 to 8"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        bits, nats = fixed(v.answer["entropy_bits"], 3), fixed(v.answer["entropy_nats"], 3)
        assert f"{{{bits}}}" not in f.question and f"{{{nats}}}" not in f.question
        assert f"{{{bits}}}" in f.solution and f"{{{nats}}}" in f.solution


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def _three(x):
    return float(f"{x:.3f}")


def test_parts_ask_bits_then_nats(qtype, variants):
    for v in variants[:60]:
        parts = _parts(qtype, v)
        assert [(p.label, p.kind, p.places, p.weight) for p in parts.values()] == [
            ("a", "number", 3, 2), ("b", "number", 3, 1)]
        # Independently: numpy, and bits by the change of base from nats.
        probs = np.array([p for p in v.params["probs"] if p > 0])
        nats = float(-(probs * np.log(probs)).sum())
        assert parts["a"].answer == pytest.approx(nats / math.log(2), rel=1e-12)
        assert parts["b"].answer == pytest.approx(nats, rel=1e-12)
    assert qtype.choice_part == "a"


def _outside(part, typed):
    tolerance = part_tolerance(part)
    return abs(typed - part.answer) > max(tolerance.absolute, tolerance.relative * abs(part.answer))


def test_carried_entropies_come_from_the_rounded_terms(qtype, variants):
    outside = 0
    for v in variants:
        parts = _parts(qtype, v)
        probs = [p for p in v.params["probs"] if p > 0]
        bits = sum(_three(-p * math.log2(p)) for p in probs)
        nats = sum(_three(-p * math.log(p)) for p in probs)
        assert parts["a"].accepted == pytest.approx((bits,), abs=1e-12)
        assert parts["b"].accepted == pytest.approx((nats,), abs=1e-12)
        data = {p["label"]: p for p in check_data(v)["parts"]}
        assert judge(data["a"], f"{bits:.3f}").is_right and judge(data["b"], f"{nats:.3f}").is_right
        # Nats from the rounded bits stay within the tolerance without being accepted.
        assert judge(data["b"], f"{_three(v.answer['entropy_bits']) * math.log(2):.3f}").is_right
        outside += _outside(parts["a"], _three(bits)) + _outside(parts["b"], _three(nats))
    # Adding the rounded terms really does leave the tolerance now and then.
    assert outside > 0


def test_mistakes_on_a_dyadic_distribution(qtype):
    variant = qtype.variant(0, {"probs": [0.5, 0.25, 0.25]})
    parts = _parts(qtype, variant)
    bits = {m.name: m.value for m in parts["a"].mistakes}
    assert parts["a"].answer == pytest.approx(1.5)
    assert bits["nats instead of bits"] == pytest.approx(1.5 * math.log(2))   # 1.040
    assert bits["log base 10"] == pytest.approx(1.5 * math.log10(2))         # 0.452
    # Surprisals 1, 2, 2 bits added without their weights.
    assert bits["surprisals not weighted"] == pytest.approx(5.0)
    assert bits["wrong conversion"] == pytest.approx(1.5 * math.log(2) ** 2)
    assert option_tex(parts["a"], bits["nats instead of bits"]) == r"\num{1.040}"
    nats = {m.name: m.value for m in parts["b"].mistakes}
    assert nats["bits instead of nats"] == pytest.approx(1.5)
    assert nats["wrong conversion"] == pytest.approx(1.5 / math.log(2))
    assert nats["surprisals not weighted"] == pytest.approx(5 * math.log(2))
    assert nats["plain average"] == pytest.approx(5 * math.log(2) / 3)
