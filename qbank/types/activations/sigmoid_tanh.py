"""Sigmoid and tanh: ranges, values at two points, and tanh(x) = 2 sigma(2x) - 1.

Asked: (a) the domain and range of sigma(x) = 1 / (1 + e^-x) and of tanh(x);
(b) both functions at two points; (c) a step-by-step derivation of
tanh(x) = 2 sigma(2x) - 1, checked numerically at the same points.

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
from qbank.derivation import Step
from qbank.puremath import sigmoid
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Real, nonempty_list


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

    def expression_check(self, params, answer):
        """What a drill or practice set asks: tanh(x) through sigma, checked by equivalence.

        Any expression equal to tanh(x) is right (``sigmoid(2*x) - sigmoid(-2*x)``,
        the seed's own ending, too); the mistakes are the usual slips in part (c).
        Sample points are the variant's own x values and three more.
        """
        return {"prompt": r"Write $\tanh(x)$ in terms of the sigmoid only, as an expression "
                          r"in $x$ (type $\sigma(z)$ as sigmoid(z)).",
                "expression": "2*sigmoid(2*x) - 1", "variables": ["x"],
                "points": [{"x": x} for x in [*params["x"], -0.35, 0.8, 1.9]],
                "mistakes": [("2*sigmoid(x) - 1", "uses σ(x) where σ(2x) belongs"),
                             ("sigmoid(2*x) - 1", "loses the factor 2 in front of σ"),
                             ("2*sigmoid(2*x) + 1", "flips the sign of the 1"),
                             ("1 - 2*sigmoid(2*x)", "gives 1 − 2σ(2x), which is −tanh(x)")]}
