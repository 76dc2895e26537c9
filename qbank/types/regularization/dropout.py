"""Inverted dropout: the training-time scale, expected active units, thinned networks.

Dropout keeps each hidden unit with probability p during training.  Asked: the factor
1/p by which inverted dropout scales the kept activations (and the value passed on by a
kept unit with a given activation), the expected number of active hidden units per
layer and in total, and the number of distinct thinned sub-networks, 2^N for N
droppable units (every unit is either kept or dropped).

Params: ``keep_prob`` (p: 0.5, 0.8 or 0.9), ``hidden`` (units per hidden layer, 1--3
layers of 2--8 units, at most 20 units in all, so 2^N stays printable), ``activation``
(a kept unit's output before scaling, one decimal in [0.1, 3]).  Only hidden units are
dropped, not inputs or outputs.  Answer: ``scale`` (1/p), ``scaled_activation``
(activation / p), ``expected_active_per_layer`` (p * n per layer),
``expected_active`` (p * N), ``subnetworks`` (2^N, an exact integer).  Decimals are
computed as exact fractions, so 1.2 / 0.8 is 1.5, not 1.4999999999999998.

Seed 003 Q1c explains dropout as a cheap ensemble of networks that share weights (no
numbers).  Example: p = 0.8, hidden [4, 3], activation 1.2: scale 1/0.8 = 1.25, the
kept unit passes on 1.5, expected active 3.2 + 2.4 = 5.6 of 7 units, 2^7 = 128
thinned networks.
"""

import math
from fractions import Fraction
from typing import Annotated

from pydantic import Field

from qbank.checks import is_number, is_whole
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, Size, nonempty_list

KEEP_PROBS = (0.5, 0.8, 0.9)
MAX_SAMPLED_UNITS = 20
MAX_UNITS = 64  # 2^64 still prints in one line


class Params(ParamModel):
    # p: a unit kept with probability 0 would never train, and 1/p is the scale.
    keep_prob: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
    hidden: nonempty_list(Size)   # units per hidden layer
    activation: Real              # a kept unit's output before scaling


def exact(value):
    """The decimal a reader sees (0.8 -> 4/5), not its binary approximation."""
    return Fraction(repr(value))


class Dropout(QuestionType):
    id = "regularization.dropout"
    title = "Inverted dropout: scale, expected active units, thinned networks"
    topic = "regularisation"
    source = "003 Q1c"
    answer_space = "6cm"
    choice_prompt = "How many different thinned networks can dropout sample from this network?"
    params_model = Params

    def sample(self, rng):
        for _ in redraws(self.id):
            hidden = [int(n) for n in rng.integers(2, 9, size=int(rng.integers(1, 4)))]
            if sum(hidden) <= MAX_SAMPLED_UNITS:
                break
        return {"keep_prob": float(rng.choice(KEEP_PROBS)), "hidden": hidden,
                "activation": int(rng.integers(1, 31)) / 10}

    def problems(self, params):
        p, hidden = params["keep_prob"], params["hidden"]
        reasons = []
        if not is_number(p) or not 0 < p <= 1:
            reasons.append(f"keep_prob must be a probability in (0, 1], got {p!r}")
        sizes_ok = all(is_whole(n) and n >= 1 for n in hidden)
        if not (sizes_ok and hidden):
            reasons.append("hidden must be a non-empty list of positive whole numbers")
        elif sum(hidden) > MAX_UNITS:
            reasons.append(f"at most {MAX_UNITS} hidden units in all, so 2^N stays printable")
        if not is_number(params["activation"]):
            reasons.append("activation must be a number")
        return reasons

    def solve(self, params):
        p = exact(params["keep_prob"])
        per_layer = [p * n for n in params["hidden"]]
        return {"scale": float(1 / p),
                "scaled_activation": float(exact(params["activation"]) / p),
                "expected_active_per_layer": [float(e) for e in per_layer],
                "expected_active": float(sum(per_layer)),
                "subnetworks": 2 ** sum(params["hidden"])}

    def worked(self, params, answer):
        total = sum(params["hidden"])
        # "=" when the three printed decimals are exact (1/0.8 = 1.25), else "approx".
        relation = {key: "=" if exact(answer[key]) == round(exact(answer[key]), 3) else r"\approx"
                    for key in ("scale", "scaled_activation")}
        return {"relation": relation, "total_units": total,
                "drop_prob": float(1 - exact(params["keep_prob"])),
                "expected_dropped": float(total - exact(answer["expected_active"])),
                "layers": [{"units": n, "expected": e} for n, e in
                           zip(params["hidden"], answer["expected_active_per_layer"])]}

    def choice_value(self, answer):
        return answer["subnetworks"]

    def mistakes(self, params, answer):
        hidden = params["hidden"]
        units, layers = sum(hidden), len(hidden)
        return [
            Mistake("2^layers", f"counts whole layers as kept or dropped, $2^{{{layers}}}$ "
                    f"instead of one choice per unit, $2^{{{units}}}$", 2 ** layers),
            Mistake("layers added", "counts the subsets of each layer and adds them, "
                    "$\\sum_l 2^{n_l}$, instead of multiplying them", sum(2 ** n for n in hidden)),
            Mistake("empty network excluded", "leaves out the network with every unit dropped, "
                    f"$2^{{{units}}} - 1$", 2 ** units - 1),
            Mistake("2N", f"adds the two states of every unit, $2 \\times {units}$, instead "
                    "of multiplying them", 2 * units),
            Mistake("kept counts", "counts how many units each layer keeps (0 to $n_l$) "
                    "instead of which ones, $\\prod_l (n_l + 1)$",
                    math.prod(n + 1 for n in hidden)),
            Mistake("first layer only", f"counts only the first hidden layer, $2^{{{hidden[0]}}}$",
                    2 ** hidden[0]),
            Mistake("N^2", f"squares the number of units, ${units}^2$, instead of raising 2 "
                    "to it", units ** 2),
        ]
