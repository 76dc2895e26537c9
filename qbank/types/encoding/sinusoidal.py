"""The sinusoidal positional-encoding vector of one position.

Asked: the encoding of position ``pos`` in a model of width ``d_model``, as in
"Attention Is All You Need": for i = 0, 1, ..., d_model/2 - 1,
PE(pos, 2i) = sin(pos / 10000^(2i/d_model)) and PE(pos, 2i+1) = cos(pos / 10000^(2i/d_model)),
angles in radians.

Params: ``pos`` (whole, 1--50 when sampled; 0 may be pinned), ``d_model`` (even; 4, 6
or 8 when sampled, so the table has 2--4 rows).  Answer: ``vector`` (d_model numbers,
sine and cosine interleaved).  The sampled space has only 50 x 3 = 150 parameter sets,
so 200 seeds repeat some of them: ``variety`` is lowered to 100 (seeds 0..199 give 120).

Example (seed 001 Q3 writes PE(pos, 2i) = sin(pos / 10000^(2i/d))): pos 1, d_model 4
-> denominators 1 and 100, angles 1 and 0.01, vector
(sin 1, cos 1, sin 0.01, cos 0.01) = (0.8415, 0.5403, 0.0100, 0.99995).
"""

import math
from typing import Annotated

from pydantic import Field

from qbank.checks import size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import MAX_SIZE, Count, ParamModel
from qbank.parts import Part

D_MODELS = (4, 6, 8)
MAX_POS = 50
# Widest table a pinned d_model may ask for; positions beyond this are meaningless.
LIMIT_D_MODEL, LIMIT_POS = 16, 10000
BASE = 10000
ANSWER_PLACES = 4   # as the prompt asks


class Params(ParamModel):
    pos: Count
    # Sine and cosine come in pairs, so the width is even.
    d_model: Annotated[int, Field(ge=2, le=MAX_SIZE, multiple_of=2)]


class Sinusoidal(QuestionType):
    id = "encoding.sinusoidal"
    title = "Sinusoidal positional encoding"
    topic = "transformers"
    source = "001 Q3"
    variety = 100
    answer_space = "7cm"
    choice_part = "a"
    params_model = Params

    def sample(self, rng):
        return {"pos": int(rng.integers(1, MAX_POS + 1)), "d_model": int(rng.choice(D_MODELS))}

    def problems(self, params):
        bad = size_problems(params, ["d_model"], minimum=2) + size_problems(params, ["pos"], minimum=0)
        if bad:
            return bad
        if params["d_model"] % 2 or params["d_model"] > LIMIT_D_MODEL:
            return [f"d_model must be even and at most {LIMIT_D_MODEL}, got {params['d_model']}"]
        if params["pos"] > LIMIT_POS:
            return [f"pos must be at most {LIMIT_POS}"]
        return []

    @staticmethod
    def _rows(params):
        """(i, 2i/d_model, denominator 10000^(2i/d_model), angle) for each sine-cosine pair."""
        d_model, pos = params["d_model"], params["pos"]
        rows = []
        for i in range(d_model // 2):
            exponent = 2 * i / d_model
            denominator = BASE ** exponent
            rows.append((i, exponent, denominator, pos / denominator))
        return rows

    def solve(self, params):
        vector = []
        for _, _, _, angle in self._rows(params):
            vector += [math.sin(angle), math.cos(angle)]
        return {"vector": vector}

    def worked(self, params, answer):
        rows = [{"i": i, "even": 2 * i, "odd": 2 * i + 1, "exponent": exponent,
                 "denominator": denominator, "angle": angle,
                 "sin": answer["vector"][2 * i], "cos": answer["vector"][2 * i + 1],
                 # 2i/d_model as a reduced fraction, and whether 10000^that is whole.
                 "fraction": (2 * i // math.gcd(2 * i, params["d_model"]),
                              params["d_model"] // math.gcd(2 * i, params["d_model"])),
                 "whole": denominator.is_integer()}
                for i, exponent, denominator, angle in self._rows(params)]
        return {"rows": rows}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        return [Part("a", "Compute the positional-encoding vector "
                          "$\\left(PE_{(pos,0)}, PE_{(pos,1)}, \\ldots, "
                          "PE_{(pos,\\VAR{params.d_model - 1})}\\right)$ of the token at position "
                          "$pos = \\VAR{params.pos}$, to four decimal places.", "vector",
                     answer["vector"], places=ANSWER_PLACES, symbol=f"PE_{{{params['pos']}}}",
                     mistakes=tuple(self._mistaken(params)))]

    @staticmethod
    def _mistaken(params):
        """Slips in the formula, each as the whole vector it leads to."""
        pos, d_model = params["pos"], params["d_model"]

        def encoding(angle, cosine_angle=None):
            """The interleaved vector from the angle of each pair (``cosine_angle`` for the
            odd dimensions when a slip gives them another angle)."""
            cosine_angle = cosine_angle or angle
            vector = []
            for i in range(d_model // 2):
                vector += [math.sin(angle(i)), math.cos(cosine_angle(i))]
            return vector

        def angle(exponent_numerator):
            """theta for pair i with the exponent (exponent_numerator(i)) / d_model."""
            return lambda i: pos / BASE ** (exponent_numerator(i) / d_model)

        right = angle(lambda i: 2 * i)
        swapped = []
        for i in range(d_model // 2):
            swapped += [math.cos(right(i)), math.sin(right(i))]
        return [
            Mistake("sin and cos swapped", "puts the cosine in the even dimensions and the sine "
                    "in the odd ones", swapped),
            Mistake("exponent i/d", "uses the exponent $i/d_\\text{model}$ instead of "
                    "$2i/d_\\text{model}$", encoding(angle(lambda i: i))),
            Mistake("degrees", "evaluates the sines and cosines in degrees instead of radians",
                    encoding(lambda i: math.radians(right(i)))),
            Mistake("dimension index for the cosine",
                    "puts the dimension index $2i + 1$ into the exponent of the cosine, "
                    "$(2i + 1)/d_\\text{model}$ instead of $2i/d_\\text{model}$",
                    encoding(right, angle(lambda i: 2 * i + 1))),
            Mistake("multiplied by the denominator",
                    "multiplies $pos$ by $10000^{2i/d_\\text{model}}$ instead of dividing by it",
                    encoding(lambda i: pos * BASE ** (2 * i / d_model))),
            Mistake("i as dimension index",
                    "takes $i$ to be the dimension index $2i$, so the exponent is "
                    "$4i/d_\\text{model}$", encoding(angle(lambda i: 4 * i))),
        ]
