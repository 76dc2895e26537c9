"""transformer.ffn: multiplications and parameters of the feed-forward block (seed 000 Q3d)."""

import json

import numpy as np
import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import grouped

ID = "transformer.ffn"
SEED_PARAMS = {"d_model": 100, "d_ff": 200}


def counted_matmul(a, b):
    """Triple-loop matrix product; returns (product, number of scalar multiplications)."""
    out = np.zeros((a.shape[0], b.shape[1]), dtype=a.dtype)
    count = 0
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            for k in range(a.shape[1]):
                out[i, j] += a[i, k] * b[k, j]
                count += 1
    return out, count


def weight_arrays(d_model, d_ff):
    """The FFN's tensors as zero arrays of the shapes nn.Linear stores."""
    return [np.zeros((d_ff, d_model)), np.zeros(d_ff),      # linear1 weight, bias
            np.zeros((d_model, d_ff)), np.zeros(d_model)]   # linear2 weight, bias


def test_seed_paper_numbers(qtype):
    # 000 Q3d: 100*200 + 200*100 = 40,000 multiplications; 40,300 parameters.
    assert qtype.variant(0, SEED_PARAMS).answer == {"multiplications": 40000, "params": 40300}


@pytest.mark.parametrize("seed", range(30))
def test_counted_forward_pass_small_sizes(qtype, seed):
    rng = np.random.default_rng(seed)
    d_model, d_ff = (int(s) for s in rng.integers(1, 9, size=2))
    x = rng.integers(-3, 4, size=(1, d_model))
    w1, w2 = rng.integers(-3, 4, size=(d_model, d_ff)), rng.integers(-3, 4, size=(d_ff, d_model))
    b1, b2 = rng.integers(-3, 4, size=d_ff), rng.integers(-3, 4, size=d_model)
    hidden, first = counted_matmul(x, w1)
    out, second = counted_matmul(np.maximum(0, hidden + b1), w2)  # bias and ReLU: no products
    np.testing.assert_array_equal(out + b2, np.maximum(0, x @ w1 + b1) @ w2 + b2)
    answer = qtype.variant(0, {"d_model": d_model, "d_ff": d_ff}).answer
    assert answer["multiplications"] == first + second


def test_drawn_variants_by_array_sizes(qtype):
    for seed in range(300):
        v = qtype.draw(seed)
        d_model, d_ff = v.params["d_model"], v.params["d_ff"]
        assert v.answer["params"] == sum(a.size for a in weight_arrays(d_model, d_ff))
        # One token: broadcast x[:, None] * W1 and h[:, None] * W2, summed over the inner axis.
        products = (np.broadcast_shapes((d_model, 1), (d_model, d_ff)),
                    np.broadcast_shapes((d_ff, 1), (d_ff, d_model)))
        assert v.answer["multiplications"] == sum(int(np.prod(s)) for s in products)


def test_well_posed_and_varied(qtype):
    seen = set()
    for seed in range(200):
        v = qtype.draw(seed)
        assert qtype.problems(v.params) == []
        assert set(v.answer) == {"multiplications", "params"}
        assert all(type(x) is int and x > 0 for x in (*v.params.values(), *v.answer.values()))
        d_model, d_ff = v.params["d_model"], v.params["d_ff"]
        assert 2 * d_model <= d_ff <= 4 * d_model
        assert d_ff % d_model == 0 or d_ff % 50 == 0
        assert json.loads(v.dumps())["answer"] == v.answer
        seen.add((d_model, d_ff))
    assert len(seen) >= 150


@pytest.mark.parametrize("bad", [{"d_model": 0}, {"d_ff": -200}, {"d_ff": 200.0},
                                 {"d_model": False}])
def test_problems_rejects_bad_values(qtype, bad):
    assert qtype.problems({**SEED_PARAMS, **bad})
    assert qtype.problems(SEED_PARAMS) == []


@pytest.mark.parametrize("seed", [None, *range(10)])
def test_templates_render(qtype, seed):
    v = qtype.variant(0, SEED_PARAMS) if seed is None else qtype.draw(seed)
    f = render_fragments(v)
    for value in v.answer.values():
        assert rf"\num{{{grouped(str(value))}}}" not in f.question
        assert rf"\num{{{grouped(str(value))}}}" in f.solution
    assert "multiplications in the matrix products" in f.question
    assert f.solution.count(r"\finalanswer") == 2


def test_matches_torch(qtype):
    torch = pytest.importorskip("torch")
    for seed in range(20):
        v = qtype.draw(seed)
        d_model, d_ff = v.params["d_model"], v.params["d_ff"]
        ffn = torch.nn.Sequential(torch.nn.Linear(d_model, d_ff), torch.nn.ReLU(),
                                  torch.nn.Linear(d_ff, d_model))
        assert v.answer["params"] == sum(p.numel() for p in ffn.parameters() if p.requires_grad)


def test_choice_mistakes_seed_000_q3d(qtype):
    # d_model 100, d_ff 200: 40,300 parameters.
    params = {"d_model": 100, "d_ff": 200}
    parts = {part.label: part for part in qtype.parts(qtype.variant(0, params))}
    assert qtype.choice_part == "b" and parts["b"].answer == 40_300
    values = {m.name: m.value for m in parts["b"].mistakes}
    assert values["no bias"] == 40_000
    assert values["one layer"] == 100 * 200 + 200
    assert values["d_ff biases twice"] == 40_000 + 400
    products = {m.name: m.value for m in parts["a"].mistakes}
    assert parts["a"].answer == 40_000
    assert products == {"one product": 20_000, "parameters counted": 40_300,
                        "matrix sizes added": 600}


@pytest.mark.parametrize("seed", range(8))
def test_parts_by_counted_forward_pass_and_arrays(qtype, seed):
    # Drawn sizes scaled down by 10 where they divide, so the triple loop stays quick.
    v = qtype.draw(seed)
    d_model, d_ff = v.params["d_model"], v.params["d_ff"]
    small = {"d_model": max(1, d_model // 10), "d_ff": max(1, d_ff // 10)}
    parts = {part.label: part for part in qtype.parts(qtype.variant(0, small))}
    x = np.ones((1, small["d_model"]))
    hidden, first = counted_matmul(x, np.ones((small["d_model"], small["d_ff"])))
    _, second = counted_matmul(hidden, np.ones((small["d_ff"], small["d_model"])))
    assert parts["a"].answer == first + second
    assert parts["b"].answer == sum(a.size for a in weight_arrays(small["d_model"], small["d_ff"]))
    full = {part.label: part.answer for part in qtype.parts(v)}
    assert full["b"] == sum(a.size for a in weight_arrays(d_model, d_ff))
