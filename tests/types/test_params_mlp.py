"""params.mlp: seed 004 Q4 (whose 24,94,220 is wrong), every layer counted from its arrays."""

import numpy as np
import pytest

from qbank.render.documents import render_fragments

ID = "params.mlp"
SEEDS = range(200)
SEED_004_Q4 = {"input_shape": [32, 32, 6], "hidden": [200, 120], "n_classes": 100}


def _layer_arrays(params):
    """Zero arrays of every layer's weight and bias, as nn.Linear holds them, layer by layer."""
    widths = [int(np.prod(params["input_shape"])), *params["hidden"], params["n_classes"]]
    return [(np.zeros((n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(widths, widths[1:])]


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_seed_004_q4(qtype):
    parts = _parts(qtype, qtype.variant(0, SEED_004_Q4))
    # 6,144 inputs: (6144 + 1) x 200, (200 + 1) x 120, (120 + 1) x 100.
    assert parts["a"].answer == [1_229_000, 24_120, 12_100]
    assert parts["b"].answer == 1_265_220


def test_both_parts_match_the_arrays(qtype, variants):
    for variant in variants:
        parts = _parts(qtype, variant)
        layers = _layer_arrays(variant.params)
        assert parts["a"].answer == [weight.size + bias.size for weight, bias in layers]
        assert parts["b"].answer == sum(array.size for layer in layers for array in layer)
        assert (parts["a"].kind, parts["b"].kind) == ("vector", "number")


def test_a_linear_classifier_has_one_layer(qtype):
    variant = qtype.variant(0, {**SEED_004_Q4, "hidden": []})
    assert _parts(qtype, variant)["a"].answer == [(6144 + 1) * 100]
    assert "without hidden layers" in render_fragments(variant).question


def test_layer_mistakes_are_the_total_mistakes_layer_by_layer(qtype):
    variant = qtype.variant(0, SEED_004_Q4)
    parts = _parts(qtype, variant)
    per_layer = {m.name: m.value for m in parts["a"].mistakes}
    total = {m.name: m.value for m in parts["b"].mistakes}
    assert per_layer["no bias"] == [6144 * 200, 200 * 120, 120 * 100]
    assert per_layer["channels dropped"] == [1025 * 200, 24_120, 12_100]
    for name, values in per_layer.items():
        assert sum(values) == total[name]
    assert qtype.choice_part == "b" and len(total) >= 5


def test_templates_render(qtype, variants):
    for variant in variants[:30]:
        fragments = render_fragments(variant)
        assert fragments.solution.count(r"\finalanswer") == 2
        assert r"\finalanswer" not in fragments.question
        assert "Total" not in fragments.question


def test_torch_agrees(qtype):
    torch = pytest.importorskip("torch")
    for variant in [qtype.variant(0, SEED_004_Q4), *(qtype.draw(seed) for seed in range(20))]:
        p = variant.params
        widths = [int(np.prod(p["input_shape"])), *p["hidden"], p["n_classes"]]
        layers = [torch.nn.Linear(n_in, n_out) for n_in, n_out in zip(widths, widths[1:])]
        assert _parts(qtype, variant)["a"].answer == [
            sum(t.numel() for t in layer.parameters()) for layer in layers]
