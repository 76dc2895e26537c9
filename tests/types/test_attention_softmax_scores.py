"""attention.softmax_scores: seed 001 Q2, exact sympy softmax and log-sum-exp."""

import math

import pytest
import sympy

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed

ID = "attention.softmax_scores"
SEEDS = range(300)


def test_seed_001_q2(qtype):
    answer = qtype.solve({"scores": [2.0, 1.0, 0.0], "scale": 1.0})
    assert [round(w, 3) for w in answer["weights"]] == [0.665, 0.245, 0.090]


def test_scaled_by_sqrt_dk(qtype):
    # Scores (4, 0) with d_k = 16 are scaled to (1, 0): weights e/(e + 1), 1/(e + 1).
    answer = qtype.solve({"scores": [4.0, 0.0], "scale": 0.25})
    assert answer["weights"] == pytest.approx([0.7310585786, 0.2689414214])


def test_key_dimension_is_recovered_only_for_whole_d_k(qtype):
    assert qtype.key_dimension(0.125) == 64
    assert qtype.key_dimension(1 / math.sqrt(8)) == 8
    assert qtype.key_dimension(0.3) is None
    assert qtype.key_dimension(1.0) is None


def test_plain_multiplier_is_stated(qtype):
    f = render_fragments(qtype.variant(0, {"scores": [1.0, 2.0, 3.0], "scale": 0.3}))
    assert "d_k" not in f.question and r"\num{0.3}" in f.question


def test_exact_sympy_softmax(variants):
    for v in variants:
        scale = sympy.nsimplify(v.params["scale"])
        exps = [sympy.exp(scale * sympy.nsimplify(s)) for s in v.params["scores"]]
        total = sum(exps)
        expected = [float(sympy.N(e / total, 30)) for e in exps]
        assert v.answer["weights"] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_log_sum_exp_route(variants):
    for v in variants:
        z = [v.params["scale"] * s for s in v.params["scores"]]
        top = max(z)
        lse = top + math.log(math.fsum(math.exp(x - top) for x in z))
        assert v.answer["weights"] == pytest.approx([math.exp(x - lse) for x in z], rel=1e-12)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        assert 3 <= len(p["scores"]) <= 5
        assert len(set(p["scores"])) == len(p["scores"])
        assert all(type(s) is float for s in p["scores"]) and type(p["scale"]) is float
        assert set(p) == {"scores", "scale"}
        if p["scale"] == 1.0:
            assert all((2 * s).is_integer() for s in p["scores"])  # short decimals
        else:
            assert 1 / p["scale"] ** 2 in {4.0, 16.0, 64.0}
            # Scaled scores are quarter steps a student can handle.
            assert all((4 * p["scale"] * s).is_integer() for s in p["scores"])
        assert sum(v.answer["weights"]) == pytest.approx(1.0)
        assert set(v.answer) == {"weights"}
    assert len({(tuple(v.params["scores"]), v.params["scale"]) for v in variants[:200]}) >= 150
    assert any(v.params["scale"] == 1 for v in variants)
    assert any(v.params["scale"] != 1 for v in variants)


@pytest.mark.parametrize("bad, reason", [
    ({"scores": [1.0, 1.0, 1.0], "scale": 1.0}, "equal"),
    ({"scores": [1.0, 2.0], "scale": 0.0}, "positive"),
    ({"scores": [1.0, float("nan")], "scale": 1.0}, "finite"),
    ({"scores": [1000.0, 2.0], "scale": 1.0}, "within"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        weights = [fixed(w, 3) for w in v.answer["weights"]]
        assert not all(w in f.question for w in weights)
        assert all(w in f.solution for w in weights)
        if v.params["scale"] != 1:
            # The question names d_k = 1/scale^2 (the contract stores only the scale).
            assert f"d_k = {round(v.params['scale'] ** -2)}" in f.question


def test_choice_mistakes_scaled_by_sqrt_dk(qtype):
    # Scores (4, 0), d_k = 16: the answer is e/(e + 1); the slips change the scaling or base.
    variant = qtype.variant(0, {"scores": [4.0, 0.0], "scale": 0.25})
    values = {m.name: m.value for m in qtype.mistakes(variant.params, variant.answer)}
    assert qtype.choice_value(variant.answer) == pytest.approx(math.e / (math.e + 1))
    assert values["no scaling"] == pytest.approx(math.exp(4) / (math.exp(4) + 1))
    assert values["divided by d_k"] == pytest.approx(math.exp(0.25) / (math.exp(0.25) + 1))
    assert values["base 10"] == pytest.approx(10 / 11)
    assert values["scaled after softmax"] == pytest.approx(0.25 * math.exp(4) / (math.exp(4) + 1))
