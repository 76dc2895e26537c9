"""Cross-entropy loss of a small batch of class predictions.

A classifier outputs class probabilities for N samples (each row sums to one) and the
true class of each sample is known; asked: the cross-entropy loss of every sample,
the total over the batch and the mean, with natural logarithms.

Params: ``probs`` (N x K list of rows, N = 2--4 samples, K = 3--4 classes when sampled;
two-decimal probabilities drawn as whole hundredths, each at least 0.05, so every row
sums to exactly 1 at the printed precision; in about 60% of the sampled rows the true class
gets the largest probability, as for a trained model), ``labels`` (true class of each sample,
0-based).  Answer: ``per_sample`` (-ln p[label] per sample), ``total`` (their sum),
``mean`` (total / N).

Parts, to three decimals: (a) the per-sample losses (a vector, weight 2), (b) the total
(the sum of the losses as rounded to three decimals is accepted too), (c) the mean (the
part a multiple-choice item offers).

Example (seed 004 Q9): probs [[0.8, 0.1, 0.1], [0.3, 0.3, 0.4]], labels [0, 1]:
total = -ln 0.8 - ln 0.3 = -ln 0.24 = 1.427, mean 0.714.  (The student wrote the total
as "log(25)"; it is ln(1/0.24) = ln 4.1667.)
"""

import math

from pydantic import model_validator

from qbank.checks import is_whole
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import Count, ParamModel, Probability, ShapeError, nonempty_list
from qbank.parts import Part
from qbank.types.losses.common import distribution_problems, hundredths, in_hundredths, rounded

SAMPLES = (2, 3, 4)
CLASSES = (3, 4)
SMALLEST_HUNDREDTHS = 5
LIMIT_SAMPLES = 8
# Share of samples whose true class is made the most probable one, so a batch mixes
# confident correct predictions (small loss) with mistakes (large loss).
CORRECT_SHARE = 0.6
ANSWER_PLACES = 3   # "to three decimal places"


class Params(ParamModel):
    probs: nonempty_list(nonempty_list(Probability))   # a row per sample, a column per class
    labels: list[Count]                                 # true class of each sample, 0-based

    @model_validator(mode="after")
    def _shapes_agree(self):
        classes = len(self.probs[0])
        for index, row in enumerate(self.probs):
            if len(row) != classes:
                raise ShapeError(f"probs[{index}]", f"has {len(row)} entries but probs[0] has "
                                 f"{classes}")
        if len(self.labels) != len(self.probs):
            raise ShapeError("labels", f"has {len(self.labels)} entries but probs has "
                             f"{len(self.probs)} rows")
        for index, label in enumerate(self.labels):
            if label >= classes:
                raise ShapeError(f"labels[{index}]", f"is {label} but probs has only {classes} "
                                 f"classes (0 to {classes - 1})")
        return self


class CrossEntropy(QuestionType):
    id = "losses.cross_entropy"
    title = "Cross-entropy loss of a batch"
    topic = "losses"
    source = "004 Q9"
    choice_part = "c"
    params_model = Params

    def sample(self, rng):
        samples, classes = int(rng.choice(SAMPLES)), int(rng.choice(CLASSES))
        probs, labels = [], []
        for _ in range(samples):
            row = hundredths(rng, classes, SMALLEST_HUNDREDTHS)
            label = int(rng.integers(0, classes))
            if rng.random() < CORRECT_SHARE:
                # Like a trained model, give the true class the largest probability.
                top = row.index(max(row))
                row[top], row[label] = row[label], row[top]
            probs.append(row)
            labels.append(label)
        return {"probs": probs, "labels": labels}

    def problems(self, params):
        probs, labels = params["probs"], params["labels"]
        if not isinstance(probs, list) or not 1 <= len(probs) <= LIMIT_SAMPLES:
            return [f"probs must be a list of 1 to {LIMIT_SAMPLES} rows, one per sample"]
        for number, row in enumerate(probs, start=1):
            bad = distribution_problems(row, f"row {number} of probs")
            if bad:
                return bad
        if len({len(row) for row in probs}) != 1:
            return ["every row of probs must have the same number of classes"]
        if not isinstance(labels, list) or len(labels) != len(probs):
            return ["labels must be a list with one class index per row of probs"]
        classes = len(probs[0])
        if not all(is_whole(label) and 0 <= label < classes for label in labels):
            return [f"every label must be a class index from 0 to {classes - 1}"]
        if any(row[label] == 0 for row, label in zip(probs, labels)):
            return ["a true class has probability 0, so its loss is infinite"]
        return []

    def solve(self, params):
        pairs = zip(params["probs"], params["labels"])
        per_sample = [-math.log(row[label]) for row, label in pairs]
        total = math.fsum(per_sample)
        return {"per_sample": per_sample, "total": total, "mean": total / len(per_sample)}

    def worked(self, params, answer):
        true_probs = [row[label] for row, label in zip(params["probs"], params["labels"])]
        return {"true_probs": true_probs, "product": math.prod(true_probs),
                "classes": len(params["probs"][0]),
                "two_decimals": all(in_hundredths(row) for row in params["probs"])}

    @staticmethod
    def carried(params, answer):
        """The total from the per-sample losses rounded to the three decimals asked for: a
        student who adds the losses as written down reaches it, and earns the marks.  (The
        mean from it never leaves the mean's tolerance.)"""
        return math.fsum(rounded(answer["per_sample"], ANSWER_PLACES))

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        count = len(params["probs"])
        slips = self._slips(params)
        losses = ", ".join(f"L_{{{n}}}" for n in range(1, count + 1))
        return [
            Part("a", "the cross-entropy loss of each sample, $(" + losses + ")$;", "vector",
                 answer["per_sample"], places=ANSWER_PLACES, weight=2, symbol=f"({losses})",
                 mistakes=tuple(slips)),
            Part("b", "the total loss $L_\\text{total}$ over the batch;", "number",
                 answer["total"], places=ANSWER_PLACES, symbol="L_\\text{total}",
                 accepted=(self.carried(params, answer),),
                 mistakes=(Mistake("mean instead of total", "divides the summed losses by the "
                                   "batch size $N$, giving the mean instead of the total",
                                   answer["mean"]),
                           *(Mistake(m.name, m.explanation, math.fsum(m.value))
                             for m in slips))),
            Part("c", "the mean loss per sample $L_\\text{mean}$.", "number", answer["mean"],
                 places=ANSWER_PLACES, symbol="L_\\text{mean}",
                 mistakes=(Mistake("total instead of mean", "adds the per-sample losses but "
                                   "forgets to divide by the batch size $N$", answer["total"]),
                           *(Mistake(m.name, m.explanation, math.fsum(m.value) / count)
                             for m in slips))),
        ]

    @staticmethod
    def _slips(params):
        """The modelled slips, each with the per-sample losses it gives."""
        probs, labels = params["probs"], params["labels"]
        true_probs = [row[label] for row, label in zip(probs, labels)]
        # The class the model predicts (largest probability), first one on a tie.
        predicted = [max(row) for row in probs]
        # Every class as its own binary problem: -ln p for the true class, -ln(1 - p) for others.
        binary = [-math.fsum(math.log(p) if c == label else math.log(1 - p)
                             for c, p in enumerate(row) if (p > 0 if c == label else p < 1))
                  for row, label in zip(probs, labels)]
        return [
            Mistake("log base 10", "uses $\\log_{10}$ instead of the natural logarithm",
                    [-math.log10(p) for p in true_probs]),
            Mistake("predicted class", "takes $-\\ln$ of the largest predicted probability of "
                    "each sample instead of the probability of its true class",
                    [-math.log(p) for p in predicted]),
            Mistake("log base 2", "uses $\\log_2$ (bits) instead of the natural logarithm (nats)",
                    [-math.log2(p) for p in true_probs]),
            *([Mistake("one minus p", "takes $-\\ln(1 - \\hat{p})$ of the true class instead of "
                       "$-\\ln \\hat{p}$", [-math.log(1 - p) for p in true_probs])]
              if max(true_probs) < 1 else []),
            Mistake("binary per class", "adds $-\\ln(1 - \\hat{p}_{n,c})$ of every wrong class, "
                    "as if each class were its own binary problem", binary),
            Mistake("no minus sign",
                    "forgets the minus sign of $-\\ln \\hat{p}$, so the loss comes out negative",
                    [math.log(p) for p in true_probs]),
        ]
