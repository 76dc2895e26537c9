"""Apply a small filter to a small image: the output feature map of a convolution.

A k x k kernel slides over an H x W image with the given stride and no padding; asked:
the output feature map.  "Convolution" is meant as in deep-learning frameworks, i.e.
cross-correlation: each output is the sum of the elementwise products of the kernel and
the image window under it (the kernel is not flipped).

Params: ``image`` (H x W, list of rows; either binary like the seed, or small integers
0--4), ``kernel`` (2 x 2 or 3 x 3, entries in {-1, 0, 1, 2}, at least two non-zero),
``stride`` (1 or 2; the draw makes (H - k)/stride and (W - k)/stride whole).
Answer: ``output``, the ((H - k)/s + 1) x ((W - k)/s + 1) feature map: the one part, which
a multiple-choice item offers with the maps that modelled slips give.

Example (seed 002 Q5.2): the 5 x 7 binary image with rows 0101010 / 0010100 / 0101010 /
0010100 / 0101010 is a lattice of 3 x 3 "X" shapes (top-left corners at rows 1 and 3,
columns 2 and 4, counting from 1).  The seed does not print the filter; the student's
2 x 3 output of zeros is what the X detector [[1,0,1],[0,1,0],[1,0,1]] gives with
stride 2: every window then starts at an odd column (1, 3, 5) and misses the X's (its
corners and centre are all 0 there).  With stride 1 the same filter gives 5 on each X.
"""

from pydantic import model_validator

from qbank.checks import size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Size, check_rectangular
from qbank.parts import Part
from qbank.types.cnn._sliding import (Grid, check_fits, cross_correlate, fit_problems,
                                      matrix_problem, products, windows)

# (height, width, kernel side, stride): every output size whole; at most 24 windows of
# four products, or 15 of nine, so the map can be worked out by hand.
BINARY_SHAPES = ((5, 7, 2, 1), (5, 7, 3, 2), (4, 6, 2, 2), (6, 6, 2, 2), (5, 5, 3, 1),
                 (4, 5, 2, 1), (5, 5, 2, 1), (5, 7, 3, 1))
INTEGER_SHAPES = ((4, 4, 2, 1), (4, 4, 3, 1), (4, 5, 2, 1), (5, 5, 3, 1), (5, 5, 3, 2),
                  (4, 4, 2, 2), (6, 6, 2, 2), (4, 6, 2, 2), (5, 5, 2, 1))
WEIGHTS = (-1, 0, 1, 2)
WEIGHT_ODDS = (0.3, 0.3, 0.3, 0.1)


class Params(ParamModel):
    image: Grid    # H x W, list of rows
    kernel: Grid   # no larger than the image; need not be square
    stride: Size

    @model_validator(mode="after")
    def _shapes_agree(self):
        check_rectangular("image", self.image)
        check_rectangular("kernel", self.kernel)
        check_fits("kernel", (len(self.kernel), len(self.kernel[0])), self.image)
        return self


class Convolve(QuestionType):
    id = "cnn.convolve"
    title = "Output of a convolution on a small image"
    topic = "convolutions"
    source = "002 Q5.2"
    answer_space = "7cm"
    choice_part = "a"
    params_model = Params

    def sample(self, rng):
        binary = bool(rng.random() < 0.5)
        shapes = BINARY_SHAPES if binary else INTEGER_SHAPES
        height, width, side, stride = (int(x) for x in shapes[int(rng.integers(len(shapes)))])
        for _ in redraws(self.id):
            image = rng.integers(0, 2 if binary else 5, size=(height, width))
            # Not one value everywhere (blank, all ones, all fours).  The old test,
            # 0 < sum < size, asked a 0--4 image for a mean below 1: tens of thousands
            # of redraws, and on some seeds more than the bound.
            if image.min() < image.max():
                break
        for _ in redraws(self.id):
            kernel = rng.choice(WEIGHTS, size=(side, side), p=WEIGHT_ODDS)
            if (kernel != 0).sum() >= 2:
                break
        return {"image": [[int(x) for x in row] for row in image],
                "kernel": [[int(w) for w in row] for row in kernel],
                "stride": stride}

    def problems(self, params):
        reasons = [reason for reason in (matrix_problem("image", params["image"]),
                                         matrix_problem("kernel", params["kernel"]))
                   if reason]
        reasons += size_problems(params, ["stride"])
        if reasons:
            return reasons
        kernel = params["kernel"]
        return fit_problems(params["image"], (len(kernel), len(kernel[0])), params["stride"])

    def solve(self, params):
        return {"output": cross_correlate(params["image"], params["kernel"], params["stride"])}

    def worked(self, params, answer):
        kernel = params["kernel"]
        shape = (len(kernel), len(kernel[0]))
        cells = [{"i": i + 1, "j": j + 1, "top": top + 1, "left": left + 1,
                  "terms": products(block, kernel), "value": answer["output"][i][j]}
                 for i, j, top, left, block in windows(params["image"], shape, params["stride"])]
        return {"cells": cells, "kernel_height": shape[0], "kernel_width": shape[1],
                "out_height": len(answer["output"]), "out_width": len(answer["output"][0]),
                "height": len(params["image"]), "width": len(params["image"][0])}

    def parts(self, variant):
        return [Part("a", "Compute the output feature map $Y$, showing the sum of products for "
                          "every window.", "matrix", variant.answer["output"], symbol="Y",
                     mistakes=tuple(self.mistakes(variant.params, variant.answer)))]

    def mistakes(self, params, answer):
        """Modelled slips, each as the whole feature map it gives (of the answer's shape)."""
        image, kernel, stride = params["image"], params["kernel"], params["stride"]
        rows, cols = len(answer["output"]), len(answer["output"][0])

        def feature_map(weights):
            return cross_correlate(image, weights, stride)

        size = len(kernel) * len(kernel[0])
        found = [Mistake("flipped kernel", "flips the kernel (rotates it by $180^\\circ$), "
                         "i.e.\\ computes a true convolution instead of the cross-correlation",
                         feature_map([row[::-1] for row in kernel[::-1]]))]
        if stride > 1:
            # The map's size from the formula, filled with the windows one pixel apart.
            one_step = cross_correlate(image, kernel, 1)
            found.append(Mistake("stride ignored", f"slides the kernel one pixel at a time "
                                 f"instead of {stride}, filling the {rows}$\\times${cols} map "
                                 "with the first windows",
                                 [row[:cols] for row in one_step[:rows]]))
        found += [
            Mistake("kernel transposed", "reads the kernel column by column, i.e.\\ uses "
                    "$K^\\top$", feature_map([list(column) for column in zip(*kernel)])),
            Mistake("products averaged", f"averages the {size} products instead of summing them",
                    [[y / size for y in row] for row in answer["output"]]),
            Mistake("minus signs dropped", "drops the minus signs of the kernel entries",
                    feature_map([[abs(w) for w in row] for row in kernel])),
            Mistake("flipped left-right", "flips the kernel left to right only (mirrors its "
                    "columns)", feature_map([row[::-1] for row in kernel])),
            Mistake("flipped upside down", "flips the kernel upside down only (mirrors its "
                    "rows)", feature_map(kernel[::-1])),
            Mistake("filled column by column", "writes the window sums into $Y$ column by column "
                    "although the windows were taken row by row",
                    _column_major([y for row in answer["output"] for y in row], rows, cols)),
        ]
        return found


def _column_major(values, rows, cols):
    """A rows x cols matrix filled down its columns with ``values`` in order."""
    return [[values[j * rows + i] for j in range(cols)] for i in range(rows)]
