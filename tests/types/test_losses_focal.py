"""losses.focal: seed 004 Q10's definitions, checked by the expanded RetinaNet formula."""

import math

import pytest

from qbank.choice import option_tex
from qbank.parts import printed_answer
from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed
from qbank.types.losses.focal import ALPHAS, GAMMAS

ID = "losses.focal"
SEEDS = range(300)


def test_easy_positive_example(qtype):
    # p_t = 0.9: CE = -ln 0.9 = 0.10536, factor 0.1^2 = 0.01, FL = 0.25 * 0.01 * CE.
    answer = qtype.solve({"p": 0.9, "y": 1, "alpha": 0.25, "gamma": 2.0})
    assert answer["ce"] == pytest.approx(0.1053605157, rel=1e-9)
    assert answer["focal"] == pytest.approx(0.25 * 0.01 * 0.1053605157, rel=1e-9)


def test_negative_example_uses_one_minus_p_and_one_minus_alpha(qtype):
    # y = 0, p = 0.8: p_t = 0.2, alpha_t = 0.75, factor 0.8^1.
    answer = qtype.solve({"p": 0.8, "y": 0, "alpha": 0.25, "gamma": 1.0})
    assert answer["ce"] == pytest.approx(math.log(5), rel=1e-12)
    assert answer["focal"] == pytest.approx(0.75 * 0.8 * math.log(5), rel=1e-12)


def test_gamma_zero_is_alpha_weighted_cross_entropy(qtype):
    answer = qtype.solve({"p": 0.3, "y": 1, "alpha": 0.75, "gamma": 0.0})
    assert answer["focal"] == pytest.approx(0.75 * answer["ce"], rel=1e-15)


def _expanded(p, y, alpha, gamma):
    """Both classes written out, no p_t: the form in the RetinaNet paper's appendix."""
    ce = -(y * math.log(p) + (1 - y) * math.log(1 - p))
    focal = -(alpha * y * (1 - p) ** gamma * math.log(p)
              + (1 - alpha) * (1 - y) * p ** gamma * math.log(1 - p))
    return ce, focal


def test_expanded_formula(variants):
    for v in variants:
        ce, focal = _expanded(**v.params)
        assert v.answer["ce"] == pytest.approx(ce, rel=1e-12)
        assert v.answer["focal"] == pytest.approx(focal, rel=1e-12, abs=1e-300)


def test_focal_never_exceeds_alpha_weighted_ce(variants):
    for v in variants:
        y, alpha = v.params["y"], v.params["alpha"]
        alpha_t = alpha if y == 1 else 1 - alpha
        assert 0 < v.answer["focal"] <= alpha_t * v.answer["ce"] * (1 + 1e-12)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == [] and set(p) == {"p", "y", "alpha", "gamma"}
        assert type(p["p"]) is float and 0.05 <= p["p"] <= 0.95
        assert abs(p["p"] * 100 - round(p["p"] * 100)) < 1e-9
        assert type(p["y"]) is int and p["y"] in (0, 1)
        assert p["alpha"] in ALPHAS and p["gamma"] in GAMMAS
    assert len({tuple(v.params.values()) for v in variants[:200]}) >= 150
    assert {v.params["gamma"] for v in variants} == set(GAMMAS)


@pytest.mark.parametrize("bad, reason", [
    ({"p": 1.0, "y": 1, "alpha": 0.25, "gamma": 2.0}, "strictly between"),
    ({"p": 0.0, "y": 0, "alpha": 0.25, "gamma": 2.0}, "strictly between"),
    ({"p": 0.5, "y": 2, "alpha": 0.25, "gamma": 2.0}, "label 0 or 1"),
    ({"p": 0.5, "y": True, "alpha": 0.25, "gamma": 2.0}, "label 0 or 1"),
    ({"p": 0.5, "y": 1, "alpha": 1.5, "gamma": 2.0}, "alpha"),
    ({"p": 0.5, "y": 1, "alpha": 0.25, "gamma": -1.0}, "gamma"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(qtype, variants):
    for v in variants[:40]:
        f = render_fragments(v)
        # The working carries CE to six decimals, so that FL from it is right to the fifth.
        ce = fixed(v.answer["ce"], 6)
        assert f"{{{ce}}}" not in f.question and f"{{{ce}}}" in f.solution
        assert "four decimal places" in f.question and r"\log_{10}" in f.question
    easy = render_fragments(qtype.variant(0, {"p": 0.95, "y": 1, "alpha": 0.25, "gamma": 5.0}))
    hard = render_fragments(qtype.variant(0, {"p": 0.95, "y": 0, "alpha": 0.25, "gamma": 2.0}))
    assert r"\emph{easy}" in easy.solution and r"10^{-" in easy.solution  # 0.05^5, scientific
    assert "all but vanishes" in easy.solution and "all but vanishes" not in hard.solution
    assert r"\emph{hard}" in hard.solution and r"\emph{easy}" not in hard.solution


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_parts_ask_ce_focal_the_ratio_as_a_power_of_ten_and_why(qtype, variants):
    for v in variants:
        parts = _parts(qtype, v)
        assert [(p.label, p.kind, p.places, p.weight) for p in parts.values()] == [
            ("a", "number", 4, 1), ("b", "number", 4, 2), ("c", "number", 2, 1),
            ("d", "free", None, 2)]
        ce, focal = _expanded(**v.params)
        assert parts["a"].answer == pytest.approx(ce, rel=1e-12)
        assert parts["b"].answer == pytest.approx(focal, rel=1e-12, abs=1e-300)
        # The ratio by another route: the expanded focal loss over the expanded CE.
        assert parts["c"].answer == pytest.approx(math.log10(focal / ce), abs=1e-12)
        assert all(not p.accepted for p in parts.values())
        assert sum(line.points for line in parts["d"].rubric) == parts["d"].weight
        assert parts["d"].model_answer
    assert qtype.choice_part == "b"


def test_the_ratio_spans_orders_of_magnitude(qtype, variants):
    # Why (c) asks for a power of ten: four decimals of FL/CE would be 0 for easy examples.
    logs = [_parts(qtype, v)["c"].answer for v in variants]
    assert min(logs) < -6 and max(logs) > -0.7
    tiny = [v for v in variants if v.answer["focal"] < 0.00005]
    assert tiny and all(printed_answer(_parts(qtype, v)["b"]).text == "0.0000" for v in tiny)


def test_a_pinned_alpha_that_leaves_no_loss_is_refused(qtype):
    assert "no loss at all" in qtype.problems({"p": 0.5, "y": 0, "alpha": 1.0, "gamma": 2.0})[0]
    assert "no loss at all" in qtype.problems({"p": 0.5, "y": 1, "alpha": 0.0, "gamma": 2.0})[0]
    assert qtype.problems({"p": 0.5, "y": 1, "alpha": 1.0, "gamma": 2.0}) == []


def test_mistakes_on_seed_004_q10(qtype):
    # p = 0.9, y = 1: p_t = 0.9, alpha_t = 0.25, factor 0.1^2 = 0.01.
    variant = qtype.variant(0, {"p": 0.9, "y": 1, "alpha": 0.25, "gamma": 2.0})
    parts = _parts(qtype, variant)
    focal = {m.name: m.value for m in parts["b"].mistakes}
    ce = -math.log(0.9)
    assert parts["b"].answer == pytest.approx(0.25 * 0.01 * ce)        # 0.000263: 0.0003
    assert focal["no modulating factor"] == pytest.approx(0.25 * ce)
    assert focal["alpha not flipped"] == pytest.approx(0.75 * 0.01 * ce)
    assert focal["p_t not flipped"] == pytest.approx(0.25 * 0.9 ** 2 * -math.log(0.1))
    assert focal["cross-entropy only"] == pytest.approx(ce)
    assert option_tex(parts["b"], parts["b"].answer) == r"\num{0.0003}"
    cross_entropy = {m.name: m.value for m in parts["a"].mistakes}
    assert cross_entropy["p_t not flipped"] == pytest.approx(-math.log(0.1))
    assert cross_entropy["log base 10"] == pytest.approx(-math.log10(0.9))
    # FL/CE = 0.25 x 0.01 = 10^-2.60.
    ratio = {m.name: m.value for m in parts["c"].mistakes}
    assert parts["c"].answer == pytest.approx(math.log10(0.0025))
    assert ratio["no alpha"] == pytest.approx(-2)
    assert ratio["ratio inverted"] == pytest.approx(math.log10(400))
    assert ratio["factor p_t^gamma"] == pytest.approx(math.log10(0.25 * 0.81))
    assert ratio["natural logarithm"] == pytest.approx(math.log(0.0025))
    assert ratio["log of FL"] == pytest.approx(math.log10(0.0025 * ce))


def test_mistakes_for_a_negative_label(qtype):
    # y = 0: p_t = 1 - 0.3 = 0.7 and alpha_t = 1 - 0.25 = 0.75.
    variant = qtype.variant(0, {"p": 0.3, "y": 0, "alpha": 0.25, "gamma": 2.0})
    focal = {m.name: m.value for m in _parts(qtype, variant)["b"].mistakes}
    assert variant.answer["focal"] == pytest.approx(0.75 * 0.3 ** 2 * -math.log(0.7))
    assert focal["alpha not flipped"] == pytest.approx(0.25 * 0.3 ** 2 * -math.log(0.7))
    assert focal["p_t not flipped"] == pytest.approx(0.75 * 0.7 ** 2 * -math.log(0.3))
    assert focal["log base 10"] == pytest.approx(0.75 * 0.3 ** 2 * -math.log10(0.7))
