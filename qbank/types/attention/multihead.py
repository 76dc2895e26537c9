"""Parameters of a multi-head attention layer, as ``torch.nn.MultiheadAttention`` counts them.

Params: ``d_model`` (embedding size), ``heads`` (h, dividing d_model), ``bias`` (bool).
Answer: ``d_head`` = d_model / h; ``qkv_params``, the query, key and value projections
of all heads together (3 d_model^2, plus 3 d_model with bias: ``in_proj_weight`` and
``in_proj_bias``); ``output_params``, the output projection (d_model^2, plus d_model
with bias: ``out_proj``); and ``total``.

Each head has its own d_model x d_head matrices W_Q, W_K, W_V; h heads of width
d_head = d_model / h together hold h * d_model * d_head = d_model^2 entries per role.

Example (seed 001 Q1a/b, Q5): d_model 768, 12 heads, no bias -> d_head 64, Q/K/V
1,769,472 (3 x 589,824), output 589,824, total 2,359,296.
"""

from qbank.checks import flag_problems, size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Size

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
    choice_prompt = "Which is the total number of trainable parameters of the layer?"
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

    def choice_value(self, answer):
        return answer["total"]

    def mistakes(self, params, answer):
        d_model, heads, bias = params["d_model"], params["heads"], params["bias"]
        d_head = answer["d_head"]
        qkv, output = answer["qkv_params"], answer["output_params"]
        head_qkv = 3 * (d_model * d_head + (d_head if bias else 0))
        weights_only = 4 * d_model * d_model
        return [
            Mistake("one head only",
                    "counts the query, key and value projections of a single head instead of all "
                    f"{heads} heads", head_qkv + output),
            Mistake("no output projection", "forgets the output projection $W_O$", qkv),
            Mistake("d_model per head",
                    r"gives every head full $d_\text{model}\times d_\text{model}$ projections "
                    r"instead of $d_\text{model}\times d_\text{head}$",
                    heads * (3 * d_model * d_model + (3 * d_model if bias else 0)) + output),
            Mistake("no bias", "counts the weights but forgets the biases", weights_only) if bias else
            Mistake("bias added", "adds biases although the projections have none",
                    weights_only + 4 * d_model),
            Mistake("output projection per head",
                    r"takes $W_O$ as $d_\text{head}\times d_\text{model}$, as if it read one head only",
                    qkv + d_head * d_model + (d_model if bias else 0)),
            Mistake("V forgotten", "counts only the query and key projections and forgets $W_V$",
                    qkv * 2 // 3 + output),
        ]
