"""One large convolution or a stack of 3x3 convolutions (the VGG argument).

A layer uses one k x k convolution with C input and C output channels (stride 1).  The
alternative is a stack of n = (k - 1)/2 convolutions of size 3 x 3, each with C input
and C output channels.  Asked: the parameters of each design (with or without biases,
as stated), the receptive field of the stack, and how many times fewer parameters the
stack has; the solution explains why the stack is preferred.

Params: ``kernel`` (k, one of 5, 7, 9, 11), ``channels`` (C, a multiple of 8 from 8 to
512), ``bias`` (bool: every convolution has C biases).  Answer: ``n_layers`` (n),
``large_params`` (k*k*C*C, + C with bias), ``stack_params`` (n * (9*C*C, + C with
bias)), ``receptive_field`` (1 + 2n = k) and ``saving_factor`` (large_params /
stack_params; k*k / (9n) without bias, e.g. 49/27 = 1.81 for k = 7).

Variety: 4 kernels x 64 channel counts x 2 bias choices = 512 parameter sets.

Example (seed 003 Q6, 3x3 vs 7x7 kernels): C = 64 without bias, one 7 x 7 layer has
7*7*64*64 = 200,704 weights; three 3 x 3 layers have 3*9*64*64 = 110,592, with the same
7 x 7 receptive field, 1.81 times fewer parameters, and three ReLUs instead of one.
"""

from typing import Annotated

from pydantic import Field

from qbank.checks import flag_problems, size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import MAX_SIZE, ParamModel, Size

KERNELS = (5, 7, 9, 11)
CHANNELS = tuple(range(8, 513, 8))


class Params(ParamModel):
    # The side k of the large kernel: at least 3, so one 3x3 layer can match it; that k
    # is odd, so a whole stack can, stays in problems().
    kernel: Annotated[int, Field(ge=3, le=MAX_SIZE)]
    channels: Size   # C, both in and out
    bias: bool


class StackedVsLargeKernel(QuestionType):
    id = "cnn.stacked_vs_large_kernel"
    title = "Stacked 3x3 convolutions versus one large kernel"
    topic = "convolutions"
    source = "003 Q6"
    answer_space = "7cm"
    choice_prompt = "By which factor does the stack reduce the number of parameters?"
    option_places = 2
    params_model = Params

    def sample(self, rng):
        return {"kernel": int(rng.choice(KERNELS)), "channels": int(rng.choice(CHANNELS)),
                "bias": bool(rng.random() < 0.5)}

    def problems(self, params):
        reasons = size_problems(params, ["channels"]) + flag_problems(params, ["bias"])
        reasons += size_problems(params, ["kernel"], minimum=3)
        if not reasons and params["kernel"] % 2 == 0:
            reasons.append("kernel must be odd, so a stack of 3x3 layers can match it")
        return reasons

    @staticmethod
    def _per_layer(side, params):
        """Weights and biases of one side x side convolution with C -> C channels."""
        channels = params["channels"]
        return side * side * channels * channels, channels if params["bias"] else 0

    def solve(self, params):
        n_layers = (params["kernel"] - 1) // 2
        large = sum(self._per_layer(params["kernel"], params))
        stack = n_layers * sum(self._per_layer(3, params))
        return {"n_layers": n_layers, "large_params": large, "stack_params": stack,
                "receptive_field": 1 + 2 * n_layers, "saving_factor": large / stack}

    def worked(self, params, answer):
        large_weights, large_biases = self._per_layer(params["kernel"], params)
        small_weights, small_biases = self._per_layer(3, params)
        n = answer["n_layers"]
        return {"large_weights": large_weights, "small_weights": small_weights,
                "small_total": small_weights + small_biases,
                "fields": [1 + 2 * depth for depth in range(1, n + 1)],
                "saved": answer["large_params"] - answer["stack_params"],
                "weight_ratio": params["kernel"] ** 2 / (9 * n), "square": params["kernel"] ** 2}

    def choice_value(self, answer):
        return answer["saving_factor"]

    def mistakes(self, params, answer):
        kernel = params["kernel"]
        large, stack, n_layers = answer["large_params"], answer["stack_params"], answer["n_layers"]
        small = sum(self._per_layer(3, params))
        return [
            Mistake("one 3x3 layer", r"compares with a single $3\times3$ layer instead of the whole stack",
                    large / small),
            Mistake("ratio inverted", "divides the stack's count by the large layer's, not the other way round",
                    stack / large),
            Mistake("k - 2 layers",
                    f"lets the receptive field grow by $1$ per layer and stacks ${kernel - 2}$ layers "
                    f"instead of ${n_layers}$",
                    large / ((kernel - 2) * small)),
            Mistake("sides instead of areas",
                    rf"compares the kernel sides, ${kernel}/(3\cdot{n_layers})$, instead of their areas",
                    kernel / (3 * n_layers)),
            Mistake("fraction saved", "gives the fraction of the parameters that is saved, "
                    r"$1 - \text{stack}/\text{large}$, instead of the factor", (large - stack) / large),
            Mistake("one layer too many",
                    rf"counts $({kernel}+1)/2 = {n_layers + 1}$ layers, one more than the stack needs",
                    large / ((n_layers + 1) * small)),
        ]
