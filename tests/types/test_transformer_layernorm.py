"""transformer.layernorm: seed 000 Q3c (where "2 scalars per token" is wrong); array shapes,
exact statistics and PyTorch's LayerNorm."""

import json
import statistics
from fractions import Fraction

import numpy as np
import pytest
import sympy

from qbank.render.documents import render_fragments
from qbank.render.numbers import grouped

ID = "transformer.layernorm"
# Seed 000 Q3c: d_model 100, n = 75 tokens (from Q3a), 4 layers. The student answered
# 2n = 150; the right count is 2 x 100 per LayerNorm, 400 per layer, 1,600 in all.
SEED_PARAMS = {"d_model": 100, "n_tokens": 75, "n_layers": 4, "x": [2, 4, 6, 8],
               "gamma": [1.0, 1.0, 1.0, 1.0], "beta": [0.0, 0.0, 0.0, 0.0]}


@pytest.fixture(scope="module")
def variants(qtype):
    return [qtype.draw(seed) for seed in range(300)]


def test_seed_000_q3c(qtype):
    answer = qtype.solve(SEED_PARAMS)
    assert (answer["per_layernorm"], answer["per_layer"], answer["total"]) == (200, 400, 1600)
    assert answer["total"] != 2 * SEED_PARAMS["n_tokens"]
    assert answer["depends_on_tokens"] is False
    # x = (2, 4, 6, 8): mean 5, deviations (-3, -1, 1, 3), variance 20 / 4 = 5.
    assert (answer["mean"], answer["variance"]) == (5.0, 5.0)
    assert [round(z, 3) for z in answer["normalised"]] == [-1.342, -0.447, 0.447, 1.342]


def test_count_does_not_scale_with_tokens(qtype):
    for v in (qtype.draw(seed) for seed in range(20)):
        counts = {tuple(qtype.solve({**v.params, "n_tokens": n})[k]
                        for k in ("per_layernorm", "per_layer", "total"))
                  for n in (1, 2, 75, 512, 4096)}
        assert len(counts) == 1


def test_counts_by_array_shapes(variants):
    for v in variants:
        d_model, layers = v.params["d_model"], v.params["n_layers"]
        norm = {"gamma": np.ones(d_model), "beta": np.zeros(d_model)}  # one LayerNorm
        stack = [[dict(norm), dict(norm)] for _ in range(layers)]     # two per layer
        assert v.answer["per_layernorm"] == sum(a.size for a in norm.values())
        assert v.answer["per_layer"] == sum(a.size for n in stack[0] for a in n.values())
        assert v.answer["total"] == sum(a.size for layer in stack for n in layer for a in n.values())


def test_exact_statistics(variants):
    for v in variants:
        values = [Fraction(x) for x in v.params["x"]]
        mean, variance = statistics.fmean(values), statistics.pvariance(values)
        assert v.answer["mean"] == pytest.approx(mean, rel=1e-15, abs=1e-15)
        assert v.answer["variance"] == float(variance)
        sigma = sympy.sqrt(sympy.Rational(variance.numerator, variance.denominator))
        mu = sympy.Rational(sum(values) / len(values))
        for x, z, g, b, y in zip(v.params["x"], v.answer["normalised"], v.params["gamma"],
                                 v.params["beta"], v.answer["output"]):
            exact = (x - mu) / sigma
            assert z == pytest.approx(float(sympy.N(exact, 30)), rel=1e-12, abs=1e-15)
            expected = sympy.nsimplify(g) * exact + sympy.nsimplify(b)
            assert y == pytest.approx(float(sympy.N(expected, 30)), rel=1e-12, abs=1e-12)
        assert np.mean(v.answer["normalised"]) == pytest.approx(0, abs=1e-12)
        assert np.var(v.answer["normalised"]) == pytest.approx(1, rel=1e-12)


def test_matches_torch(variants):
    torch = pytest.importorskip("torch")
    for v in variants[:100]:
        p = v.params
        x = torch.tensor(p["x"], dtype=torch.float64)
        out = torch.nn.functional.layer_norm(
            x, (len(p["x"]),), weight=torch.tensor(p["gamma"], dtype=torch.float64),
            bias=torch.tensor(p["beta"], dtype=torch.float64), eps=0.0)
        torch.testing.assert_close(out, torch.tensor(v.answer["output"], dtype=torch.float64),
                                   rtol=1e-9, atol=1e-12)
    for v in variants[:15]:
        p = v.params
        layer = torch.nn.TransformerEncoderLayer(p["d_model"], 4, device="meta")
        norms = [m for m in layer.modules() if isinstance(m, torch.nn.LayerNorm)]
        assert len(norms) == 2
        assert sum(t.numel() for m in norms for t in m.parameters()) == v.answer["per_layer"]
        assert sum(t.numel() for t in norms[0].parameters()) == v.answer["per_layernorm"]


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        assert len(p["x"]) == 4 and len(set(p["x"])) > 1 and sum(p["x"]) % 4 == 0
        assert all(type(x) is int for x in p["x"])
        assert all(g in (0.5, 1.0, 1.5, 2.0) for g in p["gamma"])
        assert all(b in (-1.0, -0.5, 0.0, 0.5, 1.0) for b in p["beta"])
        assert json.loads(v.dumps())["answer"] == v.answer
    assert len({json.dumps(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("bad, reason", [
    ({"d_model": 0}, "d_model"),
    ({"n_tokens": 7.5}, "n_tokens"),
    ({"x": [3, 3, 3, 3]}, "variance is 0"),
    ({"gamma": [1.0, 1.0]}, "same length"),
    ({"beta": [0.0, float("nan"), 0.0, 0.0]}, "numbers"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems({**SEED_PARAMS, **bad})
    assert found and reason in found[0]


def test_templates_render(qtype, variants):
    for v in [qtype.variant(0, SEED_PARAMS), *variants[:30]]:
        f = render_fragments(v)
        # Every part but (d), which is marked by its rubric, is boxed once.
        assert f.solution.count(r"\finalanswer") == 7 and r"\finalanswer" not in f.question
        final = f.solution[f.solution.index(r"\finalanswer"):]
        for key in ("per_layernorm", "per_layer", "total"):
            assert rf"\num{{{grouped(str(v.answer[key]))}}}" in final
        shown = {v.params["d_model"], v.params["n_tokens"], v.params["n_layers"], 2 * v.params["n_tokens"]}
        if v.answer["total"] not in shown:
            assert rf"\num{{{grouped(str(v.answer['total']))}}}" not in f.question


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_choice_mistakes_seed_000_q3c(qtype):
    # d_model 100, n = 75 tokens, 4 layers: 1,600; the student's "2 per token" gives 150 per LayerNorm.
    parts = _parts(qtype, qtype.variant(0, SEED_PARAMS))
    assert qtype.choice_part == "c" and parts["c"].answer == 1600
    values = {m.name: m.value for m in parts["c"].mistakes}
    assert values["per token"] == 8 * 150
    assert values["one LayerNorm per layer"] == 4 * 200
    assert values["one layer only"] == 400
    assert {m.name: m.value for m in parts["a"].mistakes}["per token"] == 150
    assert {m.name: m.value for m in parts["b"].mistakes}["one LayerNorm per layer"] == 200


def test_toy_parts_by_numpy(qtype, variants):
    for v in variants:
        x = np.array(v.params["x"], dtype=float)
        gamma, beta = np.array(v.params["gamma"]), np.array(v.params["beta"])
        mean, variance = x.mean(), x.var()
        normalised = (x - mean) / np.sqrt(variance)
        parts = _parts(qtype, v)
        assert [parts[k].answer for k in "abc"] == [
            2 * v.params["d_model"], 4 * v.params["d_model"], 4 * v.params["d_model"] * v.params["n_layers"]]
        assert parts["e"].answer == pytest.approx(mean, abs=1e-12)
        assert parts["f"].answer == pytest.approx(variance, rel=1e-12)
        assert parts["g"].answer == pytest.approx(normalised.tolist(), abs=1e-12)
        assert parts["h"].answer == pytest.approx((gamma * normalised + beta).tolist(), abs=1e-12)
        assert parts["d"].kind == "free" and sum(line.points for line in parts["d"].rubric) == 1
        sample = {m.name: m.value for m in parts["f"].mistakes}["divided by d - 1"]
        assert sample == pytest.approx(x.var(ddof=1))


def test_accepted_values_carry_three_decimals(qtype, variants):
    # sigma rounded to 3 decimals (half up) for the normalised vector; that vector, or the
    # exact one, rounded to 3 decimals for the output.
    for v in variants:
        x = np.array(v.params["x"], dtype=float)
        gamma, beta = np.array(v.params["gamma"]), np.array(v.params["beta"])
        rounded_sigma = np.floor(np.sqrt(x.var()) * 1000 + 0.5) / 1000
        by_rounded = (x - x.mean()) / rounded_sigma
        parts = _parts(qtype, v)
        assert parts["g"].accepted[0] == pytest.approx(by_rounded.tolist(), abs=1e-12)
        half_up = lambda z: np.sign(z) * np.floor(np.abs(z) * 1000 + 0.5 + 1e-9) / 1000  # noqa: E731
        exact = (x - x.mean()) / np.sqrt(x.var())
        for normalised in (exact, by_rounded):
            carried = (gamma * half_up(normalised) + beta).tolist()
            assert any(a == pytest.approx(carried, abs=1e-12) for a in parts["h"].accepted)
