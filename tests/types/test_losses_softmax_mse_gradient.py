"""losses.softmax_mse_gradient: Jacobian and gradient by finite differences."""

import math

import numpy as np
import pytest

from qbank.checker.expected import check_data
from qbank.checker.verdict import judge
from qbank.choice import option_tex
from qbank.parts import part_tolerance
from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed

ID = "losses.softmax_mse_gradient"
SEEDS = range(300)
STEP = 1e-6


def _softmax(z):
    # Shifted by the maximum, unlike the type's textbook formula.
    top = max(z)
    exps = [math.exp(x - top) for x in z]
    return [e / sum(exps) for e in exps]


def _loss(z, target):
    return sum((p - (k == target)) ** 2 for k, p in enumerate(_softmax(z))) / 2


def _nudged(z, j, step):
    return [x + step if k == j else x for k, x in enumerate(z)]


def test_logits_2_1_0(qtype):
    answer = qtype.solve({"logits": [2.0, 1.0, 0.0], "target": 0})
    assert set(answer) == {"probs", "jacobian", "grad_probs", "gradient"}
    assert [round(p, 3) for p in answer["probs"]] == [0.665, 0.245, 0.090]
    # Diagonal p(1 - p), off-diagonal -p_i p_j.
    assert answer["jacobian"][0][0] == pytest.approx(0.665241 * 0.334759, rel=1e-5)
    assert answer["jacobian"][0][1] == pytest.approx(-0.665241 * 0.244728, rel=1e-5)


def test_finite_differences(variants):
    for v in variants:
        z, target = v.params["logits"], v.params["target"]
        size = len(z)
        for j in range(size):
            up, down = _softmax(_nudged(z, j, STEP)), _softmax(_nudged(z, j, -STEP))
            for i in range(size):  # column j of J: how every p_i moves with z_j
                assert v.answer["jacobian"][i][j] == pytest.approx(
                    (up[i] - down[i]) / (2 * STEP), abs=1e-8)
            slope = (_loss(_nudged(z, j, STEP), target) - _loss(_nudged(z, j, -STEP), target))
            assert v.answer["gradient"][j] == pytest.approx(slope / (2 * STEP), abs=1e-8)
        assert v.answer["probs"] == pytest.approx(_softmax(z), rel=1e-12)
        assert v.answer["grad_probs"] == pytest.approx(
            [p - (k == target) for k, p in enumerate(_softmax(z))], abs=1e-12)


def test_jacobian_structure(variants):
    for v in variants:
        jacobian = v.answer["jacobian"]
        for i, row in enumerate(jacobian):
            # Probabilities always sum to 1, so each row of J sums to 0; J is symmetric.
            assert math.fsum(row) == pytest.approx(0, abs=1e-15)
            assert all(row[j] == pytest.approx(jacobian[j][i], abs=1e-15) for j in range(len(row)))
            assert 0 < row[i] <= 0.25


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        z = v.params["logits"]
        assert qtype.problems(v.params) == [] and set(v.params) == {"logits", "target"}
        assert len(z) == 3 and len(set(z)) == 3
        assert all(type(x) is float and -2 <= x <= 3 for x in z)
        assert type(v.params["target"]) is int and 0 <= v.params["target"] < 3
    assert len({str(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("bad, reason", [
    ({"logits": [1.0, 2.0, 3.0], "target": -1}, "class index"),
    ({"logits": [1.0, 2.0, 3.0, 4.0, 5.0], "target": 0}, "list of 2 to 4"),
    ({"logits": [1.0, "2", 3.0], "target": 0}, "between -20 and 20"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        gradient = [f"{{{fixed(g, 4)}}}" for g in v.answer["gradient"]]
        assert not any(g in f.question for g in gradient)
        assert all(g in f.solution for g in gradient)
        assert r"\begin{bmatrix}" in f.solution


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_parts_ask_p_j_dl_dp_and_dl_dz(qtype, variants):
    for v in variants:
        parts = _parts(qtype, v)
        assert [(p.label, p.kind, p.places, p.weight) for p in parts.values()] == [
            ("a", "vector", 4, 1), ("b", "matrix", 4, 2), ("c", "vector", 4, 1),
            ("d", "vector", 4, 2)]
        # numpy: J = diag(p) - p p^T, dL/dz = J^T (p - t).
        p = np.array(_softmax(v.params["logits"]))
        jacobian = np.diag(p) - np.outer(p, p)
        error = p - np.eye(3)[v.params["target"]]
        assert parts["a"].answer == pytest.approx(p.tolist(), rel=1e-12)
        assert np.allclose(parts["b"].answer, jacobian, atol=1e-15)
        assert parts["c"].answer == pytest.approx(error.tolist(), abs=1e-15)
        assert parts["d"].answer == pytest.approx((jacobian.T @ error).tolist(), abs=1e-15)
    assert qtype.choice_part == "d"


def test_carried_gradient_comes_from_the_rounded_jacobian_and_dl_dp(qtype, variants):
    outside = 0
    for v in variants:
        parts = _parts(qtype, v)
        jacobian = np.round(np.array(v.answer["jacobian"]), 4)   # no exact ties: products of e^z
        error = np.round(np.array(v.answer["grad_probs"]), 4)
        carried = jacobian.T @ error
        assert parts["d"].accepted[0] == pytest.approx(carried.tolist(), abs=1e-15)
        assert parts["a"].accepted == parts["b"].accepted == parts["c"].accepted == ()
        data = {p["label"]: p for p in check_data(v)["parts"]}
        typed = [float(f"{g:.4f}") for g in carried]
        assert judge(data["d"], repr(typed)).is_right
        tolerance = part_tolerance(parts["d"])
        outside += any(abs(x - g) > max(tolerance.absolute, tolerance.relative * abs(g))
                       for x, g in zip(typed, v.answer["gradient"]))
    assert outside > 0


def test_mistakes_on_seed_002_q2(qtype):
    variant = qtype.variant(0, {"logits": [2.0, 1.0, 0.0], "target": 0})
    parts = _parts(qtype, variant)
    values = {m.name: m.value for m in parts["d"].mistakes}
    total = math.e ** 2 + math.e + 1
    p = [math.e ** 2 / total, math.e / total, 1 / total]
    error = [p[0] - 1, p[1], p[2]]
    assert values["stops at dL/dp"] == pytest.approx(error)          # the cross-entropy gradient
    assert values["diagonal Jacobian only"] == pytest.approx(
        [q * (1 - q) * e for q, e in zip(p, error)])
    # Every J_ij = -p_i p_j: dL/dz_j = -p_j sum_i p_i (p_i - t_i).
    weighted = sum(q * e for q, e in zip(p, error))
    assert values["no delta"] == pytest.approx([-q * weighted for q in p])
    assert values["delta everywhere"] == pytest.approx([(1 - q) * weighted for q in p])
    # dL/dz_j = p_j ((p_j - t_j) - sum_i p_i (p_i - t_i)) = (-0.1198, 0.0978, 0.0220).
    assert parts["d"].answer == pytest.approx([q * (e - weighted) for q, e in zip(p, error)])
    tex = option_tex(parts["d"], parts["d"].answer)
    assert [tex.index(rf"\num{{{x}}}") for x in ("-0.1198", "0.0978", "0.0220")] == \
        sorted(tex.index(rf"\num{{{x}}}") for x in ("-0.1198", "0.0978", "0.0220"))
    jacobian = {m.name: m.value for m in parts["b"].mistakes}
    assert jacobian["no delta"][0] == pytest.approx([-p[0] * q for q in p])
    assert jacobian["no minus sign"][0] == pytest.approx(
        [p[0] * (1 - p[0]), p[0] * p[1], p[0] * p[2]])
    assert jacobian["diagonal Jacobian only"][1] == pytest.approx([0, p[1] * (1 - p[1]), 0])
    grad_probs = {m.name: m.value for m in parts["c"].mistakes}
    assert grad_probs["t - p"] == pytest.approx([-e for e in error])
    assert grad_probs["loss terms"] == pytest.approx([e * e / 2 for e in error])
    probs = {m.name: m.value for m in parts["a"].mistakes}
    assert probs["not normalised"] == pytest.approx([math.e ** 2, math.e, 1])
