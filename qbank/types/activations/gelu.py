"""GELU at a few points: the exact erf form and the tanh approximation.

GELU(x) = x * Phi(x), where Phi(x) = (1 + erf(x / sqrt 2)) / 2 is the standard normal
CDF.  Asked: GELU at three or four points, and how close the popular approximation
0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) comes at the same points.

Params: ``x`` (3--4 distinct one-decimal values in [-2.5, 2.5], nonzero, at least one
of each sign, in increasing order).  Answer: ``value`` [..] = x * Phi(x), exact erf
form, one per point.  The tanh approximation is only in the worked values.

Example (seed 003 Q2a states GELU(x) = x Phi(x)): x = (-2, -0.5, 0.5, 1.5) gives
Phi = (0.0228, 0.3085, 0.6915, 0.9332) and GELU = (-0.0455, -0.1543, 0.3457, 1.3998).
"""

import math

from qbank.checks import number_list_problems
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, nonempty_list

COUNTS = (3, 4)
# Tenths in [-2.5, 2.5] without 0 (GELU(0) = 0 teaches nothing).
TENTHS = [t for t in range(-25, 26) if t]
TANH_COEFFICIENT = 0.044715
LIMIT = 10.0
# The tanh approximation is a distractor only where it is this far off in some entry:
# closer, a student who rounds Phi from a table could land on it by the right method.
TELLING_APART = 2.5e-4


class Params(ParamModel):
    x: nonempty_list(Real)   # the points; at most 6 and within +-LIMIT is checked in problems


def normal_cdf(x):
    """Phi(x), the standard normal CDF, through math.erf."""
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def tanh_approximation(x):
    """The tanh form of GELU used by BERT and GPT-2 (torch's approximate='tanh')."""
    inner = math.sqrt(2.0 / math.pi) * (x + TANH_COEFFICIENT * x ** 3)
    return inner, 0.5 * x * (1.0 + math.tanh(inner))


class Gelu(QuestionType):
    id = "activations.gelu"
    title = "GELU activation: exact value and tanh approximation"
    topic = "activations"
    source = "003 Q2a"
    choice_prompt = ("Which vector holds the exact values $\\operatorname{GELU}(x)$ at the given points, "
                     "in the order given, to four decimal places?")
    option_places = 4
    params_model = Params

    def sample(self, rng):
        count = int(rng.choice(COUNTS))
        for _ in redraws(self.id):
            tenths = sorted(int(t) for t in rng.choice(TENTHS, size=count, replace=False))
            if tenths[0] < 0 < tenths[-1]:
                return {"x": [t / 10 for t in tenths]}

    def problems(self, params):
        return number_list_problems(params, "x", 1, 6, LIMIT)

    def solve(self, params):
        return {"value": [x * normal_cdf(x) for x in params["x"]]}

    def worked(self, params, answer):
        rows = []
        for x, value in zip(params["x"], answer["value"]):
            inner, approx = tanh_approximation(x)
            rows.append({"x": x, "scaled": x / math.sqrt(2.0), "erf": math.erf(x / math.sqrt(2.0)),
                         "phi": normal_cdf(x), "value": value, "inner": inner,
                         "tanh": math.tanh(inner), "approx": approx, "error": approx - value})
        return {"rows": rows, "max_error": max(abs(row["error"]) for row in rows)}

    def choice_value(self, answer):
        return answer["value"]

    def mistakes(self, params, answer):
        xs = params["x"]
        approximations = [tanh_approximation(x)[1] for x in xs]

        def density(x):
            return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)

        return [
            Mistake("sigmoid instead of Phi", "uses the logistic sigmoid $\\sigma(x)$ instead of the "
                    "normal CDF $\\Phi(x)$, i.e.\\ $x\\,\\sigma(x)$ (SiLU)",
                    [x / (1 + math.exp(-x)) for x in xs]),
            Mistake("density instead of CDF", "multiplies $x$ by the normal density $\\varphi(x)$ "
                    "instead of the CDF $\\Phi(x)$", [x * density(x) for x in xs]),
            *([Mistake("tanh approximation", "uses the tanh approximation of part (b) instead of the "
                       "exact erf form", approximations)]
              if max(abs(a - v) for a, v in zip(approximations, answer["value"])) >= TELLING_APART
              else []),
            Mistake("no square root of 2", "forgets the $\\sqrt{2}$ and uses $\\operatorname{erf}(x)$ "
                    "inside $\\Phi$", [x * 0.5 * (1 + math.erf(x)) for x in xs]),
            Mistake("Phi only", "gives $\\Phi(x)$ and forgets to multiply by $x$",
                    [normal_cdf(x) for x in xs]),
            Mistake("half dropped", "drops the $\\frac{1}{2}$ in $\\Phi$, computing "
                    "$x\\,(1 + \\operatorname{erf}(x / \\sqrt{2}))$", [2 * v for v in answer["value"]]),
        ]
