"""Trainable parameters of a convolutional layer (including 1x1 convolutions).

A layer applies ``filters`` square k x k filters to an input with ``in_channels``
channels; asked: the shape of each filter (k x k x C_in: a filter spans every input
channel), the number of output channels (one per filter) and the number of trainable
parameters, k*k*C_in*filters weights plus one bias per filter when ``bias`` is true.

Params: ``kernel`` (side k; 1 for a 1x1 convolution), ``in_channels``, ``filters``,
``bias`` (bool).  Answer: ``params``.  Parts: (a) the filter shape (k, k, C_in), (b) the
number of filters, i.e. of output channels, (c) the parameter count (also the part a
multiple-choice item offers).

Examples: seed 002 Q5.1 has filters of size 2x2x4 and 3 filters -- the output has 3
channels (not 12, as the student wrote), 2*2*4*3 = 48 weights, 51 parameters with bias.
Seed 003 Q5 maps m channels to n with a 1x1 convolution: n filters of shape 1x1xm,
m*n weights (+ n biases).
"""

from qbank.checks import flag_problems, size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Size
from qbank.parts import Part

KERNELS = (2, 3, 3, 3, 5, 5, 7)
IN_CHANNELS = (1, 3, 4, 6, 8, 16, 32, 64, 128)
FILTERS = (2, 3, 4, 6, 8, 10, 12, 16, 32, 64, 96, 128, 256)
# 1x1 convolutions change the channel count of a deep feature map (bottlenecks).
POINTWISE_IN = (32, 64, 96, 128, 192, 256, 512)
POINTWISE_OUT = (16, 32, 48, 64, 128, 256)


class Params(ParamModel):
    kernel: Size        # side k of the square filters; 1 for a 1x1 convolution
    in_channels: Size
    filters: Size
    bias: bool


class ConvParams(QuestionType):
    id = "cnn.conv_params"
    title = "Parameters of a convolutional layer"
    topic = "convolutions"
    source = "002 Q5.1, 003 Q5"
    answer_space = "5cm"
    choice_part = "c"
    params_model = Params

    def sample(self, rng):
        bias = bool(rng.random() < 0.7)
        if rng.random() < 0.25:
            in_channels = int(rng.choice(POINTWISE_IN))
            filters = int(rng.choice([c for c in POINTWISE_OUT if c != in_channels]))
            return {"kernel": 1, "in_channels": in_channels, "filters": filters, "bias": bias}
        return {"kernel": int(rng.choice(KERNELS)), "in_channels": int(rng.choice(IN_CHANNELS)),
                "filters": int(rng.choice(FILTERS)), "bias": bias}

    def problems(self, params):
        return (size_problems(params, ("kernel", "in_channels", "filters"))
                + flag_problems(params, ["bias"]))

    def solve(self, params):
        kernel, filters = params["kernel"], params["filters"]
        weights = kernel * kernel * params["in_channels"] * filters
        return {"params": weights + (filters if params["bias"] else 0)}

    def worked(self, params, answer):
        per_filter = params["kernel"] ** 2 * params["in_channels"]
        return {"per_filter": per_filter, "weights": per_filter * params["filters"],
                "biases": params["filters"] if params["bias"] else 0}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        kernel, channels, filters = params["kernel"], params["in_channels"], params["filters"]
        return [
            # Whole questions, so that (c) alone reads well as a multiple-choice item.
            Part("a", "What is the shape of each filter, as (height, width, depth)?", "vector",
                 [kernel, kernel, channels], symbol=r"(k, k, C_\text{in})",
                 mistakes=self._shape_mistakes(params)),
            Part("b", "How many filters does the layer need?" if kernel == 1 else
                 "How many channels does the output feature map have?", "number", filters,
                 # For a 1x1 layer the working says "takes f filters"; C_out would not be asked.
                 symbol="" if kernel == 1 else r"C_\text{out}",
                 mistakes=self._channel_mistakes(params)),
            Part("c", "How many trainable parameters does the layer have?", "number",
                 answer["params"], symbol="P", weight=2,
                 mistakes=tuple(self.mistakes(params, answer))),
        ]

    @staticmethod
    def _shape_mistakes(params):
        kernel, channels, filters = params["kernel"], params["in_channels"], params["filters"]
        return (
            Mistake("depth from output channels", "gives each filter the depth of the output "
                    f"({filters} channels) instead of the input's {channels}",
                    [kernel, kernel, filters]),
            Mistake("one channel deep", "forgets that a filter spans every input channel",
                    [kernel, kernel, 1]),
        )

    @staticmethod
    def _channel_mistakes(params):
        channels, filters = params["in_channels"], params["filters"]
        return (
            Mistake("channels multiplied", "multiplies the number of filters by the input "
                    "channels, as if each filter gave one output channel per input channel",
                    channels * filters),
            Mistake("one filter per input channel", f"takes one filter per input channel "
                    f"({channels}) instead of one per output channel", channels),
        )

    def mistakes(self, params, answer):
        """The modelled slips in the parameter count (part (c))."""
        kernel, channels, filters, bias = (params[k] for k in ("kernel", "in_channels", "filters", "bias"))
        biases = filters if bias else 0
        weights = kernel * kernel * channels * filters
        return [
            Mistake("no bias", "counts the weights but forgets the bias of every filter", weights) if bias else
            Mistake("bias added", "adds a bias per filter although the layer has none", weights + filters),
            Mistake("input channels dropped",
                    rf"takes each filter as ${kernel}\times{kernel}$ and forgets that it spans all "
                    f"{channels} input channels", kernel * kernel * filters + biases),
            Mistake("one filter", "counts the parameters of a single filter instead of all of them",
                    kernel * kernel * channels + (1 if bias else 0)),
            Mistake("kernel not squared", rf"uses $k = {kernel}$ instead of $k\times k$ for the kernel area",
                    kernel * channels * filters + biases),
            Mistake("bias per input channel",
                    "gives every filter a bias per input channel instead of one bias",
                    weights + channels * filters) if bias else
            Mistake("one bias", "adds a single bias for the layer although it has none", weights + 1),
            Mistake("channels added", "adds the input and output channel counts instead of multiplying them",
                    kernel * kernel * (channels + filters) + biases),
        ]
