"""Trainable parameters of one fully connected layer, optionally normalised.

Params: ``n_in`` and ``n_out`` (units), ``bias`` (bool: does the layer add a bias),
``norm`` ("none", "layernorm" or "batchnorm", applied over the ``n_out`` outputs).
Answer: ``total``, the number of trainable parameters.

The weight matrix has ``n_in * n_out`` entries, the bias ``n_out``; LayerNorm and
BatchNorm learn a scale gamma and a shift beta per feature (``2 * n_out``).
BatchNorm's running mean and variance are buffers, not trainable, and are not counted.

Example (seed 000 Q2b): n_in 10, n_out 20, no bias, a norm layer: W is 10x20 ->
200 weights, plus 2 x 20 = 40 norm parameters, total 240 (260 with a bias).
"""

from typing import Literal

from qbank.checks import flag_problems, size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Size

SIZES = (8, 10, 12, 16, 20, 24, 25, 30, 32, 40, 50, 60, 64, 80, 100, 120, 128, 200, 256, 300, 512)
NORMS = ("none", "layernorm", "batchnorm")
NORM_NAMES = {"none": "no normalisation", "layernorm": "LayerNorm", "batchnorm": "BatchNorm"}


class Params(ParamModel):
    n_in: Size
    n_out: Size
    bias: bool
    norm: Literal["none", "layernorm", "batchnorm"]


class DenseLayerParams(QuestionType):
    id = "params.dense_layer"
    title = "Parameters of a dense layer with optional normalisation"
    topic = "parameter counting"
    source = "000 Q2b"
    answer_space = "4cm"
    choice_prompt = "Which is the total number of trainable parameters?"
    params_model = Params

    def sample(self, rng):
        n_in, n_out = (int(s) for s in rng.choice(SIZES, size=2))
        return {"n_in": n_in, "n_out": n_out,
                "bias": bool(rng.integers(0, 2)),
                "norm": str(rng.choice(NORMS))}

    def problems(self, params):
        found = size_problems(params, ("n_in", "n_out")) + flag_problems(params, ["bias"])
        if params["norm"] not in NORMS:
            found.append(f"norm must be one of {', '.join(NORMS)}, got {params['norm']!r}")
        return found

    @staticmethod
    def parts(params):
        """Trainable parameters of the weights, the bias and the norm layer."""
        n_out = params["n_out"]
        return (params["n_in"] * n_out,
                n_out if params["bias"] else 0,
                2 * n_out if params["norm"] != "none" else 0)

    def solve(self, params):
        return {"total": sum(self.parts(params))}

    def worked(self, params, answer):
        weights, biases, norm = self.parts(params)
        return {"weights": weights, "biases": biases, "norm_params": norm,
                "norm_name": NORM_NAMES[params["norm"]],
                # Buffers of BatchNorm: one running mean and one running variance per feature.
                "running_stats": 2 * params["n_out"] if params["norm"] == "batchnorm" else 0}

    def choice_value(self, answer):
        return answer["total"]

    def mistakes(self, params, answer):
        n_in, n_out, norm, bias = params["n_in"], params["n_out"], params["norm"], params["bias"]
        weights, biases, norm_params = self.parts(params)
        found = []
        if norm == "batchnorm":
            found.append(Mistake("running statistics counted",
                                 "also counts BatchNorm's running mean and variance, which are "
                                 "buffers updated during training, not trainable parameters",
                                 answer["total"] + 2 * n_out))
        if bias:
            found.append(Mistake("no bias", "counts the weights but forgets the bias of every output",
                                 weights + norm_params))
        else:
            found.append(Mistake("bias added", "adds a bias per output although the layer has none",
                                 weights + n_out + norm_params))
        if norm != "none":
            found += [
                Mistake("norm forgotten", "leaves out the scale and shift of the normalisation layer",
                        weights + biases),
                Mistake("scalar scale and shift",
                        r"takes $\gamma$ and $\beta$ as two scalars instead of one pair per feature",
                        weights + biases + 2),
                Mistake("norm over the inputs",
                        rf"gives the normalisation a $\gamma$ and a $\beta$ per input feature "
                        rf"($2\times{n_in}$) instead of per output feature",
                        weights + biases + 2 * n_in),
                Mistake("scale only", r"counts the scale $\gamma$ but forgets the shift $\beta$",
                        weights + biases + n_out),
            ]
        if bias:
            found += [
                Mistake("bias per input", "gives one bias per input feature instead of one per output",
                        weights + n_in + norm_params),
                Mistake("one bias", "adds a single bias for the whole layer instead of one per output",
                        weights + 1 + norm_params),
                Mistake("bias unit on both sides",
                        r"counts $(n_\text{in}+1)(n_\text{out}+1)$, adding a bias unit on the "
                        "output side as well as on the input side",
                        (n_in + 1) * (n_out + 1) + norm_params),
            ]
        else:
            found += [
                Mistake("bias per input", "adds a bias per input feature although the layer has none",
                        weights + n_in + norm_params),
                Mistake("one bias", "adds a single bias for the whole layer although it has none",
                        weights + 1 + norm_params),
                Mistake("bias unit on both sides",
                        "adds a bias unit to both the input and the output side, "
                        r"$(n_\text{in}+1)(n_\text{out}+1)$, although the layer has no bias",
                        (n_in + 1) * (n_out + 1) + norm_params),
            ]
        found.append(Mistake("sizes added", "adds the numbers of inputs and outputs instead of "
                             "multiplying them", n_in + n_out + biases + norm_params))
        return found
