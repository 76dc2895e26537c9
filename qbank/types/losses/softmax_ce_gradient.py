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

from qbank.model import QuestionType
from qbank.types.losses.common import draw_logits, logits_problems, one_hot, softmax_steps

CLASSES = (3, 4)


class SoftmaxCeGradient(QuestionType):
    id = "losses.softmax_ce_gradient"
    title = "Gradient of softmax cross-entropy with respect to the logits"
    topic = "losses"
    source = "002 Q2 (option 2)"
    answer_space = "9cm"

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
