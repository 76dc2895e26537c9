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

from qbank.checks import flag_problems, size_problems
from qbank.model import QuestionType

SIZES = (8, 10, 12, 16, 20, 24, 25, 30, 32, 40, 50, 60, 64, 80, 100, 120, 128, 200, 256, 300, 512)
NORMS = ("none", "layernorm", "batchnorm")
NORM_NAMES = {"none": "no normalisation", "layernorm": "LayerNorm", "batchnorm": "BatchNorm"}


class DenseLayerParams(QuestionType):
    id = "params.dense_layer"
    title = "Parameters of a dense layer with optional normalisation"
    topic = "parameter counting"
    source = "000 Q2b"
    answer_space = "4cm"

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
