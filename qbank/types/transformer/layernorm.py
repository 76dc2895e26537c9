"""LayerNorm in a transformer: what it learns, and one normalisation worked by hand.

A stack of encoder layers, each with two LayerNorms, processes sequences of n tokens.
LayerNorm(x) = gamma * (x - mean) / sqrt(variance) + beta normalises each token's
d_model features; gamma and beta hold one scalar per feature and are shared by every
token position.  Asked: (a) the learned scalars per LayerNorm (2 d_model), per layer
(4 d_model) and for the stack (4 d_model L); (b) whether that depends on n (it does not);
(c) the mean, (biased) variance, normalised vector and output for a toy 4-feature
vector with given gamma and beta, ignoring epsilon.

Params: ``d_model``, ``n_tokens`` (n), ``n_layers`` (L), ``x`` (4 whole numbers with a
whole-number mean when sampled, not all equal), ``gamma`` and ``beta`` (4 values each;
gamma from 0.5, 1, 1.5, 2 and beta from -1, -0.5, 0, 0.5, 1 when sampled).
Answer: ``per_layernorm``, ``per_layer``, ``total`` (ints), ``depends_on_tokens``
(false), ``mean``, ``variance`` (divided by the number of features, as LayerNorm does),
``normalised`` ((x - mean) / sqrt(variance)) and ``output`` (gamma * normalised + beta).

Example (seed 000 Q3c, d_model 100, n = 75 tokens, 4 layers; the student's "2 scalars
per token, 2n = 150" is the misconception this type targets): 200 per LayerNorm, 400 per
layer, 1,600 in all, for any n.  Toy vector x = (2, 4, 6, 8), gamma = (1, 1, 1, 1),
beta = (0, 0, 0, 0): mean 5, variance 5, normalised (-1.342, -0.447, 0.447, 1.342).

Parts: (a)-(c) the three counts, (c) being the multiple-choice part; (d) whether they
depend on n, with the reason, marked by hand; (e)-(h) mu, sigma^2, the normalised vector and
the output, to three decimals.  A student carrying sigma or the normalised vector rounded
to three decimals reaches values that also earn the marks.
"""

import math
from fractions import Fraction
from typing import Annotated

from pydantic import Field, model_validator

from qbank.checks import is_number, size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, Size, Vector, check_same_length
from qbank.parts import Part, RubricLine
from qbank.render.numbers import fixed

NORMS_PER_LAYER = 2
D_MODELS = (64, 100, 128, 200, 256, 300, 512, 768, 1024)
TOKEN_COUNTS = (10, 20, 32, 50, 64, 75, 100, 128, 256, 512)
LAYER_COUNTS = (2, 3, 4, 6, 8, 12, 24)
FEATURES = 4
VALUES = range(-4, 10)
GAMMAS = (0.5, 1.0, 1.0, 1.5, 2.0)
BETAS = (-1.0, -0.5, 0.0, 0.0, 0.5, 1.0)
PLACES = 3           # "to three decimal places"
# The worked solution prints sigma and the normalised vector with more decimals, so that
# every printed step adds up as printed and rounds to the boxed answers.
SIGMA_PLACES, NORMALISED_PLACES = 6, 5
TOKENS_MODEL = (r"No. LayerNorm learns one $\gamma_k$ and one $\beta_k$ per feature $k$, and "
                r"the same $\gamma$ and $\beta$ are applied at every token position; only $\mu$ "
                r"and $\sigma$ are recomputed for each token. The counts depend on "
                r"$d_\text{model}$ and $L$, not on $n$.")
TOKENS_RUBRIC = (
    RubricLine(0.5, "no, the counts stay the same"),
    RubricLine(0.5, r"$\gamma$ and $\beta$ are one per feature and shared by every token "
                    r"position; only $\mu$ and $\sigma$ are computed per token"),
)


class Params(ParamModel):
    d_model: Size
    n_tokens: Size
    n_layers: Size
    # The toy vector: two features at least, or its variance is always 0.
    x: Annotated[list[Real], Field(min_length=2)]
    gamma: Vector   # scale and shift, one per feature of x
    beta: Vector

    @model_validator(mode="after")
    def _one_scale_and_shift_per_feature(self):
        check_same_length(self, "x", "gamma", "beta")
        return self


def statistics(x):
    """Exact mean and biased variance of the toy vector."""
    values = [Fraction(repr(float(v))) for v in x]
    mean = sum(values) / len(values)
    return values, mean, sum((v - mean) ** 2 for v in values) / len(values)


class LayerNormParams(QuestionType):
    id = "transformer.layernorm"
    title = "LayerNorm: learned parameters and one normalisation"
    topic = "transformers"
    source = "000 Q3c"
    choice_part = "c"
    params_model = Params

    def sample(self, rng):
        for _ in redraws(self.id):
            x = [int(v) for v in rng.choice(VALUES, size=FEATURES)]
            if sum(x) % FEATURES == 0 and len(set(x)) > 1:
                break
        return {"d_model": int(rng.choice(D_MODELS)), "n_tokens": int(rng.choice(TOKEN_COUNTS)),
                "n_layers": int(rng.choice(LAYER_COUNTS)), "x": x,
                "gamma": [float(g) for g in rng.choice(GAMMAS, size=FEATURES)],
                "beta": [float(b) for b in rng.choice(BETAS, size=FEATURES)]}

    def problems(self, params):
        bad = size_problems(params, ("d_model", "n_tokens", "n_layers"))
        if bad:
            return bad
        for key in ("x", "gamma", "beta"):
            vector = params[key]
            if not (2 <= len(vector) <= 8 and all(is_number(v) for v in vector)):
                return [f"{key} must be a list of 2 to 8 numbers"]
        if not len(params["x"]) == len(params["gamma"]) == len(params["beta"]):
            return ["x, gamma and beta must have the same length"]
        if len(set(params["x"])) == 1:
            return ["all entries of x are equal: the variance is 0 and x cannot be normalised"]
        return []

    def solve(self, params):
        d_model, layers = params["d_model"], params["n_layers"]
        _, mean, variance = statistics(params["x"])
        deviation = math.sqrt(float(variance))
        normalised = [float(v - mean) / deviation for v in statistics(params["x"])[0]]
        return {"per_layernorm": 2 * d_model, "per_layer": NORMS_PER_LAYER * 2 * d_model,
                "total": layers * NORMS_PER_LAYER * 2 * d_model,
                # gamma and beta are per feature and shared by all positions, whatever n is.
                "depends_on_tokens": False,
                "mean": float(mean), "variance": float(variance), "normalised": normalised,
                "output": [g * z + b for g, z, b in
                           zip(params["gamma"], normalised, params["beta"])]}

    def worked(self, params, answer):
        values, mean, variance = statistics(params["x"])
        shown = [float(fixed(z, NORMALISED_PLACES)) for z in answer["normalised"]]
        return {"deviations": [float(v - mean) for v in values],
                "sigma_places": SIGMA_PLACES, "normalised_places": NORMALISED_PLACES,
                # Where the printed normalised value rounds to another answer than the exact.
                "normalised_apart": [fixed(a, PLACES) != fixed(b, PLACES)
                                     for a, b in zip(shown, answer["normalised"])],
                "squares": [float((v - mean) ** 2) for v in values],
                "square_sum": float(sum((v - mean) ** 2 for v in values)),
                "value_sum": float(sum(values)), "features": len(values),
                "deviation": math.sqrt(float(variance)),
                "misconception": 2 * params["n_tokens"], "norms_per_layer": NORMS_PER_LAYER}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        normalised, output = self.carried(params)
        return [
            Part("a", "the number of scalar parameters one LayerNorm learns;", "number",
                 answer["per_layernorm"], symbol="\\text{per LayerNorm}",
                 mistakes=tuple(self._count_mistakes(params, norms=1))),
            Part("b", "the number the two LayerNorms of one encoder layer learn;", "number",
                 answer["per_layer"], symbol="\\text{per layer}",
                 mistakes=tuple(self._count_mistakes(params, norms=NORMS_PER_LAYER))),
            Part("c", "the number all the LayerNorms of the stack learn;", "number",
                 answer["total"], symbol="\\text{stack}",
                 mistakes=tuple(self.mistakes(params, answer))),
            Part("d", "Would your answers to (a)--(c) change if the sequences had "
                      "$2n = \\VAR{(2 * params.n_tokens)|num}$ tokens? Explain.", "free", None,
                 model_answer=TOKENS_MODEL, rubric=TOKENS_RUBRIC),
            Part("e", "the mean $\\mu$ of the toy input;", "number", answer["mean"],
                 places=PLACES, symbol="\\mu"),
            Part("f", "its variance $\\sigma^2$;", "number", answer["variance"], places=PLACES,
                 symbol="\\sigma^2", mistakes=tuple(self._variance_mistakes(params))),
            Part("g", "the normalised vector $\\hat{\\mathbf{x}} = (\\mathbf{x} - \\mu)/\\sigma$;",
                 "vector", answer["normalised"], places=PLACES, weight=2,
                 symbol="\\hat{\\mathbf{x}}",
                 mistakes=tuple(self._normalised_mistakes(params)), accepted=normalised),
            Part("h", "the output $\\text{LN}(\\mathbf{x})$.", "vector", answer["output"],
                 places=PLACES, symbol="\\text{LN}(\\mathbf{x})",
                 mistakes=tuple(self._output_mistakes(params, answer)), accepted=output),
        ]

    @staticmethod
    def carried(params):
        """What a student carrying three decimals reaches: the normalised vector from sigma
        rounded to three decimals, and the output from the normalised vector so rounded
        (exact, or itself from the rounded sigma).  Each as the tuple of distinct values."""
        values, mean, variance = statistics(params["x"])
        sigma = math.sqrt(float(variance))
        rounded_sigma = float(fixed(sigma, PLACES))
        by_rounded_sigma = [float(v - mean) / rounded_sigma for v in values]
        exact = [float(v - mean) / sigma for v in values]
        outputs = []
        for normalised in (exact, by_rounded_sigma):
            shown = [float(fixed(z, PLACES)) for z in normalised]
            output = [g * z + b for g, z, b in zip(params["gamma"], shown, params["beta"])]
            if output not in outputs:
                outputs.append(output)
        return (by_rounded_sigma,), tuple(outputs)

    @staticmethod
    def _count_mistakes(params, norms):
        """The counting slips for ``norms`` LayerNorms (one, or one layer's two)."""
        d_model, tokens = params["d_model"], params["n_tokens"]
        found = [
            Mistake("per token", r"counts a $\gamma$ and a $\beta$ per token instead of per "
                    r"feature, $2n$ per LayerNorm", norms * 2 * tokens),
            Mistake("per token and feature", r"counts a $\gamma$ and a $\beta$ for every token "
                    r"and feature, $2 n d_\text{model}$ per LayerNorm", norms * 2 * tokens * d_model),
            Mistake("statistics counted", "also counts a mean and a variance per feature, as if "
                    "LayerNorm kept BatchNorm's running statistics", norms * 4 * d_model),
            Mistake("scalar scale and shift",
                    r"takes $\gamma$ and $\beta$ as two scalars per LayerNorm", norms * 2),
        ]
        if norms > 1:
            found.insert(1, Mistake("one LayerNorm per layer", "counts one LayerNorm per layer "
                                    "instead of two", 2 * d_model))
        return found

    @staticmethod
    def _variance_mistakes(params):
        values, mean, variance = statistics(params["x"])
        squares = sum((v - mean) ** 2 for v in values)
        return [Mistake("divided by d - 1", "divides the sum of squares by the number of "
                        "features minus one (the sample variance) instead of by their number",
                        float(squares / (len(values) - 1))),
                Mistake("standard deviation", r"gives the standard deviation $\sigma$ instead "
                        r"of the variance $\sigma^2$", math.sqrt(float(variance)))]

    @staticmethod
    def _normalised_mistakes(params):
        values, mean, variance = statistics(params["x"])
        sample = math.sqrt(float(sum((v - mean) ** 2 for v in values) / (len(values) - 1)))
        return [Mistake("divided by the variance", r"divides by $\sigma^2$ instead of "
                        r"$\sigma$", [float((v - mean) / variance) for v in values]),
                Mistake("sample deviation", "divides by the sample standard deviation "
                        "(the sum of squares over the number of features minus one)",
                        [float(v - mean) / sample for v in values])]

    @staticmethod
    def _output_mistakes(params, answer):
        gamma, beta = params["gamma"], params["beta"]
        return [Mistake("no scale and shift", r"forgets $\gamma$ and $\beta$ and gives "
                        r"$\hat{\mathbf{x}}$", list(answer["normalised"])),
                Mistake("scale and shift of x", r"applies $\gamma$ and $\beta$ to $\mathbf{x}$ "
                        r"instead of $\hat{\mathbf{x}}$",
                        [g * x + b for g, x, b in zip(gamma, params["x"], beta)]),
                Mistake("shift scaled", r"scales the shift as well, "
                        r"$\gamma\,(\hat{\mathbf{x}} + \beta)$",
                        [g * (z + b) for g, z, b in zip(gamma, answer["normalised"], beta)])]

    def mistakes(self, params, answer):
        """The modelled slips, each as the count of the stack it leads to (part (c))."""
        d_model, tokens, layers = params["d_model"], params["n_tokens"], params["n_layers"]
        norms = NORMS_PER_LAYER * layers
        return [
            Mistake("per token", r"counts a $\gamma$ and a $\beta$ per token instead of per feature, "
                    r"$2n$ per LayerNorm", norms * 2 * tokens),
            Mistake("one LayerNorm per layer", "counts one LayerNorm per layer instead of two",
                    layers * 2 * d_model),
            Mistake("one layer only", f"counts the LayerNorms of one layer and forgets the $L = {layers}$ layers",
                    answer["per_layer"]),
            Mistake("per token and feature",
                    r"counts a $\gamma$ and a $\beta$ for every token and feature, $2 n d_\text{model}$ "
                    "per LayerNorm", norms * 2 * tokens * d_model),
            Mistake("statistics counted",
                    r"also counts a mean and a variance per feature, as if LayerNorm kept "
                    "BatchNorm's running statistics", norms * 4 * d_model),
            Mistake("scalar scale and shift",
                    r"takes $\gamma$ and $\beta$ as two scalars per LayerNorm", norms * 2),
        ]
