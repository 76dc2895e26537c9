"""PyTorch recomputes the LSTM and GRU steps over 150 seeds each, in float64.

The sampled weights are copied into ``nn.LSTMCell`` / ``nn.GRUCell`` (created with
``dtype=torch.float64``), whose stacked layout and gate order (i, f, g, o and r, z, n)
are exactly what the contract's params describe, and one step is run on the sampled
input and states.
"""

from __future__ import annotations

import pytest

from qbank.registry import get_type

torch = pytest.importorskip("torch")

SEEDS = range(150)
TIGHT = {"rtol": 1e-9, "atol": 1e-12}


def draws(type_id):
    qtype = get_type(type_id)
    return [qtype.draw(seed) for seed in SEEDS]


def tensor(values):
    return torch.tensor(values, dtype=torch.float64)


def loaded(cell_class, p):
    """A float64 cell of the sampled sizes holding the sampled weights and biases."""
    cell = cell_class(len(p["x"]), len(p["h_prev"]), dtype=torch.float64)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, name).copy_(tensor(p[name.replace("weight", "w").replace("bias", "b")]))
    return cell


def test_lstm_step_matches_lstmcell():
    for v in draws("rnn.lstm_step"):
        p = v.params
        with torch.no_grad():
            h, c = loaded(torch.nn.LSTMCell, p)(tensor([p["x"]]),
                                                (tensor([p["h_prev"]]), tensor([p["c_prev"]])))
        torch.testing.assert_close(h[0], tensor(v.answer["h"]), **TIGHT)
        torch.testing.assert_close(c[0], tensor(v.answer["c"]), **TIGHT)


def test_gru_step_matches_grucell():
    for v in draws("rnn.gru_step"):
        p = v.params
        with torch.no_grad():
            h = loaded(torch.nn.GRUCell, p)(tensor([p["x"]]), tensor([p["h_prev"]]))
        torch.testing.assert_close(h[0], tensor(v.answer["h"]), **TIGHT)
