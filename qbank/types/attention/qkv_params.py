"""Parameters of the query, key and value projections of one attention head.

Params: ``d_model`` (token embedding size), ``d_k`` (query/key size), ``d_v`` (value
size), ``bias`` (bool: do the projections add a bias). Answer: ``w_q``, ``w_k``, ``w_v``
(parameters of each projection, its bias included when ``bias`` is true) and ``total``.

W_Q and W_K are d_model x d_k, W_V is d_model x d_v; a bias adds d_k, d_k, d_v.

Examples: seed 000 Q3b, d_model 100, d_k 36, d_v 25, no bias -> W_q 3600, W_k 3600,
W_v 2500, total 9700. Seed 001 Q1b stacks all heads of a multi-head layer, i.e.
d_model = d_k = d_v = 768 -> 589,824 each, 1,769,472 in total.
"""

from qbank.checks import flag_problems, size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Size

MODEL_SIZES = (32, 48, 50, 60, 64, 80, 96, 100, 120, 128, 200, 256, 300, 512)
HEAD_SIZES = (8, 10, 12, 16, 20, 24, 25, 30, 32, 36, 40, 48, 50, 60, 64, 72, 80, 96, 100, 128)
# How often d_k = d_v = d_model, the "all heads stacked" form of 001 Q1b.
FULL_WIDTH_SHARE = 0.15


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
    choice_prompt = "Which is the total number of parameters of the three projections?"
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

    def choice_value(self, answer):
        return answer["total"]

    def mistakes(self, params, answer):
        d_model, d_k, d_v, bias = params["d_model"], params["d_k"], params["d_v"], params["bias"]

        def total(out_q, out_k, out_v, with_bias=bias):
            return sum(self.projection(d_model, d_out, with_bias) for d_out in (out_q, out_k, out_v))

        found = [
            Mistake("no bias", "counts the weights but forgets the bias of every projection",
                    total(d_k, d_k, d_v, False)) if bias else
            Mistake("bias added", "adds a bias to every projection although they have none",
                    total(d_k, d_k, d_v, True)),
            Mistake("d_model instead of d_k",
                    r"counts $d_\text{model}$ outputs for every projection instead of $d_k$ and $d_v$",
                    total(d_model, d_model, d_model)),
            Mistake("d_k for the values",
                    r"gives the values size $d_k$ as well, instead of $d_v$",
                    total(d_k, d_k, d_k)),
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
        found.append(Mistake("sizes added",
                             r"adds $d_\text{model}$ and the output size instead of multiplying them",
                             sum(d_model + d_out + (d_out if bias else 0) for d_out in (d_k, d_k, d_v))))
        return found
