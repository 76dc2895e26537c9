"""The Transformer learning-rate schedule with linear warmup and inverse-square-root decay.

lr(step) = d_model^-0.5 * min(step^-0.5, step * warmup^-1.5) ("Attention Is All You
Need", section 5.3).  Asked: (a) the learning rate at three given steps (one during
warmup, one at its end, one after it), (b) the step and (c) the value of the peak, and
(d) how the rate behaves before and after it (marked by hand).  The rates are asked in
units of 10^-4 to three decimals (sampled rates lie between 0.35 and 28 such units):
a part's precision is a number of decimals, so "three significant figures" cannot be
asked of it.

Params: ``d_model`` (128, 256, 512, 768 or 1024 when sampled), ``warmup`` (warmup
steps: 1000, 2000, 4000, 5000 or 8000), ``steps`` (three increasing steps: a simple
fraction of ``warmup``, ``warmup`` itself, and a whole multiple of it).  Answer:
``rates`` (the learning rate at each of ``steps``), ``peak_step`` (= ``warmup``: the
first term of the min falls, the second rises, and they meet there) and ``peak_rate``
= (d_model * warmup)^-0.5.

Example (seed 003 Q2b sketches "increase linearly up to step S (warmup), then decrease",
writing lr = t * k for t <= S and t^-1/2 after): d_model 512, warmup 4000, steps 1000,
4000, 16000 -> rates 1.747e-4, 6.988e-4, 3.494e-4; peak at step 4000, 6.988e-4.
"""

import math

from qbank.checks import is_whole, size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Size, nonempty_list
from qbank.parts import Part, RubricLine
from qbank.render.numbers import fixed

D_MODELS = (128, 256, 512, 768, 1024)
WARMUPS = (1000, 2000, 4000, 5000, 8000)
# Steps during warmup (fractions of it, whole for every warmup above) and after it.
FRACTIONS = ((1, 10), (1, 5), (1, 4), (2, 5), (1, 2), (3, 4), (4, 5))
MULTIPLES = (2, 3, 4, 5, 8, 9, 10, 16, 20, 25)
LIMIT_STEPS = 6
UNIT = 1e-4          # the rates are asked in units of 10^-4 ...
ANSWER_PLACES = 3    # ... to three decimals
UNITS_SLIP = "gives the rate itself instead of in units of $10^{-4}$"
BEHAVIOUR = ("Before the peak the learning rate rises linearly from 0, "
             "$\\text{lr} = \\text{lr}_\\text{max}\\cdot\\text{step}/\\text{warmup}$; after it, "
             "it decays like $1/\\sqrt{\\text{step}}$, "
             "$\\text{lr} = \\text{lr}_\\text{max}\\sqrt{\\text{warmup}/\\text{step}}$.")
BEHAVIOUR_RUBRIC = (RubricLine(0.5, "a linear rise during the warmup steps"),
                    RubricLine(0.5, "then a decay proportional to $1/\\sqrt{\\text{step}}$"))


class Params(ParamModel):
    d_model: Size
    warmup: Size                  # warmup steps; the peak is there
    steps: nonempty_list(Size)    # the steps asked about, in any order


def scientific(value, figures=3):
    """(mantissa, exponent) with value = mantissa * 10^exponent and 1 <= mantissa < 10
    once the mantissa is rounded to ``figures`` significant figures (9.996e-4 -> 1.00e-3)."""
    exponent = math.floor(math.log10(value))
    if float(fixed(value / 10 ** exponent, figures - 1)) >= 10:
        exponent += 1
    return {"mantissa": value / 10 ** exponent, "exponent": exponent}


class Warmup(QuestionType):
    id = "schedule.warmup"
    title = "Learning rate with warmup (Transformer schedule)"
    topic = "optimisation"
    source = "003 Q2b"
    answer_space = "7cm"
    choice_part = "a"
    params_model = Params

    def sample(self, rng):
        warmup = int(rng.choice(WARMUPS))
        numerator, denominator = FRACTIONS[int(rng.integers(len(FRACTIONS)))]
        before = warmup * numerator // denominator
        after = warmup * int(rng.choice(MULTIPLES))
        return {"d_model": int(rng.choice(D_MODELS)), "warmup": warmup,
                "steps": [before, warmup, after]}

    def problems(self, params):
        bad = size_problems(params, ("d_model", "warmup"))
        steps = params["steps"]
        if not (1 <= len(steps) <= LIMIT_STEPS and all(is_whole(s) and s >= 1 for s in steps)):
            bad.append(f"steps must be a list of 1 to {LIMIT_STEPS} positive whole numbers")
        return bad

    @staticmethod
    def terms(step, warmup):
        """The two arguments of the min: the decay term and the warmup term."""
        return step ** -0.5, step * warmup ** -1.5

    def solve(self, params):
        scale, warmup = params["d_model"] ** -0.5, params["warmup"]
        rates = [scale * min(self.terms(step, warmup)) for step in params["steps"]]
        return {"rates": rates, "peak_step": warmup,
                "peak_rate": scale * warmup ** -0.5}

    def worked(self, params, answer):
        warmup = params["warmup"]
        rows = []
        for step, rate in zip(params["steps"], answer["rates"]):
            decay, rise = self.terms(step, warmup)
            rows.append({"step": step, "decay": decay, "rise": rise, "rate": rate / UNIT,
                         "phase": "warmup" if step < warmup else "peak" if step == warmup
                         else "decay"})
        return {"rows": rows, "scale": params["d_model"] ** -0.5,
                "warmup_power": scientific(warmup ** -1.5, 4),
                "peak_rate": answer["peak_rate"] / UNIT}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        d_model, warmup = params["d_model"], params["warmup"]
        peak = [
            Mistake("no d_model factor", "leaves out the factor $d_\\text{model}^{-0.5}$",
                    warmup ** -0.5),
            Mistake("times sqrt(d_model)", "multiplies by $\\sqrt{d_\\text{model}}$ instead "
                    "of dividing by it", d_model ** 0.5 * warmup ** -0.5),
            Mistake("warmup^-1.5", "gives $d_\\text{model}^{-0.5}\\cdot\\text{warmup}^{-1.5}$, "
                    "leaving out the step in the warmup term",
                    d_model ** -0.5 * warmup ** -1.5),
        ]
        return [
            Part("a", "Compute the learning rate at step\\BLOCK{if params.steps|length > 1}s "
                      "\\VAR{params.steps[:-1]|map('num')|join(', ')} and\\BLOCK{endif} "
                      "\\VAR{params.steps[-1]|num}.", "vector",
                 _in_units(answer["rates"]), places=ANSWER_PLACES, weight=2,
                 symbol="\\text{lr}/10^{-4}",
                 mistakes=(*(Mistake(m.name, m.explanation, _in_units(m.value))
                             for m in self.mistakes(params, answer)),
                           Mistake("not in units", UNITS_SLIP, answer["rates"]))),
            Part("b", "At which step is the learning rate largest?", "number",
                 answer["peak_step"], symbol="\\text{step}"),
            Part("c", "What is the learning rate there?", "number",
                 _in_units(answer["peak_rate"]), places=ANSWER_PLACES,
                 symbol="\\text{lr}_\\text{max}/10^{-4}",
                 mistakes=(*(Mistake(m.name, m.explanation, _in_units(m.value))
                             for m in peak),
                           Mistake("not in units", UNITS_SLIP, answer["peak_rate"]))),
            Part("d", "Describe in one sentence how the learning rate behaves before and after "
                      "that step.", "free", None, model_answer=BEHAVIOUR,
                 rubric=BEHAVIOUR_RUBRIC),
        ]

    def mistakes(self, params, answer):
        """The slips in the rates at the given steps (in plain units), part (a)."""
        d_model, warmup, steps = params["d_model"], params["warmup"], params["steps"]
        scale = d_model ** -0.5
        return [
            Mistake("max for min", "takes the larger of the two terms instead of the smaller",
                    [scale * max(self.terms(step, warmup)) for step in steps]),
            Mistake("no d_model factor",
                    "leaves out the factor $d_\\text{model}^{-0.5}$",
                    [min(self.terms(step, warmup)) for step in steps]),
            Mistake("times sqrt(d_model)",
                    f"multiplies by $\\sqrt{{d_\\text{{model}}}} = \\sqrt{{{d_model}}}$ instead of "
                    "dividing by it",
                    [d_model ** 0.5 * min(self.terms(step, warmup)) for step in steps]),
            Mistake("warmup term only", "uses the linear warmup term "
                    "$\\text{step}\\cdot\\text{warmup}^{-1.5}$ at every step, also after the "
                    "warmup", [scale * self.terms(step, warmup)[1] for step in steps]),
            Mistake("decay term only", "uses $\\text{step}^{-0.5}$ at every step and ignores the "
                    "warmup", [scale * self.terms(step, warmup)[0] for step in steps]),
            Mistake("warmup^-0.5", "raises warmup to the power $-0.5$ instead of $-1.5$",
                    [scale * min(step ** -0.5, step * warmup ** -0.5) for step in steps]),
        ]


def _in_units(rates):
    """A rate, or a list of them, in the units of 10^-4 the question asks for."""
    return [rate / UNIT for rate in rates] if isinstance(rates, list) else rates / UNIT
