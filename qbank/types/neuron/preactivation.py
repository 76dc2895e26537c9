"""A single neuron: pre-activation a = w^T x + b and output h(a).

Asked: (a) the pre-activation as a formula in the w_i, x_i and b (checked as an
expression), (b) the output as a formula (marked by hand: the checker's grammar has no
max() for the ReLU), and for the given input (c) the pre-activation and (d) the output.

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
from qbank.parts import Part, RubricLine

SIZES = (2, 3)
WEIGHT_TENTHS = [t for t in range(-10, 11) if t]
INPUTS = range(-3, 4)
BIAS_TENTHS = range(-10, 11)
ACTIVATIONS = ("sigmoid", "tanh", "relu")
LIMIT_SIZE, LIMIT_PREACTIVATION = 6, 50.0
LIMIT_SLIP = 700.0
OUTPUT_PLACES = 4   # "to four decimal places"; the pre-activation is exact
# Where a typed formula is compared with a(x): made-up values of every w_i, x_i and b.
FORMULA_POINTS = ((0.5, -1.25, 2.0), (-0.7, 1.5, 0.3), (1.1, 0.4, -2.0), (2.0, -0.6, 0.9))
# The output in terms of the pre-activation's formula S, for each activation.
OUTPUT_FORMULAS = {"sigmoid": "\\sigma(S) = \\frac{1}{1 + e^{-(S)}}", "tanh": "\\tanh(S)",
                   "relu": "\\max(0,\\ S)"}


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
    choice_part = "d"
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

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        size = len(params["weights"])
        terms = [f"w{i}*x{i}" for i in range(1, size + 1)]
        terms_tex = " + ".join(f"w_{i} x_{i}" for i in range(1, size + 1))
        variables = (*(f"w{i}" for i in range(1, size + 1)),
                     *(f"x{i}" for i in range(1, size + 1)), "b")
        # The variant's own numbers, then made-up values of every w_i, x_i and b.
        own = dict(zip(variables, [*params["weights"], *params["inputs"], params["bias"]]))
        points = (own, *({name: FORMULA_POINTS[k][(index + k) % 3]
                          for index, name in enumerate(variables)}
                         for k in range(len(FORMULA_POINTS))))
        output_tex = "h(a(\\mathbf{x})) = " + OUTPUT_FORMULAS[params["activation"]].replace(
            "S", f"{terms_tex} + b")
        return [
            Part("a", "Write down the pre-activation $a(\\mathbf{x})$ in terms of the weights "
                      "$w_i$, the inputs $x_i$ and the bias $b$ (type $w_1$ as w1, $x_1$ as x1).",
                 "expression", " + ".join(terms) + " + b", variables=variables, points=points,
                 answer_tex=f"{terms_tex} + b", symbol="a(\\mathbf{x})",
                 mistakes=(
                     Mistake("no bias", "forgets the bias $b$", " + ".join(terms)),
                     Mistake("bias in every term", "adds the bias to every product",
                             " + ".join(f"({term} + b)" for term in terms)),
                     Mistake("bias subtracted", "subtracts the bias instead of adding it",
                             " + ".join(terms) + " - b"))),
            Part("b", "Write down the output of the neuron in terms of the same quantities.",
                 "free", None, model_answer=f"${output_tex}$.",
                 rubric=(RubricLine(1, "the activation $h$ applied to the whole pre-activation, "
                                       "$h(w_1 x_1 + \\dots + b)$, with this neuron's $h$"),)),
            Part("c", "Compute the pre-activation $a$ for the input $\\mathbf{x}$.", "number",
                 answer["preactivation"], symbol="a",
                 mistakes=tuple(self._preactivation_mistakes(params, variant.work))),
            Part("d", "Compute the output $h(a)$ of the neuron for this input, to four decimal "
                      "places.", "number", answer["output"], places=OUTPUT_PLACES, weight=2,
                 symbol="h(a)", mistakes=tuple(self.mistakes(params, answer))),
        ]

    @staticmethod
    def _preactivation_mistakes(params, work):
        products = work["products"]
        return [
            Mistake("no bias", "computes $\\mathbf{w}^\\top\\mathbf{x}$ and forgets the bias $b$",
                    preactivation(params, 0)),
            Mistake("bias in every term", "adds the bias to every product, "
                    "$\\sum_i (w_i x_i + b)$, so it counts $b$ once per input",
                    preactivation(params, len(params["weights"]))),
            Mistake("bias subtracted", "subtracts the bias instead of adding it",
                    preactivation(params, -1)),
            Mistake("minus signs dropped", "drops the minus sign of every negative product "
                    "$w_i x_i$", sum(abs(p) for p in products) + params["bias"]),
        ]

    def mistakes(self, params, answer):
        """The slips in the output, part (d) and the multiple-choice options."""
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
