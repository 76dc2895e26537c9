"""losses.softmax_ce_gradient: finite differences of the log-sum-exp form of the loss."""

import math

import numpy as np
import pytest

from qbank.checker.expected import check_data
from qbank.checker.verdict import judge
from qbank.choice import option_tex
from qbank.parts import part_tolerance
from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed

ID = "losses.softmax_ce_gradient"
SEEDS = range(300)
STEP = 1e-6


def test_logits_2_1_0(qtype):
    # Seed 002 Q2 option 2 derives p - t; softmax(2, 1, 0) = (0.665, 0.245, 0.090).
    answer = qtype.solve({"logits": [2.0, 1.0, 0.0], "target": 0})
    assert [round(p, 3) for p in answer["probs"]] == [0.665, 0.245, 0.090]
    assert [round(g, 3) for g in answer["gradient"]] == [-0.335, 0.245, 0.090]


def _log_sum_exp(z):
    top = max(z)
    return top + math.log(math.fsum(math.exp(x - top) for x in z))


def _loss(z, target):
    # -ln softmax(z)[target] = logsumexp(z) - z[target]; no softmax anywhere.
    return _log_sum_exp(z) - z[target]


def _central(f, z, i):
    up, down = list(z), list(z)
    up[i] += STEP
    down[i] -= STEP
    return (f(up) - f(down)) / (2 * STEP)


def test_finite_differences(variants):
    for v in variants:
        z, target = v.params["logits"], v.params["target"]
        for i in range(len(z)):
            # d logsumexp / dz_i is the softmax probability itself.
            assert v.answer["probs"][i] == pytest.approx(_central(_log_sum_exp, z, i), abs=1e-8)
            assert v.answer["gradient"][i] == pytest.approx(
                _central(lambda w: _loss(w, target), z, i), abs=1e-8)


def test_gradient_shape_of_the_answer(variants):
    for v in variants:
        gradient, target = v.answer["gradient"], v.params["target"]
        assert math.fsum(gradient) == pytest.approx(0, abs=1e-12)
        assert gradient[target] < 0 and all(g > 0 for i, g in enumerate(gradient) if i != target)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        z = v.params["logits"]
        assert qtype.problems(v.params) == [] and set(v.params) == {"logits", "target"}
        assert len(z) in (3, 4) and len(set(z)) == len(z)
        assert all(type(x) is float and -2 <= x <= 3 and abs(x * 10 - round(x * 10)) < 1e-9
                   for x in z)
        assert type(v.params["target"]) is int and 0 <= v.params["target"] < len(z)
    assert any(all(x.is_integer() for x in v.params["logits"]) for v in variants)
    assert len({str(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("bad, reason", [
    ({"logits": [1.0, 2.0, 3.0], "target": 3}, "class index"),
    ({"logits": [1.0, 2.0, 3.0], "target": True}, "class index"),
    ({"logits": [1.0], "target": 0}, "list of 2 to 6"),
    ({"logits": [1.0, 200.0], "target": 0}, "between -20 and 20"),
    ({"logits": [1.0, float("nan")], "target": 0}, "between -20 and 20"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        gradient = [f"{{{fixed(g, 3)}}}" for g in v.answer["gradient"]]
        assert not any(g in f.question for g in gradient)
        assert all(g in f.solution for g in gradient)
        assert "p_i - t_i" in f.question and r"\delta_{ki}" in f.solution


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def _outside(part, typed):
    tolerance = part_tolerance(part)
    return any(abs(x - v) > max(tolerance.absolute, tolerance.relative * abs(v))
               for x, v in zip(typed, part.answer))


def test_parts_ask_the_derivation_then_p_and_the_gradient(qtype, variants):
    for v in variants:
        parts = _parts(qtype, v)
        assert [(p.label, p.kind, p.places, p.weight) for p in parts.values()] == [
            ("a", "free", None, 2), ("b", "vector", 3, 1), ("c", "vector", 3, 1)]
        assert sum(line.points for line in parts["a"].rubric) == parts["a"].weight
        # numpy, shifted by the largest logit: another route to the softmax.
        z = np.array(v.params["logits"])
        p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        assert parts["b"].answer == pytest.approx(p.tolist(), rel=1e-12)
        assert parts["c"].answer == pytest.approx(
            (p - np.eye(len(z))[v.params["target"]]).tolist(), abs=1e-12)
    assert qtype.choice_part == "c"


def test_carried_values_come_from_the_rounded_exponentials(qtype):
    outside = 0
    for v in (qtype.draw(seed) for seed in range(2000)):
        parts = _parts(qtype, v)
        exps = np.array([float(f"{math.exp(z):.3f}") for z in v.params["logits"]])
        probs = exps / exps.sum()
        gradient = probs - np.eye(len(exps))[v.params["target"]]
        assert parts["b"].accepted[0] == pytest.approx(probs.tolist(), rel=1e-12)
        assert parts["c"].accepted[0] == pytest.approx(gradient.tolist(), abs=1e-12)
        data = {p["label"]: p for p in check_data(v)["parts"]}
        typed = "[" + ", ".join(f"{g:.3f}" for g in gradient) + "]"
        assert judge(data["c"], typed).is_right
        outside += _outside(parts["c"], [float(f"{g:.3f}") for g in gradient])
    # Rare with three or four logits (about one seed in 2000), but it happens.
    assert outside > 0


def test_mistakes_on_seed_002_q2(qtype):
    variant = qtype.variant(0, {"logits": [2.0, 1.0, 0.0], "target": 0})
    parts = _parts(qtype, variant)
    values = {m.name: m.value for m in parts["c"].mistakes}
    total = math.e ** 2 + math.e + 1
    p = [math.e ** 2 / total, math.e / total, 1 / total]          # 0.665, 0.245, 0.090
    assert values["t - p"] == pytest.approx([1 - p[0], -p[1], -p[2]])
    assert values["stops at dL/dp"] == pytest.approx([-1 / p[0], 0, 0])
    assert values["forgets the target"] == pytest.approx(p)
    assert values["logits minus target"] == pytest.approx([1.0, 1.0, 0.0])
    tex = option_tex(parts["c"], values["t - p"])
    assert [tex.index(rf"\num{{{x}}}") for x in ("0.335", "-0.245", "-0.090")] == \
        sorted(tex.index(rf"\num{{{x}}}") for x in ("0.335", "-0.245", "-0.090"))
    probs = {m.name: m.value for m in parts["b"].mistakes}
    assert probs["not normalised"] == pytest.approx([math.e ** 2, math.e, 1])
    assert probs["no exponentials"] == pytest.approx([2 / 3, 1 / 3, 0])
    assert probs["sigmoid instead of softmax"] == pytest.approx(
        [1 / (1 + math.exp(-z)) for z in (2, 1, 0)])
