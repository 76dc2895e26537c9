"""Bias-variance decomposition of the expected squared error at one input.

A model is trained on several independent training sets and predicts f_hat(x0) each
time; the truth is f(x0) and observations carry noise of variance sigma^2.  Asked:
bias^2 = (mean prediction - f(x0))^2, variance = mean squared deviation of the
predictions from their mean (divided by the number of models), and the expected error
E[(y - f_hat)^2] = bias^2 + variance + sigma^2.

Params: ``predictions`` (4--6 one-decimal values, not all equal, whose mean is a
one-decimal number so the deviations are easy), ``f_true`` (one decimal, 0.1 to 0.8
away from the mean prediction), ``noise_var`` (sigma^2 with sigma in 0.1..0.5, so
0.01, 0.04, 0.09, 0.16 or 0.25).  Answer: ``bias_sq``, ``variance``,
``expected_error``, computed exactly with fractions (decimals read as written).

Parts: (a) the decomposition and why no cross terms remain (marked by hand); (b) bias^2,
(c) the variance (weight 2: the deviations and their squares) and (d) the expected error,
to four decimals (d is the part a multiple-choice item offers); (e) bias or variance
dominated, and what it means (marked by hand).

Example (seed 003 Q9 derives E[(y - f_hat)^2] = (f - E f_hat)^2 + Var(f_hat) + Var(e);
000 Q1c names high bias / low variance): predictions (2.0, 2.4, 1.8, 2.2), f_true 2.5,
noise_var 0.04: mean 2.1, bias^2 = 0.16, variance = (0.01 + 0.09 + 0.09 + 0.01)/4 = 0.05,
expected error 0.25.
"""

import math
from fractions import Fraction
from typing import Annotated

from pydantic import Field

from qbank.checks import is_number
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import NonNegativeReal, ParamModel, Real
from qbank.parts import Part, RubricLine

COUNTS = (4, 5, 6)
MEAN_TENTHS = range(5, 41)
DEVIATION_TENTHS = range(-5, 6)
OFFSET_TENTHS = [t for t in range(-8, 9) if t]
SIGMA_HUNDREDTHS = (1, 2, 3, 4, 5)
LIMIT_MODELS = 12
ANSWER_PLACES = 4   # "to four decimal places": the variance divides by k = 6 at most
DECOMPOSITION_ANSWER = (
    "$\\mathbb{E}[(y - \\hat{f}(x_0))^2] = (\\bar{f} - f(x_0))^2 + \\mathbb{E}[(\\hat{f}(x_0) - "
    "\\bar{f})^2] + \\sigma^2$ with $\\bar{f} = \\mathbb{E}[\\hat{f}(x_0)]$: the cross terms "
    "vanish because $\\varepsilon$ has mean zero and is independent of $\\hat{f}$, and "
    "$\\mathbb{E}[\\bar{f} - \\hat{f}] = 0$ while $f - \\bar{f}$ is a constant.")
DECOMPOSITION_RUBRIC = (
    RubricLine(0.5, "bias$^2$ + variance + noise $\\sigma^2$, each term written out"),
    RubricLine(0.5, "the cross terms vanish: zero-mean noise independent of $\\hat{f}$, and "
                    "$\\mathbb{E}[\\hat{f} - \\bar{f}] = 0$"),
)
DOMINANCE_RUBRIC = (
    RubricLine(0.5, "compares the squared bias with the variance and names the larger"),
    RubricLine(0.5, "reads it: high bias is underfitting, high variance overfitting (or says "
                    "neither dominates when they are equal)"),
)


class Params(ParamModel):
    # One prediction per trained model; two at least, or there is no spread to measure.
    predictions: Annotated[list[Real], Field(min_length=2)]
    f_true: Real
    noise_var: NonNegativeReal   # sigma^2


def exact(value):
    """The fraction a decimal reads as (0.1 -> 1/10), not its binary double."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def decompose(params):
    """Mean prediction, deviations, bias, bias^2, variance and expected error, exactly."""
    predictions = [exact(p) for p in params["predictions"]]
    mean = sum(predictions) / len(predictions)
    deviations = [p - mean for p in predictions]
    variance = sum(d * d for d in deviations) / len(predictions)
    bias = mean - exact(params["f_true"])
    return {"mean": mean, "deviations": deviations, "bias": bias, "bias_sq": bias * bias,
            "variance": variance,
            "expected_error": bias * bias + variance + exact(params["noise_var"])}


class BiasVarianceDecomposition(QuestionType):
    id = "bias_variance.decomposition"
    title = "Bias-variance decomposition at one input"
    topic = "generalisation"
    source = "003 Q9, 000 Q1c"
    answer_space = "7cm"
    choice_part = "d"
    params_model = Params

    def sample(self, rng):
        count = int(rng.choice(COUNTS))
        mean = int(rng.choice(MEAN_TENTHS))
        for _ in redraws(self.id):
            # Deviations in tenths summing to zero, so the mean is exactly mean / 10.
            deviations = [int(d) for d in rng.choice(DEVIATION_TENTHS, size=count - 1)]
            last = -sum(deviations)
            if abs(last) <= 5 and len(set(deviations + [last])) > 1:
                break
        deviations = [int(d) for d in rng.permutation(deviations + [last])]
        sigma = int(rng.choice(SIGMA_HUNDREDTHS))
        return {"predictions": [(mean + d) / 10 for d in deviations],
                "f_true": (mean + int(rng.choice(OFFSET_TENTHS))) / 10,
                "noise_var": sigma * sigma / 100}

    def problems(self, params):
        predictions = params["predictions"]
        if (not isinstance(predictions, list) or not 2 <= len(predictions) <= LIMIT_MODELS
                or not all(map(is_number, predictions))):
            return [f"predictions must be a list of 2 to {LIMIT_MODELS} finite numbers"]
        if not is_number(params["f_true"]):
            return ["f_true must be a finite number"]
        if not is_number(params["noise_var"]) or params["noise_var"] < 0:
            return ["noise_var must be a number of at least 0"]
        return []

    def solve(self, params):
        parts = decompose(params)
        return {key: float(parts[key]) for key in ("bias_sq", "variance", "expected_error")}

    def worked(self, params, answer):
        parts = decompose(params)
        # One decimal everywhere when the data are tenths (4.0, not 4), as a lecturer writes them.
        values = [exact(v) for v in params["predictions"] + [params["f_true"]]] + [parts["mean"]]
        tenths = all((10 * v).denominator == 1 for v in values)
        return {"count": len(params["predictions"]), "mean": float(parts["mean"]),
                "places": 1 if tenths else None,
                "total": float(sum(exact(p) for p in params["predictions"])),
                "bias": float(parts["bias"]),
                "rows": [{"prediction": p, "deviation": float(d), "square": float(d * d)}
                         for p, d in zip(params["predictions"], parts["deviations"])],
                "square_sum": float(sum(d * d for d in parts["deviations"])),
                "dominant": "bias" if parts["bias_sq"] > parts["variance"] else
                            ("variance" if parts["variance"] > parts["bias_sq"] else "neither")}

    def parts(self, variant):
        params, answer, work = variant.params, variant.answer, variant.work
        return [
            Part("a", "State the decomposition of the expected squared error "
                      "$\\mathbb{E}\\left[(y - \\hat{f}(x_0))^2\\right]$ into bias, variance and "
                      "noise, and say briefly why no cross terms remain.", "free", None,
                 model_answer=DECOMPOSITION_ANSWER, rubric=DECOMPOSITION_RUBRIC),
            Part("b", "Compute the squared bias at $x_0$.", "number", answer["bias_sq"],
                 places=ANSWER_PLACES, symbol="\\text{bias}^2",
                 mistakes=tuple(self._bias_mistakes(params))),
            Part("c", "Compute the variance of the predictions at $x_0$.", "number",
                 answer["variance"], places=ANSWER_PLACES, weight=2, symbol="\\text{variance}",
                 mistakes=tuple(self._variance_mistakes(params))),
            Part("d", "Compute the expected squared error at $x_0$.", "number",
                 answer["expected_error"], places=ANSWER_PLACES,
                 symbol="\\mathbb{E}\\left[(y - \\hat{f}(x_0))^2\\right]",
                 mistakes=tuple(self.mistakes(params, answer))),
            Part("e", "Is this model's error at $x_0$ dominated by bias or by variance?", "free",
                 None, model_answer=_dominance_answer(work["dominant"]),
                 rubric=DOMINANCE_RUBRIC),
        ]

    @staticmethod
    def _bias_mistakes(params):
        parts = decompose(params)
        return [
            Mistake("bias not squared", "gives the bias $\\bar{f} - f(x_0)$ without squaring it",
                    float(abs(parts["bias"]))),
            Mistake("mean squared error", "averages the squared errors $(\\hat{f}_j - f(x_0))^2$, "
                    "which is bias$^2$ + variance, not bias$^2$ alone",
                    float(parts["bias_sq"] + parts["variance"])),
            Mistake("one model", "squares the error of the first model alone, "
                    "$(\\hat{f}_1(x_0) - f(x_0))^2$, instead of the mean prediction's",
                    float((exact(params["predictions"][0]) - exact(params["f_true"])) ** 2)),
        ]

    @staticmethod
    def _variance_mistakes(params):
        parts = decompose(params)
        k, variance = len(params["predictions"]), parts["variance"]
        return [
            Mistake("variance over k - 1", f"divides the squared deviations by $k - 1 = {k - 1}$ "
                    f"(the sample variance) instead of by $k = {k}$", float(variance * k / (k - 1))),
            Mistake("std not variance", "gives the standard deviation, the square root of the "
                    "variance", math.sqrt(float(variance))),
            Mistake("spread around f", "measures the spread of the predictions around $f(x_0)$ "
                    "instead of around $\\bar{f}$", float(parts["bias_sq"] + variance)),
            Mistake("sum not mean", "gives the sum of the squared deviations, without dividing "
                    "by $k$", float(variance * k)),
        ]

    def mistakes(self, params, answer):
        """The modelled slips of part (d), each as the expected error it leads to."""
        parts = decompose(params)
        k, noise = len(params["predictions"]), exact(params["noise_var"])
        bias_sq, variance = parts["bias_sq"], parts["variance"]
        candidates = [
            ("variance over k - 1", f"divides the squared deviations by $k - 1 = {k - 1}$ "
             f"(the sample variance) instead of by $k = {k}$",
             bias_sq + variance * k / (k - 1) + noise),
            ("bias not squared", "adds the bias $|\\bar{f} - f(x_0)|$ instead of its square",
             abs(parts["bias"]) + variance + noise),
            ("no noise", "leaves out the irreducible noise $\\sigma^2$", bias_sq + variance),
            ("sigma not sigma^2", "adds the noise standard deviation $\\sigma$ instead of the "
             "variance $\\sigma^2$", float(bias_sq + variance) + math.sqrt(noise)),
            ("spread around f", "measures the spread of the predictions around $f(x_0)$ "
             "instead of around $\\bar{f}$, which counts the squared bias twice",
             2 * bias_sq + variance + noise),
            ("std not variance", "adds the standard deviation of the predictions instead of "
             "their variance", float(bias_sq + noise) + math.sqrt(variance)),
        ]
        return [Mistake(name, explanation, float(value)) for name, explanation, value in candidates]


def _dominance_answer(dominant):
    """Part (e)'s model answer for the larger of the two terms."""
    if dominant == "bias":
        return ("Bias: the squared bias exceeds the variance, so the models agree with each "
                "other but are systematically off, a sign of underfitting (high bias, low "
                "variance).")
    if dominant == "variance":
        return ("Variance: it exceeds the squared bias, so the models are close to the truth on "
                "average but scatter from one training set to the next, a sign of overfitting "
                "(low bias, high variance).")
    return "Neither: the squared bias and the variance are equal here."
