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
from typing import Annotated

from pydantic import Field

from qbank.checks import is_number, is_whole
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import Bit, NonNegativeReal, ParamModel, Probability
from qbank.types.losses.common import scientific

ALPHAS = (0.25, 0.5, 0.75)
GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)

class Params(ParamModel):
    # Strictly inside (0, 1): p_t = 0 for either label would make -ln p_t infinite.
    p: Annotated[float, Field(gt=0, lt=1, allow_inf_nan=False)]
    y: Bit
    alpha: Probability
    gamma: NonNegativeReal   # 0 is plain weighted CE


class FocalLoss(QuestionType):
    id = "losses.focal"
    title = "Focal loss and cross-entropy of one prediction"
    topic = "losses"
    source = "004 Q10"
    choice_prompt = ("Which is the focal loss $\\mathrm{FL}(p_t)$ of this example, "
                     "to three significant figures?")
    params_model = Params

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

    def choice_value(self, answer):
        return answer["focal"]

    def format_option(self, value):
        from qbank.render import filters

        # As in the solution: three figures, tiny values as mantissa x 10^exponent.
        small = scientific(value)
        if small:
            return f"{filters.fixed(small['mantissa'], 2)} \\times 10^{{{small['exponent']}}}"
        return filters.sig(value, 3)

    def mistakes(self, params, answer):
        gamma, positive = params["gamma"], params["y"] == 1
        p_t, alpha_t, factor = self._terms(params)
        ce = answer["ce"]

        def focal(p_t, alpha_t=alpha_t, log=math.log):
            return -alpha_t * (1 - p_t) ** gamma * log(p_t)

        if positive:
            swapped_alpha = ("uses $1 - \\alpha$ as $\\alpha_t$ although $y = 1$, where "
                             "$\\alpha_t = \\alpha$")
            flipped_p = "takes $p_t = 1 - p$ although $y = 1$, where $p_t = p$"
        else:
            swapped_alpha = ("uses $\\alpha$ as $\\alpha_t$ although $y = 0$, where "
                             "$\\alpha_t = 1 - \\alpha$")
            flipped_p = "takes $p_t = p$ although $y = 0$, where $p_t = 1 - p$"
        return [
            Mistake("no modulating factor", "forgets the factor $(1 - p_t)^{\\gamma}$ and keeps only "
                    "$\\alpha_t\\,\\mathrm{CE}$", alpha_t * ce),
            Mistake("alpha not flipped", swapped_alpha, focal(p_t, 1 - alpha_t)),
            Mistake("p_t not flipped", flipped_p, focal(1 - p_t)),
            Mistake("cross-entropy only", "gives the plain cross-entropy $-\\ln p_t$, without "
                    "$\\alpha_t$ and without $(1 - p_t)^{\\gamma}$", ce),
            Mistake("factor p_t^gamma", "uses $p_t^{\\gamma}$ instead of $(1 - p_t)^{\\gamma}$ as "
                    "the modulating factor", alpha_t * p_t ** gamma * ce),
            Mistake("log base 10", "uses $\\log_{10}$ instead of the natural logarithm",
                    focal(p_t, log=math.log10)),
            Mistake("no minus sign", "forgets the minus sign, so the loss comes out negative",
                    -answer["focal"]),
        ]
