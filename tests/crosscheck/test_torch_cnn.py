"""PyTorch recomputes the convolution and pooling types over 150 seeds each, in float64.

``conv2d`` for the feature maps (PyTorch's conv2d is cross-correlation, like the
course), ``max_pool2d`` plus autograd with the sampled upstream gradient for the
backward pass of max pooling, and ``nn.Conv2d`` modules for the parameter counts.
"""

from __future__ import annotations

import pytest

from qbank.registry import get_type

torch = pytest.importorskip("torch")
F = torch.nn.functional

SEEDS = range(150)
TIGHT = {"rtol": 1e-9, "atol": 1e-12}


def draws(type_id):
    qtype = get_type(type_id)
    return [qtype.draw(seed) for seed in SEEDS]


def as_map(matrix):
    """A list of rows as a (batch 1, channel 1, H, W) float64 tensor."""
    return torch.tensor(matrix, dtype=torch.float64)[None, None]


def test_convolve_matches_conv2d():
    for v in draws("cnn.convolve"):
        p = v.params
        out = F.conv2d(as_map(p["image"]), as_map(p["kernel"]), stride=p["stride"])
        torch.testing.assert_close(out[0, 0], torch.tensor(v.answer["output"], dtype=torch.float64),
                                   **TIGHT)


def test_maxpool_backward_matches_autograd():
    for v in draws("cnn.maxpool_backward"):
        p = v.params
        x = as_map(p["input"]).requires_grad_(True)
        pooled = F.max_pool2d(x, kernel_size=p["pool"], stride=p["stride"])
        pooled.backward(as_map(p["upstream"]))
        torch.testing.assert_close(pooled.detach()[0, 0],
                                   torch.tensor(v.answer["pooled"], dtype=torch.float64), **TIGHT)
        torch.testing.assert_close(x.grad[0, 0],
                                   torch.tensor(v.answer["grad_input"], dtype=torch.float64), **TIGHT)


def test_zero_response_filter_matches_conv2d():
    for v in draws("cnn.zero_response_filter"):
        p = v.params
        weights = torch.tensor(p["candidates"], dtype=torch.float64)[:, None]  # (n, 1, 2, 2)
        maps = F.conv2d(as_map(p["image"]), weights, stride=p["stride"])[0]
        zero = [k for k in range(len(maps)) if not maps[k].any()]
        assert zero == [v.answer["zero_filter"]]
        torch.testing.assert_close(maps, torch.tensor(v.answer["responses"], dtype=torch.float64),
                                   **TIGHT)


def test_stacked_vs_large_kernel_matches_conv2d_modules():
    def count(module):
        return sum(t.numel() for t in module.parameters())

    for v in draws("cnn.stacked_vs_large_kernel"):
        p, a = v.params, v.answer
        c, k = p["channels"], p["kernel"]
        with torch.device("meta"):
            large = torch.nn.Conv2d(c, c, k, padding=k // 2, bias=p["bias"])
            stack = torch.nn.Sequential(*[torch.nn.Conv2d(c, c, 3, padding=1, bias=p["bias"])
                                          for _ in range(a["n_layers"])])
        assert (count(large), count(stack)) == (a["large_params"], a["stack_params"])
        # Receptive field: gradient of one centre output of the stack w.r.t. the input.
        ones = torch.nn.Sequential(*[torch.nn.Conv2d(1, 1, 3, padding=1, bias=False)
                                     for _ in range(a["n_layers"])]).double()
        for layer in ones:
            torch.nn.init.ones_(layer.weight)
        size = 2 * k + 1
        x = torch.zeros(1, 1, size, size, dtype=torch.float64, requires_grad=True)
        ones(x)[0, 0, size // 2, size // 2].backward()
        reached = x.grad[0, 0].abs().sum(dim=1).nonzero()
        assert int(reached[-1] - reached[0] + 1) == a["receptive_field"] == k
