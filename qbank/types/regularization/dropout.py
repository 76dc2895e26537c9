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

Parts, one per quantity asked: (a) the scale 1/p and (b) the kept unit's output, to three
decimals; (c) what is done at test time (marked by hand); (d) the expected active units
of each layer and (e) in total (exact); (f) the number of thinned networks (the part a
multiple-choice item offers).

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
from qbank.parts import Part, RubricLine
from qbank.render.numbers import grouped, plain

KEEP_PROBS = (0.5, 0.8, 0.9)
MAX_SAMPLED_UNITS = 20
MAX_UNITS = 64  # 2^64 still prints in one line
SCALE_PLACES = 3  # (a), (b): "to three decimal places"; 1/0.9 = 1.111...
TEST_TIME_ANSWER = ("Dropout is switched off at test time: every unit is kept and nothing is "
                    "scaled, because the scaling by $1/p$ during training already made the "
                    "expected output of each unit equal to its activation.")
TEST_TIME_RUBRIC = (
    RubricLine(0.5, "dropout is off at test time: every unit is used"),
    RubricLine(0.5, "no scaling at test time (inverted dropout scaled during training), with "
                    "the reason: the expected output already equals the activation"),
)


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
    choice_part = "f"
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

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        p, a = exact(params["keep_prob"]), exact(params["activation"])
        per_layer = [exact(e) for e in answer["expected_active_per_layer"]]
        units, hidden = sum(params["hidden"]), params["hidden"]
        return [
            Part("a", "By what factor does inverted dropout scale the kept activations during "
                      "training? Give it to three decimal places.", "number", answer["scale"],
                 places=SCALE_PLACES, symbol="1/p",
                 mistakes=(Mistake("times p", "scales by $p$ instead of $1/p$", float(p)),
                           *([Mistake("drop probability", "divides by the drop probability "
                                      "$1 - p$ instead of the keep probability $p$",
                                      float(1 / (1 - p)))] if p < 1 else []),
                           Mistake("1 - p", "scales by the drop probability $1 - p$",
                                   float(1 - p)))),
            Part("b", "A hidden unit outputs $\\VAR{params.activation|num}$ and is kept: what "
                      "value does it pass on to the next layer? Give it to three decimal places.",
                 "number", answer["scaled_activation"], places=SCALE_PLACES,
                 symbol=f"{_number(params['activation'])}/p",
                 mistakes=(Mistake("times p", "multiplies the activation by $p$ instead of "
                                   "dividing by it", float(a * p)),
                           Mistake("unscaled", "passes the activation on unscaled", float(a)),
                           *([Mistake("drop probability", "divides by $1 - p$ instead of $p$",
                                      float(a / (1 - p)))] if p < 1 else []))),
            Part("c", "What is done at test time?", "free", None, model_answer=TEST_TIME_ANSWER,
                 rubric=TEST_TIME_RUBRIC),
            Part("d", "What is the expected number of active (kept) hidden units in each hidden "
                      "layer, from input to output, for one training example?", "vector",
                 answer["expected_active_per_layer"],
                 symbol="\\bigl(" + ", ".join(f"p\\,n_{index}" for index in
                                               range(1, len(hidden) + 1)) + "\\bigr)",
                 mistakes=(Mistake("dropped counted", "counts the expected dropped units, "
                                   "$(1 - p)\\,n$", [float((1 - p) * n) for n in hidden]),
                           Mistake("divided by p", "divides the layer size by $p$",
                                   [float(n / p) for n in hidden]),
                           Mistake("all units", "counts every unit as active", list(hidden)))),
            Part("e", "What is the expected number of active hidden units in total?", "number",
                 answer["expected_active"], symbol="p\\,N",
                 mistakes=(Mistake("dropped counted", "counts the expected dropped units, "
                                   "$(1 - p)\\,N$", float((1 - p) * units)),
                           Mistake("divided by p", "divides the number of units by $p$",
                                   float(units / p)),
                           Mistake("all units", "counts every unit as active", units),
                           Mistake("one layer", "gives the first layer's expectation only",
                                   float(per_layer[0])))),
            Part("f", "Dropout is often described as training an ensemble of \\emph{thinned} "
                      "networks that share their weights. How many different thinned networks "
                      "can dropout sample from this network?", "number", answer["subnetworks"],
                 symbol=f"2^{{{units}}}", mistakes=tuple(self.mistakes(params, answer))),
        ]

    def mistakes(self, params, answer):
        """The modelled slips of part (f), each as the count it leads to."""
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


def _number(value):
    """``\\num{1.2}``, as the templates' ``num`` filter prints it."""
    return rf"\num{{{grouped(plain(value))}}}"
