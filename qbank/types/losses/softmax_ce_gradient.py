"""Gradient of softmax cross-entropy with respect to the logits.

A classifier's last layer gives logits z for one example of known class; the softmax
turns them into probabilities p and the loss is the cross-entropy L = -sum t_i ln p_i with
the one-hot target t.  Asked: show dL/dz_i = p_i - t_i, then compute p and the gradient.

Params: ``logits`` (3--4 distinct small integers or one-decimal values in [-2, 3] when
sampled), ``target`` (the true class, 0-based).  Answer: ``probs`` (softmax of the
logits), ``gradient`` (p - onehot(target)).

Example (seed 002 Q2, option 2, derives dL/dz_i = p_i - t_i with no numbers): logits
(2, 1, 0), target 0: p = (0.665, 0.245, 0.090), gradient (-0.335, 0.245, 0.090).
"""

import math

from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.types.losses.common import (LogitsParams, draw_logits, logits_problems, one_hot,
                                      softmax_steps)

CLASSES = (3, 4)


class SoftmaxCeGradient(QuestionType):
    id = "losses.softmax_ce_gradient"
    title = "Gradient of softmax cross-entropy with respect to the logits"
    topic = "losses"
    source = "002 Q2 (option 2)"
    answer_space = "9cm"
    choice_prompt = ("Which vector is the gradient $\\partial L / \\partial \\mathbf{z}$, "
                     "to three decimal places?")
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

    def choice_value(self, answer):
        return answer["gradient"]

    def mistakes(self, params, answer):
        probs, target = answer["probs"], params["target"]
        t = one_hot(target, len(probs))
        sigmoids = [1 / (1 + math.exp(-z)) for z in params["logits"]]
        p_k = probs[target]
        return [
            Mistake("t - p", "computes $t_i - p_i$ instead of $p_i - t_i$, the wrong sign",
                    [ti - p for p, ti in zip(probs, t)]),
            Mistake("stops at dL/dp", "gives $\\partial L / \\partial p_i = -t_i / p_i$ and never "
                    "goes through the softmax to the logits",
                    [-1 / p_k if i == target else 0.0 for i in range(len(probs))]),
            Mistake("forgets the target", "gives the probabilities $p_i$ and forgets to subtract the "
                    "one-hot target $t_i$", list(probs)),
            Mistake("diagonal Jacobian only", "uses only $\\partial p_i / \\partial z_i = p_i(1 - p_i)$ "
                    "and drops the off-diagonal terms $-p_i p_j$ of the softmax Jacobian, giving "
                    "$-t_i (1 - p_i)$",
                    [-(1 - p_k) if i == target else 0.0 for i in range(len(probs))]),
            Mistake("sigmoid instead of softmax", "applies a sigmoid to each logit instead of the softmax, "
                    "giving $\\sigma(z_i) - t_i$", [q - ti for q, ti in zip(sigmoids, t)]),
            Mistake("logits minus target", "skips the softmax and subtracts the target from the logits, "
                    "$z_i - t_i$", [float(z) - ti for z, ti in zip(params["logits"], t)]),
        ]
