"""schedule.warmup: the paper's schedule, exact sympy and the piecewise (ramp / decay) form."""

import pytest
import sympy

from qbank.render.documents import render_fragments
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
        peak = scientific(v.answer["peak_rate"])
        assert f"10^{{{peak['exponent']}}}" in f.solution and "10^" not in f.question


def test_choice_mistakes_on_seed_example(qtype):
    variant = qtype.variant(0, {"d_model": 512, "warmup": 4000, "steps": [1000, 4000, 16000]})
    values = {m.name: m.value for m in qtype.mistakes(variant.params, variant.answer)}
    scale = 512 ** -0.5
    assert values["max for min"] == pytest.approx(
        [scale * 1000 ** -0.5, scale * 4000 ** -0.5, scale * 16000 * 4000 ** -1.5])
    assert values["no d_model factor"] == pytest.approx(
        [1000 * 4000 ** -1.5, 4000 ** -0.5, 16000 ** -0.5])
    assert values["times sqrt(d_model)"] == pytest.approx(
        [512 ** 0.5 * 1000 * 4000 ** -1.5, 512 ** 0.5 * 4000 ** -0.5, 512 ** 0.5 * 16000 ** -0.5])
