"""Focal loss against cross-entropy for one binary prediction.

A binary classifier predicts probability p for class 1 on an example whose label is y;
asked: the cross-entropy CE = -ln p_t and the focal loss FL = -alpha_t (1 - p_t)^gamma ln p_t,
where p_t = p if y = 1 else 1 - p, and alpha_t = alpha if y = 1 else 1 - alpha.

Params: ``p`` (two decimals, 0.05--0.95 when sampled), ``y`` (0 or 1), ``alpha`` (0.25, 0.5 or 0.75
when sampled), ``gamma`` (0, 0.5, 1, 2 or 5 when sampled).  Answer: ``ce``, ``focal``.
The worked solution also gives the down-weighting factor (1 - p_t)^gamma and the ratio
focal / ce = alpha_t (1 - p_t)^gamma.

Parts: (a) CE and (b) FL to four decimals (FL weight 2, the part a multiple-choice item
offers); (c) log10 of the ratio FL / CE to two decimals (the ratio runs from 0.75 down to
1e-7, so it is asked as a power of ten); (d) easy or hard, and why (marked by hand).

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
from qbank.parts import Part, RubricLine
from qbank.render.filters import fixed, sig
from qbank.types.losses.common import scientific

ALPHAS = (0.25, 0.5, 0.75)
GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)
# Asked: CE and FL to four decimals (an easy example's FL, down to 1e-9, is 0.0000), and the
# factor FL/CE as a power of ten, its log10 to two decimals: the factor runs from 0.75 down
# to 1e-7, and a part's precision is a number of decimals.
CE_PLACES = FL_PLACES = 4
LOG_PLACES = 2
# The working: CE to six decimals and (1 - p_t)^gamma to seven figures, so that FL from them
# is right to its fifth decimal; values below 0.001 as m x 10^e, FL/CE to four figures.
WORK_FIGURES = 4
FACTOR_FIGURES = 7
RUBRIC = (
    RubricLine(1, "easy or hard from $p_t$: easy when $p_t > 0.5$ (the classifier already gets "
                  "it right), hard when $p_t < 0.5$; with $\\gamma = 0$ focal loss treats both "
                  "alike"),
    RubricLine(1, "why: $(1 - p_t)^{\\gamma}$ shrinks the loss of easy examples far more than "
                  "that of hard ones, so the many easy (mostly majority-class) examples do not "
                  "swamp the loss and training concentrates on the hard ones"),
)


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
    choice_part = "b"
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
        if not reasons and self._terms(params)[1] == 0:
            reasons.append(f"alpha = {alpha:g} gives alpha_t = 0 for the label y = {y}, so the "
                           "example has no loss at all")
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
                "log_ratio": math.log10(ratio),
                "easy": p_t > 0.5, "hard": p_t < 0.5,
                "other_p_t": other_p_t, "other_factor": other_factor,
                # Tiny values as mantissa x 10^exponent, to the figures the working shows.
                "small": {"factor": scientific(factor, FACTOR_FIGURES),
                          "ratio": scientific(ratio, WORK_FIGURES),
                          "focal": scientific(answer["focal"], WORK_FIGURES),
                          "other_factor": scientific(other_factor, WORK_FIGURES)}}

    def parts(self, variant):
        params, answer, work = variant.params, variant.answer, variant.work
        ce, focal, ratio = self._slips(params, answer)
        return [
            Part("a", "the cross-entropy loss $\\mathrm{CE}(p_t) = -\\ln p_t$, to four decimal "
                      "places;", "number", answer["ce"], places=CE_PLACES,
                 symbol="\\mathrm{CE}(p_t)", mistakes=tuple(ce)),
            Part("b", "the focal loss $\\mathrm{FL}(p_t)$, to four decimal places;", "number",
                 answer["focal"], places=FL_PLACES, weight=2, symbol="\\mathrm{FL}(p_t)",
                 mistakes=tuple(focal)),
            Part("c", "the factor $\\mathrm{FL}/\\mathrm{CE} = \\alpha_t (1 - p_t)^{\\gamma}$ by "
                      "which the focal loss scales this example's cross-entropy, as a power of "
                      "ten: give $\\log_{10}(\\mathrm{FL}/\\mathrm{CE})$ to two decimal places;",
                 "number", math.log10(work["ratio"]), places=LOG_PLACES,
                 symbol="\\log_{10}(\\mathrm{FL}/\\mathrm{CE})", mistakes=tuple(ratio)),
            Part("d", "Is this an easy or a hard example for the classifier, and why does focal "
                      "loss treat it this way?", "free", None, weight=2,
                 model_answer=self._model_answer(params, work), rubric=RUBRIC),
        ]

    @staticmethod
    def _model_answer(params, work):
        """One sentence a marker reads against the rubric; the working explains at length."""
        p_t = fixed(work["p_t"], 2)
        if params["gamma"] == 0:
            return ("With $\\gamma = 0$ neither: $(1 - p_t)^{\\gamma} = 1$ for every example, so "
                    "focal loss is the cross-entropy weighted by $\\alpha_t$ alone.")
        if work["easy"]:
            return (f"Easy ($p_t = {p_t} > 0.5$, already classified right): the factor "
                    f"$(1 - p_t)^{{\\gamma}} = {_shown(work['factor'])}$ shrinks its loss, so "
                    "that the many easy examples do not swamp the total loss.")
        if work["hard"]:
            return (f"Hard ($p_t = {p_t} < 0.5$, classified wrong): it keeps the factor "
                    f"$(1 - p_t)^{{\\gamma}} = {_shown(work['factor'])}$ of its loss, far more "
                    "than an easy example, so training concentrates on such examples.")
        return ("Neither ($p_t = 0.5$, undecided): examples with a higher $p_t$ are "
                "down-weighted more, those with a lower $p_t$ less.")

    def _slips(self, params, answer):
        """The modelled slips, as the cross-entropy, focal loss and ratio FL/CE they give."""
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
        in_ce = [
            Mistake("p_t not flipped", flipped_p, -math.log(1 - p_t)),
            Mistake("log base 10", "uses $\\log_{10}$ instead of the natural logarithm",
                    -math.log10(p_t)),
            Mistake("log base 2", "uses $\\log_2$ instead of the natural logarithm",
                    -math.log2(p_t)),
            Mistake("no minus sign", "forgets the minus sign, so the loss comes out negative", -ce),
        ]
        in_focal = [
            Mistake("no modulating factor", "forgets the factor $(1 - p_t)^{\\gamma}$ and keeps "
                    "only $\\alpha_t\\,\\mathrm{CE}$", alpha_t * ce),
            Mistake("alpha not flipped", swapped_alpha, focal(p_t, 1 - alpha_t)),
            Mistake("p_t not flipped", flipped_p, focal(1 - p_t)),
            Mistake("cross-entropy only", "gives the plain cross-entropy $-\\ln p_t$, without "
                    "$\\alpha_t$ and without $(1 - p_t)^{\\gamma}$", ce),
            Mistake("factor p_t^gamma", "uses $p_t^{\\gamma}$ instead of $(1 - p_t)^{\\gamma}$ "
                    "as the modulating factor", alpha_t * p_t ** gamma * ce),
            Mistake("log base 10", "uses $\\log_{10}$ instead of the natural logarithm",
                    focal(p_t, log=math.log10)),
            Mistake("no minus sign", "forgets the minus sign, so the loss comes out negative",
                    -answer["focal"]),
        ]
        ratio = alpha_t * factor
        slipped_ratios = [
            Mistake("no alpha", "leaves out $\\alpha_t$ and gives only $(1 - p_t)^{\\gamma}$",
                    factor),
            Mistake("alpha not flipped", swapped_alpha, (1 - alpha_t) * factor),
            Mistake("factor p_t^gamma", "uses $p_t^{\\gamma}$ instead of $(1 - p_t)^{\\gamma}$ as "
                    "the modulating factor", alpha_t * p_t ** gamma),
            Mistake("ratio inverted", "gives $\\mathrm{CE}/\\mathrm{FL}$, how many times smaller "
                    "the focal loss is, instead of $\\mathrm{FL}/\\mathrm{CE}$", 1 / ratio),
            Mistake("no modulating factor", "forgets the factor $(1 - p_t)^{\\gamma}$ and gives "
                    "only $\\alpha_t$", alpha_t),
            Mistake("log of FL", "gives $\\log_{10} \\mathrm{FL}$, forgetting to divide by "
                    "$\\mathrm{CE}$", answer["focal"]),
        ]
        # Asked as a power of ten: the log10 of each slipped factor, and ln of the right one.
        in_ratio = [*(Mistake(m.name, m.explanation, math.log10(m.value))
                      for m in slipped_ratios if m.value > 0),
                    Mistake("natural logarithm", "takes $\\ln$ of the factor instead of "
                            "$\\log_{10}$", math.log(ratio))]
        return in_ce, in_focal, in_ratio


def _shown(value):
    """A factor as the solution prints it: four figures, tiny ones as m x 10^e."""
    small = scientific(value, WORK_FIGURES)
    if small:
        return f"{fixed(small['mantissa'], WORK_FIGURES - 1)} \\times 10^{{{small['exponent']}}}"
    return sig(value, WORK_FIGURES)
