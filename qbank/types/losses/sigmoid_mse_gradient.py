"""Gradient of the squared error through a sigmoid, and why it vanishes.

One sigmoid output unit y = sigma(z) is trained with L = 1/2 (y - t)^2; asked: y and
dL/dz = (y - t) y (1 - y), compared with the cross-entropy gradient y - t, and why the
squared-error gradient vanishes when the prediction is confidently wrong.

Params: ``z`` (the pre-activation, a one-decimal value in [-6, 6] when sampled), ``t``
(the target, 0 or 1).  Answer: ``y`` (sigma(z)), ``gradient`` (dL/dz).
The space is naturally small: 121 values of z times 2 targets = 242 parameter sets, of
which 200 seeds draw about 136 distinct ones, hence ``variety`` = 120.

Example (seed 002 Q2, option 3): z = -5, t = 1 gives y = 0.0067 and dL/dz = -0.0066, a
tiny gradient for a badly wrong prediction (cross-entropy would give y - t = -0.9933).
"""

import math

from qbank.checks import is_number, is_whole
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import Bit, ParamModel, Real

# One-decimal pre-activations from -6.0 to 6.0, in tenths.
TENTHS = (-60, 61)
LIMIT_Z = 10
# |y - t| above this is "confidently wrong", below 1 minus it "confidently right".
CONFIDENT = 0.9


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
    choice_prompt = "Which is the gradient $\\partial L / \\partial z$, to four significant figures?"
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

    def choice_value(self, answer):
        return answer["gradient"]

    def format_option(self, value):
        from qbank.render import filters

        return filters.sig(value, 4)

    def mistakes(self, params, answer):
        y, t, z = answer["y"], params["t"], params["z"]
        slope = y * (1 - y)
        # sigma(-z) = 1 - y, and its slope is the same y (1 - y).
        flipped = 1 - y
        return [
            Mistake("no sigmoid slope", "forgets the factor $\\sigma'(z) = y(1 - y)$ and gives "
                    "$y - t$, the cross-entropy gradient", y - t),
            Mistake("t - y", "takes $\\partial L / \\partial y = t - y$ instead of $y - t$, the wrong sign",
                    (t - y) * slope),
            Mistake("half kept", "keeps the $\\frac{1}{2}$ of the loss instead of cancelling it "
                    "against the exponent 2", (y - t) * slope / 2),
            Mistake("sign in the sigmoid", "computes $y = 1/(1 + e^{z})$, dropping the minus sign in "
                    "the exponent", (flipped - t) * flipped * (1 - flipped)),
            Mistake("z instead of y", "uses the pre-activation $z$ instead of the output $y$ in the "
                    "error, $(z - t)\\,y(1 - y)$", (z - t) * slope),
            Mistake("slope without y", "takes the sigmoid's slope as $1 - y$ instead of $y(1 - y)$",
                    (y - t) * (1 - y)),
        ]
