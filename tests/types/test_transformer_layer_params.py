"""transformer.layer_params: parameters of stacked encoder layers (seed 000 Q3c-d)."""

import json

import numpy as np
import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import grouped

ID = "transformer.layer_params"
# The seed's student answer (50,300) is confused; these are the right numbers for
# d_model 100, d_ff 200, 4 layers: 40,400 + 40,300 + 200 + 200 = 81,100 per layer.
SEED_PARAMS = {"d_model": 100, "heads": 4, "d_ff": 200, "n_layers": 4}


def encoder_layer_arrays(d_model, d_ff):
    """Zero arrays shaped like TransformerEncoderLayer's parameters, by part."""
    return {
        "attention": [np.zeros((3 * d_model, d_model)), np.zeros(3 * d_model),  # in_proj
                      np.zeros((d_model, d_model)), np.zeros(d_model)],         # out_proj
        "ffn": [np.zeros((d_ff, d_model)), np.zeros(d_ff),
                np.zeros((d_model, d_ff)), np.zeros(d_model)],
        "norm1": [np.zeros(d_model), np.zeros(d_model)],
        "norm2": [np.zeros(d_model), np.zeros(d_model)],
    }


def per_head_attention_arrays(d_model, heads):
    """The same attention built head by head: W_q, W_k, W_v and biases per head, then W_o."""
    d_head = d_model // heads
    arrays = []
    for _ in range(heads):
        arrays += [np.zeros((d_model, d_head)) for _ in range(3)]
        arrays += [np.zeros(d_head) for _ in range(3)]
    return arrays + [np.zeros((heads * d_head, d_model)), np.zeros(d_model)]


def size(arrays):
    return sum(a.size for a in arrays)


def test_seed_paper_numbers(qtype):
    v = qtype.variant(0, SEED_PARAMS)
    assert v.answer == {"per_layer": 40400 + 40300 + 200 + 200, "total": 324400}
    assert [v.work[k] for k in ("attention", "ffn", "norm1", "norm2")] == [40400, 40300, 200, 200]


def test_heads_do_not_change_the_count(qtype):
    counts = {qtype.variant(0, {**SEED_PARAMS, "heads": h}).answer["per_layer"]
              for h in (1, 2, 4, 5, 10, 20, 25, 50, 100)}
    assert counts == {81100}


def test_drawn_variants_by_array_sizes(qtype):
    for seed in range(300):
        v = qtype.draw(seed)
        d_model, heads, d_ff, layers = (v.params[k] for k in ("d_model", "heads", "d_ff", "n_layers"))
        parts = {name: size(arrays) for name, arrays in encoder_layer_arrays(d_model, d_ff).items()}
        assert parts["attention"] == size(per_head_attention_arrays(d_model, heads))
        assert {k: v.work[k] for k in parts} == parts
        per_layer = sum(parts.values())
        assert v.answer == {"per_layer": per_layer,
                            "total": sum(per_layer for _ in range(layers))}


def test_well_posed_and_varied(qtype):
    seen = set()
    for seed in range(200):
        v = qtype.draw(seed)
        assert qtype.problems(v.params) == []
        assert v.params["d_model"] % v.params["heads"] == 0
        assert set(v.answer) == {"per_layer", "total"}
        assert all(type(x) is int and x > 0 for x in (*v.params.values(), *v.answer.values()))
        assert json.loads(v.dumps())["answer"] == v.answer
        seen.add(tuple(sorted(v.params.items())))
    assert len(seen) >= 150


@pytest.mark.parametrize("bad", [{"heads": 3}, {"heads": 0}, {"d_model": -100},
                                 {"d_ff": 200.5}, {"n_layers": 0}, {"n_layers": True}])
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
    assert f.solution.count(r"\finalanswer") == 2
    for part in ("LayerNorm 1", "LayerNorm 2", "Self-attention", "Feed-forward"):
        assert part in f.solution


def test_matches_torch(qtype):
    torch = pytest.importorskip("torch")
    variants = [qtype.variant(0, SEED_PARAMS)] + [qtype.draw(seed) for seed in range(40)]
    for v in [v for v in variants if v.answer["total"] <= 20_000_000][:15]:
        p = v.params
        layer = torch.nn.TransformerEncoderLayer(p["d_model"], p["heads"],
                                                 dim_feedforward=p["d_ff"])
        encoder = torch.nn.TransformerEncoder(layer, p["n_layers"], enable_nested_tensor=False)
        assert v.answer["per_layer"] == sum(x.numel() for x in layer.parameters()
                                            if x.requires_grad)
        assert v.answer["total"] == sum(x.numel() for x in encoder.parameters()
                                        if x.requires_grad)


def test_choice_mistakes_seed_000_q3c_d(qtype):
    # d_model 100, 4 heads, d_ff 200, 4 layers: 81,100 per layer, 324,400 in all.
    params = {"d_model": 100, "heads": 4, "d_ff": 200, "n_layers": 4}
    parts = {part.label: part for part in qtype.parts(qtype.variant(0, params))}
    assert qtype.choice_part == "b" and parts["b"].answer == 324_400
    values = {m.name: m.value for m in parts["b"].mistakes}
    assert values["no LayerNorms"] == 4 * (40_400 + 40_300)
    assert values["one layer only"] == 81_100
    assert values["no output projection"] == 4 * (30_300 + 40_300 + 400)
    assert values["one head only"] == 4 * (3 * (100 * 25 + 25) + 10_100 + 40_300 + 400)
    per_layer = {m.name: m.value for m in parts["a"].mistakes}
    assert parts["a"].answer == 81_100
    assert per_layer["no LayerNorms"] == 40_400 + 40_300
    assert per_layer["no output projection"] == 30_300 + 40_300 + 400
    assert "one layer only" not in per_layer
    assert all(values[name] == 4 * value for name, value in per_layer.items())


def test_parts_by_array_sizes(qtype):
    for seed in range(100):
        v = qtype.draw(seed)
        d_model, d_ff, layers = (v.params[k] for k in ("d_model", "d_ff", "n_layers"))
        one_layer = sum(size(arrays) for arrays in encoder_layer_arrays(d_model, d_ff).values())
        parts = {part.label: part.answer for part in qtype.parts(v)}
        assert parts == {"a": one_layer,
                         "b": sum(one_layer for _ in range(layers))}
