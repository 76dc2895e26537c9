"""activations.softmax_as_sigmoid: seeds 000 Q1a / 004 Q1; every step proved with sympy vectors."""

import mpmath
import numpy as np
import pytest
import sympy

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed, grouped
from qbank.types.activations.softmax_as_sigmoid import COMPLEMENT, DERIVATION

ID = "activations.softmax_as_sigmoid"
SEEDS = range(300)
Z = sympy.Symbol("z")
SIGMOID = sympy.Lambda(Z, 1 / (1 + sympy.exp(-Z)))
W0, W1, X = (sympy.Matrix(sympy.symbols(f"{name}_1 {name}_2", real=True)) for name in ("w0", "w1", "x"))
ROUTES = {"class 0": DERIVATION, "class 1": COMPLEMENT}


def dot(u, v):
    return (u.T * v)[0]


def expression(text, w0=W0, w1=W1, x=X):
    """A step's sympy string with w0, w1, x as 2-vectors (symbols, or numbers) and w = w0 - w1."""
    return sympy.sympify(text, locals={"w0": w0, "w1": w1, "x": x, "w": w0 - w1,
                                       "dot": dot, "sigmoid": SIGMOID})


def equal(a, b):
    return sympy.simplify(a - b) == 0


# The starting points and the claims, written here from the question, not from the module.
SOFTMAX = [sympy.exp(dot(W, X)) / (sympy.exp(dot(W0, X)) + sympy.exp(dot(W1, X))) for W in (W0, W1)]
CLAIMS = [SIGMOID(dot(W0 - W1, X)), SIGMOID(-dot(W0 - W1, X))]


@pytest.mark.parametrize("route", ROUTES)
def test_every_step_equals_the_one_before(route):
    steps = [expression(step.sympy) for step in ROUTES[route]]
    for before, after, step in zip(steps, steps[1:], ROUTES[route][1:]):
        assert equal(before, after), f"step {step.tex!r} does not follow"


@pytest.mark.parametrize("route, index", [("class 0", 0), ("class 1", 1)])
def test_starts_at_the_softmax_and_ends_at_the_claim(route, index):
    steps = ROUTES[route]
    assert equal(expression(steps[0].sympy), SOFTMAX[index])
    assert equal(expression(steps[-1].sympy), CLAIMS[index]) and "sigmoid" in steps[-1].sympy
    assert r"\sigma" in steps[-1].tex and "e^" not in steps[-1].tex


def test_the_checker_can_fail():
    # The sign slip w = w1 - w0 must not pass.
    assert not equal(expression("sigmoid(dot(w1 - w0, x))"), SOFTMAX[0])


def test_tex_and_sympy_name_the_same_things():
    for step in DERIVATION + COMPLEMENT:
        assert (r"\sigma" in step.tex) == ("sigmoid" in step.sympy), step.tex
        assert ("e^" in step.tex) == ("exp" in step.sympy), step.tex
        assert (r"\mathbf{w}_0" in step.tex) == ("w0" in step.sympy), step.tex
        assert (r"\mathbf{w}_1" in step.tex) == ("w1" in step.sympy), step.tex
        assert (r"\mathbf{w}^\top" in step.tex) == ("dot(w, x)" in step.sympy), step.tex


def test_seed_statements():
    # 000 Q1a: P(y=0|x) = 1/(1 + e^{(w1 - w0).x}) = sigma(w.x), w = w0 - w1; P(y=1|x) = 1 - sigma(w.x).
    assert equal(1 / (1 + sympy.exp(dot(W1 - W0, X))), SOFTMAX[0])
    assert equal(1 - SIGMOID(dot(W0 - W1, X)), SOFTMAX[1])
    # 004 Q1 (scores a1, a2; x = a1 - a2): P(class 1) = 1/(1 + e^{-x}) is right, but its
    # P(class 2) = e^x/(1 + e^{-x}) is not; the right form is e^{-x}/(1 + e^{-x}).
    a1, a2 = sympy.symbols("a1 a2", real=True)
    second = sympy.exp(a2) / (sympy.exp(a1) + sympy.exp(a2))
    assert equal(1 / (1 + sympy.exp(-(a1 - a2))), sympy.exp(a1) / (sympy.exp(a1) + sympy.exp(a2)))
    assert not equal(sympy.exp(a1 - a2) / (1 + sympy.exp(-(a1 - a2))), second)
    assert equal(sympy.exp(-(a1 - a2)) / (1 + sympy.exp(-(a1 - a2))), second)


def test_docstring_example(qtype):
    # Scores 1 + 2 = 3 and 2 - 1 = 1; w = (-1, 3), z = 2; 1/(1 + e^-2) = 1/1.1353.
    answer = qtype.solve({"w0": [1, 2], "w1": [2, -1], "x": [1, 1]})
    assert answer["logits"] == [3, 1] and answer["w"] == [-1, 3] and answer["z"] == 2
    assert [round(p, 4) for p in answer["probs"]] == [0.8808, 0.1192] and round(answer["sigmoid"], 4) == 0.8808


def test_every_step_evaluates_to_the_probability(variants):
    for v in variants[:40]:
        vectors = [sympy.Matrix(v.params[key]) for key in ("w0", "w1", "x")]
        for route, probability in zip((DERIVATION, COMPLEMENT), v.answer["probs"]):
            for step in route:
                assert float(expression(step.sympy, *vectors).evalf(30)) == pytest.approx(probability, rel=1e-12)


def test_instance_by_numpy_and_mpmath(variants):
    mpmath.mp.dps = 30
    for v in variants:
        w0, w1, x = (np.array(v.params[key]) for key in ("w0", "w1", "x"))
        scores = [int(w0 @ x), int(w1 @ x)]
        assert v.answer["logits"] == scores and v.answer["w"] == list(w0 - w1)
        assert v.answer["z"] == int((w0 - w1) @ x) == scores[0] - scores[1]
        total = mpmath.exp(scores[0]) + mpmath.exp(scores[1])
        expected = [float(mpmath.exp(s) / total) for s in scores]
        assert v.answer["probs"] == pytest.approx(expected, rel=1e-13)
        assert v.answer["sigmoid"] == pytest.approx(expected[0], rel=1e-13)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        assert qtype.problems(v.params) == [] and set(v.params) == {"w0", "w1", "x"}
        values = v.params["w0"] + v.params["w1"] + v.params["x"]
        assert all(type(n) is int and -2 <= n <= 2 for n in values) and len(values) == 6
        assert max(map(abs, v.answer["logits"])) <= 3 and 1 <= abs(v.answer["z"]) <= 3
        assert set(v.answer) == {"logits", "probs", "w", "z", "sigmoid"}
    assert len({str(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("change, reason", [
    ({"x": [1, 2, 3]}, "same length"), ({"w0": []}, "lists of 1"), ({"w1": "ab"}, "lists of 1"),
    ({"w0": [1, None]}, "finite"), ({"x": [True, 1]}, "finite"), ({"w0": [40, 40]}, "within"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    params = {"w0": [1, 2], "w1": [2, -1], "x": [1, 1]}
    assert qtype.problems(params) == []
    found = qtype.problems({**params, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        values = [fixed(p, 4) for p in v.answer["probs"]]
        assert all(value in f.solution for value in values)
        assert not any(f"\\num{{{grouped(str(value))}}}" in f.question for value in values)
        assert all(step.tex in f.solution for step in DERIVATION + COMPLEMENT)


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_parts_ask_what_the_question_asks(qtype, variants):
    for v in variants[:50]:
        parts = _parts(qtype, v)
        assert [(p.label, p.kind, p.places) for p in parts.values()] == [
            ("a", "free", None), ("b", "expression", None), ("c", "expression", None),
            ("d", "vector", 4), ("e", "vector", None), ("f", "number", 4)]
        assert sum(line.points for line in parts["a"].rubric) == parts["a"].weight


def _as_vectors(text):
    """A part (b) expression with w0 and w1 read as the symbolic 2-vectors."""
    return sympy.sympify(text, locals={"w0": W0, "w1": W1})


def _in_z(text, z):
    return sympy.sympify(text, locals={"z": z, "sigmoid": SIGMOID})


def test_expression_parts_by_sympy_on_vectors(qtype, variants):
    parts = _parts(qtype, variants[0])
    # (b): sigma(w.x) with the part's w is the softmax of class 0; the slips are not.
    w = _as_vectors(parts["b"].answer)
    assert equal(SIGMOID(dot(w, X)), SOFTMAX[0])
    for mistake in parts["b"].mistakes:
        assert not equal(SIGMOID(dot(_as_vectors(mistake.value), X)), SOFTMAX[0]), mistake.name
    # (c): the part's expression at z = (w0 - w1).x is the softmax of class 1, and so is sigma(-z).
    z = dot(W0 - W1, X)
    assert equal(_in_z(parts["c"].answer, z), SOFTMAX[1])
    assert equal(_in_z("sigmoid(-z)", z), SOFTMAX[1])
    for mistake in parts["c"].mistakes:
        assert not equal(_in_z(mistake.value, z), SOFTMAX[1]), mistake.name


def test_numeric_parts_by_numpy(qtype, variants):
    for v in variants:
        parts = _parts(qtype, v)
        w0, w1, x = (np.array(v.params[key], float) for key in ("w0", "w1", "x"))
        scores = np.array([w0 @ x, w1 @ x])
        softmax = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
        assert parts["d"].answer == pytest.approx(softmax.tolist(), rel=1e-12)
        assert parts["e"].answer == (w0 - w1).astype(int).tolist()
        assert parts["f"].answer == pytest.approx(float(1 / (1 + np.exp(-(w0 - w1) @ x))), rel=1e-12)
        # The sign slip gives class 1's probability.
        slips = {m.name: m.value for m in parts["f"].mistakes}
        assert slips["sign of z"] == pytest.approx(softmax[1], rel=1e-12)
