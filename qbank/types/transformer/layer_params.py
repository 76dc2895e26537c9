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
"""

from qbank.checks import size_problems
from qbank.model import QuestionType

HEADS = (2, 4, 5, 8, 10, 12, 16)
HEAD_DIMS = (8, 10, 16, 20, 25, 32, 40, 50, 64)
FFN_RATIOS = (2, 3, 4)
LAYERS = (2, 3, 4, 6, 8, 12)


def parts(d_model, d_ff):
    """Parameters of each part of one encoder layer, in the order of the solution table."""
    return {"attention": 4 * d_model * d_model + 4 * d_model,
            "ffn": 2 * d_model * d_ff + d_ff + d_model,
            "norm1": 2 * d_model, "norm2": 2 * d_model}


class EncoderLayerParams(QuestionType):
    id = "transformer.layer_params"
    title = "Parameters of a transformer encoder"
    topic = "transformers"
    source = "000 Q3c-d"

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
        per_layer = sum(parts(params["d_model"], params["d_ff"]).values())
        return {"per_layer": per_layer, "total": params["n_layers"] * per_layer}

    def worked(self, params, answer):
        d_model, d_ff = params["d_model"], params["d_ff"]
        return {**parts(d_model, d_ff),
                "d_head": d_model // params["heads"],
                "d_model_sq": d_model * d_model,
                "ffn_weights": 2 * d_model * d_ff}
