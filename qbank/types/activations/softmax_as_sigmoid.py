"""A two-class softmax is logistic regression with w = w0 - w1.

Asked: derive step by step that P(y=0|x) = e^{w0.x} / (e^{w0.x} + e^{w1.x}) equals
sigma(w.x) with w = w0 - w1, and that P(y=1|x) = 1 - sigma(w.x) = sigma(-w.x); for
small integer w0, w1, x compute both class probabilities directly with the softmax, then
w and sigma(w.x), and see that they agree.

Parts: (a) the derivation for class 0 (marked by hand); (b) w in terms of w0 and w1 and
(c) P(y=1|x) in terms of sigma as a function of z = w.x, expressions checked by
equivalence (so sigma(-z) is right for (c)); (d) both softmax probabilities, (e) the
vector w and (f) sigma(w.x) for the given numbers, to four decimals (w exactly).

Params: ``w0``, ``w1``, ``x`` (two integers each, in -2..2; drawn so that both scores
w0.x, w1.x lie in [-3, 3] and their difference is 1 to 3 in size).  Answer: ``logits``
[w0.x, w1.x], ``probs`` [P(y=0|x), P(y=1|x)] from the softmax, ``w`` = w0 - w1,
``z`` = w.x, ``sigmoid`` = sigma(z) (equal to probs[0] up to rounding).

The derivations are data: ``DERIVATION`` (class 0) and ``COMPLEMENT`` (class 1) are
tuples of steps, each with the LaTeX the solution shows, a sympy string of the same
expression (``dot(u, v)`` is the dot product) and the reason for the step;
tests/types/test_activations_softmax_as_sigmoid.py proves every step with sympy.

Example (seed 000 Q1a derives P(y=0|x) = 1 / (1 + e^{(w1 - w0).x}) = sigma(w.x) with
w = w0 - w1, and P(y=1|x) = 1 - sigma(w.x); seed 004 Q1 does the same with scores
a1, a2 and x = a1 - a2): w0 = (1, 2), w1 = (2, -1), x = (1, 1) give logits (3, 1),
probs (0.8808, 0.1192), w = (-1, 3), z = 2, sigma(2) = 0.8808.
"""

import math

from pydantic import model_validator

from qbank.checks import is_number
from qbank.choice import Mistake
from qbank.derivation import Step
from qbank.puremath import dot
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, check_same_length, nonempty_list
from qbank.parts import Part, RubricLine


SOFTMAX_0 = r"\frac{e^{\mathbf{w}_0^\top\mathbf{x}}}{e^{\mathbf{w}_0^\top\mathbf{x}} + e^{\mathbf{w}_1^\top\mathbf{x}}}"
SOFTMAX_1 = r"\frac{e^{\mathbf{w}_1^\top\mathbf{x}}}{e^{\mathbf{w}_0^\top\mathbf{x}} + e^{\mathbf{w}_1^\top\mathbf{x}}}"
# Each step equals the one before; the first is the softmax, the last the claim.
DERIVATION = (
    Step(SOFTMAX_0, "exp(dot(w0, x))/(exp(dot(w0, x)) + exp(dot(w1, x)))",
         "softmax over the two classes"),
    Step(r"\frac{1}{1 + e^{\mathbf{w}_1^\top\mathbf{x}} / e^{\mathbf{w}_0^\top\mathbf{x}}}",
         "1/(1 + exp(dot(w1, x))/exp(dot(w0, x)))",
         r"divide top and bottom by $e^{\mathbf{w}_0^\top\mathbf{x}}$"),
    Step(r"\frac{1}{1 + e^{\mathbf{w}_1^\top\mathbf{x} - \mathbf{w}_0^\top\mathbf{x}}}",
         "1/(1 + exp(dot(w1, x) - dot(w0, x)))", r"$e^{a}/e^{b} = e^{a - b}$"),
    Step(r"\frac{1}{1 + e^{-(\mathbf{w}_0 - \mathbf{w}_1)^\top\mathbf{x}}}",
         "1/(1 + exp(-dot(w0 - w1, x)))", "the dot product is linear"),
    Step(r"\frac{1}{1 + e^{-\mathbf{w}^\top\mathbf{x}}}", "1/(1 + exp(-dot(w, x)))",
         r"let $\mathbf{w} = \mathbf{w}_0 - \mathbf{w}_1$"),
    Step(r"\sigma(\mathbf{w}^\top\mathbf{x})", "sigmoid(dot(w, x))", r"$\sigma(z) = 1/(1 + e^{-z})$"),
)
COMPLEMENT = (
    Step(SOFTMAX_1, "exp(dot(w1, x))/(exp(dot(w0, x)) + exp(dot(w1, x)))",
         "softmax over the two classes"),
    Step("1 - " + SOFTMAX_0, "1 - exp(dot(w0, x))/(exp(dot(w0, x)) + exp(dot(w1, x)))",
         "the two probabilities sum to one"),
    Step(r"1 - \sigma(\mathbf{w}^\top\mathbf{x})", "1 - sigmoid(dot(w, x))", "by the result above"),
    Step(r"\sigma(-\mathbf{w}^\top\mathbf{x})", "sigmoid(-dot(w, x))", r"$1 - \sigma(z) = \sigma(-z)$"),
)
WEIGHTS = INPUTS = range(-2, 3)
SIZE = 2
LIMIT_SCORE, LIMIT_SIZE = 50.0, 6
ANSWER_PLACES = 4   # "to four decimal places"
# Where the expressions of (b) and (c) are compared with the right ones (and the variant's z).
WEIGHT_POINTS = ({"w0": 1.5, "w1": -0.5}, {"w0": -2.0, "w1": 0.7}, {"w0": 0.3, "w1": 2.4})
Z_POINTS = (-1.3, 0.4, 2.2)
DERIVATION_RUBRIC = (
    RubricLine(1, "divides the numerator and the denominator by "
                  "$e^{\\mathbf{w}_0^\\top\\mathbf{x}}$ (or an equivalent first step), with the "
                  "reason"),
    RubricLine(0.5, "combines the exponents into $e^{-(\\mathbf{w}_0 - \\mathbf{w}_1)^\\top"
                    "\\mathbf{x}}$ (the dot product is linear)"),
    RubricLine(0.5, "recognises $1/(1 + e^{-\\mathbf{w}^\\top\\mathbf{x}})$ as "
                    "$\\sigma(\\mathbf{w}^\\top\\mathbf{x})$"),
)
DERIVATION_ANSWER = (
    "Dividing the numerator and the denominator by $e^{\\mathbf{w}_0^\\top\\mathbf{x}}$, "
    "$P(y = 0 \\mid \\mathbf{x}) = 1/(1 + e^{\\mathbf{w}_1^\\top\\mathbf{x} - "
    "\\mathbf{w}_0^\\top\\mathbf{x}}) = 1/(1 + e^{-(\\mathbf{w}_0 - \\mathbf{w}_1)^\\top"
    "\\mathbf{x}}) = \\sigma(\\mathbf{w}^\\top\\mathbf{x})$ with "
    "$\\mathbf{w} = \\mathbf{w}_0 - \\mathbf{w}_1$.")


class Params(ParamModel):
    w0: nonempty_list(Real)   # weights of class 0
    w1: nonempty_list(Real)   # weights of class 1, as many as w0
    x: nonempty_list(Real)    # the input, one entry per weight

    @model_validator(mode="after")
    def _lengths_agree(self):
        check_same_length(self, "w0", "w1", "x")
        return self


class SoftmaxAsSigmoid(QuestionType):
    id = "activations.softmax_as_sigmoid"
    title = "Two-class softmax is logistic regression with w = w0 - w1"
    topic = "activations"
    kind = "symbolic"
    source = "000 Q1a, 004 Q1"
    answer_space = "10cm"
    params_model = Params

    def sample(self, rng):
        # Redraw until the scores are small enough to exponentiate by hand and differ.
        for _ in redraws(self.id):
            w0, w1, x = ([int(v) for v in rng.choice(pool, size=SIZE)]
                         for pool in (WEIGHTS, WEIGHTS, INPUTS))
            a0, a1 = dot(w0, x), dot(w1, x)
            if max(abs(a0), abs(a1)) <= 3 and 1 <= abs(a0 - a1) <= 3:
                return {"w0": w0, "w1": w1, "x": x}

    def problems(self, params):
        vectors = [params[key] for key in ("w0", "w1", "x")]
        if not all(isinstance(v, list) and 1 <= len(v) <= LIMIT_SIZE for v in vectors):
            return [f"w0, w1 and x must be lists of 1 to {LIMIT_SIZE} numbers"]
        if len({len(v) for v in vectors}) != 1:
            return ["w0, w1 and x must have the same length"]
        if not all(is_number(value) for v in vectors for value in v):
            return ["every entry of w0, w1 and x must be a finite number"]
        # Written "not <=" so a score that overflowed to nan is refused too.
        if not all(abs(dot(params[key], params["x"])) <= LIMIT_SCORE for key in ("w0", "w1")):
            return [f"the scores w0.x and w1.x must lie within +-{LIMIT_SCORE:g}"]
        return []

    def solve(self, params):
        w0, w1, x = params["w0"], params["w1"], params["x"]
        logits = [dot(w0, x), dot(w1, x)]
        exps = [math.exp(a) for a in logits]
        w = [a - b for a, b in zip(w0, w1)]
        z = dot(w, x)
        return {"logits": logits, "probs": [e / sum(exps) for e in exps], "w": w, "z": z,
                "sigmoid": 1.0 / (1.0 + math.exp(-z))}

    def worked(self, params, answer):
        x = params["x"]
        # Each dot product as its list of (weight, input) pairs, for the written-out sums.
        terms = {name: list(zip(vector, x)) for name, vector in
                 (("a0", params["w0"]), ("a1", params["w1"]), ("z", answer["w"]))}
        exps = [math.exp(a) for a in answer["logits"]]
        return {"terms": terms, "exps": exps, "exp_sum": sum(exps), "minus_z": -answer["z"],
                "exp_neg_z": math.exp(-answer["z"]), "complement": 1.0 - answer["sigmoid"],
                "derivation": DERIVATION, "complement_steps": COMPLEMENT}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        z = answer["z"]
        return [
            Part("a", "Show, step by step, that $P(y = 0 \\mid \\mathbf{x}) = "
                      "\\sigma(\\mathbf{w}^\\top\\mathbf{x})$ for a single weight vector "
                      "$\\mathbf{w}$, where $\\sigma(z) = 1/(1 + e^{-z})$ is the logistic sigmoid.",
                 "free", None, weight=2, model_answer=DERIVATION_ANSWER,
                 rubric=DERIVATION_RUBRIC),
            Part("b", "Express $\\mathbf{w}$ in terms of $\\mathbf{w}_0$ and $\\mathbf{w}_1$ "
                      "(type them as $\\text{w0}$ and $\\text{w1}$).", "expression", "w0 - w1",
                 variables=("w0", "w1"), points=WEIGHT_POINTS, answer_tex=(
                     "\\mathbf{w}_0 - \\mathbf{w}_1"), symbol="\\mathbf{w}",
                 mistakes=(Mistake("w1 - w0", "takes the difference the wrong way round, which "
                                   "gives P(y = 1 | x) instead", "w1 - w0"),
                           Mistake("w0 + w1", "adds the two weight vectors instead of "
                                   "subtracting them", "w0 + w1"))),
            Part("c", "Write $P(y = 1 \\mid \\mathbf{x})$ in terms of $\\sigma$, as an "
                      "expression in $z = \\mathbf{w}^\\top\\mathbf{x}$ (type $\\sigma(z)$ as "
                      "$\\text{sigmoid(z)}$).", "expression", "1 - sigmoid(z)", variables=("z",),
                 points=tuple({"z": value} for value in (float(z), *Z_POINTS)),
                 answer_tex="1 - \\sigma(z) = \\sigma(-z)",
                 symbol="P(y = 1 \\mid \\mathbf{x})",
                 mistakes=(Mistake("sigmoid(z)", "gives the probability of class 0, σ(z)",
                                   "sigmoid(z)"),
                           Mistake("e^z/(1 + e^-z)", "writes e^z/(1 + e^(−z)), with e^z where "
                                   "e^(−z) belongs in the numerator", "exp(z)/(1 + exp(-z))"),
                           Mistake("sigmoid(z) - 1", "flips the sign, σ(z) − 1, a negative "
                                   "number", "sigmoid(z) - 1"))),
            Part("d", "For the numbers above, both class probabilities "
                      "$\\bigl(P(y = 0 \\mid \\mathbf{x}), P(y = 1 \\mid \\mathbf{x})\\bigr)$, "
                      "computed directly with the softmax.", "vector", answer["probs"],
                 places=ANSWER_PLACES,
                 symbol="\\bigl(P(y = 0 \\mid \\mathbf{x}), P(y = 1 \\mid \\mathbf{x})\\bigr)",
                 mistakes=tuple(self._probability_mistakes(answer))),
            Part("e", "The single weight vector $\\mathbf{w}$ for these numbers.", "vector",
                 answer["w"], symbol="\\mathbf{w}^\\top",
                 mistakes=(Mistake("w1 - w0", "takes $\\mathbf{w}_1 - \\mathbf{w}_0$",
                                   [-value for value in answer["w"]]),
                           Mistake("w0 + w1", "adds the two weight vectors",
                                   [a + b for a, b in zip(params["w0"], params["w1"])]))),
            Part("f", "$\\sigma(\\mathbf{w}^\\top\\mathbf{x})$ for these numbers; check that it "
                      "agrees with (d).", "number", answer["sigmoid"], places=ANSWER_PLACES,
                 symbol="\\sigma(\\mathbf{w}^\\top\\mathbf{x})",
                 mistakes=tuple(self._sigmoid_mistakes(params, answer))),
        ]

    @staticmethod
    def _probability_mistakes(answer):
        a0, a1 = answer["logits"]
        found = [
            Mistake("classes swapped", "gives the two probabilities in the wrong order",
                    list(reversed(answer["probs"]))),
            Mistake("not normalised", "exponentiates the scores but forgets to divide by "
                    "their sum", [math.exp(a0), math.exp(a1)]),
        ]
        if a0 + a1 != 0:
            found.append(Mistake("no exponentials", "divides the scores by their plain sum, "
                                 "without exponentiating them", [a0 / (a0 + a1), a1 / (a0 + a1)]))
        return found

    @staticmethod
    def _sigmoid_mistakes(params, answer):
        def sigma(value):
            return 1.0 / (1.0 + math.exp(-value))

        a0 = answer["logits"][0]
        added = sum((u + v) * x for u, v, x in zip(params["w0"], params["w1"], params["x"]))
        return [
            Mistake("sign of z", "uses $\\mathbf{w} = \\mathbf{w}_1 - \\mathbf{w}_0$ (or drops "
                    "the minus in $e^{-z}$), giving $\\sigma(-z)$", sigma(-answer["z"])),
            Mistake("w0 only", "takes $\\sigma(\\mathbf{w}_0^\\top\\mathbf{x})$, the first "
                    "score alone", sigma(a0)),
            Mistake("w0 + w1", "adds the weight vectors, $\\sigma((\\mathbf{w}_0 + "
                    "\\mathbf{w}_1)^\\top\\mathbf{x})$", sigma(added)),
        ]
