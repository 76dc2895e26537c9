"""Gradient of the squared error between a softmax output and a one-hot target.

Three logits go through a softmax p = softmax(z) and the loss is L = 1/2 sum (p_i - t_i)^2
with the one-hot target t; asked: p, the softmax Jacobian J (J_ij = dp_i/dz_j =
p_i (delta_ij - p_j)), dL/dp = p - t and dL/dz = J^T (p - t).

Params: ``logits`` (3 distinct small integers or one-decimal values in [-2, 3] when
sampled), ``target`` (the true class, 0-based).
Answer (keys of this non-contract type): ``probs`` (p), ``jacobian`` (J as a list of
rows, row i = output p_i, column j = logit z_j; symmetric), ``grad_probs`` (dL/dp = p - t),
``gradient`` (dL/dz = J^T (p - t)).

Parts, to four decimals: (a) p, (b) J (weight 2), (c) dL/dp, (d) dL/dz (weight 2; the part
a multiple-choice item offers; J^T (p - t) from the rounded J and dL/dp is accepted too).

Example (seed 002 Q2, option 2b, derives the formula without numbers): logits (2, 1, 0),
target 0: p = (0.665, 0.245, 0.090), dL/dp = (-0.335, 0.245, 0.090),
J = [[0.223, -0.163, -0.060], [-0.163, 0.185, -0.022], [-0.060, -0.022, 0.082]],
dL/dz = (-0.120, 0.098, 0.022), smaller than the cross-entropy gradient p - t.
"""

import math

from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.parts import Part
from qbank.types.losses.common import (LogitsParams, draw_logits, logits_problems, one_hot,
                                      rounded, softmax_steps)

CLASSES = 3
ANSWER_PLACES = 4   # "to four decimal places"


class SoftmaxMseGradient(QuestionType):
    id = "losses.softmax_mse_gradient"
    title = "Squared-error gradient through a softmax"
    topic = "losses"
    source = "002 Q2 (option 2b)"
    answer_space = "10cm"
    choice_part = "d"
    params_model = LogitsParams

    def sample(self, rng):
        return {"logits": draw_logits(rng, CLASSES), "target": int(rng.integers(0, CLASSES))}

    def problems(self, params):
        return logits_problems(params, sizes=(2, 3, 4))

    def solve(self, params):
        _, _, probs = softmax_steps(params["logits"])
        jacobian = _jacobian(probs)
        grad_probs = [p - t for p, t in zip(probs, one_hot(params["target"], len(probs)))]
        gradient = _chain(jacobian, grad_probs)
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

    @staticmethod
    def carried(params, answer):
        """dL/dz from J and dL/dp written down to the four decimals asked for: a student
        carrying those earns the marks.  (p from the rounded exponentials and J from the
        rounded p never leave their tolerance.)"""
        return _chain(rounded(answer["jacobian"], ANSWER_PLACES),
                      rounded(answer["grad_probs"], ANSWER_PLACES))

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        probs, jacobian, grad_probs, gradient = self._slips(params, answer)
        return [
            Part("a", "the probabilities $\\mathbf{p}$;", "vector", answer["probs"],
                 places=ANSWER_PLACES, symbol="\\mathbf{p}", mistakes=tuple(probs)),
            Part("b", "the softmax Jacobian $J$, with entries $J_{ij} = \\partial p_i / "
                      "\\partial z_j$ (row $i$, column $j$);", "matrix", answer["jacobian"],
                 places=ANSWER_PLACES, weight=2, symbol="J", mistakes=tuple(jacobian)),
            Part("c", "the gradient $\\partial L / \\partial \\mathbf{p}$;", "vector",
                 answer["grad_probs"], places=ANSWER_PLACES,
                 symbol="\\partial L / \\partial \\mathbf{p}", mistakes=tuple(grad_probs)),
            Part("d", "by the chain rule, the gradient $\\partial L / \\partial \\mathbf{z}$.",
                 "vector", answer["gradient"], places=ANSWER_PLACES, weight=2,
                 symbol="\\partial L / \\partial \\mathbf{z}", mistakes=tuple(gradient),
                 accepted=(self.carried(params, answer),)),
        ]

    @staticmethod
    def _slips(params, answer):
        """The modelled slips, as the p, J, dL/dp and dL/dz they give."""
        logits, probs, error = params["logits"], answer["probs"], answer["grad_probs"]
        size = len(probs)
        exps = softmax_steps(logits)[0]
        in_probs = [
            Mistake("sigmoid instead of softmax", "applies a sigmoid to each logit instead of the "
                    "softmax", [1 / (1 + math.exp(-z)) for z in logits]),
            Mistake("not normalised", "exponentiates the logits but forgets to divide by their "
                    "sum", exps),
            *([Mistake("no exponentials", "divides the logits by their plain sum, without "
                       "exponentiating them", [z / sum(logits) for z in logits])]
              if sum(logits) != 0 else []),
        ]
        no_delta = [[-p * q for q in probs] for p in probs]
        delta_everywhere = [[p * (1 - q) for q in probs] for p in probs]
        diagonal = [[p * (1 - p) if i == j else 0.0 for j in range(size)]
                    for i, p in enumerate(probs)]
        in_jacobian = [
            Mistake("no delta", "forgets the $\\delta_{ij}$ in $J_{ij} = p_i(\\delta_{ij} - p_j)$ "
                    "and uses $-p_i p_j$ on the diagonal too", no_delta),
            Mistake("diagonal Jacobian only", "keeps only the diagonal $J_{ii} = p_i(1 - p_i)$, "
                    "as if the softmax acted on each logit separately", diagonal),
            Mistake("delta everywhere", "uses $p_i(1 - p_j)$ for every entry, off the diagonal "
                    "too", delta_everywhere),
            Mistake("no minus sign", "drops the minus sign of the off-diagonal entries "
                    "$-p_i p_j$", [[abs(x) for x in row] for row in answer["jacobian"]]),
        ]
        in_grad_probs = [
            Mistake("t - p", "uses $\\mathbf{t} - \\mathbf{p}$ instead of $\\mathbf{p} - "
                    "\\mathbf{t}$, the wrong sign", [-e for e in error]),
            Mistake("half kept", "keeps the $\\frac{1}{2}$ of the loss instead of cancelling it "
                    "against the exponent 2", [e / 2 for e in error]),
            Mistake("loss terms", "gives the terms $\\frac{1}{2}(p_i - t_i)^2$ of the loss "
                    "instead of their derivatives", [e * e / 2 for e in error]),
        ]
        in_gradient = [
            Mistake("stops at dL/dp", "gives $\\partial L / \\partial \\mathbf{p} = \\mathbf{p} - "
                    "\\mathbf{t}$ and leaves out the softmax Jacobian", list(error)),
            Mistake("diagonal Jacobian only", "keeps only the diagonal $J_{ii} = p_i(1 - p_i)$ of "
                    "the Jacobian, as if the softmax acted on each logit separately",
                    _chain(diagonal, error)),
            Mistake("t - p", "uses $\\mathbf{t} - \\mathbf{p}$ instead of $\\mathbf{p} - "
                    "\\mathbf{t}$, the wrong sign", [-g for g in answer["gradient"]]),
            Mistake("no delta", "forgets the $\\delta_{ij}$ in $J_{ij} = p_i(\\delta_{ij} - p_j)$ "
                    "and uses $-p_i p_j$ on the diagonal too", _chain(no_delta, error)),
            Mistake("half kept", "keeps the $\\frac{1}{2}$ of the loss instead of cancelling it "
                    "against the exponent 2", [g / 2 for g in answer["gradient"]]),
            Mistake("delta everywhere", "uses $p_i(1 - p_j)$ for every entry of the Jacobian, off "
                    "the diagonal too", _chain(delta_everywhere, error)),
        ]
        return in_probs, in_jacobian, in_grad_probs, in_gradient


def _jacobian(probs):
    """J_ij = dp_i/dz_j = p_i (delta_ij - p_j), as a list of rows."""
    size = len(probs)
    return [[probs[i] * ((i == j) - probs[j]) for j in range(size)] for i in range(size)]


def _chain(jacobian, grad_probs):
    """dL/dz_j = sum_i dL/dp_i * J_ij: column j of J against dL/dp."""
    size = len(grad_probs)
    return [math.fsum(jacobian[i][j] * grad_probs[i] for i in range(size)) for j in range(size)]
