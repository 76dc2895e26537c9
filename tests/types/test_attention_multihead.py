"""attention.multihead: seed numbers, per-head numpy counting, well-posedness, templates."""

import numpy as np
import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import grouped

ID = "attention.multihead"
SEEDS = range(300)


def test_seed_001_q1_q5(qtype):
    # 768 / 12 = 64; Q, K, V: 3 x 768 x 768 = 1,769,472; output 768 x 768 = 589,824.
    answer = qtype.solve({"d_model": 768, "heads": 12, "bias": False})
    assert answer["d_head"] == 64
    assert answer["qkv_params"] == 1_769_472
    assert answer["output_params"] == 589_824
    assert answer["total"] == 1_769_472 + 589_824


def test_bert_base_with_bias(qtype):
    # BERT-base self-attention (Q, K, V and output dense layers with bias): 2,362,368.
    assert qtype.solve({"d_model": 768, "heads": 12, "bias": True})["total"] == 2_362_368


def _per_head_count(d_model, heads, bias):
    """Count via h separate d_model x d_head matrices per role, then the output projection."""
    d_head = d_model // heads
    qkv = []
    for _role in "QKV":
        for _head in range(heads):
            qkv.append(np.zeros((d_model, d_head)))
            if bias:
                qkv.append(np.zeros(d_head))
    output = [np.zeros((heads * d_head, d_model))] + ([np.zeros(d_model)] if bias else [])
    return d_head, sum(a.size for a in qkv), sum(a.size for a in output)


def test_answers_match_per_head_arrays(qtype):
    for seed in SEEDS:
        variant = qtype.draw(seed)
        p, a = variant.params, variant.answer
        d_head, qkv, output = _per_head_count(p["d_model"], p["heads"], p["bias"])
        assert a == {"d_head": d_head, "qkv_params": qkv, "output_params": output,
                     "total": qkv + output}


def test_draws_are_well_posed_and_varied(qtype):
    seen = set()
    for seed in SEEDS:
        p = qtype.draw(seed).params
        assert qtype.problems(p) == []
        assert type(p["d_model"]) is int and type(p["heads"]) is int and type(p["bias"]) is bool
        assert p["heads"] >= 2 and p["d_model"] % p["heads"] == 0
        seen.add((p["d_model"], p["heads"], p["bias"]))
    assert {bias for *_, bias in seen} == {True, False}


def test_at_least_150_distinct_parameter_sets_in_200_seeds(qtype):
    distinct = {tuple(sorted(qtype.draw(seed).params.items())) for seed in range(200)}
    assert len(distinct) >= 150


@pytest.mark.parametrize("bad", [{"heads": 5}, {"heads": 0}, {"d_model": -768},
                                 {"d_model": 768.0}, {"bias": None}])
def test_problems_catch_bad_values(qtype, bad):
    params = {"d_model": 768, "heads": 12, "bias": False, **bad}
    assert qtype.problems(params)


def test_templates_render(qtype):
    for seed in range(40):
        variant = qtype.draw(seed)
        fragments = render_fragments(variant)
        for key in ("qkv_params", "output_params", "total"):
            assert f"\\num{{{grouped(str(variant.answer[key]))}}}" not in fragments.question
            assert f"\\num{{{grouped(str(variant.answer[key]))}}}" in fragments.solution
        assert fragments.solution.count("\\finalanswer") == 4


def test_torch_agrees(qtype):
    torch = pytest.importorskip("torch")
    for seed in range(30):
        p = qtype.draw(seed).params
        layer = torch.nn.MultiheadAttention(p["d_model"], p["heads"], bias=p["bias"])
        named = dict(layer.named_parameters())
        qkv = named["in_proj_weight"].numel() + (named["in_proj_bias"].numel() if p["bias"] else 0)
        output = named["out_proj.weight"].numel() + (named["out_proj.bias"].numel() if p["bias"] else 0)
        assert qtype.solve(p) == {"d_head": p["d_model"] // p["heads"], "qkv_params": qkv,
                                  "output_params": output,
                                  "total": sum(t.numel() for t in layer.parameters())}


def test_parts_match_per_head_arrays(qtype):
    for seed in range(60):
        variant = qtype.draw(seed)
        p = variant.params
        parts = qtype.parts(variant)
        assert [(x.label, x.kind, x.places, x.weight) for x in parts] == [
            ("a", "number", None, 1), ("b", "number", None, 2), ("c", "number", None, 1),
            ("d", "number", None, 1)]
        d_head, qkv, output = _per_head_count(p["d_model"], p["heads"], p["bias"])
        assert [x.answer for x in parts] == [d_head, qkv, output, qkv + output]
    assert qtype.choice_part == "d"


def test_mistakes_per_part_seed_001(qtype):
    # BERT-base sizes without bias: d_head 64, total 2,359,296.
    variant = qtype.variant(0, {"d_model": 768, "heads": 12, "bias": False})
    mistakes = {part.label: {m.name: m.value for m in part.mistakes}
                for part in qtype.parts(variant)}
    assert mistakes["a"] == {"d_model per head": 768}
    assert mistakes["b"] == {"one head only": 3 * 768 * 64, "d_model per head": 12 * 3 * 768 ** 2,
                             "bias added": 3 * 768 ** 2 + 3 * 768, "V forgotten": 2 * 768 ** 2}
    assert mistakes["c"] == {"bias added": 768 ** 2 + 768, "output projection per head": 64 * 768}
    total = mistakes["d"]
    assert total["one head only"] == 3 * 768 * 64 + 768 * 768
    assert total["no output projection"] == 3 * 768 * 768
    assert total["d_model per head"] == 12 * 3 * 768 * 768 + 768 * 768
    assert total["bias added"] == 4 * 768 * 768 + 4 * 768
    assert len(total) >= 5


def test_bias_mistakes_forget_the_biases(qtype):
    variant = qtype.variant(0, {"d_model": 768, "heads": 12, "bias": True})
    mistakes = {part.label: {m.name: m.value for m in part.mistakes}
                for part in qtype.parts(variant)}
    assert mistakes["b"]["no bias"] == 3 * 768 ** 2
    assert mistakes["c"]["no bias"] == 768 ** 2
    assert mistakes["d"]["no bias"] == 4 * 768 ** 2
