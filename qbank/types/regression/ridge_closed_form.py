"""Ridge regression: the gradient of the regularised loss and its closed-form minimiser.

Loss (no intercept): J(theta) = 1/(2N) ||X theta - y||^2 + lam/2 ||theta||^2, so
grad J(theta) = (1/N) X^T (X theta - y) + lam theta.  Asked: the gradient, its value at
theta = 0, and the minimiser theta* from grad J = 0, i.e. (X^T X + N lam I) theta = X^T y.

Params: ``X`` (N x 2, N = 3 or 4, integers in -2..2, rank 2), ``y`` (N integers in
-3..3), ``lam`` (0.5, 1 or 2, chosen so N * lam is whole and the 2x2 system has integer
entries).  Answer: ``gradient_at_zero`` = -(1/N) X^T y and ``theta_star`` =
(X^T X / N + lam I)^-1 X^T y / N, both computed exactly with fractions (decimals read
as written: 0.1 is 1/10) and returned as floats.

Parts: (a) the gradient, derived (marked by hand); (b) the gradient at 0, to four decimals;
(c) the closed form of theta*, derived (marked by hand); (d) theta* for the data, to four
decimals, the part a multiple-choice item offers.

Example: seed 000 Q4 asks for this derivation, but the student's gradient
(1/N) sum x_i + A theta is wrong (the residual X theta - y is missing).  For
X = [[1, 0], [0, 1], [1, 1]], y = (1, 2, 3), lam = 1: X^T X = [[2, 1], [1, 2]],
X^T y = (4, 5), gradient at 0 = (-4/3, -5/3), and [[5, 1], [1, 5]] theta = (4, 5) gives
theta* = (15/24, 21/24) = (0.625, 0.875).
"""

from fractions import Fraction

from pydantic import model_validator

from qbank.checks import is_number
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import (NonNegativeReal, ParamModel, Real, ShapeError, Vector,
                                 fixed_list, nonempty_list)
from qbank.parts import Part, RubricLine

SIZES = (3, 4)
FEATURES = range(-2, 3)
TARGETS = range(-3, 4)
# lam by N, so that N * lam is a whole number.
LAMBDAS = {3: (1.0, 2.0), 4: (0.5, 1.0, 2.0)}
LIMIT_ROWS = 10
PLACES = 4   # "to four decimal places"
# Parts (a) and (c) are derivations, marked by hand: their model answers and rubrics.
GRADIENT_MODEL = (
    r"$J = \frac{1}{2N}(X\boldsymbol{\theta} - \mathbf{y})^\top(X\boldsymbol{\theta} - \mathbf{y})"
    r" + \frac{\lambda}{2}\boldsymbol{\theta}^\top\boldsymbol{\theta}$, so "
    r"$\nabla J(\boldsymbol{\theta}) = \frac{1}{N}X^\top(X\boldsymbol{\theta} - \mathbf{y})"
    r" + \lambda\boldsymbol{\theta}$.")
GRADIENT_RUBRIC = (
    RubricLine(1, r"writes the loss as $\frac{1}{2N}(X\boldsymbol{\theta} - \mathbf{y})^\top"
                  r"(X\boldsymbol{\theta} - \mathbf{y}) + \frac{\lambda}{2}\boldsymbol{\theta}^\top"
                  r"\boldsymbol{\theta}$ and differentiates each term (chain rule through the "
                  r"residual, whose Jacobian is $X$)"),
    RubricLine(1, r"$\nabla J(\boldsymbol{\theta}) = \frac{1}{N}X^\top(X\boldsymbol{\theta} - "
                  r"\mathbf{y}) + \lambda\boldsymbol{\theta}$"),
)
CLOSED_FORM_MODEL = (
    r"$\frac{1}{N}X^\top(X\boldsymbol{\theta}^* - \mathbf{y}) + \lambda\boldsymbol{\theta}^*"
    r" = \mathbf{0}$ gives $(X^\top X + N\lambda I)\boldsymbol{\theta}^* = X^\top\mathbf{y}$, so "
    r"$\boldsymbol{\theta}^* = (X^\top X + N\lambda I)^{-1}X^\top\mathbf{y}$; the matrix is "
    r"invertible for every $\lambda > 0$.")
CLOSED_FORM_RUBRIC = (
    RubricLine(1, r"sets the gradient to zero and solves, $\boldsymbol{\theta}^* = (X^\top X + "
                  r"N\lambda I)^{-1}X^\top\mathbf{y}$ (or the same with $\frac{1}{N}X^\top X + "
                  r"\lambda I$ and $\frac{1}{N}X^\top\mathbf{y}$)"),
)


class Params(ParamModel):
    X: nonempty_list(fixed_list(Real, 2))   # N rows of two features
    y: Vector                               # one target per row of X
    lam: NonNegativeReal   # 0 is plain least squares

    @model_validator(mode="after")
    def _one_target_per_row(self):
        if len(self.y) != len(self.X):
            raise ShapeError("y", f"has {len(self.y)} entries but X has {len(self.X)} rows")
        return self


def exact(value):
    """A number as the fraction its decimal reads (0.1 -> 1/10, not the binary double)."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def normal_equations(params):
    """X^T X, X^T y and the system matrix A = X^T X + N lam I, all exact."""
    X = [[exact(v) for v in row] for row in params["X"]]
    y = [exact(v) for v in params["y"]]
    n, lam = len(X), exact(params["lam"])
    gram = [[sum(row[i] * row[j] for row in X) for j in range(2)] for i in range(2)]
    moment = [sum(row[i] * target for row, target in zip(X, y)) for i in range(2)]
    system = [[gram[i][j] + (n * lam if i == j else 0) for j in range(2)] for i in range(2)]
    return gram, moment, system


def solve_2x2(system, rhs):
    """Determinant, adjugate times rhs, and the solution of a 2x2 system (Cramer)."""
    (a, b), (c, d) = system
    det = a * d - b * c
    numerators = [d * rhs[0] - b * rhs[1], a * rhs[1] - c * rhs[0]]
    return det, numerators, [v / det for v in numerators]


class RidgeClosedForm(QuestionType):
    id = "regression.ridge_closed_form"
    title = "Ridge regression: gradient and closed-form solution"
    topic = "linear models"
    source = "000 Q4"
    answer_space = "9cm"
    choice_part = "d"
    params_model = Params

    def sample(self, rng):
        n = int(rng.choice(SIZES))
        for _ in redraws(self.id):
            X = [[int(v) for v in rng.choice(FEATURES, size=2)] for _ in range(n)]
            y = [int(v) for v in rng.choice(TARGETS, size=n)]
            gram, moment, _ = normal_equations({"X": X, "y": y, "lam": 1})
            # Rank-2 data and a target that correlates with both features.
            if gram[0][0] * gram[1][1] != gram[0][1] ** 2 and all(moment):
                return {"X": X, "y": y, "lam": float(rng.choice(LAMBDAS[n]))}

    def problems(self, params):
        X, y, lam = params["X"], params["y"], params["lam"]
        if len(X) > LIMIT_ROWS or not all(len(row) == 2 for row in X):
            return [f"X must be a list of 1 to {LIMIT_ROWS} rows of two numbers"]
        if not all(is_number(v) for row in X for v in row):
            return ["every entry of X must be a finite number"]
        if len(y) != len(X):
            return [f"y must be a list of {len(X)} finite numbers, one per row of X"]
        if not is_number(lam) or lam < 0:
            return ["lam must be a number of at least 0"]
        _, _, system = normal_equations(params)
        if system[0][0] * system[1][1] == system[0][1] * system[1][0]:
            return ["X^T X + N lam I is singular, so the minimiser is not unique"]
        return []

    def solve(self, params):
        _, moment, system = normal_equations(params)
        n = len(params["X"])
        theta = solve_2x2(system, moment)[2]
        return {"gradient_at_zero": [float(-m / n) for m in moment],
                "theta_star": [float(t) for t in theta]}

    def worked(self, params, answer):
        gram, moment, system = normal_equations(params)
        det, numerators, theta = solve_2x2(system, moment)
        n = len(params["X"])
        return {"n": n, "n_lam": float(n * exact(params["lam"])),
                "gram": [[float(v) for v in row] for row in gram],
                "moment": [float(v) for v in moment],
                "system": [[float(v) for v in row] for row in system],
                "det": float(det), "numerators": [float(v) for v in numerators],
                # A times the numerators is det * X^T y: the check that theta* solves the system.
                "check": [float(sum(a * v for a, v in zip(row, numerators))) for row in system],
                # theta* as reduced fractions (numerator, denominator) for the exact answer.
                "theta_fractions": [(t.numerator, t.denominator) for t in theta],
                "gradient_fractions": [((-m / n).numerator, (-m / n).denominator) for m in moment],
                # "=" rather than "approx" where four decimals are exact.
                "theta_exact": [10 ** 4 % t.denominator == 0 for t in theta],
                "gradient_exact": all(10 ** 4 % (m / n).denominator == 0 for m in moment)}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        return [
            Part("a", "Derive the gradient $\\nabla_{\\boldsymbol{\\theta}} J(\\boldsymbol{\\theta})$ "
                      "in vectorised form.", "free", None, weight=2, model_answer=GRADIENT_MODEL,
                 rubric=GRADIENT_RUBRIC),
            Part("b", "Evaluate the gradient at $\\boldsymbol{\\theta} = \\mathbf{0}$, to four "
                      "decimal places.", "vector", answer["gradient_at_zero"], places=PLACES,
                 symbol="\\nabla J(\\mathbf{0})",
                 mistakes=tuple(self._gradient_mistakes(params))),
            Part("c", "Set the gradient to zero to obtain the closed-form minimiser "
                      "$\\boldsymbol{\\theta}^*$.", "free", None, model_answer=CLOSED_FORM_MODEL,
                 rubric=CLOSED_FORM_RUBRIC),
            Part("d", "Compute $\\boldsymbol{\\theta}^*$ for these data, to four decimal "
                      "places.", "vector", answer["theta_star"], places=PLACES, weight=2,
                 symbol="\\boldsymbol{\\theta}^*", mistakes=tuple(self.mistakes(params, answer))),
        ]

    @staticmethod
    def _gradient_mistakes(params):
        _, moment, _ = normal_equations(params)
        n = len(params["X"])
        return [
            Mistake("sign flipped", "drops the minus sign of the residual, "
                    "$+\\frac{1}{N}X^\\top\\mathbf{y}$", [float(m / n) for m in moment]),
            Mistake("no 1/N", "forgets the $\\frac{1}{N}$ of the data term, "
                    "$-X^\\top\\mathbf{y}$", [float(-m) for m in moment]),
            Mistake("1/(2N)", "forgets the factor 2 from differentiating the square and keeps "
                    "$\\frac{1}{2N}$", [float(-m / (2 * n)) for m in moment]),
        ]

    def mistakes(self, params, answer):
        """The modelled slips, each as the minimiser it leads to (part (d))."""
        gram, moment, system = normal_equations(params)
        n, lam = len(params["X"]), exact(params["lam"])

        def minimiser(shift):
            """theta from (X^T X + shift I) theta = X^T y; None when that system is singular."""
            shifted = [[gram[i][j] + (shift if i == j else 0) for j in range(2)] for i in range(2)]
            if shifted[0][0] * shifted[1][1] == shifted[0][1] * shifted[1][0]:
                return None
            return [float(t) for t in solve_2x2(shifted, moment)[2]]

        numerators = solve_2x2(system, moment)[1]
        candidates = [
            ("lam without N", "multiplies the data term by $N$ but not the penalty, solving "
             "$(X^\\top X + \\lambda I)\\boldsymbol{\\theta} = X^\\top\\mathbf{y}$ instead of "
             "$(X^\\top X + N\\lambda I)\\boldsymbol{\\theta} = X^\\top\\mathbf{y}$",
             minimiser(lam)),
            ("no lam", "forgets the regulariser and solves the ordinary least-squares system "
             "$X^\\top X\\boldsymbol{\\theta} = X^\\top\\mathbf{y}$", minimiser(0)),
            ("2 N lam", "forgets the factor 2 from differentiating the square, "
             "$\\frac{1}{2N}X^\\top(X\\boldsymbol{\\theta} - \\mathbf{y})"
             " + \\lambda\\boldsymbol{\\theta} = 0$, so $2N\\lambda$ on the diagonal",
             minimiser(2 * n * lam)),
            ("N lam / 2", "keeps the $\\frac{1}{2}$ of "
             "$\\frac{\\lambda}{2}\\lVert\\boldsymbol{\\theta}\\rVert^2$ in its gradient, "
             "so $N\\lambda/2$ on the diagonal", minimiser(n * lam / 2)),
            ("minus N lam", "gets the sign of the penalty's gradient wrong and solves "
             "$(X^\\top X - N\\lambda I)\\boldsymbol{\\theta} = X^\\top\\mathbf{y}$",
             minimiser(-n * lam)),
            ("no 1/det", "stops at the adjugate: multiplies $X^\\top\\mathbf{y}$ by the adjugate of "
             "$X^\\top X + N\\lambda I$ but forgets to divide by its determinant",
             [float(v) for v in numerators]),
        ]
        return [Mistake(name, explanation, value) for name, explanation, value in candidates
                if value is not None]
