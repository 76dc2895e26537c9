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
stack_params; k*k / (9n) without bias, e.g. 49/27 = 1.81 for k = 7).  Parts: (a) n,
(b) the large layer's and (c) the stack's parameters, (d) the factor, to two decimals
(the part a multiple-choice item offers), (e) two reasons for the stack, marked by hand.

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
from qbank.parts import Part, RubricLine

KERNELS = (5, 7, 9, 11)
CHANNELS = tuple(range(8, 513, 8))
# The model answer of part (e), which is marked by hand.
REASONS = (r"(1) The stack has a non-linearity (a ReLU) after every $3\times3$ layer instead of "
           "one, so the same receptive field computes a more expressive, more discriminative "
           "function. (2) It has fewer parameters for the same receptive field, so it overfits "
           "less (it acts like a regularised large filter) and needs fewer multiplications per "
           "output pixel, by the same factor.")
REASONS_RUBRIC = (
    RubricLine(1, "more non-linearities (a ReLU after every layer), so a more expressive "
                  "function for the same receptive field"),
    RubricLine(1, "fewer parameters for the same receptive field: less overfitting, or less "
                  "computation"),
)


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
    choice_part = "d"
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

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        return [
            Part("a", r"How many $3\times3$ layers must be stacked so that each output value "
                      r"depends on \VAR{'an' if params.kernel == 11 else 'a'} "
                      r"$\VAR{params.kernel}\times\VAR{params.kernel}$ region of the input, as "
                      "with the single layer? Show how the receptive field grows layer by layer.",
                 "number", answer["n_layers"], symbol="n",
                 mistakes=self._layer_mistakes(params, answer)),
            Part("b", r"How many trainable parameters does the single "
                      r"$\VAR{params.kernel}\times\VAR{params.kernel}$ layer have?",
                 "number", answer["large_params"], symbol=r"P_\text{large}",
                 mistakes=self._large_mistakes(params)),
            Part("c", "How many trainable parameters does the stack have?", "number",
                 answer["stack_params"], symbol=r"P_\text{stack}",
                 mistakes=self._stack_mistakes(params, answer)),
            Part("d", "By what factor (to two decimal places) does the stack reduce the number "
                      "of parameters?", "number", answer["saving_factor"], places=2,
                 symbol=r"P_\text{large}/P_\text{stack}",
                 mistakes=tuple(self.mistakes(params, answer))),
            Part("e", "Give two reasons why the stack of small kernels is usually preferred.",
                 "free", None, weight=2, model_answer=REASONS, rubric=REASONS_RUBRIC),
        ]

    @staticmethod
    def _layer_mistakes(params, answer):
        kernel, n_layers = params["kernel"], answer["n_layers"]
        return (
            Mistake("k - 2 layers", "lets the receptive field grow by $1$ per layer instead of "
                    "$2$", kernel - 2),
            Mistake("one layer too many", rf"counts $({kernel}+1)/2 = {n_layers + 1}$ layers, "
                    "one more than the stack needs", n_layers + 1),
            Mistake("areas matched", rf"matches the areas, ${kernel}^2/9$ rounded up, instead "
                    "of the receptive field", -(-kernel * kernel // 9)),
        )

    def _large_mistakes(self, params):
        kernel, channels, bias = params["kernel"], params["channels"], params["bias"]
        weights, _ = self._per_layer(kernel, params)
        biases = channels if bias else 0
        return (
            Mistake("no bias", "counts the weights but forgets the biases", weights) if bias else
            Mistake("bias added", "adds a bias per filter although the layers have none",
                    weights + channels),
            Mistake("input channels dropped", rf"takes each filter as ${kernel}\times{kernel}$ "
                    "and forgets that it spans all input channels",
                    kernel * kernel * channels + biases),
            Mistake("kernel not squared", rf"uses $k = {kernel}$ instead of $k^2$ for the "
                    "kernel area", kernel * channels * channels + biases),
        )

    def _stack_mistakes(self, params, answer):
        n_layers, small = answer["n_layers"], sum(self._per_layer(3, params))
        weights = n_layers * self._per_layer(3, params)[0]
        channels = params["channels"]
        return (
            Mistake("one 3x3 layer", r"counts a single $3\times3$ layer instead of the whole "
                    "stack", small),
            Mistake("no bias", "counts the weights but forgets the biases", weights)
            if params["bias"] else
            Mistake("bias added", "adds a bias per filter although the layers have none",
                    weights + n_layers * channels),
            Mistake("k - 2 layers", f"stacks ${params['kernel'] - 2}$ layers instead of "
                    f"${n_layers}$", (params["kernel"] - 2) * small),
            Mistake("one layer too many", f"stacks ${n_layers + 1}$ layers instead of "
                    f"${n_layers}$", (n_layers + 1) * small),
        )

    def mistakes(self, params, answer):
        """The modelled slips in the saving factor (part (d))."""
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
