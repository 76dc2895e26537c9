"""activations.sigmoid_tanh: seed 004 Q3; every derivation step proved with sympy, values with mpmath."""

import re

import mpmath
import pytest
import sympy

from qbank.errors import QbankError
from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed, grouped
from qbank.types.activations.sigmoid_tanh import DERIVATION, SPLIT_ROUTE

ID = "activations.sigmoid_tanh"
SEEDS = range(300)
X, Z = sympy.Symbol("x", real=True), sympy.Symbol("z")
SIGMOID = sympy.Lambda(Z, 1 / (1 + sympy.exp(-Z)))
ROUTES = {"derivation": DERIVATION, "split_route": SPLIT_ROUTE}


def expression(text):
    """A step's sympy string as an expression in x, with sigmoid(z) = 1/(1 + e^-z)."""
    return sympy.sympify(text, locals={"x": X, "sigmoid": SIGMOID})


def equal(a, b):
    return sympy.simplify((a - b).rewrite(sympy.exp)) == 0


@pytest.mark.parametrize("route", ROUTES)
def test_every_step_equals_the_one_before(route):
    steps = [expression(step.sympy) for step in ROUTES[route]]
    for before, after, step in zip(steps, steps[1:], ROUTES[route][1:]):
        assert equal(before, after), f"step {step.tex!r} does not follow"


@pytest.mark.parametrize("route", ROUTES)
def test_starts_at_tanh_and_ends_at_the_claim(route):
    steps = ROUTES[route]
    assert equal(expression(steps[0].sympy), sympy.tanh(X))
    assert steps[-1].tex == r"2\sigma(2x) - 1" and steps[-1].sympy == "2*sigmoid(2*x) - 1"


def test_the_checker_can_fail():
    # A plausible slip (sigma(x) instead of sigma(2x)) must not pass as equal.
    assert not equal(expression("2*sigmoid(x) - 1"), sympy.tanh(X))


def test_tex_and_sympy_name_the_same_functions():
    for step in DERIVATION + SPLIT_ROUTE:
        assert (r"\sigma" in step.tex) == ("sigmoid" in step.sympy), step.tex
        assert ("e^" in step.tex) == ("exp" in step.sympy), step.tex
        assert (r"\tanh" in step.tex) == ("tanh" in step.sympy), step.tex
        assert ("2x" in step.tex) == ("2*x" in step.sympy), step.tex


def test_seed_004_q3(qtype):
    # Ranges (0, 1) and (-1, 1) as the seed says; its sigma(2x) - sigma(-2x) is tanh too.
    answer = qtype.solve({"x": [-1.5, 0.7]})
    assert (answer["sigmoid_range"], answer["tanh_range"]) == ("(0, 1)", "(-1, 1)")
    assert any(step.tex == r"\sigma(2x) - \sigma(-2x)" for step in SPLIT_ROUTE)
    assert equal(expression("sigmoid(2*x) - sigmoid(-2*x)"), sympy.tanh(X))
    # Hand values: 1/(1 + e^1.5) = 1/5.4817, (e^0.7 - e^-0.7)/(e^0.7 + e^-0.7) = 1.5172/2.5104.
    assert [round(v, 4) for v in answer["sigmoid"]] == [0.1824, 0.6682]
    assert [round(v, 4) for v in answer["tanh"]] == [-0.9051, 0.6044]


def test_every_step_evaluates_to_tanh_at_the_sampled_points(variants):
    steps = [expression(step.sympy) for step in DERIVATION + SPLIT_ROUTE]
    for v in variants[:60]:
        for x, tanh in zip(v.params["x"], v.answer["tanh"]):
            for step in steps:
                assert float(step.evalf(30, subs={X: sympy.Rational(repr(x))})) == pytest.approx(tanh, rel=1e-12)


def test_values_by_a_different_formula(variants):
    # sigma(x) = (1 + tanh(x/2)) / 2 in mpmath, not the 1/(1 + e^-x) that solve() uses.
    mpmath.mp.dps = 30
    for v in variants:
        for i, x in enumerate(v.params["x"]):
            x = mpmath.mpf(x)
            assert v.answer["sigmoid"][i] == pytest.approx(float((1 + mpmath.tanh(x / 2)) / 2), rel=1e-13)
            assert v.answer["tanh"][i] == pytest.approx(float(mpmath.tanh(x)), rel=1e-13)
            assert v.answer["identity_check"][i] == pytest.approx(float(mpmath.tanh(x)), rel=1e-12)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        negative, positive = v.params["x"]
        assert qtype.problems(v.params) == [] and set(v.params) == {"x"}
        assert -3 <= negative < 0 < positive <= 3
        assert all(type(x) is float and round(10 * x) == 10 * x for x in v.params["x"])
        assert set(v.answer) == {"sigmoid", "tanh", "identity_check", "sigmoid_range", "tanh_range"}
        assert all(0 < s < 1 for s in v.answer["sigmoid"]) and all(-1 < t < 1 for t in v.answer["tanh"])
    assert len({tuple(v.params["x"]) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("bad, reason, refusal", [
    ({"x": []}, "list", "x: expected at least 1"), ({"x": 0.5}, "list", "x: expected a list"),
    ({"x": [1.0, "a"]}, "finite", "x[1]: expected a number"),
    ({"x": [float("nan")]}, "finite", "x[0]: expected a finite number"),
    ({"x": [True]}, "finite", "x[0]: expected a number"),
    ({"x": [-100.0]}, "within", "well-posed"),
])
def test_problems_catch_bad_values(qtype, bad, reason, refusal):
    """The parameter model refuses wrong kinds first; problems() the ill-posed rest."""
    found = qtype.problems(bad)
    assert found and reason in found[0]
    with pytest.raises(QbankError, match=re.escape(refusal)):
        qtype.draw(0, pinned=bad)


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        values = [fixed(value, 4) for value in v.answer["sigmoid"] + v.answer["tanh"]]
        assert all(value in f.solution for value in values)
        assert not any(f"\\num{{{grouped(str(value))}}}" in f.question for value in values)
        assert all(step.tex in f.solution for step in DERIVATION + SPLIT_ROUTE)


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_parts_ask_what_the_question_asks(qtype, variants):
    for v in variants[:50]:
        parts = _parts(qtype, v)
        assert [(p.label, p.kind, p.places) for p in parts.values()] == [
            ("a", "free", None), ("b", "vector", 4), ("c", "vector", 4),
            ("d", "expression", None), ("e", "free", None)]
        # Marked by hand: the rubric's marks add up to the part's weight.
        for label in ("a", "e"):
            assert sum(line.points for line in parts[label].rubric) == parts[label].weight


def test_value_parts_by_mpmath(qtype, variants):
    # sigma through tanh(x/2) and tanh itself in mpmath, not the module's formulas.
    mpmath.mp.dps = 30
    for v in variants[:100]:
        parts = _parts(qtype, v)
        xs = [mpmath.mpf(repr(x)) for x in v.params["x"]]
        assert parts["b"].answer == pytest.approx([float((1 + mpmath.tanh(x / 2)) / 2) for x in xs],
                                                  rel=1e-13)
        assert parts["c"].answer == pytest.approx([float(mpmath.tanh(x)) for x in xs], rel=1e-13)
        for label in ("b", "c"):
            for mistake in parts[label].mistakes:
                assert len(mistake.value) == len(xs)
                assert max(abs(m - a) for m, a in zip(mistake.value, parts[label].answer)) > 1e-3


def test_expression_part_is_tanh_and_its_mistakes_are_not(qtype, variants):
    part = _parts(qtype, variants[0])["d"]
    assert part.variables == ("x",)
    assert equal(expression(part.answer), sympy.tanh(X))
    for mistake in part.mistakes:
        assert not equal(expression(mistake.value), sympy.tanh(X)), mistake.name
    # It is compared at the variant's own points too.
    for v in variants[:20]:
        points = [point["x"] for point in _parts(qtype, v)["d"].points]
        assert set(v.params["x"]) <= set(points) and len(points) == len(v.params["x"]) + 3


def test_the_checker_takes_the_seeds_form_and_names_a_slip(qtype):
    from qbank.checker.expected import check_data
    from qbank.checker.verdict import judge

    data = {part["label"]: part for part in check_data(qtype.draw(0))["parts"]}
    assert judge(data["d"], "sigmoid(2*x) - sigmoid(-2*x)").is_right
    assert judge(data["d"], "2*sigmoid(x) - 1").verdict == "mistake"
    assert judge(data["d"], "sigmoid(x)").verdict == "wrong"
