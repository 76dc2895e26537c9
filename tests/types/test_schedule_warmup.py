"""schedule.warmup: the paper's schedule, exact sympy and the piecewise (ramp / decay) form."""

import pytest
import sympy

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed, plain, significant
from qbank.types.schedule.warmup import scientific

ID = "schedule.warmup"
SEEDS = range(300)
EXAMPLE = {"d_model": 512, "warmup": 4000, "steps": [1000, 4000, 16000]}


def test_paper_setting(qtype):
    # Seed 003 Q2b only sketches "linear up to the warmup step, then decrease"; the
    # Transformer paper's d_model 512, warmup 4000 peaks at 1/sqrt(512 * 4000).
    a = qtype.solve(EXAMPLE)
    assert [round(r, 7) for r in a["rates"]] == [0.0001747, 0.0006988, 0.0003494]
    assert a["peak_step"] == 4000 and a["peak_rate"] == pytest.approx(6.98771242e-4)


def test_exact_sympy_route(variants):
    for v in variants:
        d, w = v.params["d_model"], v.params["warmup"]
        for step, rate in zip(v.params["steps"], v.answer["rates"]):
            exact = sympy.Min(sympy.Integer(step) ** sympy.Rational(-1, 2),
                              step * sympy.Integer(w) ** sympy.Rational(-3, 2)) / sympy.sqrt(d)
            assert rate == pytest.approx(float(sympy.N(exact, 30)), rel=1e-12)
        assert v.answer["peak_rate"] == pytest.approx(float(sympy.N(1 / sympy.sqrt(d * w), 30)),
                                                      rel=1e-12)


def test_linear_ramp_then_inverse_square_root(variants):
    for v in variants:
        w, peak = v.params["warmup"], v.answer["peak_rate"]
        before, at, after = v.params["steps"]
        rates = v.answer["rates"]
        assert rates[0] == pytest.approx(peak * before / w, rel=1e-12)
        assert rates[1] == pytest.approx(peak, rel=1e-12)
        assert rates[2] == pytest.approx(peak * (w / after) ** 0.5, rel=1e-12)


def test_peak_is_the_maximum(qtype, variants):
    for v in variants[:50]:
        w = v.params["warmup"]
        near = qtype.solve({**v.params, "steps": [w - 1, w, w + 1]})["rates"]
        assert near[1] > near[0] and near[1] > near[2]


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        before, at, after = p["steps"]
        assert all(type(s) is int for s in p["steps"]) and 0 < before < at == p["warmup"] < after
        assert after % p["warmup"] == 0 and p["d_model"] in (128, 256, 512, 768, 1024)
    assert len({repr(v.params) for v in variants[:200]}) >= 150


def test_scientific_rounding_carries():
    assert scientific(9.996e-4) == {"mantissa": pytest.approx(0.9996), "exponent": -3}
    assert scientific(1.234e-4)["exponent"] == -4


@pytest.mark.parametrize("change, reason", [
    ({"warmup": 0}, "warmup"),
    ({"d_model": 512.0}, "d_model"),
    ({"steps": [100, 0]}, "steps"),
    ({"steps": []}, "steps"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    found = qtype.problems({**EXAMPLE, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        peak = fixed(v.answer["peak_rate"] * 1e4, 3)
        assert f"{{{peak}}} \\times 10^{{-4}}" in f.solution and peak not in f.question
        assert "units of $10^{-4}$, to three decimal places" in f.question


def test_parts_by_sympy_in_units_of_ten_to_the_minus_four(qtype, variants):
    """The parts in the units the question asks, from sympy's exact schedule."""
    for v in variants:
        d, w = v.params["d_model"], v.params["warmup"]
        rates, peak_step, peak_rate, behaviour = qtype.parts(v)
        exact = [sympy.Min(sympy.Integer(step) ** sympy.Rational(-1, 2),
                           step * sympy.Integer(w) ** sympy.Rational(-3, 2)) / sympy.sqrt(d)
                 for step in v.params["steps"]]
        assert rates.answer == pytest.approx([float(sympy.N(r * 10 ** 4, 30)) for r in exact],
                                             rel=1e-12)
        # The peak by brute force over every step up to twice the warmup.
        scale = d ** -0.5
        best = max(range(1, 2 * w), key=lambda t: scale * min(t ** -0.5, t * w ** -1.5))
        assert peak_step.answer == best and type(peak_step.answer) is int
        assert peak_rate.answer == pytest.approx(float(sympy.N(10 ** 4 / sympy.sqrt(d * w), 30)),
                                                 rel=1e-12)
        assert (rates.places, peak_step.places, peak_rate.places) == (3, None, 3)
        assert behaviour.kind == "free" and qtype.choice_part == rates.label
        # Every rate sampled is a few units of 10^-4: three decimals are 3 to 5 figures.
        assert all(0.3 < r < 30 for r in rates.answer + [peak_rate.answer])


def test_printed_terms_carry_to_the_printed_rates(qtype, variants):
    """A student multiplying the printed factor by the printed (bold) term reaches the
    printed rate within the part's tolerance."""
    for v in variants:
        rates = qtype.parts(v)[0]
        scale = float(plain(v.work["scale"], 6))
        for row, rate in zip(v.work["rows"], rates.answer):
            term = float(significant(min(row["decay"], row["rise"]), 5))
            assert abs(scale * term * 1e4 - rate) <= max(1e-3, 1e-3 * rate)


def test_mistakes_on_seed_example(qtype):
    variant = qtype.variant(0, {"d_model": 512, "warmup": 4000, "steps": [1000, 4000, 16000]})
    rates, _, peak, _ = qtype.parts(variant)
    values = {m.name: m.value for m in rates.mistakes}
    scale = 512 ** -0.5
    assert values["max for min"] == pytest.approx(
        [1e4 * scale * 1000 ** -0.5, 1e4 * scale * 4000 ** -0.5, 1e4 * scale * 16000 * 4000 ** -1.5])
    assert values["no d_model factor"] == pytest.approx(
        [1e4 * 1000 * 4000 ** -1.5, 1e4 * 4000 ** -0.5, 1e4 * 16000 ** -0.5])
    assert values["times sqrt(d_model)"] == pytest.approx(
        [1e4 * 512 ** 0.5 * 1000 * 4000 ** -1.5, 1e4 * 512 ** 0.5 * 4000 ** -0.5,
         1e4 * 512 ** 0.5 * 16000 ** -0.5])
    assert values["not in units"] == pytest.approx(variant.answer["rates"])
    values = {m.name: m.value for m in peak.mistakes}
    assert values["no d_model factor"] == pytest.approx(1e4 * 4000 ** -0.5)
    assert values["not in units"] == pytest.approx(1 / (512 * 4000) ** 0.5)
