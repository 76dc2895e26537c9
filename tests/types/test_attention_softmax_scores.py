"""attention.softmax_scores: seed 001 Q2, exact sympy softmax and log-sum-exp."""

import math
from fractions import Fraction

import pytest
import sympy

from qbank.checker.expected import check_data
from qbank.checker.verdict import judge
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


def _softmax(values, base=math.e):
    powers = [base ** v for v in values]
    return [p / sum(powers) for p in powers]


def test_one_part_the_whole_weight_vector(qtype, variants):
    for v in variants:
        (part,) = qtype.parts(v)
        assert (part.label, part.kind, part.places) == ("a", "vector", 3)
        # Independently of the code: the softmax of the scaled scores, by the defining formula.
        expected = _softmax([v.params["scale"] * s for s in v.params["scores"]])
        assert part.answer == pytest.approx(expected, rel=1e-12)
        assert all(len(m.value) == len(v.params["scores"]) for m in part.mistakes)
    assert qtype.choice_part == "a"


def test_mistakes_are_whole_weight_vectors_scaled_by_sqrt_dk(qtype):
    # Scores (4, 0), d_k = 16, so z = (1, 0): the answer is (e, 1)/(e + 1).
    variant = qtype.variant(0, {"scores": [4.0, 0.0], "scale": 0.25})
    (part,) = qtype.parts(variant)
    values = {m.name: m.value for m in part.mistakes}
    e = math.e
    assert part.answer == pytest.approx([e / (e + 1), 1 / (e + 1)])
    assert values["no scaling"] == pytest.approx(_softmax([4, 0]))
    assert values["divided by d_k"] == pytest.approx(_softmax([0.25, 0]))
    assert values["base 10"] == pytest.approx([10 / 11, 1 / 11])
    assert values["scaled after softmax"] == pytest.approx([0.25 * w for w in _softmax([4, 0])])
    assert values["negated scores"] == pytest.approx(_softmax([-1, 0]))
    assert values["sigmoid"] == pytest.approx([1 / (1 + 1 / e), 0.5])
    assert values["own term dropped"] == pytest.approx([e / 1, 1 / e])
    assert values["no exponentials"] == pytest.approx([1.0, 0.0])
    assert values["log-softmax"] == pytest.approx([math.log(e / (e + 1)), math.log(1 / (e + 1))])


def test_plausible_distractors_come_first(qtype, variants):
    # Weight vectors in (0, 1) that sum to 1 first, then ones in (0, 1), then the rest.
    for v in variants[:50]:
        (part,) = qtype.parts(v)
        ranks = []
        for m in part.mistakes:
            inside = all(0 < w < 1 for w in m.value)
            ranks.append(0 if inside and abs(sum(m.value) - 1) < 1e-9 else 1 if inside else 2)
        assert ranks == sorted(ranks)


def test_printed_exponentials_add_up_to_the_printed_sum(variants):
    # The sum S is printed as the sum of the four-decimal terms printed beside it.
    for v in variants[:60]:
        terms = [fixed(math.exp(v.params["scale"] * s), 4) for s in v.params["scores"]]
        total = sum(Fraction(t) for t in terms)
        printed_sum = fixed(float(total), 4)
        solution = render_fragments(v).solution
        assert "S = " + " + ".join(rf"\num{{{t}}}" for t in terms) + \
            rf" = \num{{{printed_sum}}}" in solution


def test_carried_weights_come_from_exponentials_rounded_to_three_decimals(qtype, variants):
    for v in variants[:60]:
        (part,) = qtype.parts(v)
        rounded = [Fraction(fixed(math.exp(v.params["scale"] * s), 3)) for s in v.params["scores"]]
        (carried,) = part.accepted
        assert carried == pytest.approx([float(r / sum(rounded)) for r in rounded], rel=1e-12)


def test_carried_weights_earn_the_marks_where_they_fall_outside_the_tolerance(qtype):
    # Small exponentials (all scores negative) lose much in rounding to three decimals:
    # e^-3, e^-3.5, e^-4 = 0.050, 0.030, 0.018 carry to weights (0.510, 0.306, 0.184).
    variant = qtype.variant(0, {"scores": [-3.0, -3.5, -4.0], "scale": 1.0})
    (part,) = qtype.parts(variant)
    carried = [0.050 / 0.098, 0.030 / 0.098, 0.018 / 0.098]
    assert part.accepted[0] == pytest.approx(carried, rel=1e-12)
    typed = "[" + ", ".join(f"{w:.3f}" for w in carried) + "]"
    off = max(abs(a - b) for a, b in zip(part.answer, carried))
    assert off > 2e-3   # beyond the tolerance of the answer alone
    data = check_data(variant)["parts"][0]
    assert judge(data, typed).is_right
    assert not judge(data, "[0.530, 0.306, 0.184]").is_right
