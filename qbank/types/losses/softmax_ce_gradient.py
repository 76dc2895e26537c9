"""Gradient of softmax cross-entropy with respect to the logits.

A classifier's last layer gives logits z for one example of known class; the softmax
turns them into probabilities p and the loss is the cross-entropy L = -sum t_i ln p_i with
the one-hot target t.  Asked: show dL/dz_i = p_i - t_i, then compute p and the gradient.

Params: ``logits`` (3--4 distinct small integers or one-decimal values in [-2, 3] when
sampled), ``target`` (the true class, 0-based).  Answer: ``probs`` (softmax of the
logits), ``gradient`` (p - onehot(target)).

Parts: (a) the derivation (marked by hand, weight 2), then to three decimals (b) p and
(c) the gradient (the part a multiple-choice item offers); p from the exponentials rounded
to three decimals, and the gradient from that p, are accepted too.

Example (seed 002 Q2, option 2, derives dL/dz_i = p_i - t_i with no numbers): logits
(2, 1, 0), target 0: p = (0.665, 0.245, 0.090), gradient (-0.335, 0.245, 0.090).
"""

import math

from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.parts import Part, RubricLine
from qbank.types.losses.common import (LogitsParams, draw_logits, logits_problems, one_hot,
                                      rounded, softmax_steps)

CLASSES = (3, 4)
ANSWER_PLACES = 3   # "to three decimal places"
MODEL_ANSWER = (
    "With $S = \\sum_k e^{z_k}$ the quotient rule gives $\\partial p_k / \\partial z_i = "
    "p_k(\\delta_{ki} - p_i)$, and $\\partial L / \\partial p_k = -t_k / p_k$. By the chain "
    "rule $\\frac{\\partial L}{\\partial z_i} = \\sum_k \\left(-\\frac{t_k}{p_k}\\right) "
    "p_k(\\delta_{ki} - p_i) = -t_i + p_i \\sum_k t_k = p_i - t_i$, as the one-hot target sums "
    "to 1.")
RUBRIC = (
    RubricLine(1, "the softmax Jacobian: $\\partial p_k / \\partial z_i = p_k(1 - p_k)$ for "
                  "$k = i$ and $-p_k p_i$ otherwise, i.e.\\ $p_k(\\delta_{ki} - p_i)$"),
    RubricLine(0.5, "the chain rule through every $p_k$, with "
                    "$\\partial L / \\partial p_k = -t_k / p_k$"),
    RubricLine(0.5, "the sum simplified to $p_i - t_i$ using $\\sum_k t_k = 1$"),
)


class SoftmaxCeGradient(QuestionType):
    id = "losses.softmax_ce_gradient"
    title = "Gradient of softmax cross-entropy with respect to the logits"
    topic = "losses"
    source = "002 Q2 (option 2)"
    answer_space = "9cm"
    choice_part = "c"
    params_model = LogitsParams

    def sample(self, rng):
        classes = int(rng.choice(CLASSES))
        return {"logits": draw_logits(rng, classes), "target": int(rng.integers(0, classes))}

    def problems(self, params):
        return logits_problems(params)

    def solve(self, params):
        _, _, probs = softmax_steps(params["logits"])
        target = one_hot(params["target"], len(probs))
        return {"probs": probs, "gradient": [p - t for p, t in zip(probs, target)]}

    def worked(self, params, answer):
        exps, exp_sum, _ = softmax_steps(params["logits"])
        return {"exps": exps, "exp_sum": exp_sum,
                "one_hot": one_hot(params["target"], len(exps)),
                "loss": -math.log(answer["probs"][params["target"]])}

    @staticmethod
    def carried(params, answer):
        """The probabilities and gradient from the exponentials written down to the three
        decimals asked for (a student dividing those by their sum reaches these)."""
        exps = rounded(softmax_steps(params["logits"])[0], ANSWER_PLACES)
        probs = [e / math.fsum(exps) for e in exps]
        target = one_hot(params["target"], len(probs))
        return probs, [p - t for p, t in zip(probs, target)]

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        probs, gradient = self._slips(params, answer)
        carried_probs, carried_gradient = self.carried(params, answer)
        return [
            Part("a", "Show that $\\frac{\\partial L}{\\partial z_i} = p_i - t_i$.", "free", None,
                 weight=2, model_answer=MODEL_ANSWER, rubric=RUBRIC),
            Part("b", "Compute the probabilities $\\mathbf{p}$ for these logits, to three "
                      "decimal places.", "vector", answer["probs"], places=ANSWER_PLACES,
                 symbol="\\mathbf{p}", mistakes=tuple(probs), accepted=(carried_probs,)),
            Part("c", "Compute the gradient $\\partial L / \\partial \\mathbf{z}$ for these "
                      "logits, to three decimal places.", "vector", answer["gradient"],
                 places=ANSWER_PLACES, symbol="\\partial L / \\partial \\mathbf{z}",
                 mistakes=tuple(gradient), accepted=(carried_gradient,)),
        ]

    @staticmethod
    def _slips(params, answer):
        """The modelled slips, as the probabilities and the gradient they give."""
        probs, target = answer["probs"], params["target"]
        t = one_hot(target, len(probs))
        logits = params["logits"]
        sigmoids = [1 / (1 + math.exp(-z)) for z in logits]
        exps = softmax_steps(logits)[0]
        p_k = probs[target]
        in_probs = [
            Mistake("sigmoid instead of softmax", "applies a sigmoid to each logit instead of the "
                    "softmax", sigmoids),
            Mistake("not normalised", "exponentiates the logits but forgets to divide by their "
                    "sum", exps),
            *([Mistake("no exponentials", "divides the logits by their plain sum, without "
                       "exponentiating them", [z / sum(logits) for z in logits])]
              if sum(logits) != 0 else []),
        ]
        in_gradient = [
            Mistake("t - p", "computes $t_i - p_i$ instead of $p_i - t_i$, the wrong sign",
                    [ti - p for p, ti in zip(probs, t)]),
            Mistake("stops at dL/dp", "gives $\\partial L / \\partial p_i = -t_i / p_i$ and never "
                    "goes through the softmax to the logits",
                    [-1 / p_k if i == target else 0.0 for i in range(len(probs))]),
            Mistake("forgets the target", "gives the probabilities $p_i$ and forgets to subtract "
                    "the one-hot target $t_i$", list(probs)),
            Mistake("diagonal Jacobian only", "uses only $\\partial p_i / \\partial z_i = "
                    "p_i(1 - p_i)$ and drops the off-diagonal terms $-p_i p_j$ of the softmax "
                    "Jacobian, giving $-t_i (1 - p_i)$",
                    [-(1 - p_k) if i == target else 0.0 for i in range(len(probs))]),
            Mistake("sigmoid instead of softmax", "applies a sigmoid to each logit instead of the "
                    "softmax, giving $\\sigma(z_i) - t_i$", [q - ti for q, ti in zip(sigmoids, t)]),
            Mistake("logits minus target", "skips the softmax and subtracts the target from the "
                    "logits, $z_i - t_i$", [float(z) - ti for z, ti in zip(logits, t)]),
        ]
        return in_probs, in_gradient
