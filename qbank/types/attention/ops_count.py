"""Scalar multiplications in one single-head self-attention layer.

Params: ``n`` (tokens), ``d_model`` (token dimension), ``d_k`` (query/key dimension),
``d_v`` (value dimension).  Answer: ``projections`` = n·d_model·(2·d_k + d_v) for
Q = XW_Q, K = XW_K, V = XW_V; ``scores`` = n²·d_k for all dot products in QKᵀ;
``weighted_sum`` = n²·d_v for softmax(·)V; ``total`` their sum.  Only the
multiplications inside matrix products are counted: the 1/√d_k scaling and the
softmax act element by element and are left out (the question says so).

An (a×b)(b×c) product costs a·b·c multiplications (a·c dot products of length b).

Parts: (a) the projections, (b) the scores and (c) the weighted sum, each as an
expression in n (checked at several n), and (d) the total for the given n, the part a
multiple-choice item offers.

Example (seed 000 Q3a): n 75, d_model 100, d_k 36, d_v 25 -> projections
3600n + 3600n + 2500n = 9700n = 727,500; scores 36n² = 202,500; weighted sum
25n² = 140,625; total 61n² + 9700n = 1,070,625.
"""

from qbank.checks import size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Size
from qbank.parts import Part
from qbank.render.filters import num

TOKENS = (8, 10, 12, 16, 20, 24, 25, 30, 32, 40, 48, 50, 60, 64, 75, 80, 100, 120, 128)
MODEL_DIMS = (32, 48, 50, 60, 64, 80, 96, 100, 120, 128, 200, 256, 300, 512)
HEAD_DIMS = (8, 10, 12, 16, 20, 24, 25, 30, 32, 36, 40, 48, 50, 64)
# Where an expression in n is compared with the answer: a count linear in n and one
# quadratic in n differ at all of them.
SAMPLE_TOKENS = (1, 2, 3, 10)


class Params(ParamModel):
    n: Size         # tokens
    d_model: Size
    d_k: Size       # query/key size; need not be below d_model
    d_v: Size


class AttentionOpsCount(QuestionType):
    id = "attention.ops_count"
    title = "Multiplications in single-head self-attention"
    topic = "attention"
    source = "000 Q3a"
    choice_part = "d"
    params_model = Params

    def sample(self, rng):
        d_model = int(rng.choice(MODEL_DIMS))
        # Projections go down to the head size, as in the seed (100 -> 36 and 25).
        head_dims = [d for d in HEAD_DIMS if d <= d_model]
        return {"n": int(rng.choice(TOKENS)),
                "d_model": d_model,
                "d_k": int(rng.choice(head_dims)),
                "d_v": int(rng.choice(head_dims))}

    def problems(self, params):
        return size_problems(params, ("n", "d_model", "d_k", "d_v"))

    def solve(self, params):
        n, d_model, d_k, d_v = (params[k] for k in ("n", "d_model", "d_k", "d_v"))
        projections = n * d_model * (2 * d_k + d_v)
        scores = n * n * d_k
        weighted_sum = n * n * d_v
        return {"projections": projections, "scores": scores,
                "weighted_sum": weighted_sum,
                "total": projections + scores + weighted_sum}

    def worked(self, params, answer):
        n, d_model, d_k, d_v = (params[k] for k in ("n", "d_model", "d_k", "d_v"))
        # Coefficients of n (projections) and n^2 (scores, weighted sum).
        return {"coef_q": d_model * d_k, "coef_v": d_model * d_v,
                "q": n * d_model * d_k, "v": n * d_model * d_v,
                "coef_linear": d_model * (2 * d_k + d_v), "coef_square": d_k + d_v,
                "n_squared": n * n, "quadratic": answer["scores"] + answer["weighted_sum"]}

    def parts(self, variant):
        params, answer, work = variant.params, variant.answer, variant.work
        n, d_model, d_k, d_v = (params[k] for k in ("n", "d_model", "d_k", "d_v"))
        points = tuple({"n": tokens} for tokens in sorted({*SAMPLE_TOKENS, n}))

        def count(prompt, coefficient, power, slips, weight=1):
            """An expression part: ``coefficient`` n^``power``, its slips as (name, text,
            coefficient, power); a slip that gives the right count, or one already listed,
            is left out."""
            seen, mistakes = {(coefficient, power)}, []
            for name, text, wrong, wrong_power in slips:
                if (wrong, wrong_power) not in seen:
                    seen.add((wrong, wrong_power))
                    mistakes.append(Mistake(name, text, _monomial(wrong, wrong_power)))
            return {"prompt": prompt, "kind": "expression",
                    "answer": _monomial(coefficient, power), "variables": ("n",),
                    "points": points, "mistakes": tuple(mistakes), "weight": weight,
                    "answer_tex": _monomial_tex(coefficient, power)}

        n_for_n2 = ("n instead of n squared", r"counts $n$ instead of $n^2$ dot products")
        entries = ("entries instead of multiplications", "counts the entries of the product "
                   "(one per dot product) instead of the multiplications inside them")
        values_as_keys = ("d_k for the values", r"uses $d_k$ instead of $d_v$ for the values")
        return [
            Part("a", **count("How many multiplications are needed to compute $Q$, $K$ and $V$? "
                              "Give the count as an expression in $n$.",
                              work["coef_linear"], 1,
                              [(*values_as_keys, 3 * d_model * d_k, 1),
                               (*entries, 2 * d_k + d_v, 1)], weight=2)),
            Part("b", **count("How many to compute all the attention scores $QK^\\top$, as an "
                              "expression in $n$?", d_k, 2,
                              [(*n_for_n2, d_k, 1),
                               ("d_model instead of d_k", r"takes the dot products to have length "
                                r"$d_\text{model}$ instead of $d_k$", d_model, 2),
                               (*entries, 1, 2),
                               ("scaling counted", r"also counts the $n^2$ scalings by "
                                r"$1/\sqrt{d_k}$, which are not matrix products", d_k + 1, 2)])),
            Part("c", **count("How many to compute the attention-weighted sum of the values, as "
                              "an expression in $n$?", d_v, 2,
                              [(*n_for_n2, d_v, 1), (*values_as_keys, d_k, 2),
                               (*entries, d_v, 1)])),
            Part("d", "How many multiplications are needed in total for a sequence of "
                      "$n = \\VAR{params.n|num}$ tokens?", "number", answer["total"],
                 mistakes=tuple(self.mistakes(params, answer))),
        ]

    def mistakes(self, params, answer):
        """The modelled slips, each as the total it leads to."""
        n, d_model, d_k, d_v = (params[k] for k in ("n", "d_model", "d_k", "d_v"))
        projections, scores, weighted = (answer[k] for k in ("projections", "scores", "weighted_sum"))
        return [
            Mistake("n instead of n squared",
                    r"counts $n$ instead of $n^2$ dot products for the scores and the weighted sum, "
                    r"$(d_k + d_v)\,n$",
                    projections + n * d_k + n * d_v),
            Mistake("d_model instead of d_k",
                    r"takes the dot products of the scores to have length $d_\text{model}$ "
                    r"instead of $d_k$",
                    projections + n * n * d_model + weighted),
            Mistake("projections forgotten",
                    "counts only the scores and the weighted sum and forgets computing $Q$, $K$ and $V$",
                    scores + weighted),
            Mistake("weighted sum forgotten",
                    r"stops at the scores and forgets the product with $V$",
                    projections + scores),
            Mistake("entries instead of multiplications",
                    r"counts the entries of each product (one per dot product) instead of the "
                    "multiplications inside them",
                    n * (2 * d_k + d_v) + n * n + n * d_v),
            Mistake("scaling counted",
                    r"also counts the $n^2$ scalings by $1/\sqrt{d_k}$, which are not matrix products",
                    answer["total"] + n * n),
            Mistake("d_k for the values",
                    r"uses $d_k$ instead of $d_v$ for the values and the weighted sum",
                    n * d_model * 3 * d_k + 2 * n * n * d_k),
        ]


def _monomial(coefficient, power):
    """``coefficient`` n^``power`` in the checker's grammar: 9700*n, 36*n^2."""
    return f"{coefficient}*n" + ("^2" if power == 2 else "")


def _monomial_tex(coefficient, power):
    factor = "" if coefficient == 1 else num(coefficient) + r"\,"
    return factor + ("n^2" if power == 2 else "n")
