"""Local attention: masking the attention weights to a window around the decoder step.

At decoder step P only the source positions P - k, ..., P + k (1-based, clipped to
1..M) may contribute to the context vector.  Asked: the 0/1 mask over the M source
positions, the masked weights mask (element-wise) alpha, and the masked weights
renormalised to sum to 1 (divided by their sum), the weights the context vector uses.

Params: ``source_length`` M (6--10 when sampled), ``step`` P (1..M), ``half_width`` k
(1 or 2), ``alpha`` (M two-decimal weights, each at least 0.01, summing to 1).
Answer: ``mask`` (M zeros and ones), ``masked`` (M numbers, zero outside the window),
``renormalised`` (M numbers summing to 1).  Windows are clipped at the ends, so a
step near 1 or M gives a shorter window.

Example (seed 003 Q11: mask_P is 1 exactly at the indices P - k..P + k, and
C_P = mask_P (element-wise) alpha_P): M = 6, P = 2, k = 1, alpha = (0.10, 0.30, 0.20,
0.15, 0.15, 0.10) -> mask (1, 1, 1, 0, 0, 0), masked (0.10, 0.30, 0.20, 0, 0, 0),
renormalised (0.1667, 0.5, 0.3333, 0, 0, 0).  The seed stops at the masked weights; they
sum to 0.6 here, hence the renormalisation.
"""

import math

from pydantic import model_validator

from qbank.checks import size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import Count, ParamModel, Probability, ShapeError, Size

MIN_LENGTH, MAX_LENGTH = 6, 10
LIMIT_LENGTH = 20  # widest table a pinned length may ask for


class Params(ParamModel):
    source_length: Size         # M
    step: Size                  # P, a source position 1..M
    half_width: Count           # k; 0 keeps position P alone
    alpha: list[Probability]    # one weight per source position; that they sum to 1 is in problems

    @model_validator(mode="after")
    def _fit_the_source(self):
        length = self.source_length
        if self.step > length:
            raise ShapeError("step", f"is {self.step} but source_length is {length} "
                             f"(positions 1 to {length})")
        if len(self.alpha) != length:
            raise ShapeError("alpha", f"has {len(self.alpha)} entries but source_length is {length}")
        return self


class LocalWindowMask(QuestionType):
    id = "attention.local_window_mask"
    title = "Local attention window mask"
    topic = "attention"
    source = "003 Q11"
    answer_space = "6cm"
    choice_prompt = "Which is the largest of the renormalised weights?"
    option_places = 4
    params_model = Params

    def sample(self, rng):
        length = int(rng.integers(MIN_LENGTH, MAX_LENGTH + 1))
        # Cut 100 hundredths into `length` positive parts: two-decimal weights summing to 1.
        cuts = sorted(int(c) for c in rng.choice(range(1, 100), size=length - 1, replace=False))
        alpha = [(b - a) / 100 for a, b in zip([0] + cuts, cuts + [100])]
        return {"source_length": length, "step": int(rng.integers(1, length + 1)),
                "half_width": int(rng.integers(1, 3)), "alpha": alpha}

    def problems(self, params):
        bad = (size_problems(params, ("source_length", "step"))
               + size_problems(params, ["half_width"], minimum=0))
        if bad:
            return bad
        length, alpha = params["source_length"], params["alpha"]
        if length > LIMIT_LENGTH:
            return [f"source_length must be at most {LIMIT_LENGTH}"]
        if params["step"] > length:
            return [f"step {params['step']} lies outside the source positions 1..{length}"]
        if len(alpha) != length:
            return [f"alpha must be a list of {length} non-negative weights"]
        if not math.isclose(sum(alpha), 1.0, abs_tol=1e-9):
            return [f"the weights alpha must sum to 1, not {sum(alpha):g}"]
        if sum(self.solve(params)["masked"]) <= 0:
            return ["every weight inside the window is zero, so nothing can be renormalised"]
        return []

    @staticmethod
    def window(params):
        """First and last 1-based source position of the window, clipped to 1..M."""
        step, k = params["step"], params["half_width"]
        return max(1, step - k), min(params["source_length"], step + k)

    def solve(self, params):
        first, last = self.window(params)
        mask = [1 if first <= j <= last else 0 for j in range(1, params["source_length"] + 1)]
        masked = [a if m else 0.0 for a, m in zip(params["alpha"], mask)]
        total = sum(masked)
        return {"mask": mask, "masked": masked,
                "renormalised": [a / total if total else 0.0 for a in masked]}

    def worked(self, params, answer):
        first, last = self.window(params)
        step, k = params["step"], params["half_width"]
        return {"first": first, "last": last, "raw_first": step - k, "raw_last": step + k,
                "clipped": (first, last) != (step - k, step + k),
                "window_sum": sum(answer["masked"])}

    def choice_value(self, answer):
        # The answer alone does not say where P is, so the option is the largest weight.
        return max(answer["renormalised"])

    def mistakes(self, params, answer):
        alpha, length = params["alpha"], params["source_length"]
        step, k = params["step"], params["half_width"]
        first, last = self.window(params)

        def inside(lo, hi):
            """The weights at positions lo..hi (1-based, clipped to the sentence)."""
            return [alpha[j - 1] for j in range(max(1, lo), min(length, hi) + 1)]

        def largest_renormalised(weights):
            return max(weights) / sum(weights) if sum(weights) > 0 else None

        window = inside(first, last)
        exps = [math.exp(a) for a in window]
        found = [
            Mistake("not renormalised", "keeps the masked weights without dividing by their "
                    "sum", max(window)),
            Mistake("window end excluded",
                    f"stops the window one position early, at $P + k - 1 = {step + k - 1}$",
                    largest_renormalised(inside(step - k, step + k - 1))),
            Mistake("window one too wide",
                    f"takes the positions $P - k - 1, \\ldots, P + k + 1$ "
                    f"(half-width {k + 1} instead of {k})",
                    largest_renormalised(inside(step - k - 1, step + k + 1))),
            Mistake("softmax, zeros kept",
                    "renormalises with a softmax over all positions, the masked ones set to 0 "
                    "instead of $-\\infty$",
                    math.exp(max(window)) / (sum(exps) + (length - len(window)))),
            Mistake("softmax in window", "applies a softmax to the weights in the window instead "
                    "of dividing them by their sum", max(exps) / sum(exps)),
            Mistake("window one too narrow",
                    f"takes the positions $P - k + 1, \\ldots, P + k - 1$ "
                    f"(half-width {k - 1} instead of {k})",
                    largest_renormalised(inside(step - k + 1, step + k - 1))),
            Mistake("multiplied by the sum", "multiplies the masked weights by their sum "
                    "instead of dividing", max(window) * sum(window)),
        ]
        return [m for m in found if m.value is not None]
