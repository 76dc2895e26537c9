"""Greedy decoding against beam search on a two-step token tree.

A language model gives the probabilities of the first token and, for each first token,
of the second one; asked: the two-token sequence greedy decoding outputs and its
probability, and the one beam search of the given width outputs and its probability.

Params: ``first`` {token: p} (2--3 tokens), ``second`` {first token: {token: p}} (2--3
continuations each, possibly the end token "<eos>"), ``beam_width`` (2 when sampled).
Probabilities are multiples of 0.05 that sum to 1; dictionaries keep the order drawn.
Answer: ``greedy_sequence`` [y1, y2], ``greedy_prob`` = P(y1) P(y2 | y1), and
``beam_sequence``, ``beam_prob``: the most probable sequence among the expansions of
the ``beam_width`` most probable first tokens (with a width of at least the number of
first tokens, the most probable sequence overall).  Sampled trees have no ties where a
decision depends on them, and beam search strictly beats greedy.

Example (seed 001 Q6, repaired): A 0.7, B 0.3; B -> <eos> 0.9 so beam search (width 2)
finds "B <eos>" with 0.3 x 0.9 = 0.27.  The seed says greedy gets 0.07 through "A <eos>"
(0.1), but greedy takes A's most probable continuation; with A -> x 0.35, y 0.30,
z 0.25, <eos> 0.10 greedy outputs "A x", 0.7 x 0.35 = 0.245 < 0.27.
"""

import json
import math
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from qbank.checks import size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Probability, ShapeError, Size
from qbank.parts import Part, RubricLine
from qbank.render.environment import environment
from qbank.render.filters import text

FIRST_TOKENS = ("the", "a", "my", "this", "one", "his", "her", "our")
END = "<eos>"
NEXT_TOKENS = ("cat", "dog", "car", "book", "house", "tree", "man", END)
UNITS = 20  # sampled probabilities are whole multiples of 1/20 = 0.05
# Products of two-decimal probabilities have four decimals: asked (and exact) to four.
ANSWER_PLACES = 4
# Part (c), the model answer: a template, so it names this variant's tokens and numbers.
WHY_THEY_DIFFER = (
    "Greedy decoding commits to ``\\VAR{answer.greedy_sequence[0]|text}'', the most probable "
    "first token, and can only take its best continuation, "
    "$\\VAR{work.greedy_next[0][1]|fixed(2)}$. Beam search also keeps "
    "``\\VAR{answer.beam_sequence[0]|text}'', whose continuation "
    "``\\VAR{answer.beam_sequence[1]|text}'' "
    "($\\VAR{params.second[answer.beam_sequence[0]][answer.beam_sequence[1]]|fixed(2)}$) is "
    "likely enough to make the whole sequence more probable, "
    "$\\VAR{answer.beam_prob|fixed(4)} > \\VAR{answer.greedy_prob|fixed(4)}$: "
    "the best first step need not start the best sequence.")
WHY_RUBRIC = (
    RubricLine(0.5, "greedy takes the locally most probable token at each step and cannot "
                    "revise its first choice"),
    RubricLine(0.5, "beam search keeps another first token whose continuation makes the "
                    "joint probability $P(y_1)\\,P(y_2 \\mid y_1)$ larger"),
)


def _not_blank(token: str) -> str:
    if not token.strip():
        raise ValueError("a token must not be blank")
    return token


Token = Annotated[str, AfterValidator(_not_blank)]
# A next-token distribution: a choice among at least two tokens.  That the
# probabilities are positive and sum to 1 is checked in problems().
Distribution = Annotated[dict[Token, Probability], Field(min_length=2)]


class Params(ParamModel):
    first: Distribution                 # P(y1), in the order shown
    second: dict[str, Distribution]     # P(y2 | y1), one entry per first token
    beam_width: Size

    @model_validator(mode="after")
    def _one_continuation_per_first_token(self):
        for token in self.first:
            if token not in self.second:
                raise ShapeError("second", f"has no entry for the first token {json.dumps(token)}")
        for token in self.second:
            if token not in self.first:
                raise ShapeError(f"second.{token}", "is not one of the first tokens "
                                 f"({', '.join(self.first)})")
        return self


def _split(rng, parts, minimum):
    """``parts`` multiples of 0.05, each at least ``minimum`` x 0.05, summing to exactly 1."""
    spare = UNITS - parts * (minimum - 1)  # units left once each part has minimum - 1
    cuts = sorted(int(c) for c in rng.choice(range(1, spare), size=parts - 1, replace=False))
    return [(b - a + minimum - 1) * 5 / 100 for a, b in zip([0] + cuts, cuts + [spare])]


def _ranked(pairs):
    return sorted(pairs, key=lambda pair: -pair[1])


def _tied(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def search(params):
    """Greedy path, beam kept after each step, and every candidate sequence, ranked."""
    first, second, width = params["first"], params["second"], params["beam_width"]
    firsts = _ranked(first.items())
    greedy_first = firsts[0][0]
    greedy_next = _ranked(second[greedy_first].items())
    kept_first = [token for token, _ in firsts[:width]]
    candidates = _ranked([([y1, y2], first[y1] * p) for y1 in kept_first
                          for y2, p in second[y1].items()])
    return {"firsts": firsts, "greedy_first": greedy_first, "greedy_next": greedy_next,
            "kept_first": kept_first, "candidates": candidates,
            "kept_second": candidates[:width]}


class GreedyVsBeam(QuestionType):
    id = "decoding.greedy_vs_beam"
    title = "Greedy decoding versus beam search"
    topic = "decoding"
    source = "001 Q6"
    answer_space = "7cm"
    choice_part = "b"
    params_model = Params

    def sample(self, rng):
        for _ in redraws(self.id):
            tokens = [str(t) for t in rng.choice(FIRST_TOKENS, size=int(rng.integers(2, 4)),
                                                 replace=False)]
            first = dict(zip(tokens, _split(rng, len(tokens), minimum=2)))
            second = {}
            for token in tokens:
                count = int(rng.integers(2, 4))
                nexts = [str(t) for t in rng.choice(NEXT_TOKENS, size=count, replace=False)]
                second[token] = dict(zip(nexts, _split(rng, count, minimum=1)))
            params = {"first": first, "second": second, "beam_width": 2}
            if not self.problems(params):
                return params

    def problems(self, params):
        first, second = params["first"], params["second"]
        bad = size_problems(params, ["beam_width"])
        if not isinstance(first, dict) or not isinstance(second, dict) or set(first) != set(second):
            return bad + ["first and second must be dicts, second with one entry per first token"]
        for name, dist in [("first", first)] + [(f"second[{t}]", d) for t, d in second.items()]:
            if not isinstance(dist, dict) or len(dist) < 2 or not all(
                    isinstance(p, (int, float)) and not isinstance(p, bool) and 0 < p <= 1
                    for p in dist.values()):
                return bad + [f"{name} must map at least two tokens to probabilities in (0, 1]"]
            if not math.isclose(sum(dist.values()), 1.0, abs_tol=1e-9):
                return bad + [f"the probabilities in {name} must sum to 1"]
        if bad:
            return bad
        found = search(params)
        firsts, width, cands = found["firsts"], params["beam_width"], found["candidates"]
        if _tied(firsts[0][1], firsts[1][1]):
            return ["the two most probable first tokens are tied, so greedy is ambiguous"]
        if width < len(firsts) and _tied(firsts[width - 1][1], firsts[width][1]):
            return ["a tie decides which first tokens stay in the beam"]
        if _tied(found["greedy_next"][0][1], found["greedy_next"][1][1]):
            return ["greedy's second token is a tie"]
        if len(cands) > 1 and _tied(cands[0][1], cands[1][1]):
            return ["beam search ends in a tie between two sequences"]
        greedy_prob = firsts[0][1] * found["greedy_next"][0][1]
        if cands[0][1] <= greedy_prob or _tied(cands[0][1], greedy_prob):
            return ["beam search must strictly beat greedy decoding"]
        return []

    def solve(self, params):
        found = search(params)
        (y1, p1), (y2, p2) = found["firsts"][0], found["greedy_next"][0]
        beam_sequence, beam_prob = found["candidates"][0]
        return {"greedy_sequence": [y1, y2], "greedy_prob": p1 * p2,
                "beam_sequence": beam_sequence, "beam_prob": beam_prob}

    def worked(self, params, answer):
        found = search(params)
        kept = [seq for seq, _ in found["kept_second"]]
        rows = [{"y1": y1, "y2": y2, "p1": params["first"][y1], "p2": p,
                 "joint": params["first"][y1] * p,
                 "greedy": [y1, y2] == answer["greedy_sequence"],
                 "beam": ("best" if [y1, y2] == answer["beam_sequence"] else
                          "kept" if [y1, y2] in kept else
                          "dropped" if y1 in found["kept_first"] else "pruned")}
                for y1 in params["first"] for y2, p in params["second"][y1].items()]
        best = max(rows, key=lambda row: row["joint"])
        # The overall best sequence when the beam pruned it (a wider beam would find it).
        missed = ([best["y1"], best["y2"]], best["joint"]) if best["beam"] == "pruned" else None
        return {"rows": rows, "kept_first": found["kept_first"], "firsts": found["firsts"],
                "greedy_next": found["greedy_next"], "missed": missed,
                "exhaustive": params["beam_width"] >= len(params["first"]),
                "has_end": any(END in nexts for nexts in params["second"].values())}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        context = {"params": params, "answer": answer, "work": variant.work}
        return [
            Part("a", "What is the probability $P(y_1, y_2)$ of the sequence greedy decoding "
                      "outputs, and which sequence is it?", "number", answer["greedy_prob"],
                 places=ANSWER_PLACES, symbol=_probability_of(answer["greedy_sequence"]),
                 mistakes=tuple(self._greedy_mistakes(params, answer))),
            Part("b", "What is the probability of the sequence beam search with beam width "
                      "\\VAR{params.beam_width} outputs, and which sequence is it?",
                 "number", answer["beam_prob"], places=ANSWER_PLACES, weight=2,
                 symbol=_probability_of(answer["beam_sequence"]),
                 mistakes=tuple(self._beam_mistakes(params, answer))),
            Part("c", "Explain briefly why the two answers differ.", "free", None,
                 model_answer=environment().from_string(WHY_THEY_DIFFER).render(**context),
                 rubric=WHY_RUBRIC),
        ]

    @staticmethod
    def _greedy_mistakes(params, answer):
        y1, y2 = answer["greedy_sequence"]
        p1, p2 = params["first"][y1], params["second"][y1][y2]
        return [
            Mistake("summed", "adds $P(y_1)$ and $P(y_2 \\mid y_1)$ instead of multiplying them",
                    p1 + p2),
            Mistake("second step only",
                    "gives $P(y_2 \\mid y_1)$ and forgets to multiply by $P(y_1)$", p2),
            Mistake("first step only", "gives $P(y_1)$ of the first token only", p1),
            Mistake("beam answer", "gives the probability of the beam-search sequence "
                    f"``{text(' '.join(answer['beam_sequence']))}'' as the greedy one",
                    answer["beam_prob"]),
            Mistake("log-probability",
                    "gives the sum of the log-probabilities, "
                    "$\\ln P(y_1) + \\ln P(y_2 \\mid y_1)$, instead of the probability",
                    math.log(p1) + math.log(p2)),
        ]

    @staticmethod
    def _beam_mistakes(params, answer):
        y1, y2 = answer["beam_sequence"]
        p1, p2 = params["first"][y1], params["second"][y1][y2]
        found = search(params)
        slips = [
            Mistake("greedy answer", "gives the probability of the greedy sequence "
                    f"``{text(' '.join(answer['greedy_sequence']))}'' as the beam-search answer",
                    answer["greedy_prob"]),
            Mistake("summed", "adds $P(y_1)$ and $P(y_2 \\mid y_1)$ instead of multiplying them",
                    p1 + p2),
            Mistake("second step only",
                    "gives $P(y_2 \\mid y_1)$ and forgets to multiply by $P(y_1)$", p2),
            Mistake("log-probability",
                    "gives the sum of the log-probabilities, "
                    "$\\ln P(y_1) + \\ln P(y_2 \\mid y_1)$, instead of the probability",
                    math.log(p1) + math.log(p2)),
            Mistake("first step only", "gives $P(y_1)$ of the first token only", p1),
        ]
        # Ranking the expansions by the conditional probability of the second token alone.
        by_conditional = sorted(((params["second"][t][u], params["first"][t] * params["second"][t][u])
                                 for t in found["kept_first"] for u in params["second"][t]),
                                reverse=True)
        if not _tied(by_conditional[0][0], by_conditional[1][0]):
            slips.append(Mistake("ranked by conditional",
                                 "ranks the expanded sequences by $P(y_2 \\mid y_1)$ alone "
                                 "instead of the joint probability", by_conditional[0][1]))
        overall = max(params["first"][t] * q for t in params["first"]
                      for q in params["second"][t].values())
        if overall > answer["beam_prob"]:
            slips.append(Mistake("exhaustive search",
                                 "searches every sequence instead of expanding only the "
                                 f"{params['beam_width']} first tokens the beam keeps", overall))
        # A "probability" outside [0, 1] rules itself out; such options come last.
        return sorted(slips, key=lambda m: not 0 <= m.value <= 1)


def _probability_of(sequence):
    """The boxed answer's name: P(the cat) = ..."""
    return f"P(\\text{{{text(' '.join(sequence))}}})"
