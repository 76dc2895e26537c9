"""Logistic regression: the vectorised gradient of mean cross-entropy and one descent step.

Model y_hat = sigma(X theta + b) with mean binary cross-entropy
J = -(1/m) sum [y log y_hat + (1 - y) log(1 - y_hat)], whose gradient is
grad_theta = (1/m) X^T (sigma(X theta + b) - y) and dJ/db = mean(sigma(X theta + b) - y).
Asked: derive the gradient, evaluate it, and take one gradient-descent step.

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
from qbank.param_models import (Bit, ParamModel, PositiveReal, Real, ShapeError, fixed_list,
                                 nonempty_list)
from qbank.puremath import sigmoid
from qbank.model import QuestionType, redraws

EXAMPLES = (2, 3, 4)
FEATURES = range(-2, 4)
HALVES = (-1.0, -0.5, 0.0, 0.5, 1.0)
RATES = (0.1, 0.5, 1.0)
LIMIT_ROWS, LIMIT_LOGIT = 10, 30.0



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
    choice_prompt = "Which is $\\boldsymbol{\\theta}$ after the gradient-descent step?"
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
        # X^T r entry by entry: the sum over examples of x_ij * r_i.
        sums = [sum(row[j] * r for row, r in zip(params["X"], residuals))
                for j in range(len(params["theta"]))]
        return {"m": len(rows), "rows": rows, "sums": sums, "residual_sum": sum(residuals),
                "columns": [[row[j] for row in params["X"]] for j in range(len(params["theta"]))]}

    def choice_value(self, answer):
        return answer["theta_next"]

    def mistakes(self, params, answer):
        X, y, theta, b, lr = (params[key] for key in ("X", "y", "theta", "b", "lr"))
        m, gradient = len(X), answer["gradient_theta"]

        def step(grad, rate=lr):
            return [t - rate * g for t, g in zip(theta, grad)]

        def mean_gradient(residuals):
            return [sum(row[j] * r for row, r in zip(X, residuals)) / m for j in range(len(theta))]

        logits = [sum(x * t for x, t in zip(row, theta)) + b for row in X]
        return [
            Mistake("y - sigma", "uses the residual $y - \\hat{y}$ instead of $\\hat{y} - y$ "
                    "(or steps up the gradient), so moves by $+\\eta\\nabla_{\\boldsymbol{\\theta}} J$",
                    step([-g for g in gradient])),
            Mistake("sum not mean", "sums over the examples instead of averaging, forgetting "
                    "the $\\frac{1}{m}$", step([m * g for g in gradient])),
            Mistake("logit not sigma", "forgets the sigmoid and uses the residual $z - y$ with "
                    "$z = \\boldsymbol{\\theta}^\\top\\mathbf{x} + b$",
                    step(mean_gradient([z - t for z, t in zip(logits, y)]))),
            Mistake("no x", "forgets the factor $x^{(i)}_j$ and uses $\\partial J/\\partial b$ for "
                    "every weight", step([answer["gradient_b"]] * len(theta))),
            Mistake("no b", "leaves the bias $b$ out of the logits, $\\hat{y} = "
                    "\\sigma(\\boldsymbol{\\theta}^\\top\\mathbf{x})$",
                    step(mean_gradient([sigmoid(z - b) - t for z, t in zip(logits, y)]))),
            Mistake("no learning rate", "subtracts the gradient without multiplying by "
                    "$\\eta$", step(gradient, 1.0)),
            Mistake("gradient reported", "reports the gradient $\\nabla_{\\boldsymbol{\\theta}} J$ "
                    "instead of the updated weights", list(gradient)),
        ]
