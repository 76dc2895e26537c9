"""Additive (Bahdanau-style) attention scores of two candidate states.

The score of a decoder state h against a candidate state c is
f_att(h, c) = v^T tanh(W [h; c]), with [h; c] the two vectors stacked.  Asked, for two
candidates c_1 and c_2: the pre-activation W [h; c_j], its tanh, the score, and the
attention weights softmax(f_1, f_2), i.e. which candidate is attended to more.

Params: ``h`` (2 integers), ``c`` (list of the two candidates, 2 integers each; -2..2
when sampled), ``W`` (2 x 4, one-decimal values in -1..1), ``v`` (2 integers, non-zero,
-2..2).  Answer: ``preactivations`` (per candidate, the 2-vector W [h; c_j]),
``activations`` (their tanh), ``scores`` (v . tanh(...) per candidate) and ``weights``
(softmax of the two scores).  Sampled pre-activations lie within +-2 (tanh is not
saturated) and the scores differ by at least 0.05.

Example (seed 003 Q2e gives only f_att(h_i, c_j) = v^T tanh(W [h_i; c_j])): h = (1, 0),
c_1 = (1, 1), c_2 = (0, -1), W = [[0.5, 0, 0.5, 0], [0, 0.5, 0, -0.5]], v = (1, 1):
pre-activations (1, -0.5) and (0.5, 0.5), scores tanh 1 - tanh 0.5 = 0.2995 and
2 tanh 0.5 = 0.9242, weights (0.3487, 0.6513): c_2 is attended to more.
"""

import math

from pydantic import model_validator

from qbank.checks import is_number
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, ShapeError, fixed_list, nonempty_list

MAX_PREACTIVATION = 2.0
MIN_GAP = 0.05
# Pinned scores beyond this would overflow exp().
LIMIT_SCORE = 50.0
# Pinned scores closer than this are a tie at the four decimals asked for.
TIE = 1e-4


class Params(ParamModel):
    """Any sizes for which v . tanh(W [h; c_j]) is defined; problems() keeps to 2-vectors and 2 x 4."""

    h: nonempty_list(Real)                  # the decoder state
    c: fixed_list(nonempty_list(Real), 2)   # the two candidate states, of one length
    W: nonempty_list(nonempty_list(Real))   # a row per hidden unit, a column per entry of [h; c_j]
    v: nonempty_list(Real)                  # one weight per row of W

    @model_validator(mode="after")
    def _shapes_agree(self):
        if len(self.c[1]) != len(self.c[0]):
            raise ShapeError("c[1]", f"has {len(self.c[1])} entries but c[0] has {len(self.c[0])}")
        width = len(self.h) + len(self.c[0])
        for index, row in enumerate(self.W):
            if len(row) != width:
                raise ShapeError(f"W[{index}]", f"has {len(row)} entries but [h; c_j] has {width}")
        if len(self.v) != len(self.W):
            raise ShapeError("v", f"has {len(self.v)} entries but W has {len(self.W)} rows")
        return self


def _vector(value, size):
    return isinstance(value, list) and len(value) == size and all(is_number(x) for x in value)


class AdditiveScore(QuestionType):
    id = "attention.additive_score"
    title = "Additive attention scores"
    topic = "attention"
    source = "003 Q2e"
    answer_space = "8cm"
    choice_prompt = "Which are the attention weights $(\\alpha_1, \\alpha_2)$ of the two candidates?"
    option_places = 4
    params_model = Params

    def sample(self, rng):
        def integers(size):
            return [int(x) for x in rng.integers(-2, 3, size=size)]
        for _ in redraws(__name__):
            h, c = integers(2), [integers(2), integers(2)]
            weights = [[int(x) / 10 for x in row] for row in rng.integers(-10, 11, size=(2, 4))]
            v = [int(x) for x in rng.choice([-2, -1, 1, 2], size=2)]
            params = {"h": h, "c": c, "W": weights, "v": v}
            if c[0] == c[1] or not any(h):
                continue
            pre = self._preactivations(params)
            if max(abs(u) for row in pre for u in row) > MAX_PREACTIVATION:
                continue
            scores = self.solve(params)["scores"]
            if abs(scores[0] - scores[1]) >= MIN_GAP:
                return params

    def problems(self, params):
        h, c, weights, v = params["h"], params["c"], params["W"], params["v"]
        bad = []
        if not _vector(h, 2) or not _vector(v, 2):
            bad.append("h and v must each be a list of two numbers")
        if not isinstance(c, list) or len(c) != 2 or not all(_vector(cj, 2) for cj in c):
            bad.append("c must be a list of two candidate vectors of two numbers")
        if not isinstance(weights, list) or len(weights) != 2 or not all(_vector(r, 4) for r in weights):
            bad.append("W must be a 2 x 4 matrix (two rows of four numbers)")
        if bad:
            return bad
        scores = self._scored(params)[2]
        # Written "not <=" so a score that overflowed to nan is refused too.
        if not all(abs(s) <= LIMIT_SCORE for s in scores):
            return [f"scores must lie within +-{LIMIT_SCORE:g}"]
        if abs(scores[0] - scores[1]) < TIE:
            return [f"the two scores differ by less than {TIE:g}, so neither candidate is "
                    "attended to more"]
        return []

    @staticmethod
    def _preactivations(params):
        stacked = [params["h"] + cj for cj in params["c"]]
        return [[sum(w * x for w, x in zip(row, hc)) for row in params["W"]] for hc in stacked]

    @classmethod
    def _scored(cls, params):
        """Pre-activations, their tanh and the score, per candidate."""
        pre = cls._preactivations(params)
        activations = [[math.tanh(u) for u in row] for row in pre]
        scores = [sum(a * b for a, b in zip(params["v"], row)) for row in activations]
        return pre, activations, scores

    def solve(self, params):
        pre, activations, scores = self._scored(params)
        exps = [math.exp(s) for s in scores]
        return {"preactivations": pre, "activations": activations, "scores": scores,
                "weights": [e / sum(exps) for e in exps]}

    def worked(self, params, answer):
        scores = answer["scores"]
        return {"stacked": [params["h"] + cj for cj in params["c"]],
                "exps": [math.exp(s) for s in scores],
                "exp_sum": sum(math.exp(s) for s in scores),
                "preferred": 1 if scores[0] > scores[1] else 2}

    def choice_value(self, answer):
        return answer["weights"]

    def mistakes(self, params, answer):
        v, weights = params["v"], params["W"]

        def softmax(scores):
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            return [e / sum(exps) for e in exps]

        def scores(stacked, inner=math.tanh, outer=lambda x: x):
            pre = [[sum(w * x for w, x in zip(row, hc)) for row in weights] for hc in stacked]
            return [outer(sum(a * inner(u) for a, u in zip(v, row))) for row in pre]

        in_order = [params["h"] + cj for cj in params["c"]]
        swapped = [cj + params["h"] for cj in params["c"]]
        found = [
            Mistake("no tanh", "forgets the $\\tanh$ and scores with $\\mathbf{v}^\\top W[\\mathbf{h}; "
                    "\\mathbf{c}_j]$", softmax(scores(in_order, inner=lambda u: u))),
            Mistake("[c; h] order", "stacks the vectors in the wrong order, $[\\mathbf{c}_j; "
                    "\\mathbf{h}]$ instead of $[\\mathbf{h}; \\mathbf{c}_j]$",
                    softmax(scores(swapped))),
        ]
        total = sum(answer["scores"])
        if total and all(0 < f / total < 1 for f in answer["scores"]):
            found.append(Mistake("no exponentials",
                                 "divides each score by the plain sum of the two scores, "
                                 "without exponentiating", [f / total for f in answer["scores"]]))
        found += [
            Mistake("scores as weights", "stops at the scores and gives them as the weights, "
                    "without the softmax", answer["scores"]),
            Mistake("sigmoid for tanh", "applies the logistic sigmoid instead of $\\tanh$",
                    softmax(scores(in_order, inner=lambda u: 1 / (1 + math.exp(-u))))),
            Mistake("tanh after v", "applies the $\\tanh$ after the product with "
                    "$\\mathbf{v}$ instead of before it",
                    softmax(scores(in_order, inner=lambda u: u, outer=math.tanh))),
        ]
        return found
