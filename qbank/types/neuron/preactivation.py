"""A single neuron: pre-activation a = w^T x + b and output h(a).

Asked: write the pre-activation and the output of a neuron with the given weights,
bias and activation function, and evaluate both for the given input.

Params: ``weights`` (2--3 one-decimal values in [-1, 1], nonzero), ``inputs`` (as many
integers in -3..3, not all zero), ``bias`` (one decimal in [-1, 1]), ``activation``
("sigmoid", "tanh" or "relu").
Answer (not a contract type): ``preactivation`` a = sum_i w_i x_i + b (computed from the
decimals as written, so 0.4 * 3 is exactly 1.2), ``output`` h(a): 1 / (1 + e^-a) for
sigmoid, tanh(a), or max(0, a) for relu.

Example (seed 000 Q1d answers symbolically: a(x) = w1 x1 + w2 x2 + b1, output
h(w1 x1 + w2 x2 + b1)): w = (0.5, -0.3), x = (2, 1), b = 0.1, sigmoid gives
a = 1 - 0.3 + 0.1 = 0.8 and output sigma(0.8) = 0.6900.
"""

import math
from fractions import Fraction
from typing import Literal

from pydantic import model_validator

from qbank.checks import is_number
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, Vector, check_same_length, nonempty_list

SIZES = (2, 3)
WEIGHT_TENTHS = [t for t in range(-10, 11) if t]
INPUTS = range(-3, 4)
BIAS_TENTHS = range(-10, 11)
ACTIVATIONS = ("sigmoid", "tanh", "relu")
LIMIT_SIZE, LIMIT_PREACTIVATION = 6, 50.0
LIMIT_SLIP = 700.0


class Params(ParamModel):
    weights: nonempty_list(Real)
    inputs: Vector   # one per weight
    bias: Real
    activation: Literal["sigmoid", "tanh", "relu"]   # every name activate() knows

    @model_validator(mode="after")
    def _one_input_per_weight(self):
        check_same_length(self, "weights", "inputs")
        return self


def activate(name, a):
    if name == "sigmoid":
        return 1.0 / (1.0 + math.exp(-a))
    if name == "tanh":
        return math.tanh(a)
    return max(0.0, a)


def preactivation(params, bias_times=1):
    """w^T x + b, summed exactly from the decimals as written and then rounded once.

    ``bias_times`` models slips: 0 forgets the bias, -1 subtracts it, n adds it to every product.
    """
    exact = [Fraction(repr(v)) for v in params["weights"] + params["inputs"] + [params["bias"]]]
    size = len(params["weights"])
    return float(sum(w * x for w, x in zip(exact[:size], exact[size:2 * size]))
                 + bias_times * exact[-1])


class Preactivation(QuestionType):
    id = "neuron.preactivation"
    title = "Pre-activation and output of a neuron"
    topic = "neurons"
    source = "000 Q1d"
    answer_space = "5cm"
    choice_prompt = "Which is the output $h(a)$ of the neuron for this input, to four decimal places?"
    option_places = 4
    params_model = Params

    def sample(self, rng):
        size = int(rng.choice(SIZES))
        for _ in redraws(self.id):
            inputs = [int(v) for v in rng.choice(INPUTS, size=size)]
            if any(inputs):
                break
        return {"weights": [int(t) / 10 for t in rng.choice(WEIGHT_TENTHS, size=size)],
                "inputs": inputs,
                "bias": int(rng.choice(BIAS_TENTHS)) / 10,
                "activation": str(rng.choice(ACTIVATIONS))}

    def problems(self, params):
        weights, inputs = params["weights"], params["inputs"]
        if not isinstance(weights, list) or not 1 <= len(weights) <= LIMIT_SIZE \
                or not all(map(is_number, weights)):
            return [f"weights must be a list of 1 to {LIMIT_SIZE} finite numbers"]
        if not isinstance(inputs, list) or len(inputs) != len(weights) or not all(map(is_number, inputs)):
            return [f"inputs must be a list of {len(weights)} finite numbers, one per weight"]
        if not is_number(params["bias"]):
            return ["bias must be a finite number"]
        if params["activation"] not in ACTIVATIONS:
            return [f"activation must be one of {', '.join(ACTIVATIONS)}"]
        if abs(preactivation(params)) > LIMIT_PREACTIVATION:
            return [f"the pre-activation must lie within +-{LIMIT_PREACTIVATION:g}"]
        return []

    def solve(self, params):
        a = preactivation(params)
        return {"preactivation": a, "output": activate(params["activation"], a)}

    def worked(self, params, answer):
        products = [float(Fraction(repr(w)) * Fraction(repr(x)))
                    for w, x in zip(params["weights"], params["inputs"])]
        a = answer["preactivation"]
        return {"products": products, "exp_minus_a": math.exp(-a) if params["activation"] == "sigmoid" else None}

    def choice_value(self, answer):
        return answer["output"]

    def mistakes(self, params, answer):
        name, a = params["activation"], answer["preactivation"]
        names = {"sigmoid": "the sigmoid", "tanh": "$\\tanh$", "relu": "the ReLU"}
        others = [other for other in ACTIVATIONS if other != name]

        def output(pre, activation=name):
            # Slips can push a pinned pre-activation far out; keep exp() from overflowing.
            if activation == "sigmoid":
                pre = max(-LIMIT_SLIP, min(LIMIT_SLIP, pre))
            return activate(activation, pre)

        def wrong_activation(other):
            return Mistake(f"{other} instead of {name}", f"applies {names[other]} instead of "
                           f"{names[name]} to the right pre-activation", output(a, other))

        products = self.worked(params, answer)["products"]
        # A slip in the activation's own formula (none for tanh(0), whose swap divides by 0).
        formula = []
        if name == "sigmoid":
            formula = [Mistake("sign in the exponent", "drops the minus sign in $e^{-a}$ and computes "
                               "$1/(1 + e^{a})$", output(-a))]
        elif name == "tanh" and a != 0:
            formula = [Mistake("tanh upside down", "swaps numerator and denominator in "
                               "$\\tanh(a) = (e^{a} - e^{-a})/(e^{a} + e^{-a})$", 1 / math.tanh(a))]
        elif name == "relu":
            formula = [Mistake("ReLU per product", "applies the ReLU to every product $w_i x_i$ "
                               "before adding them up, instead of to the sum",
                               sum(max(0.0, p) for p in products) + params["bias"])]
        return [
            Mistake("no bias", "computes $\\mathbf{w}^\\top\\mathbf{x}$ and forgets the bias $b$",
                    output(preactivation(params, 0))),
            Mistake("no activation", "gives the pre-activation $a$ and forgets to apply the "
                    "activation function", a),
            wrong_activation(others[0]),
            Mistake("bias in every term", "adds the bias to every product, "
                    "$\\sum_i (w_i x_i + b)$, so it counts $b$ once per input",
                    output(preactivation(params, len(params["weights"])))),
            *formula,
            Mistake("bias subtracted", "subtracts the bias instead of adding it",
                    output(preactivation(params, -1))),
            Mistake("minus signs dropped", "drops the minus sign of every negative product $w_i x_i$",
                    output(sum(abs(p) for p in products) + params["bias"])),
            wrong_activation(others[1]),
        ]
