"""Scaled dot-product attention on small Q, K and V matrices, by hand.

Asked: Attention(Q, K, V) = softmax(Q K^T / sqrt(d)) V for a few queries and keys:
the scaled scores, the attention weights (softmax of each row) and the output.

Params: ``q`` (n_q x d), ``k`` (n x d), ``v`` (n x d_v), lists of rows of small
integers (-2..2 when sampled; 1--2 queries, 2--3 keys, d in {2, 4}, mostly 4 so the
scale 1/sqrt(d) is 1/2, d_v in {2, 3}).  Answer: ``scores`` (n_q x n, Q K^T already
divided by sqrt(d)), ``weights`` (n_q x n, each row sums to 1) and ``output``
(n_q x d_v, weights times V).  Sampled scores stay within +-3 after scaling and no row
of scores is constant, so every weight is informative.

Example (seed 001 Q3 writes the formula softmax(Q K^T / sqrt(d_k)) V and notes that a
token is most similar to itself): q = [[1, 0, 1, 0]], k = [[1, 0, 1, 0], [0, 1, 0, 1]],
v = [[1, 0], [0, 1]] -> scores [[1, 0]], weights [[0.731, 0.269]], output
[[0.731, 0.269]].
"""

import math

from pydantic import model_validator

from qbank.checks import is_number
from qbank.choice import Mistake
from qbank.puremath import dot
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, ShapeError, check_rectangular, nonempty_list
from qbank.parts import Part
from qbank.render.numbers import fixed, plain

# Scaled scores beyond this would overflow exp(); sampled ones stay within +-3.
LIMIT_SCALED, SAMPLED_SCALED = 50.0, 3.0
LIMIT_SIZE = 6
ANSWER_PLACES = 3   # "Give your answers to three decimal places."
WORKING_PLACES = 4  # one more in the working, so its rounding stays below the answer's
# A matrix as a non-empty list of non-empty rows; the validator checks the rows are equally long.
Rows = nonempty_list(nonempty_list(Real))


class Params(ParamModel):
    q: Rows   # a row per query, d_k columns
    k: Rows   # a row per key, as many columns as q
    v: Rows   # a row per key, d_v columns

    @model_validator(mode="after")
    def _shapes_agree(self):
        for key in ("q", "k", "v"):
            check_rectangular(key, getattr(self, key))
        if len(self.k[0]) != len(self.q[0]):
            raise ShapeError("k", f"has {len(self.k[0])} columns but q has {len(self.q[0])}")
        if len(self.v) != len(self.k):
            raise ShapeError("v", f"has {len(self.v)} rows but k has {len(self.k)}")
        return self


def _integers(rng, rows, cols):
    return [[int(x) for x in row] for row in rng.integers(-2, 3, size=(rows, cols))]


def _is_matrix(value):
    """A non-empty list of equally long, non-empty rows of finite numbers."""
    return (isinstance(value, list) and 0 < len(value) <= LIMIT_SIZE
            and all(isinstance(row, list) and 0 < len(row) <= LIMIT_SIZE for row in value)
            and len({len(row) for row in value}) == 1
            and all(is_number(x) for row in value for x in row))


class ScaledDotProduct(QuestionType):
    id = "attention.scaled_dot_product"
    title = "Scaled dot-product attention"
    topic = "attention"
    source = "001 Q3"
    answer_space = "9cm"
    choice_part = "c"
    params_model = Params

    def sample(self, rng):
        n_queries, n_keys = int(rng.integers(1, 3)), int(rng.integers(2, 4))
        d = 4 if rng.random() < 0.7 else 2
        d_v = int(rng.integers(2, 4))
        for _ in redraws(self.id):
            q, k = _integers(rng, n_queries, d), _integers(rng, n_keys, d)
            scores = [[dot(qi, kj) / math.sqrt(d) for kj in k] for qi in q]
            if all(len(set(row)) > 1 and max(map(abs, row)) <= SAMPLED_SCALED
                   for row in scores):
                break
        v = _integers(rng, n_keys, d_v)
        while not all(any(row) for row in v):  # an all-zero value row teaches nothing
            v = _integers(rng, n_keys, d_v)
        return {"q": q, "k": k, "v": v}

    def problems(self, params):
        q, k, v = params["q"], params["k"], params["v"]
        bad = [f"{name} must be a matrix (list of equally long rows, at most "
               f"{LIMIT_SIZE} x {LIMIT_SIZE}) of numbers"
               for name, m in (("q", q), ("k", k), ("v", v)) if not _is_matrix(m)]
        if bad:
            return bad
        if len(q[0]) != len(k[0]):
            return [f"queries (width {len(q[0])}) and keys (width {len(k[0])}) "
                    "must have the same dimension d"]
        if len(k) != len(v):
            return [f"there must be one value per key ({len(k)} keys, {len(v)} values)"]
        scaled = self._scaled(params)
        # Written "not <=" so a score that overflowed to nan is refused too.
        if not all(abs(s) <= LIMIT_SCALED for row in scaled for s in row):
            return [f"scaled scores must lie within +-{LIMIT_SCALED:g}"]
        return []

    @staticmethod
    def _scaled(params):
        root = math.sqrt(len(params["q"][0]))
        return [[dot(qi, kj) / root for kj in params["k"]] for qi in params["q"]]

    @staticmethod
    def _softmax_rows(scores):
        exps = [[math.exp(s) for s in row] for row in scores]
        return exps, [sum(row) for row in exps]

    def solve(self, params):
        scores = self._scaled(params)
        exps, sums = self._softmax_rows(scores)
        weights = [[e / total for e in row] for row, total in zip(exps, sums)]
        return {"scores": scores, "weights": weights, "output": _mix(weights, params["v"])}

    def worked(self, params, answer):
        d = len(params["q"][0])
        raw = [[dot(qi, kj) for kj in params["k"]] for qi in params["q"]]
        exps, sums = self._softmax_rows(answer["scores"])
        root = math.isqrt(d)
        # The working prints exponentials and weights to WORKING_PLACES; each printed sum
        # and product is taken of the printed numbers, so it adds up as printed.
        shown_exps = [[float(fixed(e, WORKING_PLACES)) for e in row] for row in exps]
        shown_weights = [[float(fixed(w, WORKING_PLACES)) for w in row]
                         for row in answer["weights"]]
        return {"d": d, "raw": raw, "exps": exps, "exp_sums": sums,
                "shown_exp_sums": [sum(row) for row in shown_exps],
                "shown_weights": shown_weights,
                "shown_output": _mix(shown_weights, params["v"]),
                # With a whole sqrt(d) (d = 4) the scaled scores are short decimals.
                "root": root if root * root == d else math.sqrt(d),
                "whole_root": root * root == d}

    @staticmethod
    def carried_output(params, answer):
        """The output from the weights rounded to the three decimals asked for: a student
        who carries the printed weights on reaches this, and earns the marks."""
        rounded = [[float(fixed(w, ANSWER_PLACES)) for w in row] for row in answer["weights"]]
        return _mix(rounded, params["v"])

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        scores, weights, output = self._mistaken(params, answer)
        return [
            Part("a", "the scaled scores $S = QK^\\top/\\sqrt{d_k}$ "
                      "(a $\\VAR{params.q|length}\\times\\VAR{params.k|length}$ matrix);",
                 "matrix", answer["scores"], places=ANSWER_PLACES, symbol="S",
                 mistakes=tuple(scores)),
            Part("b", "the attention weights $A = \\operatorname{softmax}(S)$, row by row;",
                 "matrix", answer["weights"], places=ANSWER_PLACES, symbol="A",
                 mistakes=tuple(weights)),
            Part("c", "the output $\\operatorname{Attention}(Q, K, V) = AV$.", "matrix",
                 answer["output"], places=ANSWER_PLACES, symbol="AV", mistakes=tuple(output),
                 accepted=(self.carried_output(params, answer),), weight=2),
        ]

    def _mistaken(self, params, answer):
        """The modelled slips, each as the scores, weights and output it leads to."""
        d = len(params["q"][0])
        raw = [[float(dot(qi, kj)) for kj in params["k"]] for qi in params["q"]]
        scaled = answer["scores"]
        root = plain(math.sqrt(d), 3)

        def softmax(row):
            top = max(row)
            exps = [math.exp(s - top) for s in row]
            return [e / sum(exps) for e in exps]

        # Softmax down each column of the score matrix (over the queries).
        by_column = [[math.exp(s) / sum(math.exp(other[j]) for other in scaled)
                      for j, s in enumerate(row)] for row in scaled]
        over_d = [[r / d for r in row] for row in raw]
        found = [  # (name, explanation, scores, weights)
            ("no scaling", f"forgets to divide the scores by $\\sqrt{{d_k}} = {root}$",
             raw, [softmax(row) for row in raw]),
            ("divided by d_k",
             f"divides the scores by $d_k = {d}$ instead of $\\sqrt{{d_k}} = {root}$",
             over_d, [softmax(row) for row in over_d]),
            ("softmax over columns",
             "takes the softmax down each column (over the queries) instead of along each row",
             None, by_column),
        ]
        if all(sum(row) != 0 for row in scaled):
            found.append(("no exponentials", "normalises the scaled scores by their plain sum, "
                          "without exponentiating them", None,
                          [[s / sum(row) for s in row] for row in scaled]))
        found += [
            ("not normalised", "exponentiates the scores but forgets to divide by the row sum",
             None, [[math.exp(s) for s in row] for row in scaled]),
            ("no softmax", "multiplies the scaled scores by $V$ without any softmax",
             None, scaled),
        ]
        scores = [Mistake(name, text, value) for name, text, value, _ in found if value]
        weights = [Mistake(name, text, value) for name, text, _, value in found]
        output = [Mistake(name, text, _mix(value, params["v"])) for name, text, _, value in found]
        return scores, weights, output


def _mix(weights, values):
    """Each row of ``weights`` times the value rows: the attention output."""
    columns = list(zip(*values))
    return [[float(dot(row, column)) for column in columns] for row in weights]
