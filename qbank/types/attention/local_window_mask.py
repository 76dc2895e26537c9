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

Parts: (a) the mask, (b) the masked weights (both exact) and (c) the renormalised weights
to four decimals, the part a multiple-choice item offers (whole vectors).
"""

import math

from pydantic import model_validator

from qbank.checks import size_problems
from qbank.choice import mistakes_by_part
from qbank.model import QuestionType
from qbank.param_models import Count, ParamModel, Probability, ShapeError, Size
from qbank.parts import Part

MIN_LENGTH, MAX_LENGTH = 6, 10
LIMIT_LENGTH = 20  # widest table a pinned length may ask for
ANSWER_PLACES = 4  # "to four decimal places"


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
    choice_part = "c"
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

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        masks, masked, renormalised = self._mistaken(params, answer)
        return [
            Part("a", "Write down the mask vector "
                      "$\\mathbf{m}_P \\in \\{0, 1\\}^{\\VAR{params.source_length}}$ "
                      "that keeps only the window.", "vector", answer["mask"],
                 symbol="\\mathbf{m}_P", mistakes=tuple(masks)),
            Part("b", "Compute the masked weights $\\mathbf{m}_P \\odot \\boldsymbol{\\alpha}_P$.",
                 "vector", answer["masked"], symbol="\\mathbf{m}_P \\odot \\boldsymbol{\\alpha}_P",
                 mistakes=tuple(masked)),
            Part("c", "The masked weights no longer sum to 1. Renormalise them (divide by their "
                      "sum) to obtain the weights $\\hat{\\boldsymbol{\\alpha}}_P$ used for the "
                      "context vector, to four decimal places.", "vector", answer["renormalised"],
                 # No symbol in the box: ten weights to four decimals fill its width already.
                 places=ANSWER_PLACES, mistakes=tuple(renormalised), weight=2),
        ]

    def _mistaken(self, params, answer):
        """The modelled slips, each as the mask, masked weights and renormalised weights it
        leads to (a slip made after a step leaves that step's part right)."""
        alpha, length = params["alpha"], params["source_length"]
        step, k = params["step"], params["half_width"]
        masked = answer["masked"]

        def window(lo, hi):
            """The mask of positions lo..hi (1-based; those outside 1..M do not exist)."""
            return [1 if lo <= j <= hi else 0 for j in range(1, length + 1)]

        def renormalised(weights):
            total = sum(weights)
            return [w / total for w in weights] if total > 0 else None

        def wrong_window(name, text, lo, hi):
            mask = window(lo, hi)
            kept = [a if m else 0.0 for a, m in zip(alpha, mask)]
            return name, text, mask, kept, renormalised(kept)

        exps = [math.exp(a) if m else 0.0 for a, m in zip(alpha, answer["mask"])]
        # Masked positions set to 0 instead of -inf still count e^0 = 1 in a softmax.
        zeros_kept = [math.exp(a) for a in masked]
        total = sum(masked)
        found = [  # (name, explanation, mask, masked weights, renormalised weights)
            ("not renormalised", "keeps the masked weights without dividing by their sum",
             None, None, masked),
            wrong_window("window end excluded",
                         f"stops the window one position early, at $P + k - 1 = {step + k - 1}$",
                         step - k, step + k - 1),
            wrong_window("window one too wide",
                         f"takes the positions $P - k - 1, \\ldots, P + k + 1$ "
                         f"(half-width {k + 1} instead of {k})", step - k - 1, step + k + 1),
            ("softmax, zeros kept",
             "renormalises with a softmax over all positions, the masked ones set to 0 "
             "instead of $-\\infty$", None, None, [e / sum(zeros_kept) for e in zeros_kept]),
            ("softmax in window", "applies a softmax to the weights in the window instead "
             "of dividing them by their sum", None, None, [e / sum(exps) for e in exps]),
            wrong_window("window one too narrow",
                         f"takes the positions $P - k + 1, \\ldots, P + k - 1$ "
                         f"(half-width {k - 1} instead of {k})", step - k + 1, step + k - 1),
            ("multiplied by the sum", "multiplies the masked weights by their sum "
             "instead of dividing", None, None, [a * total for a in masked]),
        ]
        return mistakes_by_part(found, 3)
