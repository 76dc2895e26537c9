"""activations.gelu: seed 003 Q2a (GELU = x Phi(x)), checked against mpmath's normal CDF."""

import math

import mpmath
import pytest

from qbank.parts import printed_answer
from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed, grouped

ID = "activations.gelu"
SEEDS = range(300)


def test_seed_003_q2a_values(qtype):
    # Phi(-2) = 0.02275, Phi(-0.5) = 0.30854, Phi(0.5) = 0.69146, Phi(1.5) = 0.93319 (normal table).
    answer = qtype.solve({"x": [-2.0, -0.5, 0.5, 1.5]})
    assert [round(v, 4) for v in answer["value"]] == [-0.0455, -0.1543, 0.3457, 1.3998]


def test_exact_form_matches_high_precision_normal_cdf(variants):
    mpmath.mp.dps = 40
    for v in variants:
        expected = [float(mpmath.mpf(x) * mpmath.ncdf(x)) for x in v.params["x"]]
        assert v.answer["value"] == pytest.approx(expected, rel=1e-13, abs=1e-15)


def test_tanh_approximation_is_close_but_not_exact(variants):
    mpmath.mp.dps = 30
    for v in variants:
        for row in v.work["rows"]:
            x = mpmath.mpf(row["x"])
            approx = 0.5 * x * (1 + mpmath.tanh(mpmath.sqrt(2 / mpmath.pi) * (x + 0.044715 * x ** 3)))
            assert row["approx"] == pytest.approx(float(approx), rel=1e-12, abs=1e-15)
            # The approximation is within 0.0005 on [-2.5, 2.5] but not equal to the exact form.
            assert 0 < abs(row["approx"] - row["value"]) < 5e-4


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        xs = v.params["x"]
        assert qtype.problems(v.params) == [] and set(v.params) == {"x"}
        assert 3 <= len(xs) <= 4 and xs == sorted(set(xs))
        assert xs[0] < 0 < xs[-1] and all(type(x) is float and x != 0 for x in xs)
        assert all(abs(x) <= 2.5 and (10 * x).is_integer() for x in xs)  # one decimal
        assert set(v.answer) == {"value"} and len(v.answer["value"]) == len(xs)
        # GELU is below x and above min(0, x) - 0.17 everywhere.
        assert all(min(0.0, x) - 0.17 < g < max(0.0, x) for x, g in zip(xs, v.answer["value"]))
    assert len({tuple(v.params["x"]) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("bad, reason", [
    ({"x": []}, "list"),
    ({"x": [1.0, "a"]}, "finite"),
    ({"x": [float("inf")]}, "finite"),
    ({"x": [True, 1.0]}, "finite"),
    ({"x": [100.0]}, "within"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        values = [fixed(g, 4) for g in v.answer["value"]]
        assert all(g in f.solution for g in values)
        assert not any(f"\\num{{{grouped(str(g))}}}" in f.question for g in values)


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_parts_are_the_exact_values_the_approximation_and_its_largest_error(qtype, variants):
    # Every part against mpmath at 30 digits, not against the module's own numbers.
    mpmath.mp.dps = 30
    for v in variants[:100]:
        parts = _parts(qtype, v)
        assert [p.kind for p in parts.values()] == ["vector", "vector", "number"]
        xs = [mpmath.mpf(repr(x)) for x in v.params["x"]]
        exact = [x * mpmath.ncdf(x) for x in xs]
        approx = [x / 2 * (1 + mpmath.tanh(mpmath.sqrt(2 / mpmath.pi) * (x + mpmath.mpf("0.044715") * x ** 3)))
                  for x in xs]
        assert parts["a"].answer == pytest.approx([float(e) for e in exact], rel=1e-13, abs=1e-15)
        assert parts["b"].answer == pytest.approx([float(a) for a in approx], rel=1e-12, abs=1e-15)
        largest = max(abs(a - e) for a, e in zip(approx, exact))
        assert parts["c"].answer == pytest.approx(float(largest), rel=1e-9)
        assert parts["c"].places == 6 and 1e-5 < parts["c"].answer < 5e-4


def test_the_tolerance_tells_the_two_forms_apart_where_they_differ_visibly(qtype):
    # At x = 2.5 the approximation is off by 0.00044: (a) must not take it, nor (b) the exact value.
    from qbank.checker.expected import check_data
    from qbank.checker.verdict import judge

    v = qtype.variant(0, {"x": [-0.5, 0.5, 2.5]})
    data = {part["label"]: part for part in check_data(v)["parts"]}
    exact = [x * 0.5 * (1 + math.erf(x / math.sqrt(2))) for x in v.params["x"]]
    approx = _parts(qtype, v)["b"].answer
    typed = "[" + ", ".join(f"{value:.4f}" for value in approx) + "]"
    assert judge(data["a"], typed).verdict == "mistake"          # the modelled "tanh approximation"
    assert judge(data["b"], typed).is_right
    assert not judge(data["b"], "[" + ", ".join(f"{value:.4f}" for value in exact) + "]").is_right


def test_printed_differences_are_the_differences_of_the_printed_values(variants):
    for v in variants[:60]:
        for row in v.work["rows"]:
            printed = float(fixed(row["approx"], 6)) - float(fixed(row["value"], 6))
            assert fixed(row["printed_error"], 6) == fixed(printed, 6)
            assert abs(row["printed_error"] - row["error"]) <= 1e-6 + 1e-12


def test_choice_mistakes_on_seed_003_q2a(qtype):
    variant = qtype.variant(0, {"x": [-2.0, -0.5, 0.5, 1.5]})
    part = _parts(qtype, variant)["a"]
    assert qtype.choice_part == "a"
    values = {m.name: m.value for m in part.mistakes}
    xs = [-2.0, -0.5, 0.5, 1.5]
    assert values["sigmoid instead of Phi"] == pytest.approx([x / (1 + math.exp(-x)) for x in xs])
    assert values["density instead of CDF"] == pytest.approx(
        [x * math.exp(-x * x / 2) / math.sqrt(2 * math.pi) for x in xs])
    # Phi from the table: 0.0228, 0.3085, 0.6915, 0.9332.
    assert values["Phi only"] == pytest.approx([0.0228, 0.3085, 0.6915, 0.9332], abs=5e-5)
    # As an option it prints at the four decimals the part asks for, in order.
    tex = printed_answer(part, values["Phi only"]).tex
    positions = [tex.index(rf"\num{{{value}}}") for value in ("0.0228", "0.3085", "0.6915", "0.9332")]
    assert positions == sorted(positions) and tex.count(r"\num{") == 4


def test_approximation_and_error_mistakes_by_hand(qtype):
    xs = [-2.0, -0.5, 0.5, 1.5]
    parts = _parts(qtype, qtype.variant(0, {"x": xs}))
    values = {m.name: m.value for m in parts["b"].mistakes}
    # Without the cubic term: tanh(sqrt(2/pi) x) only.
    assert values["no cubic term"] == pytest.approx(
        [x / 2 * (1 + math.tanh(math.sqrt(2 / math.pi) * x)) for x in xs])
    assert values["half dropped"] == pytest.approx([2 * a for a in parts["b"].answer])
    errors = {m.name: m.value for m in parts["c"].mistakes}
    rounded = [round(a, 4) - round(e, 4) for a, e in zip(parts["b"].answer, parts["a"].answer)]
    assert errors["rounded values subtracted"] == pytest.approx(max(map(abs, rounded)), abs=1e-12)


def test_tanh_approximation_is_a_distractor_only_where_it_is_visibly_off(qtype):
    near = qtype.variant(0, {"x": [-0.5, 0.5, 1.0]})     # off by at most 0.0002
    far = qtype.variant(0, {"x": [-0.5, 0.5, 2.5]})      # off by 0.00044 at 2.5
    names = [{m.name for m in _parts(qtype, v)["a"].mistakes} for v in (near, far)]
    assert "tanh approximation" not in names[0]
    assert "tanh approximation" in names[1]
