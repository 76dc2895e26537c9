"""GELU at a few points: the exact erf form and the tanh approximation.

GELU(x) = x * Phi(x), where Phi(x) = (1 + erf(x / sqrt 2)) / 2 is the standard normal
CDF.  Asked: GELU at three or four points, and how close the popular approximation
0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) comes at the same points.

Params: ``x`` (3--4 distinct one-decimal values in [-2.5, 2.5], nonzero, at least one
of each sign, in increasing order).  Answer: ``value`` [..] = x * Phi(x), exact erf
form, one per point.  The tanh approximation is only in the worked values.

Parts: (a) GELU at the points (the exact erf form, four decimals; the part a
multiple-choice item offers), (b) the tanh approximation at the same points (four
decimals), (c) its largest error there, from unrounded values (six decimals).

Example (seed 003 Q2a states GELU(x) = x Phi(x)): x = (-2, -0.5, 0.5, 1.5) gives
Phi = (0.0228, 0.3085, 0.6915, 0.9332) and GELU = (-0.0455, -0.1543, 0.3457, 1.3998).
"""

import math

from qbank.checks import number_list_problems
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, nonempty_list
from qbank.parts import Part, Tolerance
from qbank.render.numbers import fixed

COUNTS = (3, 4)
# Tenths in [-2.5, 2.5] without 0 (GELU(0) = 0 teaches nothing).
TENTHS = [t for t in range(-25, 26) if t]
TANH_COEFFICIENT = 0.044715
LIMIT = 10.0
# The tanh approximation is a distractor only where it is this far off in some entry:
# closer, a student who rounds Phi from a table could land on it by the right method.
TELLING_APART = 2.5e-4
VALUE_PLACES = 4   # (a) and (b): "to four decimal places"
ERROR_PLACES = 6   # (c): the errors are a few 1e-5 to 4.4e-4
# (a) and (b) within two units of the fourth decimal, not the default 0.1%: that would be
# 0.0025 at x = 2.5, wide enough to take the exact values for the approximation's and back.
# Two units cover Phi read from a four-decimal table and multiplied by |x| <= 2.5.
VALUE_TOLERANCE = Tolerance(relative=0.0, absolute=2e-4)


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
    choice_part = "a"
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
        for row in rows:
            # The difference of the two values as printed (six decimals), so that the
            # printed subtraction is exact; it is within a unit of the unrounded error.
            row["printed_error"] = (float(fixed(row["approx"], ERROR_PLACES))
                                    - float(fixed(row["value"], ERROR_PLACES)))
        largest = max(rows, key=lambda row: abs(row["error"]))
        return {"rows": rows, "max_error": abs(largest["error"]), "max_at": largest["x"]}

    def parts(self, variant):
        params, answer, work = variant.params, variant.answer, variant.work
        points = ("$x = \\BLOCK{for x in params.x}\\VAR{x|num}"
                  "\\VAR{'' if loop.last else ',\\\\ '}\\BLOCK{endfor}$")
        return [
            Part("a", f"the exact value $\\operatorname{{GELU}}(x) = x\\,\\Phi(x)$ at the "
                      f"\\VAR{{params.x|length}} points {points}, in this order, to four "
                      "decimal places;", "vector", answer["value"], places=VALUE_PLACES,
                 tolerance=VALUE_TOLERANCE,
                 symbol="\\operatorname{GELU}(x)",
                 mistakes=tuple(self.mistakes(params, answer))),
            Part("b", "the tanh approximation at the same points, to four decimal places;",
                 "vector", [row["approx"] for row in work["rows"]], places=VALUE_PLACES,
                 tolerance=VALUE_TOLERANCE,
                 symbol="\\tfrac{1}{2}x(1 + \\tanh u)",
                 mistakes=tuple(self._approximation_mistakes(params))),
            Part("c", "the largest size of the approximation's error at these points, "
                      "$\\max_x \\lvert \\text{approximation} - \\operatorname{GELU}(x)\\rvert$, "
                      "to six decimal places; work from unrounded values, as the error lies "
                      "below the fourth decimal.", "number", work["max_error"],
                 places=ERROR_PLACES, symbol="\\max_x \\lvert\\text{error}\\rvert",
                 mistakes=tuple(self._error_mistakes(work))),
        ]

    @staticmethod
    def _approximation_mistakes(params):
        """Slips in evaluating the tanh form, each as the values it gives at the points."""
        xs = params["x"]

        def with_inner(inner):
            return [0.5 * x * (1 + math.tanh(inner(x))) for x in xs]

        root = math.sqrt(2.0 / math.pi)
        return [
            Mistake("no cubic term", "drops the cubic term $0.044715\\,x^3$ inside the tanh",
                    with_inner(lambda x: root * x)),
            Mistake("sqrt(pi/2)", "uses $\\sqrt{\\pi/2}$ instead of $\\sqrt{2/\\pi}$",
                    with_inner(lambda x: math.sqrt(math.pi / 2) * (x + TANH_COEFFICIENT * x ** 3))),
            Mistake("half dropped", "drops the $\\frac{1}{2}$ in front, computing "
                    "$x\\,(1 + \\tanh u)$", [x * (1 + math.tanh(tanh_approximation(x)[0]))
                                             for x in xs]),
            Mistake("no 1 +", "forgets the $1 +$ and computes $\\frac{1}{2}x\\tanh u$",
                    [0.5 * x * math.tanh(tanh_approximation(x)[0]) for x in xs]),
        ]

    @staticmethod
    def _error_mistakes(work):
        """Slips in finding the largest error, each as the number it gives."""
        rows = work["rows"]
        rounded = [abs(float(fixed(row["approx"], VALUE_PLACES))
                       - float(fixed(row["value"], VALUE_PLACES))) for row in rows]
        return [
            Mistake("rounded values subtracted", "subtracts the four-decimal values of (a) and "
                    "(b), whose rounding is as large as the error itself", max(rounded)),
            Mistake("signed maximum", "takes the largest signed difference, approximation minus "
                    "exact, instead of the largest in size", max(row["error"] for row in rows)),
            Mistake("smallest error", "gives the smallest error instead of the largest",
                    min(abs(row["error"]) for row in rows)),
        ]

    def mistakes(self, params, answer):
        """The modelled slips of part (a), each as the values it gives at the points."""
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
