"""Trainable parameters of a fully connected network on a flattened image.

Params: ``input_shape`` [H, W, C] of the image, ``hidden`` layer sizes, ``n_classes``.
Every layer is ``nn.Linear`` with bias, so a layer from ``n_in`` to ``n_out`` units
has ``(n_in + 1) * n_out`` parameters; activations add none.

Example (seed 004 Q4): input 32x32x6, hidden [200, 120], 100 classes gives
per_layer [1229000, 24120, 12100] and total 1,265,220 (the seed's 24,94,220 is wrong).

Parts: (a) the parameters of every layer, from the first hidden layer to the output layer
(a vector, one entry per layer); (b) the total, the part a multiple-choice item offers.
"""

from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Size, fixed_list
from qbank.parts import Part

SIDES = (8, 10, 16, 20, 28, 32, 64)
CHANNELS = (1, 3, 4, 6)
WIDTHS = (16, 20, 32, 50, 64, 80, 100, 120, 128, 150, 200, 256, 300, 500, 512)
CLASSES = (2, 5, 10, 20, 26, 100)


class Params(ParamModel):
    input_shape: fixed_list(Size, 3)   # [height, width, channels]
    hidden: list[Size]                 # may be empty: a linear classifier
    n_classes: Size


class MlpParams(QuestionType):
    id = "params.mlp"
    title = "Parameters of an MLP on a flattened image"
    topic = "parameter counting"
    source = "004 Q4"
    choice_part = "b"
    params_model = Params

    def sample(self, rng):
        side = int(rng.choice(SIDES))
        depth = int(rng.integers(1, 4))
        # Hidden layers usually narrow towards the output, as in the seed.
        hidden = sorted((int(w) for w in rng.choice(WIDTHS, size=depth, replace=False)),
                        reverse=True)
        return {"input_shape": [side, side, int(rng.choice(CHANNELS))],
                "hidden": hidden,
                "n_classes": int(rng.choice(CLASSES))}

    @staticmethod
    def layer_sizes(params):
        height, width, channels = params["input_shape"]
        return [height * width * channels, *params["hidden"], params["n_classes"]]

    def solve(self, params):
        sizes = self.layer_sizes(params)
        per_layer = [(n_in + 1) * n_out for n_in, n_out in zip(sizes, sizes[1:])]
        return {"per_layer": per_layer, "total": sum(per_layer)}

    def worked(self, params, answer):
        sizes = self.layer_sizes(params)
        layers = [{"n_in": n_in, "n_out": n_out, "weights": n_in * n_out, "biases": n_out,
                   "params": count}
                  for n_in, n_out, count in zip(sizes, sizes[1:], answer["per_layer"])]
        return {"flat": sizes[0], "layers": layers}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        return [
            Part("a", "the number of trainable parameters of each layer, in order from the "
                      "input side to the output layer;",
                 "vector", answer["per_layer"], weight=2, symbol=r"\text{per layer}",
                 mistakes=tuple(self._layer_mistakes(params))),
            Part("b", "the total number of trainable parameters of the network.", "number",
                 answer["total"], symbol=r"\text{total}",
                 mistakes=tuple(self.mistakes(params, answer))),
        ]

    def _layer_mistakes(self, params):
        """The slips of ``mistakes`` that keep one count per layer, as those counts."""
        sizes = self.layer_sizes(params)
        pairs = list(zip(sizes, sizes[1:]))
        height, width, _ = params["input_shape"]
        first = [height * width, *sizes[1:]]
        return [
            Mistake("no bias", "counts the weights but forgets the bias of every unit",
                    [n_in * n_out for n_in, n_out in pairs]),
            Mistake("channels dropped", "flattens only height $\\times$ width and forgets the "
                    "channels", [(n_in + 1) * n_out for n_in, n_out in zip(first, first[1:])]),
            Mistake("one bias per layer", "adds a single bias per layer instead of one per unit",
                    [n_in * n_out + 1 for n_in, n_out in pairs]),
            Mistake("bias per input", "gives every input of a layer a bias instead of every unit",
                    [n_in * n_out + n_in for n_in, n_out in pairs]),
        ]

    def mistakes(self, params, answer):
        """The modelled slips, each as the total it leads to (part (b), the choice part)."""
        sizes = self.layer_sizes(params)
        pairs = list(zip(sizes, sizes[1:]))
        height, width, _ = params["input_shape"]
        no_channels = [height * width, *sizes[1:]]
        return [
            Mistake("no bias", "counts the weights but forgets the bias of every unit",
                    sum(n_in * n_out for n_in, n_out in pairs)),
            Mistake("channels dropped", "flattens only height $\\times$ width and forgets the channels",
                    sum((n_in + 1) * n_out for n_in, n_out in zip(no_channels, no_channels[1:]))),
            Mistake("no output layer", "stops at the last hidden layer and leaves out the output layer",
                    sum(answer["per_layer"][:-1])),
            Mistake("one bias per layer", "adds a single bias per layer instead of one per unit",
                    sum(n_in * n_out + 1 for n_in, n_out in pairs)),
            Mistake("bias per input", "gives every input of a layer a bias instead of every unit",
                    sum(n_in * n_out + n_in for n_in, n_out in pairs)),
        ]
