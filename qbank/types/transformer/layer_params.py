"""Trainable parameters of a stack of transformer encoder layers.

Params: ``d_model``, ``heads`` (divides d_model), ``d_ff``, ``n_layers``.  Answer:
``per_layer`` and ``total`` = n_layers·per_layer, counted as
``torch.nn.TransformerEncoderLayer(d_model, heads, dim_feedforward=d_ff)`` does:
self-attention 4·d_model² + 4·d_model (Q, K, V and output projections, each with
bias), feed-forward 2·d_model·d_ff + d_ff + d_model, two LayerNorms 2·(2·d_model).
The number of heads does not change the count: the heads' projections together
are d_model×d_model matrices.

Example (seed 000 Q3c-d, where the student's 50,300 is wrong): d_model 100, 4 heads,
d_ff 200, 4 layers -> per layer 40,400 + 40,300 + 200 + 200 = 81,100; total 324,400.

Parts: (a) the parameters of one encoder layer, (b) those of the stack, the part a
multiple-choice item offers.
"""

from qbank.checks import size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Size
from qbank.parts import Part

HEADS = (2, 4, 5, 8, 10, 12, 16)
HEAD_DIMS = (8, 10, 16, 20, 25, 32, 40, 50, 64)
FFN_RATIOS = (2, 3, 4)
LAYERS = (2, 3, 4, 6, 8, 12)


class Params(ParamModel):
    """That ``heads`` divides ``d_model`` is left to problems(): a pinned ``heads`` is then
    redrawn against, not refused for, a sampled ``d_model`` it does not divide."""

    d_model: Size
    heads: Size
    d_ff: Size
    n_layers: Size


def components(d_model, d_ff):
    """Parameters of each component of one encoder layer, in the order of the solution table."""
    return {"attention": 4 * d_model * d_model + 4 * d_model,
            "ffn": 2 * d_model * d_ff + d_ff + d_model,
            "norm1": 2 * d_model, "norm2": 2 * d_model}


class EncoderLayerParams(QuestionType):
    id = "transformer.layer_params"
    title = "Parameters of a transformer encoder"
    topic = "transformers"
    source = "000 Q3c-d"
    choice_part = "b"
    params_model = Params

    def sample(self, rng):
        heads = int(rng.choice(HEADS))
        d_model = heads * int(rng.choice(HEAD_DIMS))  # heads divide d_model by construction
        return {"d_model": d_model, "heads": heads,
                "d_ff": int(rng.choice(FFN_RATIOS)) * d_model,
                "n_layers": int(rng.choice(LAYERS))}

    def problems(self, params):
        bad = size_problems(params, ("d_model", "heads", "d_ff", "n_layers"))
        if bad:
            return bad
        if params["d_model"] % params["heads"]:
            return [f"heads ({params['heads']}) must divide d_model ({params['d_model']})"]
        return []

    def solve(self, params):
        per_layer = sum(components(params["d_model"], params["d_ff"]).values())
        return {"per_layer": per_layer, "total": params["n_layers"] * per_layer}

    def worked(self, params, answer):
        d_model, d_ff = params["d_model"], params["d_ff"]
        return {**components(d_model, d_ff),
                "d_head": d_model // params["heads"],
                "d_model_sq": d_model * d_model,
                "ffn_weights": 2 * d_model * d_ff}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        per_layer = self.per_layer_mistakes(params)
        layers = params["n_layers"]
        stack = [Mistake(name, text, layers * value) for name, text, value in per_layer]
        stack.insert(1, Mistake("one layer only", "counts one encoder layer and forgets to "
                                f"multiply by $N = {layers}$", answer["per_layer"]))
        return [
            Part("a", "How many trainable parameters does one encoder layer have?", "number",
                 answer["per_layer"], symbol="\\text{per layer}",
                 mistakes=tuple(Mistake(*slip) for slip in per_layer)),
            Part("b", "How many trainable parameters does the whole stack of "
                      "$\\VAR{params.n_layers|num}$ layers have?", "number", answer["total"],
                 symbol="\\text{total}", mistakes=tuple(stack)),
        ]

    @staticmethod
    def per_layer_mistakes(params):
        """The modelled slips within one layer, most common first: (name, explanation,
        the count of one layer it leads to)."""
        d_model, heads, d_ff = params["d_model"], params["heads"], params["d_ff"]
        part = components(d_model, d_ff)
        per_layer = sum(part.values())
        d_head = d_model // heads
        one_head_qkv = 3 * (d_model * d_head + d_head)
        output_projection = d_model * d_model + d_model
        return [
            ("no LayerNorms", "forgets the scale and shift of the two LayerNorms",
             per_layer - part["norm1"] - part["norm2"]),
            ("no output projection",
             "counts the query, key and value projections but forgets the output projection $W_O$",
             per_layer - output_projection),
            ("FFN once", r"counts only one of the two linear layers of the feed-forward network",
             per_layer - d_ff * d_model - d_model),
            ("one head only",
             r"counts the query, key and value projections of one head "
             rf"($d_\text{{model}}\times d_\text{{model}}/h = {d_model}\times{d_head}$) "
             "instead of all heads",
             per_layer - part["attention"] + one_head_qkv + output_projection),
            ("no biases", "counts the weight matrices but forgets all the biases",
             per_layer - 4 * d_model - d_ff - d_model),
            ("d_model per head",
             r"gives every head full $d_\text{model}\times d_\text{model}$ query, key and "
             "value projections",
             per_layer + (heads - 1) * 3 * (d_model * d_model + d_model)),
        ]
