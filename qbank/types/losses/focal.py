"""Focal loss against cross-entropy for one binary prediction.

A binary classifier predicts probability p for class 1 on an example whose label is y;
asked: the cross-entropy CE = -ln p_t and the focal loss FL = -alpha_t (1 - p_t)^gamma ln p_t,
where p_t = p if y = 1 else 1 - p, and alpha_t = alpha if y = 1 else 1 - alpha.

Params: ``p`` (two decimals, 0.05--0.95 when sampled), ``y`` (0 or 1), ``alpha`` (0.25, 0.5 or 0.75
when sampled), ``gamma`` (0, 0.5, 1, 2 or 5 when sampled).  Answer: ``ce``, ``focal``.
The worked solution also gives the down-weighting factor (1 - p_t)^gamma and the ratio
focal / ce = alpha_t (1 - p_t)^gamma.

Example (seed 004 Q10 defines CE(p_t) = -log p_t and FL(p_t) = -alpha_t (1 - p_t)^gamma
log p_t, no numbers): p = 0.9, y = 1, alpha = 0.25, gamma = 2: p_t = 0.9, CE = 0.1054,
factor 0.01, FL = 0.25 * 0.01 * 0.1054 = 0.000263 -- an easy example almost ignored.
"""

import math

from qbank.checks import is_number, is_whole
from qbank.model import QuestionType
from qbank.types.losses.common import scientific

ALPHAS = (0.25, 0.5, 0.75)
GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)


class FocalLoss(QuestionType):
    id = "losses.focal"
    title = "Focal loss and cross-entropy of one prediction"
    topic = "losses"
    source = "004 Q10"

    def sample(self, rng):
        # p within 0.05--0.95, so even gamma = 5 leaves numbers one can write down.
        return {"p": int(rng.integers(5, 96)) / 100, "y": int(rng.integers(0, 2)),
                "alpha": float(rng.choice(ALPHAS)), "gamma": float(rng.choice(GAMMAS))}

    def problems(self, params):
        p, y, alpha, gamma = params["p"], params["y"], params["alpha"], params["gamma"]
        reasons = []
        if not is_number(p) or not 0 < p < 1:
            reasons.append(f"p must be a probability strictly between 0 and 1, got {p!r}")
        if not (is_whole(y) and y in (0, 1)):
            reasons.append(f"y must be the label 0 or 1, got {y!r}")
        if not is_number(alpha) or not 0 <= alpha <= 1:
            reasons.append(f"alpha must be a weight between 0 and 1, got {alpha!r}")
        if not is_number(gamma) or not 0 <= gamma <= 10:
            reasons.append(f"gamma must be a number between 0 and 10, got {gamma!r}")
        return reasons

    @staticmethod
    def _terms(params):
        """p_t, alpha_t and the down-weighting factor (1 - p_t)^gamma."""
        positive = params["y"] == 1
        p_t = params["p"] if positive else 1 - params["p"]
        alpha_t = params["alpha"] if positive else 1 - params["alpha"]
        return p_t, alpha_t, (1 - p_t) ** params["gamma"]

    def solve(self, params):
        p_t, alpha_t, factor = self._terms(params)
        ce = -math.log(p_t)
        return {"ce": ce, "focal": alpha_t * factor * ce}

    def worked(self, params, answer):
        p_t, alpha_t, factor = self._terms(params)
        ratio = alpha_t * factor
        # For the intuition: the factor of a clearly hard (p_t = 0.1) or clearly easy
        # (p_t = 0.9) example, to set beside this one's.
        other_p_t = 0.1 if p_t > 0.5 else 0.9
        other_factor = (1 - other_p_t) ** params["gamma"]
        return {"p_t": p_t, "alpha_t": alpha_t, "factor": factor, "ratio": ratio,
                "easy": p_t > 0.5, "hard": p_t < 0.5,
                "other_p_t": other_p_t, "other_factor": other_factor,
                "small": {"factor": scientific(factor), "ratio": scientific(ratio),
                          "focal": scientific(answer["focal"]),
                          "other_factor": scientific(other_factor)}}
