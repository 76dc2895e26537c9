"""PyTorch recomputes the eleven foundation types over 100+ seeds each.

Parameter counts come from real ``torch.nn`` modules built with the sampled
sizes; softmax from ``torch.softmax``; the output size from running
``conv2d`` on a tensor of the sampled shape.  Skipped when torch is absent
(``bash .ci/setup --with-torch`` installs it; CI always does).
"""

from __future__ import annotations

import math

import pytest

from qbank.registry import get_type

torch = pytest.importorskip("torch")
nn = torch.nn

SEEDS = range(100)


def trainable(*modules) -> int:
    return sum(p.numel() for m in modules for p in m.parameters() if p.requires_grad)


def draws(type_id):
    qtype = get_type(type_id)
    return [qtype.draw(seed) for seed in SEEDS]


def meta(module_factory):
    """Build on the meta device: shapes without allocating (layers can be large)."""
    with torch.device("meta"):
        return module_factory()


def test_dense_layer_matches_linear_and_norm_modules():
    for v in draws("params.dense_layer"):
        p = v.params
        modules = [meta(lambda: nn.Linear(p["n_in"], p["n_out"], bias=p["bias"]))]
        if p["norm"] == "layernorm":
            modules.append(meta(lambda: nn.LayerNorm(p["n_out"])))
        elif p["norm"] == "batchnorm":
            modules.append(meta(lambda: nn.BatchNorm1d(p["n_out"])))
        assert trainable(*modules) == v.answer["total"]


def test_mlp_matches_a_sequential_network():
    for v in draws("params.mlp"):
        sizes = [math.prod(v.params["input_shape"]), *v.params["hidden"], v.params["n_classes"]]
        layers = [meta(lambda a=a, b=b: nn.Linear(a, b)) for a, b in zip(sizes, sizes[1:])]
        network = nn.Sequential(nn.Flatten(), *layers)  # ReLUs would add nothing
        assert [trainable(layer) for layer in layers] == v.answer["per_layer"]
        assert trainable(network) == v.answer["total"]


def test_qkv_params_match_three_linear_maps():
    for v in draws("attention.qkv_params"):
        p = v.params
        q, k, w = (meta(lambda d=d: nn.Linear(p["d_model"], d, bias=p["bias"]))
                   for d in (p["d_k"], p["d_k"], p["d_v"]))
        assert [trainable(q), trainable(k), trainable(w)] == \
            [v.answer["w_q"], v.answer["w_k"], v.answer["w_v"]]
        assert trainable(q, k, w) == v.answer["total"]


def test_multihead_matches_multihead_attention():
    for v in draws("attention.multihead"):
        p = v.params
        attention = meta(lambda: nn.MultiheadAttention(p["d_model"], p["heads"], bias=p["bias"]))
        assert attention.head_dim == v.answer["d_head"]
        assert trainable(attention.out_proj) == v.answer["output_params"]
        assert trainable(attention) - trainable(attention.out_proj) == v.answer["qkv_params"]
        assert trainable(attention) == v.answer["total"]


def test_layer_params_match_transformer_encoder():
    for v in draws("transformer.layer_params"):
        p = v.params
        layer = meta(lambda: nn.TransformerEncoderLayer(p["d_model"], p["heads"],
                                                        dim_feedforward=p["d_ff"]))
        assert trainable(layer) == v.answer["per_layer"]
        assert trainable(layer) * p["n_layers"] == v.answer["total"]


def test_ffn_matches_two_linear_layers_and_counts_multiplications():
    for v in draws("transformer.ffn"):
        d_model, d_ff = v.params["d_model"], v.params["d_ff"]
        first, second = meta(lambda: nn.Linear(d_model, d_ff)), meta(lambda: nn.Linear(d_ff, d_model))
        assert trainable(first, second) == v.answer["params"]
        # One token through both matrix products: every weight is used once.
        assert first.weight.numel() + second.weight.numel() == v.answer["multiplications"]


def test_ops_count_matches_the_matmul_shapes_of_attention():
    for v in draws("attention.ops_count"):
        n, d, d_k, d_v = (v.params[key] for key in ("n", "d_model", "d_k", "d_v"))
        x = torch.empty(n, d, device="meta")
        q, k = x @ torch.empty(d, d_k, device="meta"), x @ torch.empty(d, d_k, device="meta")
        values = x @ torch.empty(d, d_v, device="meta")
        scores = q @ k.T
        output = scores @ values
        # A product (a x b) @ (b x c) costs a*b*c scalar multiplications.
        projections = sum(t.shape[0] * d * t.shape[1] for t in (q, k, values))
        assert projections == v.answer["projections"]
        assert scores.numel() * d_k == v.answer["scores"]
        assert output.numel() * n == v.answer["weighted_sum"]


def test_conv_params_match_conv2d():
    for v in draws("cnn.conv_params"):
        p = v.params
        conv = meta(lambda: nn.Conv2d(p["in_channels"], p["filters"], p["kernel"], bias=p["bias"]))
        assert trainable(conv) == v.answer["params"]


def test_output_size_matches_running_conv2d():
    for v in draws("cnn.output_size"):
        p = v.params
        image = torch.empty(1, 1, p["height"], p["width"], device="meta")
        kernel = torch.empty(1, 1, p["kernel"], p["kernel"], device="meta")
        out = torch.nn.functional.conv2d(image, kernel, stride=p["stride"], padding=p["padding"])
        assert list(out.shape[2:]) == [v.answer["out_height"], v.answer["out_width"]]


def test_softmax_scores_match_torch_softmax():
    for v in draws("attention.softmax_scores"):
        scores = torch.tensor(v.params["scores"], dtype=torch.float64)
        expected = torch.softmax(scores * v.params["scale"], dim=0)
        torch.testing.assert_close(torch.tensor(v.answer["weights"], dtype=torch.float64),
                                   expected, rtol=1e-12, atol=1e-15)


def test_precision_recall_matches_cumulative_tensor_sums():
    for v in draws("retrieval.precision_recall"):
        relevant = torch.tensor(v.params["relevant"], dtype=torch.float64)
        hits = torch.cumsum(relevant, dim=0)
        ranks = torch.arange(1, len(relevant) + 1, dtype=torch.float64)
        precision = hits / ranks
        recall = hits / v.params["total_relevant"]
        ap = (precision * relevant).sum() / v.params["total_relevant"]
        torch.testing.assert_close(torch.tensor(v.answer["precision"], dtype=torch.float64),
                                   precision, rtol=1e-12, atol=0)
        torch.testing.assert_close(torch.tensor(v.answer["recall"], dtype=torch.float64),
                                   recall, rtol=1e-12, atol=0)
        assert math.isclose(v.answer["average_precision"], float(ap), rel_tol=1e-12)
