"""Parameters of a multi-head attention layer, as ``torch.nn.MultiheadAttention`` counts them.

Params: ``d_model`` (embedding size), ``heads`` (h, dividing d_model), ``bias`` (bool).
Answer: ``d_head`` = d_model / h; ``qkv_params``, the query, key and value projections
of all heads together (3 d_model^2, plus 3 d_model with bias: ``in_proj_weight`` and
``in_proj_bias``); ``output_params``, the output projection (d_model^2, plus d_model
with bias: ``out_proj``); and ``total``.

Each head has its own d_model x d_head matrices W_Q, W_K, W_V; h heads of width
d_head = d_model / h together hold h * d_model * d_head = d_model^2 entries per role.

Parts: (a) d_head, (b) the Q/K/V projections, (c) the output projection, (d) the total
(the part a multiple-choice item offers); all exact whole numbers.

Example (seed 001 Q1a/b, Q5): d_model 768, 12 heads, no bias -> d_head 64, Q/K/V
1,769,472 (3 x 589,824), output 589,824, total 2,359,296.
"""

from qbank.checks import flag_problems, size_problems
from qbank.choice import mistakes_by_part
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Size
from qbank.parts import Part

HEADS = (2, 3, 4, 5, 6, 8, 10, 12, 16, 20)
# Per-head widths; d_model is drawn as heads * d_head so that it always divides.
HEAD_WIDTHS = (8, 10, 12, 16, 20, 24, 25, 30, 32, 36, 40, 48, 50, 60, 64, 72, 80, 96, 100, 128)
# Keep d_model within the sizes of real models (BERT-base 768, GPT-2 XL 1600).
MAX_D_MODEL = 2048


class Params(ParamModel):
    d_model: Size
    heads: Size    # that it divides d_model is checked in problems
    bias: bool     # do the projections add a bias


class MultiheadParams(QuestionType):
    id = "attention.multihead"
    title = "Parameters of multi-head attention"
    topic = "attention"
    source = "001 Q5, Q1a"
    answer_space = "6cm"
    choice_part = "d"
    params_model = Params

    def sample(self, rng):
        for _ in redraws(self.id):
            heads = int(rng.choice(HEADS))
            d_head = int(rng.choice(HEAD_WIDTHS))
            if heads * d_head <= MAX_D_MODEL:
                break
        return {"d_model": heads * d_head, "heads": heads, "bias": bool(rng.integers(0, 2))}

    def problems(self, params):
        found = size_problems(params, ("d_model", "heads")) + flag_problems(params, ["bias"])
        if not found and params["d_model"] % params["heads"]:
            found.append(f"d_model {params['d_model']} is not divisible by "
                         f"{params['heads']} heads")
        return found

    def solve(self, params):
        d_model, bias = params["d_model"], params["bias"]
        qkv = 3 * d_model * d_model + (3 * d_model if bias else 0)
        output = d_model * d_model + (d_model if bias else 0)
        return {"d_head": d_model // params["heads"], "qkv_params": qkv,
                "output_params": output, "total": qkv + output}

    def worked(self, params, answer):
        d_model, d_head, bias = params["d_model"], answer["d_head"], params["bias"]
        head_matrix = d_model * d_head
        head_bias = d_head if bias else 0
        return {"head_matrix": head_matrix,
                "head_params": 3 * (head_matrix + head_bias),
                "model_sq": d_model * d_model,
                "qkv_weights": 3 * d_model * d_model,
                "qkv_biases": 3 * d_model if bias else 0,
                "out_weights": d_model * d_model,
                "out_biases": d_model if bias else 0}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        d_head, qkv, output, total = self._mistaken(params, answer)
        return [
            Part("a", "the dimension $d_\\text{head}$ of each head;", "number", answer["d_head"],
                 symbol="d_\\text{head}", mistakes=tuple(d_head)),
            Part("b", "the number $N_{QKV}$ of trainable parameters of the query, key and value "
                      "projections of all heads together;", "number", answer["qkv_params"],
                 symbol="N_{QKV}", mistakes=tuple(qkv), weight=2),
            Part("c", "the number $N_O$ of trainable parameters of the output projection;",
                 "number", answer["output_params"], symbol="N_O", mistakes=tuple(output)),
            Part("d", "the total number $N$ of trainable parameters of the layer.", "number",
                 answer["total"], symbol="N", mistakes=tuple(total)),
        ]

    def _mistaken(self, params, answer):
        """The modelled slips, each as the d_head, Q/K/V, output and total counts it leads
        to (a slip that leaves a count right is not listed under it)."""
        d_model, heads, bias = params["d_model"], params["heads"], params["bias"]
        d_head = answer["d_head"]
        qkv, output = answer["qkv_params"], answer["output_params"]
        head_qkv = 3 * (d_model * d_head + (d_head if bias else 0))
        full_qkv = heads * (3 * d_model * d_model + (3 * d_model if bias else 0))
        per_head_output = d_head * d_model + (d_model if bias else 0)
        if bias:
            biases = ("no bias", "counts the weights but forgets the biases",
                      3 * d_model * d_model, d_model * d_model)
        else:
            biases = ("bias added", "adds biases although the projections have none",
                      3 * d_model * d_model + 3 * d_model, d_model * d_model + d_model)
        name, text, bias_qkv, bias_output = biases
        found = [  # (name, explanation, d_head, Q/K/V, output, total)
            ("one head only", "counts the query, key and value projections of a single head "
             f"instead of all {heads} heads", None, head_qkv, None, head_qkv + output),
            ("no output projection", "forgets the output projection $W_O$", None, None, None, qkv),
            ("d_model per head",
             r"gives every head full $d_\text{model}\times d_\text{model}$ projections "
             r"instead of $d_\text{model}\times d_\text{head}$", d_model, full_qkv, None,
             full_qkv + output),
            (name, text, None, bias_qkv, bias_output, bias_qkv + bias_output),
            ("output projection per head",
             r"takes $W_O$ as $d_\text{head}\times d_\text{model}$, as if it read one head only",
             None, None, per_head_output, qkv + per_head_output),
            ("V forgotten", "counts only the query and key projections and forgets $W_V$",
             None, qkv * 2 // 3, None, qkv * 2 // 3 + output),
        ]
        return mistakes_by_part(found, 4)
