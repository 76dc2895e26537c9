"""PyTorch cross-checks of the sequence-model contract types (float64, 150 seeds each).

attention.scaled_dot_product against ``F.scaled_dot_product_attention`` (and its
weights from an explicit ``torch.softmax``); encoding.sinusoidal against the usual
PyTorch positional-encoding recipe.  decoding.greedy_vs_beam has no torch reference;
its brute-force check lives in tests/types/test_decoding_greedy_vs_beam.py.
"""

import math

import pytest

from qbank.registry import get_type

torch = pytest.importorskip("torch")
F = torch.nn.functional

SEEDS = range(150)
TIGHT = {"rtol": 1e-9, "atol": 1e-12}


def as_tensor(rows):
    return torch.tensor(rows, dtype=torch.float64)


@pytest.mark.parametrize("seed", SEEDS)
def test_scaled_dot_product_matches_torch(seed):
    variant = get_type("attention.scaled_dot_product").draw(seed)
    q, k, v = (as_tensor(variant.params[name]) for name in ("q", "k", "v"))
    # Batch and head dimensions of 1, as the fused kernel expects; default scale 1/sqrt(d).
    output = F.scaled_dot_product_attention(q[None, None], k[None, None], v[None, None])[0, 0]
    scores = q @ k.T / math.sqrt(q.shape[-1])
    torch.testing.assert_close(as_tensor(variant.answer["output"]), output, **TIGHT)
    torch.testing.assert_close(as_tensor(variant.answer["scores"]), scores, **TIGHT)
    torch.testing.assert_close(as_tensor(variant.answer["weights"]), torch.softmax(scores, dim=-1),
                               **TIGHT)


def positional_encoding(max_len, d_model):
    """The common PyTorch recipe (as in the PyTorch Transformer tutorial)."""
    position = torch.arange(max_len, dtype=torch.float64).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float64)
                         * (-math.log(10000.0) / d_model))
    pe = torch.zeros(max_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe


@pytest.mark.parametrize("seed", SEEDS)
def test_sinusoidal_matches_torch_recipe(seed):
    variant = get_type("encoding.sinusoidal").draw(seed)
    pos, d_model = variant.params["pos"], variant.params["d_model"]
    expected = positional_encoding(pos + 1, d_model)[pos]
    torch.testing.assert_close(as_tensor(variant.answer["vector"]), expected, **TIGHT)
