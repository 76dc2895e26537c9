"""Entropy of a discrete distribution, in bits and in nats.

A discrete random variable takes 3--5 values with given probabilities; asked: its
entropy H = -sum p_i log p_i in bits (log base 2) and in nats (natural log).

Params: ``probs`` (list of probabilities summing to 1; when sampled, either two-decimal
values drawn as whole hundredths of at least 0.05, or -- one draw in three -- a shuffled
"dyadic" distribution of powers of 1/2 such as 0.5, 0.25, 0.125, 0.125, whose entropy in
bits is a short exact number).  Zero probabilities are allowed when pinned (0 log 0 = 0).
Answer: ``entropy_bits``, ``entropy_nats`` (= bits x ln 2).

Parts, to three decimals: (a) H in bits (weight 2; the part a multiple-choice item offers),
(b) H in nats; each also accepts the sum of its terms -p log p rounded to three decimals.

Example (seed 004 Q6 gives only the definition H = -sum p_i log p_i): probabilities
0.5, 0.25, 0.25 give 0.5*1 + 0.25*2 + 0.25*2 = 1.5 bits = 1.5 ln 2 = 1.0397 nats.
"""

import math

from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Probability, nonempty_list
from qbank.parts import Part
from qbank.types.losses.common import distribution_problems, hundredths, in_hundredths, rounded

OUTCOMES = (3, 4, 5)
SMALLEST_HUNDREDTHS = 5
ANSWER_PLACES = 3   # "to three decimal places"
# Distributions of powers of 1/2 (as exponents: 1 -> 1/2, 2 -> 1/4, ...), 3--5 outcomes.
# These are all such distributions with no probability below 1/16.
DYADIC = ((1, 2, 2), (2, 2, 2, 2), (1, 2, 3, 3), (1, 3, 3, 3, 3), (2, 2, 2, 3, 3),
          (1, 2, 3, 4, 4))


class Params(ParamModel):
    probs: nonempty_list(Probability)   # one per outcome; problems() checks they sum to 1


class Entropy(QuestionType):
    id = "losses.entropy"
    title = "Entropy of a distribution in bits and nats"
    topic = "losses"
    source = "004 Q6"
    answer_space = "5cm"
    choice_part = "a"
    params_model = Params

    def sample(self, rng):
        if rng.random() < 1 / 3:
            exponents = [int(e) for e in rng.permutation(DYADIC[int(rng.integers(len(DYADIC)))])]
            return {"probs": [0.5 ** e for e in exponents]}
        return {"probs": hundredths(rng, int(rng.choice(OUTCOMES)), SMALLEST_HUNDREDTHS)}

    def problems(self, params):
        return distribution_problems(params["probs"])

    def solve(self, params):
        nonzero = [p for p in params["probs"] if p > 0]
        return {"entropy_bits": -math.fsum(p * math.log2(p) for p in nonzero),
                "entropy_nats": -math.fsum(p * math.log(p) for p in nonzero)}

    def worked(self, params, answer):
        rows = [{"p": p, "surprise": -math.log2(p) if p > 0 else 0.0,
                 "term": -p * math.log2(p) if p > 0 else 0.0} for p in params["probs"]]
        outcomes = len(params["probs"])
        return {"rows": rows, "ln2": math.log(2), "outcomes": outcomes,
                "uniform_bits": math.log2(outcomes),
                "dyadic": all(r["surprise"].is_integer() for r in rows),
                "uniform": len(set(params["probs"])) == 1,
                "two_decimals": in_hundredths(params["probs"])}

    @staticmethod
    def carried(params):
        """The entropies from the terms -p log p written down to the three decimals asked
        for and added, in bits and in nats: a student carrying those earns the marks.  (Nats
        from the rounded bits never leave the tolerance.)"""
        nonzero = [p for p in params["probs"] if p > 0]
        return (math.fsum(rounded([-p * math.log2(p) for p in nonzero], ANSWER_PLACES)),
                math.fsum(rounded([-p * math.log(p) for p in nonzero], ANSWER_PLACES)))

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        bits, nats = self.carried(params)
        in_bits, in_nats = self._slips(params, answer)
        return [
            Part("a", "in bits, $H_2(X)$ (logarithms to base 2);", "number", answer["entropy_bits"],
                 places=ANSWER_PLACES, weight=2, symbol="H_2(X)", accepted=(bits,),
                 mistakes=tuple(in_bits)),
            Part("b", "in nats, $H_e(X)$ (natural logarithms).", "number", answer["entropy_nats"],
                 places=ANSWER_PLACES, symbol="H_e(X)", accepted=(nats,),
                 mistakes=tuple(in_nats)),
        ]

    @staticmethod
    def _slips(params, answer):
        """The modelled slips, as the entropy in bits and the entropy in nats they give."""
        nonzero = [p for p in params["probs"] if p > 0]
        bits, nats = answer["entropy_bits"], answer["entropy_nats"]
        ln2 = math.log(2)
        # The surprisals added without their weights p_i, in bits and in nats.
        unweighted_bits = -math.fsum(math.log2(p) for p in nonzero)
        unweighted_nats = -math.fsum(math.log(p) for p in nonzero)
        in_bits = [
            Mistake("nats instead of bits", "uses the natural logarithm, which gives nats, not "
                    "bits", nats),
            Mistake("log base 10", "uses $\\log_{10}$ instead of $\\log_2$",
                    -math.fsum(p * math.log10(p) for p in nonzero)),
            Mistake("surprisals not weighted", "adds the surprisals $-\\log_2 p_i$ without "
                    "weighting each by its probability $p_i$", unweighted_bits),
            Mistake("wrong conversion", "computes nats and converts them to bits by multiplying by "
                    "$\\ln 2$ instead of dividing", nats * ln2),
            Mistake("plain average", "averages the surprisals $-\\log_2 p_i$ over the outcomes "
                    "instead of weighting them by $p_i$", unweighted_bits / len(params["probs"])),
            Mistake("no minus sign", "forgets the minus sign in $-\\sum_i p_i \\log_2 p_i$", -bits),
        ]
        in_nats = [
            Mistake("bits instead of nats", "uses $\\log_2$, which gives bits, not nats", bits),
            Mistake("log base 10", "uses $\\log_{10}$ instead of the natural logarithm",
                    -math.fsum(p * math.log10(p) for p in nonzero)),
            Mistake("surprisals not weighted", "adds the surprisals $-\\ln p_i$ without weighting "
                    "each by its probability $p_i$", unweighted_nats),
            Mistake("wrong conversion", "converts bits to nats by dividing by $\\ln 2$ instead of "
                    "multiplying", bits / ln2),
            Mistake("plain average", "averages the surprisals $-\\ln p_i$ over the outcomes "
                    "instead of weighting them by $p_i$", unweighted_nats / len(params["probs"])),
            Mistake("no minus sign", "forgets the minus sign in $-\\sum_i p_i \\ln p_i$", -nats),
        ]
        return in_bits, in_nats
