"""Parameters of the query, key and value projections of one attention head.

Params: ``d_model`` (token embedding size), ``d_k`` (query/key size), ``d_v`` (value
size), ``bias`` (bool: do the projections add a bias). Answer: ``w_q``, ``w_k``, ``w_v``
(parameters of each projection, its bias included when ``bias`` is true) and ``total``.

W_Q and W_K are d_model x d_k, W_V is d_model x d_v; a bias adds d_k, d_k, d_v.

Parts: (a) the shapes (a table, a row per matrix: rows, columns; the transposed shapes of
the W x convention earn the marks too), (b) the parameters of each projection and (c)
their total, the part a multiple-choice item offers.

Examples: seed 000 Q3b, d_model 100, d_k 36, d_v 25, no bias -> W_q 3600, W_k 3600,
W_v 2500, total 9700. Seed 001 Q1b stacks all heads of a multi-head layer, i.e.
d_model = d_k = d_v = 768 -> 589,824 each, 1,769,472 in total.
"""

from qbank.checks import flag_problems, size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Size
from qbank.parts import Part

MODEL_SIZES = (32, 48, 50, 60, 64, 80, 96, 100, 120, 128, 200, 256, 300, 512)
HEAD_SIZES = (8, 10, 12, 16, 20, 24, 25, 30, 32, 36, 40, 48, 50, 60, 64, 72, 80, 96, 100, 128)
# How often d_k = d_v = d_model, the "all heads stacked" form of 001 Q1b.
FULL_WIDTH_SHARE = 0.15
# Slips made in the shapes, the single counts and the total alike.
D_MODEL_OUTPUTS = r"counts $d_\text{model}$ outputs for every projection instead of $d_k$ and $d_v$"
D_K_FOR_VALUES = r"gives the values size $d_k$ as well, instead of $d_v$"
SIZES_ADDED = r"adds $d_\text{model}$ and the output size instead of multiplying them"


class Params(ParamModel):
    d_model: Size
    d_k: Size      # query/key size; may equal d_model (all heads stacked)
    d_v: Size
    bias: bool     # do the projections add a bias


class QkvParams(QuestionType):
    id = "attention.qkv_params"
    title = "Parameters of the query, key and value projections"
    topic = "attention"
    source = "000 Q3b, 001 Q1b"
    answer_space = "5cm"
    choice_part = "c"
    params_model = Params

    def sample(self, rng):
        d_model = int(rng.choice(MODEL_SIZES))
        if rng.random() < FULL_WIDTH_SHARE:
            d_k = d_v = d_model
        else:
            # A head projects down: its sizes are smaller than the embedding.
            smaller = [s for s in HEAD_SIZES if s < d_model]
            d_k, d_v = (int(s) for s in rng.choice(smaller, size=2))
        return {"d_model": d_model, "d_k": d_k, "d_v": d_v, "bias": bool(rng.integers(0, 2))}

    def problems(self, params):
        return size_problems(params, ("d_model", "d_k", "d_v")) + flag_problems(params, ["bias"])

    @staticmethod
    def projection(d_model, d_out, bias):
        """Parameters of a linear map from d_model to d_out features."""
        return d_model * d_out + (d_out if bias else 0)

    def solve(self, params):
        d_model, bias = params["d_model"], params["bias"]
        w_q = self.projection(d_model, params["d_k"], bias)
        w_k = self.projection(d_model, params["d_k"], bias)
        w_v = self.projection(d_model, params["d_v"], bias)
        return {"w_q": w_q, "w_k": w_k, "w_v": w_v, "total": w_q + w_k + w_v}

    def worked(self, params, answer):
        d_model = params["d_model"]
        rows = []
        for name, d_out, count in (("Q", params["d_k"], answer["w_q"]),
                                   ("K", params["d_k"], answer["w_k"]),
                                   ("V", params["d_v"], answer["w_v"])):
            rows.append({"name": name, "d_out": d_out, "weights": d_model * d_out,
                         "biases": d_out if params["bias"] else 0, "params": count})
        return {"rows": rows}

    @staticmethod
    def shapes(params):
        """Rows and columns of W_Q, W_K and W_V, each mapping a row x to x W."""
        outputs = (params["d_k"], params["d_k"], params["d_v"])
        return [[params["d_model"], d_out] for d_out in outputs]

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        shapes = self.shapes(params)
        counts = [answer["w_q"], answer["w_k"], answer["w_v"]]
        return [
            Part("a", "the shape (rows $\\times$ columns) of each of $W_Q$, $W_K$ and $W_V$, "
                      "a row of the table for each;", "table", shapes,
                 # In the convention q = W_Q x the matrices are the transposes: as right.
                 accepted=([[columns, rows] for rows, columns in shapes],),
                 mistakes=tuple(self._shape_mistakes(params))),
            Part("b", "the number of trainable parameters $N_Q$, $N_K$ and $N_V$ of each of "
                      "$W_Q$, $W_K$ and $W_V$\\BLOCK{if params.bias} (each including its "
                      "bias)\\BLOCK{endif};", "vector", counts,
                 symbol="(N_Q, N_K, N_V)", mistakes=tuple(self._count_mistakes(params, answer)),
                 weight=2),
            Part("c", "the total number $N$ of parameters of the three projections.", "number",
                 answer["total"], symbol="N", mistakes=tuple(self.mistakes(params, answer))),
        ]

    @staticmethod
    def _shape_mistakes(params):
        d_model, d_k = params["d_model"], params["d_k"]
        return [Mistake("d_model instead of d_k", D_MODEL_OUTPUTS, [[d_model, d_model]] * 3),
                Mistake("d_k for the values", D_K_FOR_VALUES, [[d_model, d_k]] * 3)]

    def _count_mistakes(self, params, answer):
        """The slips of the total that belong to the single projections, per projection."""
        d_model, d_k, d_v, bias = params["d_model"], params["d_k"], params["d_v"], params["bias"]

        def counts(out_q, out_k, out_v, with_bias=bias, extra=0):
            return [self.projection(d_model, d_out, with_bias) + extra
                    for d_out in (out_q, out_k, out_v)]

        found = [
            Mistake("no bias", "counts the weights but forgets the bias of every projection",
                    counts(d_k, d_k, d_v, False)) if bias else
            Mistake("bias added", "adds a bias to every projection although they have none",
                    counts(d_k, d_k, d_v, True)),
            Mistake("d_model instead of d_k", D_MODEL_OUTPUTS, counts(d_model, d_model, d_model)),
            Mistake("d_k for the values", D_K_FOR_VALUES, counts(d_k, d_k, d_k)),
        ]
        if bias:
            found.append(Mistake("one bias per projection",
                                 "adds a single bias per projection instead of one per output",
                                 counts(d_k, d_k, d_v, False, extra=1)))
            found.append(Mistake("bias per input",
                                 r"gives each projection a bias per input ($d_\text{model}$) "
                                 "instead of per output",
                                 counts(d_k, d_k, d_v, False, extra=d_model)))
        found.append(Mistake("sizes added", SIZES_ADDED,
                             [d_model + d_out + (d_out if bias else 0) for d_out in (d_k, d_k, d_v)]))
        return found

    def mistakes(self, params, answer):
        """The modelled slips, each as the total it leads to."""
        d_model, d_k, d_v, bias = params["d_model"], params["d_k"], params["d_v"], params["bias"]

        def total(out_q, out_k, out_v, with_bias=bias):
            return sum(self.projection(d_model, d_out, with_bias) for d_out in (out_q, out_k, out_v))

        found = [
            Mistake("no bias", "counts the weights but forgets the bias of every projection",
                    total(d_k, d_k, d_v, False)) if bias else
            Mistake("bias added", "adds a bias to every projection although they have none",
                    total(d_k, d_k, d_v, True)),
            Mistake("d_model instead of d_k", D_MODEL_OUTPUTS, total(d_model, d_model, d_model)),
            Mistake("d_k for the values", D_K_FOR_VALUES, total(d_k, d_k, d_k)),
            Mistake("V forgotten", "counts only the query and key projections and forgets $W_V$",
                    answer["w_q"] + answer["w_k"]),
            Mistake("output projection added",
                    r"also counts an output projection $W_O$ ($d_v\times d_\text{model}$), "
                    "which the question does not ask for",
                    answer["total"] + d_v * d_model + (d_model if bias else 0)),
        ]
        if bias:
            found.append(Mistake("one bias per projection",
                                 "adds a single bias per projection instead of one per output",
                                 total(d_k, d_k, d_v, False) + 3))
            found.append(Mistake("bias per input",
                                 r"gives each projection a bias per input ($d_\text{model}$) "
                                 "instead of per output", total(d_k, d_k, d_v, False) + 3 * d_model))
        found.append(Mistake("sizes added", SIZES_ADDED,
                             sum(d_model + d_out + (d_out if bias else 0) for d_out in (d_k, d_k, d_v))))
        return found
