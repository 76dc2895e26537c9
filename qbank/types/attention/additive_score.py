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

Parts: (a) the pre-activations as a 2 x 2 matrix, a row per candidate (exact), (b) their
tanh, (c) the two scores, (d) the two weights (four decimals each) and (e) the index of
the candidate attended to more.  The working prints the tanh values to five decimals and
finds the weights as a sigmoid of the score difference, so that every printed equation
adds up; a student carrying the tanh values rounded to the four decimals asked for reaches
``carried_scores``, which earns the marks of (c).

Example (seed 003 Q2e gives only f_att(h_i, c_j) = v^T tanh(W [h_i; c_j])): h = (1, 0),
c_1 = (1, 1), c_2 = (0, -1), W = [[0.5, 0, 0.5, 0], [0, 0.5, 0, -0.5]], v = (1, 1):
pre-activations (1, -0.5) and (0.5, 0.5), scores tanh 1 - tanh 0.5 = 0.2995 and
2 tanh 0.5 = 0.9242, weights (0.3487, 0.6513): c_2 is attended to more.
"""

import math

from pydantic import model_validator

from qbank.checks import is_number
from qbank.choice import Mistake, mistakes_by_part
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, ShapeError, fixed_list, nonempty_list
from qbank.parts import Part
from qbank.render.numbers import fixed

MAX_PREACTIVATION = 2.0
MIN_GAP = 0.05
# Pinned scores beyond this would overflow exp().
LIMIT_SCORE = 50.0
# Pinned scores closer than this are a tie at the four decimals asked for.
TIE = 1e-4
ANSWER_PLACES = 4   # "to four decimal places"


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
    choice_part = "d"
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
                # The weights as a sigmoid of the score difference, taken from the scores as
                # printed: alpha_1 = 1 / (1 + e^(f_2 - f_1)).
                "printed_gap": float(fixed(scores[1], ANSWER_PLACES))
                - float(fixed(scores[0], ANSWER_PLACES)),
                "preferred": 1 if scores[0] > scores[1] else 2}

    @staticmethod
    def carried_scores(params, answer):
        """The scores from the tanh values rounded to the four decimals asked for: a student
        who carries them on reaches this, and earns the marks."""
        return [sum(a * float(fixed(t, ANSWER_PLACES)) for a, t in zip(params["v"], row))
                for row in answer["activations"]]

    def parts(self, variant):
        params, answer, work = variant.params, variant.answer, variant.work
        pre, activations, scores, weights = self._mistaken(params, answer)
        return [
            Part("a", "the pre-activations $\\mathbf{u}_j = W[\\mathbf{h}; \\mathbf{c}_j]$, as "
                      "the $2\\times 2$ matrix $U$ whose row $j$ is $\\mathbf{u}_j$ (exactly);",
                 "matrix", answer["preactivations"], symbol="U", mistakes=tuple(pre), weight=2),
            Part("b", "their $\\tanh$, element by element: the matrix $\\tanh(U)$;", "matrix",
                 answer["activations"], places=ANSWER_PLACES, symbol="\\tanh(U)",
                 mistakes=tuple(activations), weight=2),
            Part("c", "the scores $f_j = f_\\text{att}(\\mathbf{h}, \\mathbf{c}_j)$ of the two "
                      "candidates, $(f_1, f_2)$;", "vector", answer["scores"],
                 places=ANSWER_PLACES, symbol="(f_1, f_2)", mistakes=tuple(scores), weight=2,
                 accepted=(self.carried_scores(params, answer),)),
            Part("d", "the attention weights "
                      "$(\\alpha_1, \\alpha_2) = \\operatorname{softmax}(f_1, f_2)$;", "vector",
                 answer["weights"], places=ANSWER_PLACES, symbol="(\\alpha_1, \\alpha_2)",
                 mistakes=tuple(weights), weight=2),
            Part("e", "the candidate the decoder attends to more: its index $j$.", "number",
                 work["preferred"], symbol="j",
                 mistakes=(Mistake("lower score", "picks the candidate with the lower score",
                                   3 - work["preferred"]),)),
        ]

    def _mistaken(self, params, answer):
        """The modelled slips, each as the pre-activations, tanh values, scores and weights
        it leads to (a slip made after a step leaves that step's part right)."""
        v, weights = params["v"], params["W"]

        def softmax(scores):
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            return [e / sum(exps) for e in exps]

        def preactivations(stacked):
            return [[sum(w * x for w, x in zip(row, hc)) for row in weights] for hc in stacked]

        def elementwise(function, matrix):
            return [[function(u) for u in row] for row in matrix]

        def scored(activations):
            return [sum(a * b for a, b in zip(v, row)) for row in activations]

        def sigmoid(u):
            return 1 / (1 + math.exp(-u))

        pre = answer["preactivations"]
        swapped = preactivations([cj + params["h"] for cj in params["c"]])
        found = [  # (name, explanation, pre-activations, tanh values, scores, weights)
            ("no tanh", "forgets the $\\tanh$ and scores with $\\mathbf{v}^\\top W[\\mathbf{h}; "
             "\\mathbf{c}_j]$", None, None, scored(pre), softmax(scored(pre))),
            ("[c; h] order", "stacks the vectors in the wrong order, $[\\mathbf{c}_j; "
             "\\mathbf{h}]$ instead of $[\\mathbf{h}; \\mathbf{c}_j]$", swapped,
             elementwise(math.tanh, swapped), scored(elementwise(math.tanh, swapped)),
             softmax(scored(elementwise(math.tanh, swapped)))),
        ]
        total = sum(answer["scores"])
        if total and all(0 < f / total < 1 for f in answer["scores"]):
            found.append(("no exponentials", "divides each score by the plain sum of the two "
                          "scores, without exponentiating", None, None, None,
                          [f / total for f in answer["scores"]]))
        tanh_after = [math.tanh(f) for f in scored(pre)]
        found += [
            ("scores as weights", "stops at the scores and gives them as the weights, "
             "without the softmax", None, None, None, answer["scores"]),
            ("sigmoid for tanh", "applies the logistic sigmoid instead of $\\tanh$", None,
             elementwise(sigmoid, pre), scored(elementwise(sigmoid, pre)),
             softmax(scored(elementwise(sigmoid, pre)))),
            ("tanh after v", "applies the $\\tanh$ after the product with $\\mathbf{v}$ "
             "instead of before it", None, None, tanh_after, softmax(tanh_after)),
        ]
        return mistakes_by_part(found, 4)
