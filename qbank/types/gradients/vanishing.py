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

Parts, one per thing asked: (a) the factor (three decimals); (b) log10 of the gradient
scale (two decimals: the scale runs from 1e-30 to 1e24, so it is asked as a power of ten;
weight 2; the part a multiple-choice item offers); (c) the number of steps to the
threshold; (d) vanish or explode (a letter, V or E).  Carrying (a)'s
three-decimal factor into (b) and (c) earns the marks too (``carried``).

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
from qbank.parts import Part
from qbank.render.numbers import fixed

THRESHOLD = 1e3  # vanishing: below 1/THRESHOLD; exploding: above THRESHOLD
WEIGHTS = {"feedforward": (0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0),
           "recurrent": (0.5, 0.8, 0.9, 1.1, 1.2, 1.5, 2.0, 3.0)}
PREACTIVATIONS = (0.0, 0.0, 0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0)
MAX_SAMPLED_THRESHOLD_STEPS = 200  # keeps sampled factors clearly away from 1
MAX_THRESHOLD_STEPS = 10_000
FACTOR_PLACES = 3      # (a) "to three decimal places"
EXPONENT_PLACES = 2    # (b) log10 of the scale "to two decimal places"
# The working carries the factor to six significant figures and its log10 to six decimals,
# so that every printed step follows from the numbers printed before it.
SHOWN_FIGURES, LOG_PLACES = 6, 6


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
    choice_part = "b"
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
        factor, n, steps = answer["factor"], answer["steps_to_threshold"], params["steps"]
        activation = sigmoid if params["network"] == "feedforward" else math.tanh
        # Each printed step from the numbers printed before it (see the template):
        shown = float(f"{factor:.{SHOWN_FIGURES}g}")          # f to six significant figures
        log10_shown = float(fixed(math.log10(shown), LOG_PLACES))
        exponent = steps * log10_shown                       # exact: an integer times it
        ratio = math.log10(THRESHOLD) / abs(log10_shown)
        rounded = float(fixed(factor, FACTOR_PLACES))
        return {"activation_value": activation(params["preactivation"]),
                "shown_factor": shown, "log10_factor": log10_shown,
                "log10_scale": exponent, "scale": scientific(10 ** exponent),
                "ratio": ratio, "rounded_factor": rounded,
                # What carrying (a)'s three decimals into (b) gives, when it differs.
                "carried_exponent": (self.carried(params, rounded)[0]
                                     if 0 < rounded != factor else None),
                "at_threshold": scientific(shown ** n, 3),
                "before_threshold": scientific(shown ** (n - 1), 3),
                "threshold_exponent": round(math.log10(THRESHOLD))}

    @staticmethod
    def carried(params, factor):
        """log10 of the scale and the step count from a factor as a student carries it."""
        return (params["steps"] * math.log10(factor),
                math.floor(threshold_ratio(factor)) + 1 if factor != 1 else None)

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        ff = params["network"] == "feedforward"
        unit, k = ("layer", "k") if ff else ("time step", "t")
        exponent = params["steps"] * math.log10(answer["factor"])
        # (a) asks for the factor to three decimals; carried on, it moves (b) and maybe (c).
        rounded = float(fixed(answer["factor"], FACTOR_PLACES))
        carried_exponent, carried_steps = (self.carried(params, rounded) if rounded > 0
                                           else (None, None))
        return [
            Part("a", f"By what factor $\\partial h_{k} / \\partial h_{{{k}-1}}$ is the gradient "
                      f"multiplied each time it is passed back through one {unit}? Give it to "
                      "three decimal places.", "number", answer["factor"], places=FACTOR_PLACES,
                 symbol=f"\\partial h_{k} / \\partial h_{{{k}-1}}",
                 mistakes=tuple(self._factor_mistakes(params, answer))),
            Part("b", f"By what factor is the gradient scaled on its way back through all "
                      f"\\VAR{{params.steps}} {unit}s, i.e.\\ what is "
                      "$\\partial h_{\\VAR{params.steps}} / \\partial h_0$? Give its base-10 "
                      "logarithm, to two decimal places.", "number", exponent,
                 places=EXPONENT_PLACES, weight=2,
                 symbol=f"\\log_{{10}}(\\partial h_{{{params['steps']}}} / \\partial h_0)",
                 accepted=(carried_exponent,) if carried_exponent is not None else (),
                 mistakes=tuple(self.mistakes(params, answer))),
            Part("c", f"After how many {unit}s does this scale first fall below $10^{{-3}}$ if "
                      "it shrinks, or exceed $10^{3}$ if it grows?", "number",
                 answer["steps_to_threshold"], symbol="n",
                 accepted=((carried_steps,) if carried_steps not in
                           (None, answer["steps_to_threshold"]) else ()),
                 mistakes=tuple(self._steps_mistakes(answer))),
            Part("d", "Does the gradient vanish or explode? Answer V (vanish) or E (explode).",
                 "letter", "V" if answer["regime"] == "vanishing" else "E", options=("V", "E"),
                 mistakes=(Mistake("wrong regime", "reads a factor below 1 as growth, or above 1 "
                                   "as decay", "E" if answer["regime"] == "vanishing" else "V"),)),
        ]

    @staticmethod
    def _factor_mistakes(params, answer):
        """Slips in the per-step factor w f'(a)."""
        network, w, a = params["network"], params["weight"], params["preactivation"]
        ff = network == "feedforward"
        name, derivative_name = ("\\sigma", "\\sigma'") if ff else ("\\tanh", "\\tanh'")
        found = [
            Mistake("no weight", f"forgets the weight and gives ${derivative_name}(a)$ alone",
                    answer["derivative"]),
            Mistake("f not f'", f"uses the activation ${name}(a)$ instead of its derivative",
                    w * (sigmoid(a) if ff else math.tanh(a))),
            Mistake("no derivative", "forgets the activation's derivative and gives the weight "
                    "$w$ alone", w),
        ]
        if a != 0:
            found.append(Mistake("derivative at 0", f"takes the derivative at 0, "
                                 f"${derivative_name}(0) = {derivative(network, 0.0):g}$, instead "
                                 f"of at $a = {a:g}$", w * derivative(network, 0.0)))
        return found

    @staticmethod
    def _steps_mistakes(answer):
        factor, n = answer["factor"], answer["steps_to_threshold"]
        log10_factor, ln_factor = abs(math.log10(factor)), abs(math.log(factor))
        return [
            Mistake("one step short", "gives the last step at which the scale has not yet "
                    "crossed the threshold", n - 1),
            Mistake("ln over log10", "divides $\\ln 10^{3}$ by $\\lvert\\log_{10} f\\rvert$, "
                    "mixing the bases of the logarithms",
                    math.floor(math.log(THRESHOLD) / log10_factor) + 1),
            Mistake("log10 over ln", "divides $\\log_{10} 10^{3} = 3$ by "
                    "$\\lvert\\ln f\\rvert$, mixing the bases of the logarithms",
                    math.floor(math.log10(THRESHOLD) / ln_factor) + 1),
        ]

    def mistakes(self, params, answer):
        """The modelled slips of part (b), each as the log10 of the scale it gives."""
        found = []
        for mistake in self._scale_mistakes(params, answer):
            if mistake.value > 0:
                found.append(Mistake(mistake.name, mistake.explanation, math.log10(mistake.value)))
        return found

    @staticmethod
    def _scale_mistakes(params, answer):
        """The slips in the gradient scale, each as the scale it gives (may be negative)."""
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


def scientific(value, places=2):
    """Mantissa (``places`` decimals) and exponent, for numbers too small or large to print
    plainly."""
    mantissa, exponent = f"{value:.{places}e}".split("e")
    return {"m": float(mantissa), "e": int(exponent), "places": places}
