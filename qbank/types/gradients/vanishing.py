"""Vanishing and exploding gradients: the product of per-step factors.

Backpropagating through T layers of a chain of single sigmoid units, or through T time
steps of a one-unit tanh RNN, multiplies the gradient by the same factor w * f'(a) at
every step (the weight times the activation's derivative at the pre-activation a, taken
equal at every step).  Asked: the per-step factor, the gradient scale dh_T/dh_0 =
(w f'(a))^T, and after how many steps the scale first drops below 1e-3 (vanishing) or
exceeds 1e3 (exploding).

Params: ``network`` ("feedforward": sigmoid layers, depth T; "recurrent": tanh RNN,
T time steps), ``steps`` (T, 5--50), ``weight`` (w; feedforward 0.5--6, recurrent 0.5--3,
e.g. the recurrent weights 0.5, 0.9, 1.1), ``preactivation`` (a, a half-step in [-2, 2];
often 0, where sigma' = 0.25 is largest and tanh' = 1).
Answer: ``derivative`` (f'(a): sigma(a)(1 - sigma(a)) or 1 - tanh(a)^2), ``factor``
(w f'(a)), ``gradient_scale`` (factor^T), ``steps_to_threshold`` (smallest n with
factor^n < 1e-3, or > 1e3 when factor > 1), ``regime`` ("vanishing" or "exploding").

Seeds: 001 Q2 (sigmoid derivatives multiplied layer after layer decay exponentially) and
002 Q4 (dh_t/dh_{t-1} below or above 1 makes RNN gradients vanish or explode), without
numbers.  Example: feedforward, T = 10, w = 1, a = 0: sigma'(0) = 0.25, scale
0.25^10 = 9.54e-7, below 1e-3 after 5 layers (0.25^5 = 9.8e-4).
"""

import math
from typing import Literal


from qbank.checks import is_number, size_problems
from qbank.choice import Mistake
from qbank.puremath import sigmoid
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, PositiveReal, Real, Size

THRESHOLD = 1e3  # vanishing: below 1/THRESHOLD; exploding: above THRESHOLD
WEIGHTS = {"feedforward": (0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0),
           "recurrent": (0.5, 0.8, 0.9, 1.1, 1.2, 1.5, 2.0, 3.0)}
PREACTIVATIONS = (0.0, 0.0, 0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0)
MAX_SAMPLED_THRESHOLD_STEPS = 200  # keeps sampled factors clearly away from 1
MAX_THRESHOLD_STEPS = 10_000


class Params(ParamModel):
    network: Literal["feedforward", "recurrent"]   # sigmoid layers or a tanh RNN
    steps: Size                                    # T
    # w > 0: the per-step factor w f'(a) has a logarithm (a zero or negative factor has none).
    weight: PositiveReal
    preactivation: Real                            # a; within +-20, checked in problems()


def derivative(network, a):
    """sigma'(a) for the sigmoid layers, tanh'(a) for the recurrent unit."""
    if network == "feedforward":
        s = sigmoid(a)
        return s * (1 - s)
    return 1 - math.tanh(a) ** 2


def threshold_ratio(factor):
    """ln(threshold) / |ln factor|: the step count the scale needs to cross the threshold."""
    return math.log(THRESHOLD) / abs(math.log(factor))


class VanishingGradient(QuestionType):
    id = "gradients.vanishing"
    title = "Vanishing and exploding gradients"
    topic = "training deep networks"
    source = "001 Q2, 002 Q4"
    answer_space = "7cm"
    # A template line: it names the variant's T and its layers or time steps.
    choice_prompt = ("Which is $\\partial h_{\\VAR{params.steps}}/\\partial h_0$, the factor by which "
                     "the gradient is scaled through all \\VAR{params.steps} "
                     "\\VAR{'layers' if params.network == 'feedforward' else 'time steps'}?")
    params_model = Params

    def sample(self, rng):
        for _ in redraws(self.id):
            network = str(rng.choice(list(WEIGHTS)))
            params = {"network": network, "steps": int(rng.integers(5, 51)),
                      "weight": float(rng.choice(WEIGHTS[network])),
                      "preactivation": float(rng.choice(PREACTIVATIONS))}
            factor = params["weight"] * derivative(network, params["preactivation"])
            if factor != 1 and threshold_ratio(factor) < MAX_SAMPLED_THRESHOLD_STEPS:
                return params

    def problems(self, params):
        if params["network"] not in WEIGHTS:
            return [f"network must be one of {', '.join(WEIGHTS)}, got {params['network']!r}"]
        bad = size_problems(params, ["steps"])
        bad += [f"{key} must be a number, got {params[key]!r}"
                for key in ("weight", "preactivation") if not is_number(params[key])]
        if bad:
            return bad
        if params["weight"] <= 0 or abs(params["preactivation"]) > 20:
            return ["weight must be positive and the pre-activation within +-20"]
        factor = params["weight"] * derivative(params["network"], params["preactivation"])
        if factor == 1 or threshold_ratio(factor) > MAX_THRESHOLD_STEPS:
            return ["the per-step factor is (too close to) 1: the gradient neither vanishes "
                    "nor explodes within a sensible number of steps"]
        ratio = threshold_ratio(factor)
        if abs(ratio - round(ratio)) < 1e-9:
            return ["the scale lands exactly on the threshold after a whole number of steps"]
        return []

    def solve(self, params):
        slope = derivative(params["network"], params["preactivation"])
        factor = params["weight"] * slope
        return {"derivative": slope, "factor": factor,
                "gradient_scale": factor ** params["steps"],
                # factor^n crosses the threshold once n exceeds the ratio.
                "steps_to_threshold": math.floor(threshold_ratio(factor)) + 1,
                "regime": "vanishing" if factor < 1 else "exploding"}

    def worked(self, params, answer):
        factor, n = answer["factor"], answer["steps_to_threshold"]
        activation = sigmoid if params["network"] == "feedforward" else math.tanh
        return {"activation_value": activation(params["preactivation"]),
                "ln_factor": math.log(factor), "ln_threshold": math.log(THRESHOLD),
                "ratio": threshold_ratio(factor), "log10_factor": math.log10(factor),
                "log10_scale": params["steps"] * math.log10(factor),
                "scale": scientific(answer["gradient_scale"]),
                "at_threshold": scientific(factor ** n),
                "before_threshold": scientific(factor ** (n - 1)),
                "threshold_exponent": round(math.log10(THRESHOLD))}


    def choice_value(self, answer):
        return answer["gradient_scale"]

    def mistakes(self, params, answer):
        network, steps = params["network"], params["steps"]
        w, a = params["weight"], params["preactivation"]
        factor, slope = answer["factor"], answer["derivative"]
        ff = network == "feedforward"
        name, derivative_name = ("\\sigma", "\\sigma'") if ff else ("\\tanh", "\\tanh'")
        activation = sigmoid(a) if ff else math.tanh(a)
        found = [
            Mistake("one factor too few", f"multiplies only $T - 1 = {steps - 1}$ factors, "
                    f"one fewer than the {steps} {'layers' if ff else 'time steps'}",
                    factor ** (steps - 1)),
            Mistake("no weight", f"forgets the weight and multiplies only the derivatives, "
                    f"$({derivative_name}(a))^T$", slope ** steps),
            Mistake("one factor too many", f"multiplies $T + 1 = {steps + 1}$ factors, one more "
                    f"than there are {'layers' if ff else 'time steps'}", factor ** (steps + 1)),
            Mistake("no derivative", "forgets the activation's derivative and multiplies only "
                    "the weights, $w^T$", w ** steps),
            Mistake("times T", "multiplies the per-step factor by $T$ instead of raising it to "
                    "the power $T$", steps * factor),
        ]
        if activation != 0:  # tanh(0) = 0 would give an obviously impossible 0
            found.insert(2, Mistake("f not f'", f"uses the activation ${name}(a)$ instead of its "
                                    f"derivative ${derivative_name}(a)$", (w * activation) ** steps))
        if a != 0:
            peak = derivative(network, 0.0)
            found.append(Mistake("derivative at 0", f"takes the derivative at 0, "
                                 f"${derivative_name}(0) = {peak:g}$, instead of at $a = {a:g}$",
                                 (w * peak) ** steps))
        return found

    def format_option(self, value):
        """Scientific notation with three significant figures, as in the solution."""
        from qbank.render import filters

        if value == 0:
            return filters.num(0)
        parts = scientific(value)
        mantissa = filters.fixed(parts["m"], 2)
        return mantissa if parts["e"] == 0 else f"{mantissa} \\times 10^{{{parts['e']}}}"


def scientific(value):
    """Mantissa (two decimals) and exponent, for numbers too small or large to print plainly."""
    mantissa, exponent = f"{value:.2e}".split("e")
    return {"m": float(mantissa), "e": int(exponent)}
