"""Logistic regression: the vectorised gradient of mean cross-entropy and one descent step.

Model y_hat = sigma(X theta + b) with mean binary cross-entropy
J = -(1/m) sum [y log y_hat + (1 - y) log(1 - y_hat)], whose gradient is
grad_theta = (1/m) X^T (sigma(X theta + b) - y) and dJ/db = mean(sigma(X theta + b) - y).
Asked: (a) derive the gradient (marked by hand); evaluate (b) grad_theta and (c) dJ/db;
take one gradient-descent step: (d) the new theta and (e) the new b, to four decimals.
The worked solution carries the residuals to five decimals; a student who carries them
to the four asked reaches slightly different numbers, which are accepted (``carried``).

Params: ``X`` (m x 2, m = 2..4, integers in -2..3), ``y`` (m labels 0/1, both classes
present), ``theta`` (2 multiples of 0.5 in [-1, 1]), ``b`` (a multiple of 0.5 in [-1, 1]),
``lr`` (0.1, 0.5 or 1).  Answer: ``gradient_theta`` [2], ``gradient_b``, ``theta_next``
= theta - lr * gradient_theta, ``b_next`` = b - lr * gradient_b.

Example (seed 004 Q5 derives dJ/dtheta = (1/m) sum (y_hat_i - y_i) x_i): X = [[1, 2], [-1, 0]],
y = (1, 0), theta = (0, 0), b = 0, lr = 0.1: sigma = (0.5, 0.5), residuals (-0.5, 0.5),
gradient_theta = (-0.5, -0.5), gradient_b = 0, theta_next = (0.05, 0.05), b_next = 0.
"""


from pydantic import model_validator

from qbank.checks import is_number
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import (Bit, ParamModel, PositiveReal, Real, ShapeError, fixed_list,
                                 nonempty_list)
from qbank.parts import Part, RubricLine, default_tolerance
from qbank.puremath import sigmoid
from qbank.render.numbers import fixed

EXAMPLES = (2, 3, 4)
FEATURES = range(-2, 4)
HALVES = (-1.0, -0.5, 0.0, 0.5, 1.0)
RATES = (0.1, 0.5, 1.0)
LIMIT_ROWS, LIMIT_LOGIT = 10, 30.0
ANSWER_PLACES = 4   # "Give numerical answers to four decimal places."
# The residuals in the worked solution: one decimal more, so that the sums over up to
# four examples, divided by m, still round to the gradient asked for.
WORK_PLACES = ANSWER_PLACES + 1
DERIVATION = (
    "With $z = \\boldsymbol{\\theta}^\\top\\mathbf{x} + b$ and "
    "$\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$, the loss of one example has "
    "$\\partial L/\\partial z = \\hat{y} - y$, and $\\partial z/\\partial\\boldsymbol{\\theta} "
    "= \\mathbf{x}$, $\\partial z/\\partial b = 1$. Averaging over the rows of $X$: "
    "$\\nabla_{\\boldsymbol{\\theta}} J = \\frac{1}{m}X^\\top\\left(\\sigma(X\\boldsymbol{\\theta} "
    "+ b) - \\mathbf{y}\\right)$ and $\\partial J/\\partial b = \\frac{1}{m}\\sum_{i=1}^{m}"
    "\\left(\\hat{y}^{(i)} - y^{(i)}\\right)$.")
DERIVATION_RUBRIC = (
    RubricLine(1, "$\\partial L/\\partial z = \\hat{y} - y$ for one example, using "
                  "$\\sigma' = \\sigma(1 - \\sigma)$"),
    RubricLine(1, "the chain rule through $z$, averaged and stacked into "
                  "$\\frac{1}{m}X^\\top(\\sigma(X\\boldsymbol{\\theta} + b) - \\mathbf{y})$, "
                  "and $\\partial J/\\partial b$ as the mean residual"),
)



class Params(ParamModel):
    # Two features exactly: the templates print the columns x_1, x_2 and theta_1, theta_2.
    X: nonempty_list(fixed_list(Real, 2))   # one row per example
    y: list[Bit]                            # one label per row of X
    theta: fixed_list(Real, 2)
    b: Real
    lr: PositiveReal

    @model_validator(mode="after")
    def _one_label_per_row(self):
        if len(self.y) != len(self.X):
            raise ShapeError("y", f"has {len(self.y)} entries but X has {len(self.X)} rows")
        return self


def forward(params):
    """Logits z_i, probabilities sigma(z_i) and residuals sigma(z_i) - y_i per example."""
    theta, b = params["theta"], params["b"]
    logits = [sum(x * t for x, t in zip(row, theta)) + b for row in params["X"]]
    probs = [sigmoid(z) for z in logits]
    return logits, probs, [p - y for p, y in zip(probs, params["y"])]


class GradientStep(QuestionType):
    id = "logreg.gradient_step"
    title = "Logistic regression: gradient and one descent step"
    topic = "linear models"
    source = "004 Q5"
    answer_space = "9cm"
    choice_part = "d"
    params_model = Params

    def sample(self, rng):
        m = int(rng.choice(EXAMPLES))
        for _ in redraws(self.id):
            y = [int(v) for v in rng.integers(0, 2, size=m)]
            if 0 < sum(y) < m:
                break
        return {"X": [[int(v) for v in rng.choice(FEATURES, size=2)] for _ in range(m)],
                "y": y,
                "theta": [float(v) for v in rng.choice(HALVES, size=2)],
                "b": float(rng.choice(HALVES)),
                "lr": float(rng.choice(RATES))}

    def problems(self, params):
        X, y, theta = params["X"], params["y"], params["theta"]
        if (not isinstance(X, list) or not 1 <= len(X) <= LIMIT_ROWS
                or not all(isinstance(row, list) and len(row) == len(theta) for row in X)
                or not all(is_number(v) for row in X for v in row)):
            return [f"X must be 1 to {LIMIT_ROWS} rows of {len(theta)} finite numbers"]
        if (not isinstance(y, list) or len(y) != len(X)
                or not all(isinstance(v, int) and not isinstance(v, bool) and v in (0, 1) for v in y)):
            return [f"y must be a list of {len(X)} labels, each 0 or 1"]
        if not is_number(params["b"]):
            return ["b must be a finite number"]
        if not is_number(params["lr"]) or params["lr"] <= 0:
            return ["lr must be a positive number"]
        # Written "not <=" so a logit that overflowed to nan is refused too.
        if not all(abs(z) <= LIMIT_LOGIT for z in forward(params)[0]):
            return [f"every logit must lie within +-{LIMIT_LOGIT:g}"]
        return []

    def solve(self, params):
        m, lr = len(params["X"]), params["lr"]
        residuals = forward(params)[2]
        gradient_theta = [sum(row[j] * r for row, r in zip(params["X"], residuals)) / m
                          for j in range(len(params["theta"]))]
        gradient_b = sum(residuals) / m
        return {"gradient_theta": gradient_theta, "gradient_b": gradient_b,
                "theta_next": [t - lr * g for t, g in zip(params["theta"], gradient_theta)],
                "b_next": params["b"] - lr * gradient_b}

    def worked(self, params, answer):
        logits, probs, residuals = forward(params)
        rows = [{"x": row, "y": y, "z": z, "p": p, "r": r}
                for row, y, z, p, r in zip(params["X"], params["y"], logits, probs, residuals)]
        # X^T r entry by entry, from the residuals as printed (WORK_PLACES decimals), so the
        # sums the solution prints are the sums of the printed terms.
        printed = [float(fixed(r, WORK_PLACES)) for r in residuals]
        sums = [sum(row[j] * r for row, r in zip(params["X"], printed))
                for j in range(len(params["theta"]))]
        return {"m": len(rows), "rows": rows, "sums": sums, "residual_sum": sum(printed),
                "places": WORK_PLACES,
                "columns": [[row[j] for row in params["X"]] for j in range(len(params["theta"]))]}

    @staticmethod
    def carried(params):
        """The gradients and the step from residuals rounded to the four decimals asked
        for, each result rounded to four as a student writes it down: what carrying the
        rounded intermediates on reaches."""
        m, lr = len(params["X"]), params["lr"]
        residuals = [float(fixed(r, ANSWER_PLACES)) for r in forward(params)[2]]
        gradient_theta = [float(fixed(sum(row[j] * r for row, r in zip(params["X"], residuals))
                                      / m, ANSWER_PLACES)) for j in range(len(params["theta"]))]
        gradient_b = float(fixed(sum(residuals) / m, ANSWER_PLACES))
        return {"gradient_theta": gradient_theta, "gradient_b": gradient_b,
                "theta_next": [t - lr * g for t, g in zip(params["theta"], gradient_theta)],
                "b_next": params["b"] - lr * gradient_b}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        carried = self.carried(params)
        slips = self._slips(params, answer)

        def accepted(key):
            """The carried value, when it lies beyond the tolerance of the exact one."""
            exact, other = answer[key], carried[key]
            pairs = zip(exact, other) if isinstance(exact, list) else [(exact, other)]
            tolerance = default_tolerance(exact, ANSWER_PLACES)
            beyond = any(abs(e - o) > max(tolerance.absolute, tolerance.relative * abs(e))
                         for e, o in pairs)
            return (other,) if beyond else ()

        def part(label, prompt, key, symbol, weight=1):
            return Part(label, prompt, "vector" if isinstance(answer[key], list) else "number",
                        answer[key], places=ANSWER_PLACES, weight=weight, symbol=symbol,
                        accepted=accepted(key),
                        mistakes=tuple(Mistake(name, text, values[key])
                                       for name, text, values in slips if key in values))

        theta = "\\boldsymbol{\\theta}"
        return [
            Part("a", "Show that, with $X$ the matrix whose rows are the examples, the gradient "
                      "in vectorised form is $\\nabla_{\\boldsymbol{\\theta}} J = "
                      "\\frac{1}{m}X^\\top\\left(\\sigma(X\\boldsymbol{\\theta} + b) - "
                      "\\mathbf{y}\\right)$, and give $\\partial J/\\partial b$.", "free", None,
                 weight=2, model_answer=DERIVATION, rubric=DERIVATION_RUBRIC),
            part("b", f"Evaluate $\\nabla_{{{theta}}} J$ at the current parameters.",
                 "gradient_theta", f"\\nabla_{{{theta}}} J", weight=2),
            part("c", "Evaluate $\\partial J/\\partial b$ at the current parameters.",
                 "gradient_b", "\\partial J/\\partial b"),
            part("d", f"Perform one gradient-descent step: give the new ${theta}$.",
                 "theta_next", theta),
            part("e", "Give the new $b$ after that step.", "b_next", "b"),
        ]

    def _slips(self, params, answer):
        """Each modelled slip with what it gives for every part it shows in:
        (name, explanation, {answer key: value})."""
        X, y, theta, b, lr = (params[key] for key in ("X", "y", "theta", "b", "lr"))
        m = len(X)
        gradient, gradient_b = answer["gradient_theta"], answer["gradient_b"]

        def mean_gradient(residuals):
            return [sum(row[j] * r for row, r in zip(X, residuals)) / m for j in range(len(theta))]

        def after(grad, grad_b, rate=lr):
            """The gradients a slip gives and the step they lead to."""
            return {"gradient_theta": grad, "gradient_b": grad_b,
                    "theta_next": [t - rate * g for t, g in zip(theta, grad)],
                    "b_next": b - rate * grad_b}

        logits = [sum(x * t for x, t in zip(row, theta)) + b for row in X]
        no_sigma = [z - t for z, t in zip(logits, y)]
        no_bias = [sigmoid(z - b) - t for z, t in zip(logits, y)]
        return [
            ("y - sigma", "uses the residual $y - \\hat{y}$ instead of $\\hat{y} - y$ "
             "(or steps up the gradient), so moves by $+\\eta\\nabla J$",
             after([-g for g in gradient], -gradient_b)),
            ("sum not mean", "sums over the examples instead of averaging, forgetting "
             "the $\\frac{1}{m}$", after([m * g for g in gradient], m * gradient_b)),
            ("logit not sigma", "forgets the sigmoid and uses the residual $z - y$ with "
             "$z = \\boldsymbol{\\theta}^\\top\\mathbf{x} + b$",
             after(mean_gradient(no_sigma), sum(no_sigma) / m)),
            ("no x", "forgets the factor $x^{(i)}_j$ and uses $\\partial J/\\partial b$ for "
             "every weight", {key: value for key, value
                              in after([gradient_b] * len(theta), gradient_b).items()
                              if key in ("gradient_theta", "theta_next")}),
            ("no b", "leaves the bias $b$ out of the logits, $\\hat{y} = "
             "\\sigma(\\boldsymbol{\\theta}^\\top\\mathbf{x})$",
             after(mean_gradient(no_bias), sum(no_bias) / m)),
            ("no learning rate", "subtracts the gradient without multiplying by $\\eta$",
             {key: value for key, value in after(gradient, gradient_b, 1.0).items()
              if key.endswith("_next")}),
            ("gradient reported", "reports the gradient instead of the updated parameter",
             {"theta_next": list(gradient), "b_next": gradient_b}),
        ]
