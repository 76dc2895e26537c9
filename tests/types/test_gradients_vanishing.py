"""gradients.vanishing: worked examples, cosh-form derivatives, log-space scale, step counting."""

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest

from qbank.render.documents import render_fragments

ID = "gradients.vanishing"
SEEDS = range(300)


def test_sigmoid_chain_of_ten_layers(qtype):
    # Seed 001 Q2's argument with numbers: sigma'(0) = 1/4 per layer, 0.25^10 ~ 9.5e-7;
    # 0.25^4 = 0.0039 is still above 1e-3, 0.25^5 = 0.00098 is below.
    answer = qtype.solve({"network": "feedforward", "steps": 10, "weight": 1.0,
                          "preactivation": 0.0})
    assert answer == {"derivative": 0.25, "factor": 0.25, "gradient_scale": 0.25 ** 10,
                      "steps_to_threshold": 5, "regime": "vanishing"}


@pytest.mark.parametrize("weight, steps, expected", [
    (0.5, 10, 10),   # 0.5^9 = 0.00195, 0.5^10 = 0.000977 (seed 002 Q4: dh/dh < 1 vanishes)
    (1.1, 73, 73),   # 1.1^72 = 963, 1.1^73 = 1059 (dh/dh > 1 explodes)
    (0.9, 20, 66),   # 0.9^65 = 0.00106, 0.9^66 = 0.00096
])
def test_recurrent_weight_at_zero_preactivation(qtype, weight, steps, expected):
    answer = qtype.solve({"network": "recurrent", "steps": steps, "weight": weight,
                          "preactivation": 0.0})
    assert answer["factor"] == weight and answer["steps_to_threshold"] == expected
    assert answer["gradient_scale"] == pytest.approx(weight ** steps, rel=1e-12)
    assert answer["regime"] == ("exploding" if weight > 1 else "vanishing")


def _derivative_by_cosh(network, a):
    """sigma'(a) = 1 / (4 cosh^2(a/2)) and tanh'(a) = 1 / cosh^2(a): other formulas."""
    return 1 / (4 * math.cosh(a / 2) ** 2) if network == "feedforward" else 1 / math.cosh(a) ** 2


def _steps_by_counting(factor):
    """Multiply step by step until the scale crosses 1e-3 or 1e3."""
    scale, steps = 1.0, 0
    while 1e-3 <= scale <= 1e3:
        scale *= factor
        steps += 1
    return steps


def test_independent_routes(variants):
    for v in variants:
        p, a = v.params, v.answer
        slope = _derivative_by_cosh(p["network"], p["preactivation"])
        assert a["derivative"] == pytest.approx(slope, rel=1e-12)
        log10_scale = p["steps"] * (math.log10(p["weight"]) + math.log10(slope))
        assert math.log10(a["gradient_scale"]) == pytest.approx(log10_scale, rel=1e-9, abs=1e-9)
        assert a["steps_to_threshold"] == _steps_by_counting(p["weight"] * slope)


def test_finite_difference_through_the_chain(qtype, variants):
    # Build the actual chain with biases that hold every pre-activation at a, nudge h_0
    # and watch h_T move (five steps, where the change is still resolvable in floats).
    checked = 0
    for v in variants:
        p = dict(v.params, steps=5)
        f = (lambda z: 1 / (1 + math.exp(-z))) if p["network"] == "feedforward" else math.tanh
        h_rest = f(p["preactivation"])
        w = p["weight"]
        bias = p["preactivation"] - w * h_rest  # every pre-activation is a at the rest point

        def last(h0, steps=p["steps"], f=f, w=w, bias=bias):
            h = h0
            for _ in range(steps):
                h = f(w * h + bias)
            return h

        scale = qtype.solve(p)["gradient_scale"]
        if scale < 1e-6:
            continue
        eps = 1e-6
        slope = (last(h_rest + eps) - last(h_rest - eps)) / (2 * eps)
        assert slope == pytest.approx(scale, rel=1e-4)
        checked += 1
    assert checked > 100


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p, a = v.params, v.answer
        assert qtype.problems(p) == []
        assert set(p) == {"network", "steps", "weight", "preactivation"}
        assert set(a) == {"derivative", "factor", "gradient_scale", "steps_to_threshold", "regime"}
        assert 5 <= p["steps"] <= 50 and type(p["steps"]) is int
        assert type(p["weight"]) is float and type(p["preactivation"]) is float
        assert (2 * p["preactivation"]).is_integer()
        n, factor = a["steps_to_threshold"], a["factor"]
        assert factor != 1 and 1 <= n <= 200
        if a["regime"] == "vanishing":
            assert factor ** n < 1e-3 <= factor ** (n - 1)
        else:
            assert factor ** n > 1e3 >= factor ** (n - 1)
        limit = 0.25 if p["network"] == "feedforward" else 1.0
        assert a["derivative"] <= limit
    assert len({str(v.params) for v in variants[:200]}) >= 150
    assert {(v.params["network"], v.answer["regime"]) for v in variants} == {
        ("feedforward", "vanishing"), ("feedforward", "exploding"),
        ("recurrent", "vanishing"), ("recurrent", "exploding")}


@pytest.mark.parametrize("change, reason", [
    ({"network": "cnn"}, "network must be one of"),
    ({"steps": 0}, "steps must be a positive whole number"),
    ({"steps": True}, "steps must be a positive whole number"),
    ({"weight": "big"}, "weight must be a number"),
    ({"weight": -1.0}, "weight must be positive"),
    ({"weight": 4.0}, "too close to"),          # 4 * sigma'(0) = 1 exactly
    ({"weight": 0.4}, "exactly on the threshold"),  # 0.1^3 = 1e-3: neither below nor above
])
def test_problems_catch_bad_values(qtype, change, reason):
    params = {"network": "feedforward", "steps": 10, "weight": 1.0, "preactivation": 0.0}
    found = qtype.problems({**params, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:60]:
        f = render_fragments(v)
        verb = "vanishes" if v.answer["regime"] == "vanishing" else "explodes"
        assert verb not in f.question and verb in f.solution
        assert f"so $n = {v.answer['steps_to_threshold']}$ " in f.solution


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_parts_by_independent_routes(qtype, variants):
    # The factor by the cosh form, log10 of the scale from the log of each factor, the step
    # count by multiplying until the scale crosses, the regime from the count's direction.
    for v in variants:
        p, parts = v.params, _parts(qtype, v)
        assert [(q.label, q.kind, q.weight, q.places) for q in parts.values()] == [
            ("a", "number", 1, 3), ("b", "number", 2, 2), ("c", "number", 1, None),
            ("d", "letter", 1, None)]
        factor = p["weight"] * _derivative_by_cosh(p["network"], p["preactivation"])
        assert parts["a"].answer == pytest.approx(factor, rel=1e-12)
        assert parts["b"].answer == pytest.approx(
            sum(math.log10(p["weight"]) + math.log10(_derivative_by_cosh(p["network"], p["preactivation"]))
                for _ in range(p["steps"])), rel=1e-9, abs=1e-9)
        assert parts["c"].answer == _steps_by_counting(factor)
        assert parts["d"].answer == ("V" if factor ** 2 < factor else "E")


def test_accepted_values_come_from_the_three_decimal_factor(qtype, variants):
    changed = 0
    for v in variants:
        parts = _parts(qtype, v)
        # (a) asks three decimals, rounded half up as by hand; a student carries that on.
        rounded = float(Decimal(repr(v.answer["factor"])).quantize(Decimal("0.001"), ROUND_HALF_UP))
        carried = v.params["steps"] * math.log10(rounded)
        assert len(parts["b"].accepted) == 1
        assert parts["b"].accepted[0] == pytest.approx(carried, rel=1e-12, abs=1e-12)
        if parts["c"].accepted:
            assert parts["c"].accepted == (_steps_by_counting(rounded),)
            assert _steps_by_counting(rounded) != parts["c"].answer
            changed += 1
    assert changed >= 1   # rounding the factor moves the step count on some seeds


def test_the_printed_working_crosses_the_threshold_where_it_says(variants):
    for v in variants:
        shown, n = v.work["shown_factor"], v.answer["steps_to_threshold"]
        assert shown == pytest.approx(v.answer["factor"], rel=1e-5)
        assert math.floor(v.work["ratio"]) + 1 == n
        if v.answer["regime"] == "vanishing":
            assert shown ** n < 1e-3 <= shown ** (n - 1)
        else:
            assert shown ** n > 1e3 >= shown ** (n - 1)


def test_choice_mistakes_are_the_modelled_slips(qtype):
    # Sigmoid chain, w = 2, a = 0: sigma'(0) = 1/4, factor 1/2, scale 2^-10.
    v = qtype.variant(0, {"network": "feedforward", "steps": 10, "weight": 2.0,
                          "preactivation": 0.0})
    part = _parts(qtype, v)[qtype.choice_part]
    assert part.label == "b" and part.answer == pytest.approx(-10 * math.log10(2))
    values = {m.name: m.value for m in part.mistakes}
    assert values["one factor too few"] == pytest.approx(-9 * math.log10(2))
    assert values["no weight"] == pytest.approx(-10 * math.log10(4))
    assert values["f not f'"] == pytest.approx(0.0)  # (2 * sigma(0))^10 = 1
    assert values["no derivative"] == pytest.approx(10 * math.log10(2))
    # a = 1: sigma'(1) = e / (1 + e)^2; the slip takes sigma'(0) = 1/4 instead.
    v = qtype.variant(0, {"network": "feedforward", "steps": 10, "weight": 2.0,
                          "preactivation": 1.0})
    values = {m.name: m.value for m in _parts(qtype, v)["b"].mistakes}
    assert values["derivative at 0"] == pytest.approx(-10 * math.log10(2))
    assert v.answer["factor"] == pytest.approx(2 * math.e / (1 + math.e) ** 2)


def test_a_negative_slip_is_no_option(qtype):
    # tanh(-1) < 0: (w tanh a)^T is negative for odd T and has no logarithm.
    v = qtype.variant(0, {"network": "recurrent", "steps": 11, "weight": 1.5,
                          "preactivation": -1.0})
    assert "f not f'" not in {m.name for m in _parts(qtype, v)["b"].mistakes}
    v = qtype.variant(0, {"network": "recurrent", "steps": 12, "weight": 1.5,
                          "preactivation": -1.0})
    values = {m.name: m.value for m in _parts(qtype, v)["b"].mistakes}
    assert values["f not f'"] == pytest.approx(12 * math.log10(1.5 * math.tanh(1.0)))
