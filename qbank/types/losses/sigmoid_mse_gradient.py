"""Gradient of the squared error through a sigmoid, and why it vanishes.

One sigmoid output unit y = sigma(z) is trained with L = 1/2 (y - t)^2; asked: y and
dL/dz = (y - t) y (1 - y), compared with the cross-entropy gradient y - t, and why the
squared-error gradient vanishes when the prediction is confidently wrong.

Params: ``z`` (the pre-activation, a one-decimal value in [-6, 6] when sampled), ``t``
(the target, 0 or 1).  Answer: ``y`` (sigma(z)), ``gradient`` (dL/dz).
The space is naturally small: 121 values of z times 2 targets = 242 parameter sets, of
which 200 seeds draw about 136 distinct ones, hence ``variety`` = 120.

Parts, to four decimals as the seed paper gives them: (a) y, (b) dL/dz (weight 2; the part
a multiple-choice item offers; carrying y and y(1 - y) rounded is accepted), (c) the
cross-entropy gradient y - t, (d) why the squared-error gradient vanishes (marked by hand).

Example (seed 002 Q2, option 3): z = -5, t = 1 gives y = 0.0067 and dL/dz = -0.0066, a
tiny gradient for a badly wrong prediction (cross-entropy would give y - t = -0.9933).
"""

import math

from qbank.checks import is_number, is_whole
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import Bit, ParamModel, Real
from qbank.parts import Part, RubricLine
from qbank.types.losses.common import rounded

# One-decimal pre-activations from -6.0 to 6.0, in tenths.
TENTHS = (-60, 61)
LIMIT_Z = 10
# |y - t| above this is "confidently wrong", below 1 minus it "confidently right".
CONFIDENT = 0.9
ANSWER_PLACES = 4   # "to four decimal places", as the seed paper gives y = 0.0067
WORK_PLACES = 6     # the working carries more, so that its products are right
MODEL_ANSWER = (
    "With cross-entropy the sigmoid's slope cancels and the gradient is the error $y - t$ "
    "itself. The squared-error gradient is that error times $\\sigma'(z) = y(1 - y) \\le "
    "\\frac{1}{4}$, which tends to 0 as the sigmoid saturates: a confidently wrong unit "
    "($y \\approx 0$ with $t = 1$, or $y \\approx 1$ with $t = 0$) has an error near 1 but a "
    "gradient near 0, so it learns slowest exactly when it is most wrong.")
RUBRIC = (
    RubricLine(1, "the squared-error gradient is the cross-entropy gradient $y - t$ times "
                  "$\\sigma'(z) = y(1 - y) \\le \\frac{1}{4}$, which cross-entropy cancels"),
    RubricLine(1, "a saturated sigmoid has $y(1 - y) \\approx 0$, so a confidently wrong "
                  "prediction (error near 1) gets a gradient near 0 and learning stalls"),
)


class Params(ParamModel):
    z: Real   # the pre-activation
    t: Bit    # the target


class SigmoidMseGradient(QuestionType):
    id = "losses.sigmoid_mse_gradient"
    title = "Squared-error gradient through a sigmoid"
    topic = "losses"
    source = "002 Q2 (option 3)"
    variety = 120
    answer_space = "8cm"
    choice_part = "b"
    params_model = Params

    def sample(self, rng):
        return {"z": int(rng.integers(*TENTHS)) / 10, "t": int(rng.integers(0, 2))}

    def problems(self, params):
        z, t = params["z"], params["t"]
        reasons = []
        if not is_number(z) or abs(z) > LIMIT_Z:
            reasons.append(f"z must be a number between -{LIMIT_Z} and {LIMIT_Z}, got {z!r}")
        if not (is_whole(t) and t in (0, 1)):
            reasons.append(f"t must be the target 0 or 1, got {t!r}")
        return reasons

    def solve(self, params):
        y = 1 / (1 + math.exp(-params["z"]))
        return {"y": y, "gradient": (y - params["t"]) * y * (1 - y)}

    def worked(self, params, answer):
        y, t = answer["y"], params["t"]
        error = y - t
        return {"exp_neg_z": math.exp(-params["z"]), "error": error, "slope": y * (1 - y),
                "one_minus_y": 1 - y, "loss": error ** 2 / 2,
                "wrong": abs(error) > CONFIDENT, "right": abs(error) < 1 - CONFIDENT}

    @staticmethod
    def carried(params, answer):
        """The gradient from y and y(1 - y) written down to the four decimals asked for:
        at z = -5.1, t = 1 that is -0.9939 x 0.0061 = -0.0061, against -0.0060.  It earns the
        marks.  (Carrying the rounded y alone never leaves the tolerance.)"""
        t, y = params["t"], rounded(answer["y"], ANSWER_PLACES)
        return (y - t) * rounded(y * (1 - y), ANSWER_PLACES)

    def parts(self, variant):
        params, answer, work = variant.params, variant.answer, variant.work
        output, gradient, cross_entropy = self._slips(params, answer)
        return [
            Part("a", "the output $y$;", "number", answer["y"], places=ANSWER_PLACES,
                 symbol="y", mistakes=tuple(output)),
            Part("b", "the gradient $\\partial L / \\partial z$ of the squared error;", "number",
                 answer["gradient"], places=ANSWER_PLACES, weight=2,
                 symbol="\\partial L / \\partial z", mistakes=tuple(gradient),
                 accepted=(self.carried(params, answer),)),
            Part("c", "the gradient $\\partial L / \\partial z$ that the cross-entropy loss "
                      "$L = -t \\ln y - (1 - t)\\ln(1 - y)$ gives for the same example;",
                 "number", work["error"], places=ANSWER_PLACES,
                 symbol="\\partial L_\\text{CE} / \\partial z", mistakes=tuple(cross_entropy)),
            Part("d", "Explain why the squared-error gradient vanishes when the prediction is "
                      "confidently wrong, while the cross-entropy gradient does not.", "free", None,
                 weight=2, model_answer=MODEL_ANSWER, rubric=RUBRIC),
        ]

    @staticmethod
    def _slips(params, answer):
        """The modelled slips, as the output, the squared-error gradient and the
        cross-entropy gradient they give."""
        y, t, z = answer["y"], params["t"], params["z"]
        slope = y * (1 - y)
        # sigma(-z) = 1 - y, and its slope is the same y (1 - y).
        flipped = 1 - y
        output = [
            Mistake("sign in the sigmoid", "computes $y = 1/(1 + e^{z})$, dropping the minus sign "
                    "in the exponent", flipped),
            Mistake("tanh instead of the sigmoid", "computes $\\tanh z$ instead of the logistic "
                    "sigmoid", math.tanh(z)),
        ]
        gradient = [
            Mistake("no sigmoid slope", "forgets the factor $\\sigma'(z) = y(1 - y)$ and gives "
                    "$y - t$, the cross-entropy gradient", y - t),
            Mistake("t - y", "takes $\\partial L / \\partial y = t - y$ instead of $y - t$, the "
                    "wrong sign", (t - y) * slope),
            Mistake("half kept", "keeps the $\\frac{1}{2}$ of the loss instead of cancelling it "
                    "against the exponent 2", (y - t) * slope / 2),
            Mistake("sign in the sigmoid", "computes $y = 1/(1 + e^{z})$, dropping the minus sign "
                    "in the exponent", (flipped - t) * flipped * (1 - flipped)),
            Mistake("z instead of y", "uses the pre-activation $z$ instead of the output $y$ in "
                    "the error, $(z - t)\\,y(1 - y)$", (z - t) * slope),
            Mistake("slope without y", "takes the sigmoid's slope as $1 - y$ instead of "
                    "$y(1 - y)$", (y - t) * (1 - y)),
            Mistake("divided by the slope", "divides the error by the sigmoid's slope $y(1 - y)$ "
                    "instead of multiplying by it", (y - t) / slope),
        ]
        cross_entropy = [
            Mistake("t - y", "gives $t - y$ instead of $y - t$, the wrong sign", t - y),
            Mistake("stops at dL/dy", "gives $\\partial L / \\partial y = (y - t)/\\bigl(y(1 - y)"
                    "\\bigr)$ and forgets the sigmoid's slope, which cancels its denominator",
                    (y - t) / slope),
            Mistake("squared-error gradient", "gives the squared-error gradient "
                    "$(y - t)\\,y(1 - y)$ again", answer["gradient"]),
        ]
        return output, gradient, cross_entropy
