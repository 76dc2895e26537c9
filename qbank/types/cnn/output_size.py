"""Height and width of a convolution's output feature map.

A square K x K kernel slides over an H x W input with zero padding P on every side and
stride S; asked: the output height and width, (H - K + 2P)/S + 1 and (W - K + 2P)/S + 1.

Params: ``height``, ``width``, ``kernel`` (side of the square kernel), ``padding`` (zero
padding on each side), ``stride``.  Answer: ``out_height``, ``out_width``.  One part, the
size as the vector (height, width), which a multiple-choice item also offers.  The draw
always makes both divisions exact (no flooring), as the course expects.  Inputs mix
realistic CNN sizes (224, 227, 32, 28, 64, ...), non-square ones (aspect ratio at most
1:3) and small hand-sized maps; padding is at most half the kernel, and the stride is at
most the kernel size (except 1x1 stride-2 shortcuts).

Example (seed 003 Q1c states the formula W' = (W - F + 2P)/S + 1): AlexNet's first layer,
227 x 227 input, 11 x 11 kernel, padding 0, stride 4 -> (227 - 11 + 0)/4 + 1 = 55 x 55.
"""

from qbank.checks import size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import Count, ParamModel, Size
from qbank.parts import Part

# Realistic image / feature-map sides and small ones a student might draw on paper.
SIDES = (5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 27, 28, 32, 48, 55, 56, 63, 64, 96,
         100, 112, 128, 150, 160, 224, 227, 256)
KERNELS = (1, 2, 3, 3, 3, 5, 5, 7, 11)
STRIDES = (1, 1, 2, 2, 3, 4)


class Params(ParamModel):
    """A kernel larger than the padded input is left to problems(), not refused here:
    a pinned large kernel beside a sampled small input is then redrawn, not an error."""

    height: Size
    width: Size
    kernel: Size     # side K of the square kernel
    padding: Count   # zero padding P on every side
    stride: Size


class ConvOutputSize(QuestionType):
    id = "cnn.output_size"
    title = "Output size of a convolution"
    topic = "convolutions"
    source = "003 Q1c"
    answer_space = "4cm"
    choice_part = "a"
    params_model = Params

    def sample(self, rng):
        # Kernel, stride and padding first, then a side that makes the division exact,
        # so strides above 1 are as common as the table says, not filtered away.
        for _ in redraws(self.id):
            kernel = int(rng.choice(KERNELS))
            stride = int(rng.choice(STRIDES))
            if stride > max(kernel, 2):
                # Windows that skip input pixels; only the 1x1 stride-2 shortcut is common.
                continue
            # No padding, "same"-style padding, or something in between.
            padding = int(rng.integers(0, kernel // 2 + 1))
            sides = [side for side in SIDES
                     if side > kernel and (side - kernel + 2 * padding) % stride == 0]
            if sides:
                break
        height = int(rng.choice(sides))
        # Non-square inputs keep a plausible aspect ratio (at most 1:3).
        others = [side for side in sides if side != height and 3 * min(side, height) >= max(side, height)]
        width = int(rng.choice(others)) if others and rng.random() < 0.5 else height
        return {"height": height, "width": width, "kernel": kernel,
                "padding": padding, "stride": stride}

    def problems(self, params):
        bad = (size_problems(params, ("height", "width", "kernel", "stride"))
               + size_problems(params, ["padding"], minimum=0))
        if bad:
            return bad
        reasons = []
        for name in ("height", "width"):
            span = params[name] + 2 * params["padding"] - params["kernel"]
            if span < 0:
                reasons.append(f"the kernel is larger than the padded {name}")
            elif span % params["stride"]:
                reasons.append(f"{name}: (H - K + 2P) = {span} is not divisible by the "
                               f"stride {params['stride']}")
        return reasons

    @staticmethod
    def _span(side, params):
        return side - params["kernel"] + 2 * params["padding"]

    def solve(self, params):
        stride = params["stride"]
        return {"out_height": self._span(params["height"], params) // stride + 1,
                "out_width": self._span(params["width"], params) // stride + 1}

    def worked(self, params, answer):
        dims = []
        for name, side, out in (("height", params["height"], answer["out_height"]),
                                ("width", params["width"], answer["out_width"])):
            span = self._span(side, params)
            dims.append({"name": name, "side": side, "span": span,
                         "quotient": span // params["stride"], "out": out})
        return {"dims": dims, "square": params["height"] == params["width"]}

    def parts(self, variant):
        answer = variant.answer
        return [Part("a", "What are the height and width of the output feature map? Give them "
                          "as (height, width) and show how you obtain them.", "vector",
                     [answer["out_height"], answer["out_width"]],
                     symbol=r"(H_\text{out}, W_\text{out})",
                     mistakes=tuple(self.mistakes(variant.params, answer)))]

    def mistakes(self, params, answer):
        kernel, padding, stride = params["kernel"], params["padding"], params["stride"]
        sides = (params["height"], params["width"])

        def slip(name, explanation, top, extra=1):
            """The output size when (top(side)) / stride + extra replaces the formula.

            A slip that leaves a fraction is rounded down, as a framework would do.
            """
            if any(top(side) % stride for side in sides):
                explanation += " (rounding the fraction down)"
            return Mistake(name, explanation, [top(side) // stride + extra for side in sides])

        return [
            slip("padding not doubled", "adds the padding $P$ once instead of $2P$ (one per side)",
                 lambda side: side - kernel + padding),
            slip("no +1", "forgets the $+1$ for the first position of the kernel",
                 lambda side: side - kernel + 2 * padding, extra=0),
            Mistake("stride ignored", "forgets to divide by the stride",
                    [side - kernel + 2 * padding + 1 for side in sides]),
            slip("padding ignored", "leaves out the padding", lambda side: side - kernel),
            slip("-1 instead of +1", "subtracts $1$ instead of adding it",
                 lambda side: side - kernel + 2 * padding, extra=-1),
            slip("kernel added", "adds the kernel size instead of subtracting it",
                 lambda side: side + kernel + 2 * padding),
            slip("+1 divided", "puts the $+1$ inside the division by the stride",
                 lambda side: side - kernel + 2 * padding + 1, extra=0),
        ]
