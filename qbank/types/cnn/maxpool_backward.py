"""Forward and backward pass of max pooling: where does the gradient go?

A p x p max pool with stride p (non-overlapping windows) is applied to a small feature
map; the gradient of the loss with respect to the pooled map is given.  Asked: the
pooled map and the gradient with respect to the input: each window passes its upstream
gradient to the position of its maximum and gives 0 to every other position.

Params: ``input`` (4 x 4 or 6 x 6 small integers 0--9, with a unique maximum in every
window), ``upstream`` (same shape as the pooled map; non-zero integers -3..3 or
one-decimal values -0.9..0.9), ``pool`` (2, or 3 for a 6 x 6 input), ``stride`` (equal
to ``pool``; other strides are rejected by ``problems``).  Answer: ``pooled``, the
window maxima, and ``grad_input``, the input-shaped gradient (0 off the maxima; 0.0
when the upstream values are decimals).  Parts: (a) Y, (b) dL/dX (the part a
multiple-choice item offers) and (c) where its entries come from, marked by hand.

Example (seed 003 Q4 states the rule in general: dL/dh_ij = dL/dm for the cell that is
the max of its 2 x 2 window, 0 otherwise): input rows 1 3 / 4 2 in one window with
upstream 0.5 give pooled 4 and gradient rows 0 0 / 0.5 0.
"""

from pydantic import model_validator

from qbank.checks import size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, ShapeError, Size, check_rectangular
from qbank.parts import Part, RubricLine
from qbank.types.cnn._sliding import (Grid, check_fits, fit_problems, matrix_problem,
                                      output_shape, shape_text, windows)

# (input side, pool): 2 x 2, 3 x 3 or 2 x 2 pooled maps.
SHAPES = ((4, 2), (6, 2), (6, 3))
# Part (c), marked by hand.
ROUTING = (r"Each $y_{i,j}$ is the maximum of its window, and only that maximum affects it: "
           r"$\partial y_{i,j}/\partial x = 1$ at the position of the maximum and $0$ at the "
           r"window's other entries, which can change a little without changing the max.  By "
           r"the chain rule, $g_{i,j}$ goes to the position of the maximum of window $(i, j)$ "
           r"and every other entry of $\partial L/\partial X$ is $0$.")
ROUTING_RUBRIC = (
    RubricLine(0.5, r"each $g_{i,j}$ is passed to the position of its window's maximum, "
                    r"since $\partial y_{i,j}/\partial x = 1$ there"),
    RubricLine(0.5, r"every other entry is $0$: changing it does not change the maximum"),
)


class Params(ParamModel):
    input: Grid
    upstream: Grid   # dL/dY: one gradient per window, the shape of the pooled map
    pool: Size       # side of the square window, no larger than the input
    stride: Size     # must equal pool (problems())

    @model_validator(mode="after")
    def _shapes_agree(self):
        check_rectangular("input", self.input)
        check_rectangular("upstream", self.upstream)
        window = (self.pool, self.pool)
        check_fits("pool", window, self.input, "the input")
        # Only windows that tile the input have a pooled map to compare with;
        # problems() says what is wrong with the others.
        if self.stride == self.pool and not fit_problems(self.input, window, self.stride):
            rows, cols = output_shape(self.input, window, self.stride)
            if (len(self.upstream), len(self.upstream[0])) != (rows, cols):
                raise ShapeError("upstream", f"is {shape_text(self.upstream)} but the pooled "
                                 f"map is {rows}x{cols}")
        return self


def _argmax(block):
    """(row, col) of the largest entry of a window and whether it is the only one."""
    entries = [(x, r, c) for r, row in enumerate(block) for c, x in enumerate(row)]
    best = max(x for x, _, _ in entries)
    places = [(r, c) for x, r, c in entries if x == best]
    return places[0], len(places) == 1


class MaxPoolBackward(QuestionType):
    id = "cnn.maxpool_backward"
    title = "Backpropagation through max pooling"
    topic = "convolutions"
    source = "003 Q4"
    answer_space = "7cm"
    choice_part = "b"
    params_model = Params

    def sample(self, rng):
        side, pool = SHAPES[int(rng.integers(len(SHAPES)))]
        params = {"pool": pool, "stride": pool}
        for _ in redraws(self.id):
            image = [[int(x) for x in row] for row in rng.integers(0, 10, size=(side, side))]
            if all(_argmax(block)[1] for *_, block in windows(image, (pool, pool), pool)):
                break
        out = side // pool
        tenths = bool(rng.random() < 0.5)
        # Non-zero upstream values, so every routed gradient is visible.
        magnitudes = rng.integers(1, 10 if tenths else 4, size=(out, out))
        signs = rng.choice((-1, 1), size=(out, out), p=(0.3, 0.7))
        upstream = [[int(m) * int(s) for m, s in zip(*rows)] for rows in zip(magnitudes, signs)]
        if tenths:
            upstream = [[g / 10 for g in row] for row in upstream]
        return {"input": image, "upstream": upstream, **params}

    def problems(self, params):
        reasons = [r for r in (matrix_problem("input", params["input"]),
                               matrix_problem("upstream", params["upstream"])) if r]
        reasons += size_problems(params, ("pool", "stride"))
        if reasons:
            return reasons
        pool, stride, image = params["pool"], params["stride"], params["input"]
        if stride != pool:
            return ["stride must equal pool (non-overlapping windows)"]
        reasons = fit_problems(image, (pool, pool), stride)
        if reasons:
            return reasons
        rows, cols = output_shape(image, (pool, pool), stride)
        upstream = params["upstream"]
        if (len(upstream), len(upstream[0])) != (rows, cols):
            return [f"upstream must be {rows} x {cols}, the shape of the pooled map"]
        return [f"window ({i + 1}, {j + 1}) has a tied maximum, so the gradient's place is "
                "ambiguous" for i, j, _, _, block in windows(image, (pool, pool), stride)
                if not _argmax(block)[1]]

    def _windows(self, params):
        pool, stride = params["pool"], params["stride"]
        for i, j, top, left, block in windows(params["input"], (pool, pool), stride):
            (r, c), _ = _argmax(block)
            yield {"i": i + 1, "j": j + 1, "block": block, "max": block[r][c],
                   "rows": (top + 1, top + pool), "cols": (left + 1, left + pool),
                   "row": top + r + 1, "col": left + c + 1,
                   "gradient": params["upstream"][i][j]}

    def solve(self, params):
        rows, cols = output_shape(params["input"], (params["pool"],) * 2, params["stride"])
        decimal = any(isinstance(g, float) for row in params["upstream"] for g in row)
        zero = 0.0 if decimal else 0
        grad = [[zero] * len(params["input"][0]) for _ in params["input"]]
        pooled = [[None] * cols for _ in range(rows)]
        for w in self._windows(params):
            pooled[w["i"] - 1][w["j"] - 1] = w["max"]
            grad[w["row"] - 1][w["col"] - 1] += w["gradient"]
        return {"pooled": pooled, "grad_input": grad}

    def worked(self, params, answer):
        return {"windows": list(self._windows(params)),
                "height": len(params["input"]), "width": len(params["input"][0]),
                "out_height": len(answer["pooled"]), "out_width": len(answer["pooled"][0])}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        return [
            Part("a", "Compute the pooled map $Y$.", "matrix", answer["pooled"], symbol="Y",
                 mistakes=self._pooled_mistakes(params)),
            Part("b", "Compute the gradient $\\partial L/\\partial X$ that the pooling layer "
                      "passes back to its input.", "matrix", answer["grad_input"], weight=2,
                 symbol=r"\frac{\partial L}{\partial X}",
                 mistakes=tuple(self.mistakes(params, answer))),
            Part("c", "Explain where each entry of $\\partial L/\\partial X$ comes from.",
                 "free", None, model_answer=ROUTING, rubric=ROUTING_RUBRIC),
        ]

    def _pooled_mistakes(self, params):
        """Other poolings of the same windows: the mean or the minimum instead of the max."""
        rows, cols = output_shape(params["input"], (params["pool"],) * 2, params["stride"])
        means, minima = [[None] * cols for _ in range(rows)], [[None] * cols for _ in range(rows)]
        for w in self._windows(params):
            entries = [x for row in w["block"] for x in row]
            means[w["i"] - 1][w["j"] - 1] = sum(entries) / len(entries)
            minima[w["i"] - 1][w["j"] - 1] = min(entries)
        return (Mistake("average pooling", "averages each window instead of taking its maximum",
                        means),
                Mistake("min pooling", "takes the smallest entry of each window instead of the "
                        "largest", minima))

    def mistakes(self, params, answer):
        """Modelled slips in the backward pass, each as the whole gradient it gives."""
        pool = params["pool"]
        decimal = any(isinstance(g, float) for row in params["upstream"] for g in row)
        zero = 0.0 if decimal else 0

        def routed(routes):
            """dL/dX when window (i, j) sends routes(w)[(r, c)] to its cell (r, c)."""
            grad = [[zero] * len(row) for row in params["input"]]
            for w in self._windows(params):
                top, left = w["rows"][0] - 1, w["cols"][0] - 1
                for (r, c), value in routes(w).items():
                    grad[top + r][left + c] += value
            return grad

        def cells(w):
            return [(r, c) for r in range(pool) for c in range(pool)]

        def at_max(w, value):
            return {(w["row"] - w["rows"][0], w["col"] - w["cols"][0]): value}

        def at_min(w):
            block = w["block"]
            low = min(x for row in block for x in row)
            r, c = next((r, c) for r in range(pool) for c in range(pool) if block[r][c] == low)
            return {(r, c): w["gradient"]}

        return [
            Mistake("spread evenly", f"spreads each upstream gradient evenly over its window "
                    f"(divides it by {pool * pool}), as for average pooling",
                    routed(lambda w: {cell: w["gradient"] / pool ** 2 for cell in cells(w)})),
            Mistake("copied to every cell", "copies each upstream gradient to every cell of its "
                    "window", routed(lambda w: {cell: w["gradient"] for cell in cells(w)})),
            Mistake("routed to the min", "sends each gradient to the smallest entry of the window "
                    "instead of the largest", routed(at_min)),
            Mistake("top-left unpooling", "puts each gradient in the top-left cell of its "
                    "window, not where the maximum was", routed(lambda w: {(0, 0): w["gradient"]})),
            Mistake("pooled value passed back", "passes back the pooled value $Y$ instead of the "
                    "gradient $G$", routed(lambda w: at_max(w, w["max"]))),
            Mistake("times the max", "multiplies the gradient by the maximum, as if "
                    "$\\partial y/\\partial x = x$",
                    routed(lambda w: at_max(w, w["gradient"] * w["max"]))),
        ]
