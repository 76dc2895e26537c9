"""cnn.conv_params: seeds 002 Q5.1 and 003 Q5, counted as sizes of numpy weight arrays."""

import numpy as np
import pytest

from qbank.render.documents import render_fragments
from qbank.render.filters import num

ID = "cnn.conv_params"
SEEDS = range(300)


def test_seed_002_q5_1(qtype):
    # 3 filters of 2x2x4: 3 output channels (the student's 12 is wrong), 48 weights, 51 with bias.
    v = qtype.variant(0, {"kernel": 2, "in_channels": 4, "filters": 3, "bias": True})
    assert v.answer == {"params": 51}
    assert qtype.solve({"kernel": 2, "in_channels": 4, "filters": 3, "bias": False}) == {"params": 48}
    assert r"2\times2\times4" in render_fragments(v).solution


def test_seed_003_q5_pointwise(qtype):
    # A 1x1 convolution from m = 256 to n = 64 channels: m*n weights + n biases.
    assert qtype.solve({"kernel": 1, "in_channels": 256, "filters": 64, "bias": True}) \
        == {"params": 256 * 64 + 64}


def test_numpy_array_sizes(variants):
    # Weight tensor as PyTorch stores it: (out_channels, in_channels, k, k).
    for v in variants:
        p = v.params
        weight = np.empty((p["filters"], p["in_channels"], p["kernel"], p["kernel"]))
        bias = np.empty(p["filters"] if p["bias"] else 0)
        assert v.answer["params"] == weight.size + bias.size


def test_parts_by_convolving(qtype, variants):
    # Build the layer from part (a)'s filter shape and part (b)'s filter count and apply it
    # to a random input with einsum: a filter that did not span every input channel would
    # not fit the input's patches, and the output has one channel per filter.
    rng = np.random.default_rng(0)
    for v in variants[:30]:
        p = v.params
        shape, filters, total = (part.answer for part in qtype.parts(v))
        height, width, depth = shape
        x = rng.standard_normal((p["in_channels"], p["kernel"] + 1, p["kernel"] + 2))
        w = rng.standard_normal((filters, depth, height, width))
        patches = np.lib.stride_tricks.sliding_window_view(x, (height, width), axis=(1, 2))
        y = np.einsum("cijab,fcab->fij", patches, w)
        assert y.shape == (p["filters"], 2, 3)
        assert total == w.size + (y.shape[0] if p["bias"] else 0)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        assert all(type(p[name]) is int for name in ("kernel", "in_channels", "filters"))
        assert type(p["bias"]) is bool
        assert set(v.answer) == {"params"} and type(v.answer["params"]) is int
    assert len({tuple(sorted(v.params.items())) for v in variants[:200]}) >= 150
    assert any(v.params["kernel"] == 1 for v in variants)
    assert any(v.params["bias"] for v in variants) and not all(v.params["bias"] for v in variants)


@pytest.mark.parametrize("bad, reason", [
    ({"kernel": 0, "in_channels": 3, "filters": 8, "bias": True}, "positive"),
    ({"kernel": 3, "in_channels": 3.5, "filters": 8, "bias": True}, "positive"),
    ({"kernel": 3, "in_channels": 3, "filters": 8, "bias": "yes"}, "bias"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        assert num(v.answer["params"]) not in f.question
        assert num(v.answer["params"]) in f.solution


def test_parts_seed_002_q5_1(qtype):
    # 2x2 filters over 4 channels, 3 filters with bias: each 2x2x4, 3 output channels (the
    # student's 12 is the channels-multiplied slip), 48 weights + 3 = 51.
    variant = qtype.variant(0, {"kernel": 2, "in_channels": 4, "filters": 3, "bias": True})
    shape, channels, total = qtype.parts(variant)
    assert qtype.choice_part == total.label == "c"
    assert (shape.answer, channels.answer, total.answer) == ([2, 2, 4], 3, 51)
    assert [(p.kind, p.weight, p.places) for p in (shape, channels, total)] \
        == [("vector", 1, None), ("number", 1, None), ("number", 2, None)]
    assert {m.name: m.value for m in shape.mistakes} \
        == {"depth from output channels": [2, 2, 3], "one channel deep": [2, 2, 1]}
    assert {m.name: m.value for m in channels.mistakes} \
        == {"channels multiplied": 12, "one filter per input channel": 4}
    values = {m.name: m.value for m in total.mistakes}
    assert values["no bias"] == 48
    assert values["input channels dropped"] == 2 * 2 * 3 + 3
    assert values["one filter"] == 2 * 2 * 4 + 1


def test_pointwise_asks_for_the_filters(qtype):
    variant = qtype.variant(0, {"kernel": 1, "in_channels": 256, "filters": 64, "bias": False})
    question = render_fragments(variant).question
    assert "How many filters does the layer need?" in question and "output feature map" not in question
    assert [p.answer for p in qtype.parts(variant)] == [[1, 1, 256], 64, 256 * 64]
