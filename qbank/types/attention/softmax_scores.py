"""Attention weights: the softmax of (optionally scaled) attention scores.

One query has been scored against a few keys; asked (one part, the whole weight vector):
the attention weights softmax(scale * scores), to three decimals.

Params: ``scores`` (3--5 distinct short decimals), ``scale`` (the multiplier applied
before the softmax: 1 for none, or 1/sqrt(d_k) with d_k in 4, 16, 64 when sampled).
Answer: ``weights`` (one per score, summing to 1).  The contract has no d_k key: when
the scale is 1/sqrt(d) for a whole d > 1, ``worked`` recovers d_k so the question can
say "scaled by 1/sqrt(d_k)"; any other scale is stated as a plain multiplier.

When scaled, the raw scores are drawn as sqrt(d_k) times a multiple of 0.25, so the
scaled scores are quarter-steps a student can exponentiate with a basic calculator.

Example (seed 001 Q2): scores (2, 1, 0), scale 1: e^2 + e^1 + e^0 = 11.107, weights
(0.665, 0.245, 0.090).

The worked solution prints the exponentials to four decimals and their sum as the sum of
the printed terms, so every printed equation adds up; a student who carries the
exponentials rounded to the three decimals asked for reaches ``carried_weights``, which
earns the marks too.
"""

import math

from qbank.checks import is_number, number_list_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, PositiveReal, Real, nonempty_list
from qbank.parts import Part
from qbank.render.numbers import fixed, plain

COUNTS = (3, 4, 5)
D_KS = (4, 16, 64)
# Unscaled scores are multiples of 0.5 in [-2, 3]; scaled ones are quarter-steps in
# the same range after scaling, so no weight is vanishingly small.
HALVES = range(-4, 7)
QUARTERS = range(-8, 13)
# Scaled scores beyond this would overflow exp() or make a meaningless question.
LIMIT_SCALED = 50.0
# A smaller scale is never named 1/sqrt(d_k): d_k would pass 2^53, beyond which floats no
# longer tell whole numbers apart (and 1/scale^2 soon overflows).
MIN_NAMED_SCALE = 2.0 ** -26
ANSWER_PLACES = 3   # "to three decimal places"
# The working prints the exponentials one decimal finer, so the weights' third decimal is safe.
WORKING_PLACES = ANSWER_PLACES + 1


class Params(ParamModel):
    scores: nonempty_list(Real)   # one per key; 2 to 8, not all equal, is checked in problems
    # The multiplier before the softmax: 1 for none, 1/sqrt(d_k) when scaled.
    scale: PositiveReal


class SoftmaxScores(QuestionType):
    id = "attention.softmax_scores"
    title = "Attention weights from attention scores"
    topic = "attention"
    source = "001 Q2"
    choice_part = "a"
    params_model = Params

    def sample(self, rng):
        count = int(rng.choice(COUNTS))
        if rng.random() < 0.4:
            # Distinct scores, so the weights are not all equal.
            steps = rng.choice(HALVES, size=count, replace=False)
            return {"scores": [float(s) / 2 for s in steps], "scale": 1.0}
        root = math.isqrt(int(rng.choice(D_KS)))
        steps = rng.choice(QUARTERS, size=count, replace=False)
        # Raw score = sqrt(d_k) * quarter-step; exact in binary floating point.
        return {"scores": [float(s) * root / 4 for s in steps], "scale": 1.0 / root}

    def problems(self, params):
        scores, scale = params["scores"], params["scale"]
        bad = number_list_problems(params, "scores", 2, 8)
        if bad:
            return bad
        if not is_number(scale) or scale <= 0:
            return ["scale must be a positive number (1 for no scaling)"]
        if len(set(scores)) == 1:
            return ["all scores are equal, so every weight is the same"]
        if max(abs(scale * s) for s in scores) > LIMIT_SCALED:
            return [f"scaled scores must lie within +-{LIMIT_SCALED:g}"]
        return []

    @staticmethod
    def key_dimension(scale):
        """d_k when ``scale`` is 1/sqrt(d_k) for a whole d_k > 1, else None."""
        if not MIN_NAMED_SCALE <= scale < 1:
            return None
        d_k = round(1 / scale ** 2)
        return d_k if math.isclose(scale, 1 / math.sqrt(d_k), rel_tol=1e-9) else None

    @staticmethod
    def _exponentials(params):
        scaled = [params["scale"] * s for s in params["scores"]]
        return scaled, [math.exp(z) for z in scaled]

    def solve(self, params):
        _, exps = self._exponentials(params)
        total = sum(exps)
        return {"weights": [e / total for e in exps]}

    def worked(self, params, answer):
        scaled, exps = self._exponentials(params)
        d_k = self.key_dimension(params["scale"])
        printed = [float(fixed(e, WORKING_PLACES)) for e in exps]
        # The sum of the printed terms, so that S = e_1 + ... + e_n adds up as printed.
        return {"scaled": scaled, "exps": exps, "exp_sum": sum(printed),
                "weight_sum": sum(answer["weights"]), "d_k": d_k,
                "root_d_k": math.sqrt(d_k) if d_k else None}

    @staticmethod
    def carried_weights(params):
        """The weights from the exponentials rounded to the three decimals asked for: a
        student who carries them on reaches this, and earns the marks (None when every
        exponential rounds to zero, which only a pinned set of very negative scores does)."""
        exps = [float(fixed(math.exp(params["scale"] * s), ANSWER_PLACES))
                for s in params["scores"]]
        total = sum(exps)
        return [e / total for e in exps] if total else None

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        carried = self.carried_weights(params)
        return [Part("a", PROMPT, "vector", answer["weights"], places=ANSWER_PLACES,
                     symbol="\\boldsymbol{\\alpha}", mistakes=tuple(self.mistakes(params, answer)),
                     accepted=(carried,) if carried else ())]

    def mistakes(self, params, answer):
        """The modelled slips, each as the whole weight vector it leads to."""
        scores, scale = params["scores"], params["scale"]
        scaled = [scale * s for s in scores]

        def softmax(zs, base=math.e):
            # Shifted by the largest value, so raw (unscaled) scores cannot overflow.
            powers = [base ** (z - max(zs)) for z in zs]
            return [p / sum(powers) for p in powers]

        found = []
        if scale != 1:
            found.append(Mistake("no scaling",
                                 "forgets to scale the scores and takes the softmax of the raw "
                                 "scores", softmax(scores)))
        d_k = self.key_dimension(scale)
        if d_k:
            found.append(Mistake("divided by d_k",
                                 f"divides the scores by $d_k = {d_k}$ instead of "
                                 f"$\\sqrt{{d_k}} = {plain(math.sqrt(d_k), 3)}$",
                                 softmax([s / d_k for s in scores])))
        if sum(scaled) != 0:
            found.append(Mistake("no exponentials",
                                 "normalises the scores by their plain sum, without "
                                 "exponentiating them", [z / sum(scaled) for z in scaled]))
        if scale != 1:
            found.append(Mistake("scaled after softmax",
                                 "takes the softmax of the raw scores and then multiplies the "
                                 "weights by the scale", [scale * w for w in softmax(scores)]))
        exps = [math.exp(z) for z in scaled]
        found += [
            Mistake("sigmoid", "applies a sigmoid to each score on its own instead of the softmax",
                    [1 / (1 + math.exp(-z)) for z in scaled]),
            Mistake("base 10", "uses powers of 10 instead of $e$ in the softmax",
                    softmax(scaled, 10.0)),
            Mistake("own term dropped",
                    "leaves each token's own exponential out of its denominator",
                    # The others summed on their own: sum(exps) - e would cancel to 0 when
                    # one exponential dwarfs the rest.
                    [e / math.fsum(exps[:i] + exps[i + 1:]) for i, e in enumerate(exps)]),
            Mistake("negated scores", "exponentiates the negated scores, $e^{-s_i}$, as in the "
                    "sigmoid", softmax([-z for z in scaled])),
            Mistake("log-softmax", "gives the log-softmax, i.e.\\ the logarithm of each weight",
                    [math.log(w) for w in answer["weights"]]),
        ]
        return sorted(found, key=_implausibility)


def _implausibility(mistake):
    """0 for weights that look right (each in (0, 1), summing to 1), 1 for weights in (0, 1)
    that do not sum to 1, 2 for a "weight" outside (0, 1), which rules itself out: the
    options are drawn from the most plausible first."""
    inside = all(0 < w < 1 for w in mistake.value)
    return 0 if inside and math.isclose(sum(mistake.value), 1) else 1 if inside else 2


PROMPT = ("Compute the attention weights "
          "$\\boldsymbol{\\alpha} = (\\alpha_1, \\ldots, \\alpha_\\VAR{params.scores|length})$ "
          "of the \\VAR{params.scores|length} tokens, i.e.\\ the "
          "\\BLOCK{if work.d_k}softmax of the scores divided by $\\sqrt{d_k}$,"
          "\\BLOCK{elif params.scale == 1}softmax of the scores,"
          "\\BLOCK{else}softmax of the scaled scores $\\VAR{params.scale|num}\\, s_i$,"
          "\\BLOCK{endif} to three decimal places.")
