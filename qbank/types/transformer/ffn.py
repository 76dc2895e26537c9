"""Multiplications and parameters of a transformer's position-wise feed-forward block.

FFN(x) = max(0, xW1 + b1)W2 + b2 with W1 of shape d_model×d_ff and W2 of shape d_ff×d_model.
Params: ``d_model``, ``d_ff``.  Answer: ``multiplications`` per token,
d_model·d_ff + d_ff·d_model (bias additions and ReLU need none), and ``params``,
d_model·d_ff + d_ff + d_ff·d_model + d_model (two linear layers with bias).

d_model is a multiple of 10 (20..500) or a power of two (32..512); d_ff lies between
2 and 4 times d_model and is a multiple of d_model or of 50.

Example (seed 000 Q3d): d_model 100, d_ff 200 -> 100·200 + 200·100 = 40,000
multiplications per token and 20,000 + 200 + 20,000 + 100 = 40,300 parameters.

Parts: (a) the multiplications per token, (b) the parameters, the part a multiple-choice
item offers.
"""

from qbank.checks import size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Size
from qbank.parts import Part

MODEL_DIMS = tuple(range(20, 501, 10)) + (32, 64, 128, 256, 512)


class Params(ParamModel):
    d_model: Size
    d_ff: Size   # width of the hidden layer; any, not only the 2x-4x that are drawn


def inner_dims(d_model):
    """Usual FFN widths for d_model: 2x, 3x, 4x, or a multiple of 50 in between."""
    fifties = range(-(-2 * d_model // 50) * 50, 4 * d_model + 1, 50)
    return sorted({2 * d_model, 3 * d_model, 4 * d_model, *fifties})


class FeedForwardBlock(QuestionType):
    id = "transformer.ffn"
    title = "Multiplications and parameters of a transformer feed-forward block"
    topic = "transformers"
    source = "000 Q3d"
    choice_part = "b"
    params_model = Params

    def sample(self, rng):
        d_model = int(rng.choice(MODEL_DIMS))
        return {"d_model": d_model, "d_ff": int(rng.choice(inner_dims(d_model)))}

    def problems(self, params):
        return size_problems(params, ("d_model", "d_ff"))

    def solve(self, params):
        d_model, d_ff = params["d_model"], params["d_ff"]
        return {"multiplications": d_model * d_ff + d_ff * d_model,
                "params": d_model * d_ff + d_ff + d_ff * d_model + d_model}

    def worked(self, params, answer):
        d_model, d_ff = params["d_model"], params["d_ff"]
        weights = d_model * d_ff  # the same for W1 (d_model×d_ff) and W2 (d_ff×d_model)
        return {"weights": weights,
                "first": weights + d_ff, "second": weights + d_model}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        return [
            Part("a", "How many scalar multiplications does the network perform for one token? "
                      "Count only the multiplications in the matrix products.", "number",
                 answer["multiplications"], symbol="\\text{multiplications}",
                 mistakes=tuple(self._multiplication_mistakes(params, answer))),
            Part("b", "How many trainable parameters does it have?", "number", answer["params"],
                 symbol="\\text{parameters}", mistakes=tuple(self.mistakes(params, answer))),
        ]

    @staticmethod
    def _multiplication_mistakes(params, answer):
        weights = params["d_model"] * params["d_ff"]
        return [
            Mistake("one product", r"counts the products of $xW_1$ but not those of the second "
                    "layer", weights),
            Mistake("parameters counted", "counts the parameters, biases included, instead of "
                    "the multiplications", answer["params"]),
            Mistake("matrix sizes added", r"adds the sizes, $d_\text{model} + d_\text{ff}$ "
                    "per layer, instead of multiplying them",
                    2 * (params["d_model"] + params["d_ff"])),
        ]

    def mistakes(self, params, answer):
        """The modelled slips, each as the parameter count it leads to (part (b))."""
        d_model, d_ff = params["d_model"], params["d_ff"]
        weights = d_model * d_ff
        return [
            Mistake("no bias", "counts the weights of $W_1$ and $W_2$ but forgets $b_1$ and $b_2$",
                    2 * weights),
            Mistake("one layer", r"counts only the first linear layer ($W_1$, $b_1$), not the second",
                    weights + d_ff),
            Mistake("d_ff biases twice",
                    r"gives both layers $d_\text{ff}$ biases, though $b_2$ has $d_\text{model}$ entries",
                    2 * weights + 2 * d_ff),
            Mistake("d_model biases twice",
                    r"gives both layers $d_\text{model}$ biases, though $b_1$ has $d_\text{ff}$ entries",
                    2 * weights + 2 * d_model),
            Mistake("one bias per layer", "adds a single bias per layer instead of one per output unit",
                    2 * weights + 2),
            Mistake("weights shared",
                    r"takes $W_2$ to be $W_1^\top$ and counts the weights only once",
                    weights + d_ff + d_model),
        ]
