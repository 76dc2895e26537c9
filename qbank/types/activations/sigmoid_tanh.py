"""Sigmoid and tanh: ranges, values at two points, and tanh(x) = 2 sigma(2x) - 1.

Asked, one part each: (a) the domain and range of sigma(x) = 1 / (1 + e^-x) and of
tanh(x) (marked by hand); (b) sigma and (c) tanh at two points, to four decimals;
(d) tanh(x) written through sigma alone, an expression in x checked by equivalence,
so the seed's sigma(2x) - sigma(-2x) is right too; (e) a step-by-step derivation of it,
checked numerically at the same points (marked by hand).

Params: ``x`` (two one-decimal values in [-3, 3], the first negative, the second
positive).  Answer: ``sigmoid`` [..] and ``tanh`` [..] at each x, ``identity_check`` [..]
= 2 sigma(2x) - 1 at each x (equal to tanh up to rounding), ``sigmoid_range`` "(0, 1)"
and ``tanh_range`` "(-1, 1)" (open intervals; both domains are all reals).

The derivations are data: ``DERIVATION`` (dividing by e^x) and ``SPLIT_ROUTE``
(splitting the fraction, as in the seed) are tuples of steps, each with the LaTeX the
solution shows, a sympy string of the same expression and the reason for the step;
tests/types/test_activations_sigmoid_tanh.py proves every step with sympy.

Example (seed 004 Q3 gives range (0, 1) for sigma and (-1, 1) for tanh, though it
writes (-inf, inf), tanh's domain, just above; it ends with tanh(x) = sigma(2x) -
sigma(-2x), which is also correct since sigma(-z) = 1 - sigma(z)): x = (-1.5, 0.7)
gives sigma = (0.1824, 0.6682) and tanh = (-0.9051, 0.6044).
"""

import math

from qbank.checks import number_list_problems
from qbank.choice import Mistake
from qbank.derivation import Step
from qbank.puremath import sigmoid
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Real, nonempty_list
from qbank.parts import Part, RubricLine
from qbank.render.numbers import grouped, plain


LHS = r"\tanh(x)"
# Each step equals the one before; the first equals tanh(x), the last is the claim.
DERIVATION = (
    Step(r"\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", "(exp(x) - exp(-x))/(exp(x) + exp(-x))",
         r"definition of $\tanh$"),
    Step(r"\frac{1 - e^{-2x}}{1 + e^{-2x}}", "(1 - exp(-2*x))/(1 + exp(-2*x))",
         r"divide top and bottom by $e^{x}$"),
    Step(r"\frac{2 - (1 + e^{-2x})}{1 + e^{-2x}}", "(2 - (1 + exp(-2*x)))/(1 + exp(-2*x))",
         r"write $1 = 2 - 1$ in the numerator"),
    Step(r"\frac{2}{1 + e^{-2x}} - 1", "2/(1 + exp(-2*x)) - 1", "split the fraction"),
    Step(r"2\sigma(2x) - 1", "2*sigmoid(2*x) - 1", r"$\sigma(z) = 1/(1 + e^{-z})$ with $z = 2x$"),
)
# The seed's route: split the fraction first, giving sigma(2x) - sigma(-2x).
SPLIT_ROUTE = (
    Step(r"\frac{e^{x}}{e^{x} + e^{-x}} - \frac{e^{-x}}{e^{x} + e^{-x}}",
         "exp(x)/(exp(x) + exp(-x)) - exp(-x)/(exp(x) + exp(-x))", r"split the definition of $\tanh$"),
    Step(r"\frac{1}{1 + e^{-2x}} - \frac{1}{1 + e^{2x}}", "1/(1 + exp(-2*x)) - 1/(1 + exp(2*x))",
         r"divide the first by $e^{x}$, the second by $e^{-x}$"),
    Step(r"\sigma(2x) - \sigma(-2x)", "sigmoid(2*x) - sigmoid(-2*x)", r"definition of $\sigma$"),
    Step(r"\sigma(2x) - (1 - \sigma(2x))", "sigmoid(2*x) - (1 - sigmoid(2*x))",
         r"$\sigma(-z) = 1 - \sigma(z)$"),
    Step(r"2\sigma(2x) - 1", "2*sigmoid(2*x) - 1", "collect terms"),
)
SIGMOID_RANGE, TANH_RANGE = "(0, 1)", "(-1, 1)"
# One-decimal points: a negative one in [-3, -0.1] and a positive one in [0.1, 3].
NEGATIVE_TENTHS, POSITIVE_TENTHS = range(-30, 0), range(1, 31)
LIMIT = 20.0
VALUE_PLACES = 4   # (b), (c): "to four decimal places"
# Where part (d)'s expression is compared with tanh(x), besides the variant's own points.
EXTRA_POINTS = (-0.35, 0.8, 1.9)


class Params(ParamModel):
    x: nonempty_list(Real)   # the points; at most 4 and within +-LIMIT is checked in problems


class SigmoidTanh(QuestionType):
    id = "activations.sigmoid_tanh"
    title = "Sigmoid and tanh: ranges, values and tanh(x) = 2 sigma(2x) - 1"
    topic = "activations"
    kind = "symbolic"
    source = "004 Q3"
    answer_space = "10cm"
    params_model = Params

    def sample(self, rng):
        return {"x": [int(rng.choice(NEGATIVE_TENTHS)) / 10, int(rng.choice(POSITIVE_TENTHS)) / 10]}

    def problems(self, params):
        return number_list_problems(params, "x", 1, 4, LIMIT)

    def solve(self, params):
        xs = params["x"]
        return {"sigmoid": [sigmoid(x) for x in xs], "tanh": [math.tanh(x) for x in xs],
                "identity_check": [2.0 * sigmoid(2.0 * x) - 1.0 for x in xs],
                "sigmoid_range": SIGMOID_RANGE, "tanh_range": TANH_RANGE}

    def worked(self, params, answer):
        points = [{"x": x, "minus_x": -x, "two_x": 2.0 * x, "exp": math.exp(x),
                   "exp_neg": math.exp(-x), "sigmoid": s, "tanh": t,
                   "sigmoid_2x": sigmoid(2.0 * x), "identity": check}
                  for x, s, t, check in zip(params["x"], answer["sigmoid"], answer["tanh"],
                                            answer["identity_check"])]
        return {"points": points, "lhs": LHS, "derivation": DERIVATION, "split_route": SPLIT_ROUTE}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        points = "$x = \\VAR{params.x|map('num')|join(',\\\\ ')}$"

        def at_points(name):  # (\sigma(-1.5), \sigma(0.7)): what the boxed vector holds
            values = (f"\\{name}(\\num{{{grouped(plain(x))}}})" for x in params["x"])
            return "\\bigl(" + ", ".join(values) + "\\bigr)"

        return [
            Part("a", "the domain and the range of $\\sigma$ and of $\\tanh$;", "free", None,
                 model_answer=(f"Both are defined for every real $x$: domain $(-\\infty, \\infty)$. "
                               f"Range of $\\sigma$: ${answer['sigmoid_range']}$; range of "
                               f"$\\tanh$: ${answer['tanh_range']}$, open intervals whose end "
                               "points are approached but never reached."),
                 rubric=(RubricLine(0.5, "domain $(-\\infty, \\infty)$ for both functions"),
                         RubricLine(0.5, "range $(0, 1)$ for $\\sigma$ and $(-1, 1)$ for $\\tanh$, "
                                       "open (end points never reached)"))),
            Part("b", f"$\\sigma(x)$ at {points}, to four decimal places;", "vector",
                 answer["sigmoid"], places=VALUE_PLACES,
                 symbol=at_points("sigma"),
                 mistakes=tuple(self._sigmoid_mistakes(params))),
            Part("c", "$\\tanh(x)$ at the same points, to four decimal places;", "vector",
                 answer["tanh"], places=VALUE_PLACES,
                 symbol=at_points("tanh"),
                 mistakes=tuple(self._tanh_mistakes(params))),
            Part("d", "$\\tanh(x)$ written in terms of $\\sigma$ alone, as an expression in $x$ "
                      "(type $\\sigma(z)$ as $\\text{sigmoid(z)}$);", "expression",
                 "2*sigmoid(2*x) - 1", variables=("x",),
                 points=tuple({"x": x} for x in [*params["x"], *EXTRA_POINTS]),
                 answer_tex="2\\sigma(2x) - 1", symbol="\\tanh(x)",
                 mistakes=(Mistake("2*sigmoid(x) - 1", "uses σ(x) where σ(2x) belongs",
                                   "2*sigmoid(x) - 1"),
                           Mistake("sigmoid(2*x) - 1", "loses the factor 2 in front of σ",
                                   "sigmoid(2*x) - 1"),
                           Mistake("2*sigmoid(2*x) + 1", "flips the sign of the 1",
                                   "2*sigmoid(2*x) + 1"),
                           Mistake("1 - 2*sigmoid(2*x)", "gives 1 − 2σ(2x), which is −tanh(x)",
                                   "1 - 2*sigmoid(2*x)"))),
            Part("e", "a step-by-step derivation of your expression in (d) from the definitions, "
                      "and a numerical check of it at the points of (b).", "free", None,
                 weight=2,
                 model_answer=("Dividing the numerator and the denominator of $\\tanh(x)$ by "
                               "$e^{x}$ gives $(1 - e^{-2x})/(1 + e^{-2x}) = 2/(1 + e^{-2x}) - 1 "
                               "= 2\\sigma(2x) - 1$; at each point of (b), $2\\sigma(2x) - 1$ "
                               "equals the $\\tanh(x)$ of (c) to four decimals."),
                 rubric=(RubricLine(1, "a chain of correct steps from the definition of "
                                       "$\\tanh$ (dividing by $e^{x}$, or splitting the "
                                       "fraction), a reason for every step"),
                         RubricLine(0.5, "ends at $2\\sigma(2x) - 1$ (or the equal "
                                         "$\\sigma(2x) - \\sigma(-2x)$), recognising "
                                         "$1/(1 + e^{-2x})$ as $\\sigma(2x)$"),
                         RubricLine(0.5, "evaluates the expression at the points of (b) and finds "
                                       "the values of $\\tanh$ of (c)"))),
        ]

    @staticmethod
    def _sigmoid_mistakes(params):
        xs = params["x"]
        return [
            Mistake("sign of the exponent", "uses $e^{x}$ instead of $e^{-x}$, which gives "
                    "$\\sigma(-x) = 1 - \\sigma(x)$", [sigmoid(-x) for x in xs]),
            Mistake("exponential only", "gives $e^{-x}/(1 + e^{-x})$, the numerator $e^{-x}$ in "
                    "place of 1", [math.exp(-x) / (1 + math.exp(-x)) for x in xs]),
            Mistake("no 1 +", "forgets the 1 in the denominator and gives $e^{x}$",
                    [math.exp(x) for x in xs]),
        ]

    @staticmethod
    def _tanh_mistakes(params):
        xs = params["x"]
        return [
            Mistake("sigma(2x) only", "gives $\\sigma(2x)$ without the $2\\cdot{} - 1$",
                    [sigmoid(2 * x) for x in xs]),
            Mistake("2 sigma(x) - 1", "uses $2\\sigma(x) - 1$, which is $\\tanh(x/2)$",
                    [2 * sigmoid(x) - 1 for x in xs]),
            *([Mistake("upside down", "takes the fraction the wrong way up, $1/\\tanh(x)$",
                       [1 / math.tanh(x) for x in xs])] if all(xs) else []),
        ]
