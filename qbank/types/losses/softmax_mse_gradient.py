"""Gradient of the squared error between a softmax output and a one-hot target.

Three logits go through a softmax p = softmax(z) and the loss is L = 1/2 sum (p_i - t_i)^2
with the one-hot target t; asked: p, the softmax Jacobian J (J_ij = dp_i/dz_j =
p_i (delta_ij - p_j)), dL/dp = p - t and dL/dz = J^T (p - t).

Params: ``logits`` (3 distinct small integers or one-decimal values in [-2, 3] when
sampled), ``target`` (the true class, 0-based).
Answer (keys of this non-contract type): ``probs`` (p), ``jacobian`` (J as a list of
rows, row i = output p_i, column j = logit z_j; symmetric), ``grad_probs`` (dL/dp = p - t),
``gradient`` (dL/dz = J^T (p - t)).

Example (seed 002 Q2, option 2b, derives the formula without numbers): logits (2, 1, 0),
target 0: p = (0.665, 0.245, 0.090), dL/dp = (-0.335, 0.245, 0.090),
J = [[0.223, -0.163, -0.060], [-0.163, 0.185, -0.022], [-0.060, -0.022, 0.082]],
dL/dz = (-0.120, 0.098, 0.022), smaller than the cross-entropy gradient p - t.
"""

import math

from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.types.losses.common import (LogitsParams, draw_logits, logits_problems, one_hot,
                                      softmax_steps)

CLASSES = 3


class SoftmaxMseGradient(QuestionType):
    id = "losses.softmax_mse_gradient"
    title = "Squared-error gradient through a softmax"
    topic = "losses"
    source = "002 Q2 (option 2b)"
    answer_space = "10cm"
    choice_prompt = ("Which vector is the gradient $\\partial L / \\partial \\mathbf{z}$, "
                     "to four decimal places?")
    option_places = 4
    params_model = LogitsParams

    def sample(self, rng):
        return {"logits": draw_logits(rng, CLASSES), "target": int(rng.integers(0, CLASSES))}

    def problems(self, params):
        return logits_problems(params, sizes=(2, 3, 4))

    def solve(self, params):
        _, _, probs = softmax_steps(params["logits"])
        size = len(probs)
        jacobian = [[probs[i] * ((i == j) - probs[j]) for j in range(size)] for i in range(size)]
        grad_probs = [p - t for p, t in zip(probs, one_hot(params["target"], size))]
        # dL/dz_j = sum_i dL/dp_i * dp_i/dz_j: column j of J against dL/dp.
        gradient = [math.fsum(jacobian[i][j] * grad_probs[i] for i in range(size))
                    for j in range(size)]
        return {"probs": probs, "jacobian": jacobian, "grad_probs": grad_probs,
                "gradient": gradient}

    def worked(self, params, answer):
        exps, exp_sum, _ = softmax_steps(params["logits"])
        size = len(exps)
        # The products J_ij * dL/dp_i summed for each dL/dz_j, for the board.
        columns = [[(answer["jacobian"][i][j], answer["grad_probs"][i]) for i in range(size)]
                   for j in range(size)]
        return {"exps": exps, "exp_sum": exp_sum, "one_hot": one_hot(params["target"], size),
                "columns": columns}

    def choice_value(self, answer):
        return answer["gradient"]

    def mistakes(self, params, answer):
        probs, error = answer["probs"], answer["grad_probs"]
        # sum_i p_i (p_i - t_i), shared by the two slips in the off-diagonal entries.
        weighted = math.fsum(p * e for p, e in zip(probs, error))
        return [
            Mistake("stops at dL/dp", "gives $\\partial L / \\partial \\mathbf{p} = \\mathbf{p} - "
                    "\\mathbf{t}$ and leaves out the softmax Jacobian", list(error)),
            Mistake("diagonal Jacobian only", "keeps only the diagonal $J_{ii} = p_i(1 - p_i)$ of the "
                    "Jacobian, as if the softmax acted on each logit separately",
                    [p * (1 - p) * e for p, e in zip(probs, error)]),
            Mistake("t - p", "uses $\\mathbf{t} - \\mathbf{p}$ instead of $\\mathbf{p} - "
                    "\\mathbf{t}$, the wrong sign", [-g for g in answer["gradient"]]),
            Mistake("no delta", "forgets the $\\delta_{ij}$ in $J_{ij} = p_i(\\delta_{ij} - p_j)$ and "
                    "uses $-p_i p_j$ on the diagonal too", [-p * weighted for p in probs]),
            Mistake("half kept", "keeps the $\\frac{1}{2}$ of the loss instead of cancelling it "
                    "against the exponent 2", [g / 2 for g in answer["gradient"]]),
            Mistake("delta everywhere", "uses $p_i(1 - p_j)$ for every entry of the Jacobian, off the "
                    "diagonal too", [(1 - p) * weighted for p in probs]),
        ]
