"""losses.entropy: exact sympy entropy, the dyadic list by brute force, bits vs nats."""

import itertools
import math
from fractions import Fraction

import pytest
import sympy

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


def test_choice_mistakes_on_a_dyadic_distribution(qtype):
    variant = qtype.variant(0, {"probs": [0.5, 0.25, 0.25]})
    values = {m.name: m.value for m in qtype.mistakes(variant.params, variant.answer)}
    assert qtype.choice_value(variant.answer) == pytest.approx(1.5)
    assert values["nats instead of bits"] == pytest.approx(1.5 * math.log(2))   # 1.040
    assert values["log base 10"] == pytest.approx(1.5 * math.log10(2))         # 0.452
    # Surprisals 1, 2, 2 bits added without their weights.
    assert values["surprisals not weighted"] == pytest.approx(5.0)
    assert values["wrong conversion"] == pytest.approx(1.5 * math.log(2) ** 2)
    assert qtype.format_option(values["nats instead of bits"]) == r"\num{1.040}"
