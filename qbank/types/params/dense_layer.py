"""Trainable parameters of one fully connected layer, optionally normalised.

Params: ``n_in`` and ``n_out`` (units), ``bias`` (bool: does the layer add a bias),
``norm`` ("none", "layernorm" or "batchnorm", applied over the ``n_out`` outputs).
Answer: ``total``, the number of trainable parameters.  Parts: (a) the weights, (b) the
biases (0 without a bias), (c) the normalisation parameters (0 without a norm) and (d) the
total, the part a multiple-choice item offers.

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
from qbank.parts import Part

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
    choice_part = "d"
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
    def counts(params):
        """Trainable parameters of the weights, the bias and the norm layer."""
        n_out = params["n_out"]
        return (params["n_in"] * n_out,
                n_out if params["bias"] else 0,
                2 * n_out if params["norm"] != "none" else 0)

    def solve(self, params):
        return {"total": sum(self.counts(params))}

    def worked(self, params, answer):
        weights, biases, norm = self.counts(params)
        return {"weights": weights, "biases": biases, "norm_params": norm,
                "norm_name": NORM_NAMES[params["norm"]],
                # Buffers of BatchNorm: one running mean and one running variance per feature.
                "running_stats": 2 * params["n_out"] if params["norm"] == "batchnorm" else 0}

    def parts(self, variant):
        params, answer, work = variant.params, variant.answer, variant.work
        return [
            Part("a", "the number of weights;", "number", work["weights"],
                 symbol=r"\text{weights}", mistakes=tuple(self._weight_mistakes(params))),
            Part("b", "the number of biases (0 if the layer has none);", "number",
                 work["biases"], symbol=r"\text{biases}",
                 mistakes=tuple(self._bias_mistakes(params))),
            Part("c", "the number of trainable parameters of the normalisation "
                      "(0 if there is none);", "number", work["norm_params"],
                 symbol=r"\text{normalisation}", mistakes=tuple(self._norm_mistakes(params))),
            Part("d", "the total number of trainable parameters.", "number", answer["total"],
                 symbol=r"\text{total}", mistakes=tuple(self.mistakes(params, answer))),
        ]

    @staticmethod
    def _weight_mistakes(params):
        n_in, n_out = params["n_in"], params["n_out"]
        return [Mistake("sizes added", "adds the numbers of inputs and outputs instead of "
                        "multiplying them", n_in + n_out),
                Mistake("bias folded in", r"counts the weights of an extra bias input, "
                        r"$(n_\text{in}+1)\,n_\text{out}$, as weights", (n_in + 1) * n_out)]

    @staticmethod
    def _bias_mistakes(params):
        n_in, n_out = params["n_in"], params["n_out"]
        if params["bias"]:
            return [Mistake("no bias", "forgets the bias of every output", 0),
                    Mistake("bias per input", "gives one bias per input feature instead of one "
                            "per output", n_in),
                    Mistake("one bias", "takes a single bias for the whole layer instead of one "
                            "per output", 1)]
        return [Mistake("bias added", "adds a bias per output although the layer has none", n_out),
                Mistake("bias per input", "adds a bias per input feature although the layer "
                        "has none", n_in),
                Mistake("one bias", "adds a single bias although the layer has none", 1)]

    @staticmethod
    def _norm_mistakes(params):
        n_in, n_out, norm = params["n_in"], params["n_out"], params["norm"]
        if norm == "none":
            return [Mistake("norm counted", r"counts a $\gamma$ and a $\beta$ per output "
                            "although no normalisation follows the layer", 2 * n_out)]
        found = [Mistake("running statistics counted", "also counts BatchNorm's running mean "
                         "and variance, which are buffers, not trainable parameters", 4 * n_out)
                 ] if norm == "batchnorm" else []
        return found + [
            Mistake("norm forgotten", "leaves out the scale and shift of the normalisation layer", 0),
            Mistake("scalar scale and shift",
                    r"takes $\gamma$ and $\beta$ as two scalars instead of one pair per feature", 2),
            Mistake("norm over the inputs", rf"gives the normalisation a $\gamma$ and a $\beta$ "
                    rf"per input feature ($2\times{n_in}$) instead of per output feature", 2 * n_in),
            Mistake("scale only", r"counts the scale $\gamma$ but forgets the shift $\beta$", n_out),
        ]

    def mistakes(self, params, answer):
        """The modelled slips, each as the total it leads to (part (d), the choice part)."""
        n_in, n_out, norm, bias = params["n_in"], params["n_out"], params["norm"], params["bias"]
        weights, biases, norm_params = self.counts(params)
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
