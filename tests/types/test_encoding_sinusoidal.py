"""encoding.sinusoidal: worked example, exact sympy route and the rotation property."""

import math

import numpy as np
import pytest
import sympy

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed

ID = "encoding.sinusoidal"
SEEDS = range(300)


def test_position_one_d_model_four(qtype):
    # Seed 001 Q3 states PE(pos, 2i) = sin(pos / 10000^(2i/d)); denominators 1 and 100.
    vector = qtype.solve({"pos": 1, "d_model": 4})["vector"]
    assert [round(x, 4) for x in vector] == [0.8415, 0.5403, 0.0100, 1.0000]


def test_position_zero_is_all_sines_zero(qtype):
    assert qtype.solve({"pos": 0, "d_model": 6})["vector"] == [0.0, 1.0] * 3


def test_exact_sympy_route(variants):
    for v in variants:
        pos, d = v.params["pos"], v.params["d_model"]
        expected = []
        for i in range(d // 2):
            angle = sympy.Integer(pos) / sympy.Integer(10000) ** sympy.Rational(2 * i, d)
            expected += [float(sympy.N(sympy.sin(angle), 30)), float(sympy.N(sympy.cos(angle), 30))]
        assert v.answer["vector"] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_shift_is_a_rotation(qtype, variants):
    # PE(pos + 1) is PE(pos) rotated pair by pair by the angle of PE(1): a property of
    # the encoding, not of the formula used to compute it.
    for v in variants[:100]:
        d = v.params["d_model"]
        here = v.answer["vector"]
        step = qtype.solve({"pos": 1, "d_model": d})["vector"]
        after = qtype.solve({"pos": v.params["pos"] + 1, "d_model": d})["vector"]
        for i in range(0, d, 2):
            sin_a, cos_a, sin_b, cos_b = here[i], here[i + 1], step[i], step[i + 1]
            assert after[i] == pytest.approx(sin_a * cos_b + cos_a * sin_b, abs=1e-12)
            assert after[i + 1] == pytest.approx(cos_a * cos_b - sin_a * sin_b, abs=1e-12)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        assert qtype.problems(v.params) == []
        assert 1 <= v.params["pos"] <= 50 and v.params["d_model"] in (4, 6, 8)
        assert len(v.answer["vector"]) == v.params["d_model"]
    distinct = {(v.params["pos"], v.params["d_model"]) for v in variants[:200]}
    # 150 possible sets (documented); seeds 0..199 give 120 distinct.
    assert len(distinct) >= qtype.variety == 100
    assert {d for _, d in distinct} == {4, 6, 8}


@pytest.mark.parametrize("bad, reason", [
    ({"pos": 3, "d_model": 5}, "even"),
    ({"pos": -1, "d_model": 4}, "pos"),
    ({"pos": 3, "d_model": True}, "d_model"),
    ({"pos": 2.5, "d_model": 4}, "pos"),
    ({"pos": 3, "d_model": 64}, "at most"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        values = [fixed(x, 4) for x in v.answer["vector"]]
        assert all(x in f.solution for x in values)
        # The question holds no four-decimal number at all.
        assert not any(x in f.question for x in values)


def test_the_part_is_the_vector_by_numpy(qtype, variants):
    """The one part: the whole interleaved vector, built by numpy's own route."""
    for v in variants:
        pos, d = v.params["pos"], v.params["d_model"]
        angles = pos / 10000.0 ** (np.arange(0, d, 2) / d)
        expected = np.column_stack([np.sin(angles), np.cos(angles)]).ravel()
        (part,) = qtype.parts(v)
        assert part.kind == "vector" and part.places == 4 and qtype.choice_part == part.label
        assert np.allclose(part.answer, expected, rtol=0, atol=1e-12)
        assert all(len(m.value) == d for m in part.mistakes)


def test_printed_angles_give_the_printed_encoding(variants):
    """The table's angles are printed to five decimals: the sine and cosine of the printed
    angle round to the printed encoding within a unit of the fourth decimal."""
    for v in variants:
        for row in v.work["rows"]:
            angle = float(fixed(row["angle"], 5))
            assert abs(math.sin(angle) - float(fixed(row["sin"], 4))) <= 1e-4
            assert abs(math.cos(angle) - float(fixed(row["cos"], 4))) <= 1e-4


def test_mistakes_position_one_d_model_four(qtype):
    # Pairs i = 0 and 1: angles 1 and 1 / 10000^(2/4) = 0.01 rad.
    variant = qtype.variant(0, {"pos": 1, "d_model": 4})
    (part,) = qtype.parts(variant)
    values = {m.name: m.value for m in part.mistakes}
    sin, cos, degree = math.sin, math.cos, math.pi / 180
    assert part.answer == pytest.approx([sin(1), cos(1), sin(0.01), cos(0.01)])
    assert values["sin and cos swapped"] == pytest.approx([cos(1), sin(1), cos(0.01), sin(0.01)])
    assert values["exponent i/d"] == pytest.approx([sin(1), cos(1), sin(0.1), cos(0.1)])
    assert values["degrees"] == pytest.approx([sin(degree), cos(degree),
                                               sin(0.01 * degree), cos(0.01 * degree)])
    assert values["dimension index for the cosine"] == pytest.approx(
        [sin(1), cos(0.1), sin(0.01), cos(1 / 10000 ** 0.75)])
    assert values["multiplied by the denominator"] == pytest.approx(
        [sin(1), cos(1), sin(100), cos(100)])
    assert values["i as dimension index"] == pytest.approx(
        [sin(1), cos(1), sin(1e-4), cos(1e-4)])
