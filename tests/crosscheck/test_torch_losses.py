"""PyTorch recomputes the five contract loss types over 150 seeds each, in float64.

Cross-entropy through ``nll_loss`` on log-probabilities, entropy through
``torch.distributions.Categorical``, focal loss from ``binary_cross_entropy``,
and the two gradients by autograd of ``cross_entropy`` and of the squared error
(written out and via ``mse_loss``).  Skipped when torch is absent.
"""

from __future__ import annotations

import math

import pytest

from qbank.registry import get_type

torch = pytest.importorskip("torch")
F = torch.nn.functional

SEEDS = range(150)
F64 = torch.float64


def draws(type_id):
    qtype = get_type(type_id)
    return [qtype.draw(seed) for seed in SEEDS]


def close(ours, theirs):
    torch.testing.assert_close(torch.tensor(ours, dtype=F64), theirs.detach().to(F64),
                               rtol=1e-9, atol=1e-12)


def test_cross_entropy_matches_nll_loss():
    for v in draws("losses.cross_entropy"):
        log_probs = torch.log(torch.tensor(v.params["probs"], dtype=F64))
        labels = torch.tensor(v.params["labels"])
        close(v.answer["per_sample"], F.nll_loss(log_probs, labels, reduction="none"))
        close(v.answer["total"], F.nll_loss(log_probs, labels, reduction="sum"))
        close(v.answer["mean"], F.nll_loss(log_probs, labels, reduction="mean"))
        # cross_entropy applies log_softmax, which leaves log-probabilities unchanged.
        close(v.answer["mean"], F.cross_entropy(log_probs, labels))


def test_entropy_matches_categorical():
    for v in draws("losses.entropy"):
        probs = torch.tensor(v.params["probs"], dtype=F64)
        nats = torch.distributions.Categorical(probs=probs).entropy()
        close(v.answer["entropy_nats"], nats)
        close(v.answer["entropy_bits"], nats / math.log(2))
        close(v.answer["entropy_nats"], torch.special.entr(probs).sum())


def test_focal_matches_binary_cross_entropy():
    for v in draws("losses.focal"):
        p = torch.tensor(v.params["p"], dtype=F64)
        y = torch.tensor(float(v.params["y"]), dtype=F64)
        ce = F.binary_cross_entropy(p, y)
        p_t = torch.where(y == 1, p, 1 - p)
        alpha_t = torch.where(y == 1, torch.tensor(v.params["alpha"], dtype=F64),
                              1 - torch.tensor(v.params["alpha"], dtype=F64))
        focal = alpha_t * (1 - p_t) ** v.params["gamma"] * ce
        close(v.answer["ce"], ce)
        close(v.answer["focal"], focal)


def test_softmax_ce_gradient_matches_autograd():
    for v in draws("losses.softmax_ce_gradient"):
        logits = torch.tensor(v.params["logits"], dtype=F64, requires_grad=True)
        loss = F.cross_entropy(logits[None], torch.tensor([v.params["target"]]))
        loss.backward()
        close(v.answer["probs"], torch.softmax(logits, dim=0))
        close(v.answer["gradient"], logits.grad)


def test_sigmoid_mse_gradient_matches_autograd():
    for v in draws("losses.sigmoid_mse_gradient"):
        target = torch.tensor(float(v.params["t"]), dtype=F64)
        grads = []
        for loss_of in (lambda y: 0.5 * (y - target) ** 2, lambda y: 0.5 * F.mse_loss(y, target)):
            z = torch.tensor(v.params["z"], dtype=F64, requires_grad=True)
            y = torch.sigmoid(z)
            loss_of(y).backward()
            close(v.answer["y"], y)
            grads.append(z.grad)
        close(v.answer["gradient"], grads[0])
        close(v.answer["gradient"], grads[1])
