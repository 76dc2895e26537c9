"""Precision and recall at every rank of a ranked result list, and average precision.

A search system returns a ranked list; each result is relevant or not, and the
collection holds ``total_relevant`` relevant documents (possibly more than the list
retrieves, so recall need not reach 1).  Asked, to three decimals: (a) precision@k and
recall@k for every rank k, as a table of two rows (P@k, then R@k; ranks across, as the
question prints them) and (b) average precision (AP).

Params: ``relevant`` (list of bool, one per rank, top first; 6--10 ranks when sampled),
``total_relevant`` (int, at least the number of relevant results retrieved and at least 1).
Answer: ``precision`` [..] and ``recall`` [..] per rank, and ``average_precision`` =
(sum of precision@k over the relevant ranks k) / ``total_relevant``.

Example (seed 000 Q2a): relevance T, T, F, F, F, T, F, T with 4 relevant documents gives
precision 1, 1, 0.667, 0.5, 0.4, 0.5, 0.429, 0.5, recall 0.25, 0.5, 0.5, 0.5, 0.5, 0.75,
0.75, 1 and AP = (1 + 1 + 0.5 + 0.5) / 4 = 0.75.
"""

from pydantic import model_validator

from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, ShapeError, Size, nonempty_list
from qbank.parts import Part
from qbank.render.numbers import fixed

MIN_RANKS, MAX_RANKS = 6, 10
# Longest list a pinned parameter set may have and still fit the tables.
LIMIT_RANKS = 20
ANSWER_PLACES = 3   # "Give your answers to three decimal places."


class Params(ParamModel):
    relevant: nonempty_list(bool)   # per rank, top first
    # Relevant documents in the collection; those the list misses count too.
    total_relevant: Size

    @model_validator(mode="after")
    def _total_covers_the_list(self):
        shown = sum(self.relevant)
        if self.total_relevant < shown:
            raise ShapeError("total_relevant", f"is {self.total_relevant} but relevant marks "
                             f"{shown} retrieved results as relevant")
        return self


class PrecisionRecall(QuestionType):
    id = "retrieval.precision_recall"
    title = "Precision, recall and average precision of a ranking"
    topic = "retrieval metrics"
    source = "000 Q2a"
    answer_space = "8cm"
    choice_part = "b"
    params_model = Params

    def sample(self, rng):
        ranks = int(rng.integers(MIN_RANKS, MAX_RANKS + 1))
        # At least two relevant and two irrelevant results, so precision moves both ways.
        hits = int(rng.integers(2, ranks - 1))
        positions = {int(p) for p in rng.choice(ranks, size=hits, replace=False)}
        relevant = [rank in positions for rank in range(ranks)]
        # Half the time the list retrieves every relevant document (recall reaches 1),
        # otherwise one to three relevant documents are missed.
        missed = 0 if rng.random() < 0.5 else int(rng.integers(1, 4))
        return {"relevant": relevant, "total_relevant": hits + missed}

    def problems(self, params):
        relevant, total = params["relevant"], params["total_relevant"]
        if not all(isinstance(r, bool) for r in relevant):
            return ["relevant must be a list of true/false values, one per rank"]
        if len(relevant) > LIMIT_RANKS:
            return [f"the ranked list must have 1 to {LIMIT_RANKS} results"]
        if not any(relevant):
            return ["at least one retrieved result must be relevant"]
        if not isinstance(total, int) or isinstance(total, bool):
            return ["total_relevant must be an integer"]
        if total < sum(relevant):
            return [f"total_relevant ({total}) is smaller than the {sum(relevant)} "
                    "relevant results retrieved"]
        return []

    def solve(self, params):
        total = params["total_relevant"]
        precision, recall, hits = [], [], 0
        for rank, is_relevant in enumerate(params["relevant"], start=1):
            hits += is_relevant
            precision.append(hits / rank)
            recall.append(hits / total)
        at_relevant = [p for p, r in zip(precision, params["relevant"]) if r]
        return {"precision": precision, "recall": recall,
                "average_precision": sum(at_relevant) / total}

    def worked(self, params, answer):
        rows, hits = [], 0
        for rank, is_relevant in enumerate(params["relevant"], start=1):
            hits += is_relevant
            rows.append({"rank": rank, "relevant": is_relevant, "hits": hits,
                         "precision": answer["precision"][rank - 1],
                         "recall": answer["recall"][rank - 1]})
        at_relevant = [row for row in rows if row["relevant"]]
        # The sum of the precisions as printed, so the solution's sum adds up as printed.
        return {"rows": rows, "at_relevant": at_relevant,
                "ap_sum": sum(float(fixed(row["precision"], ANSWER_PLACES)) for row in at_relevant),
                "retrieved_relevant": hits}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        # No carried AP is accepted, none is needed: each precision rounded to the three
        # decimals asked is off by at most half a unit, so their sum over the total_relevant
        # documents, divided by it, is too; rounded once more it stays within one unit.
        return [
            Part("a", "Compute the precision $P@k$ and the recall $R@k$ at every rank "
                      "$k = 1, \\ldots, \\VAR{params.relevant|length}$, as a table of two rows "
                      "($P@k$, then $R@k$) with the ranks across.", "table",
                 [answer["precision"], answer["recall"]], places=ANSWER_PLACES, weight=2,
                 symbol="\\begin{matrix} P@k \\\\ R@k \\end{matrix}",
                 mistakes=tuple(self._table_mistakes(params, answer))),
            Part("b", "Compute the average precision (AP) of this ranking.", "number",
                 answer["average_precision"], places=ANSWER_PLACES, symbol="\\text{AP}",
                 mistakes=tuple(self.mistakes(params, answer))),
        ]

    @staticmethod
    def _table_mistakes(params, answer):
        """Slips in the table, each as the whole two-row table it gives."""
        precision, recall = answer["precision"], answer["recall"]
        relevant, ranks = params["relevant"], len(params["relevant"])
        hits = [sum(relevant[:k]) for k in range(1, ranks + 1)]
        found = [
            Mistake("rows swapped", "swaps precision and recall: $r_k/k$ is the precision",
                    [recall, precision]),
            Mistake("precision over the list", f"divides by the length of the list, {ranks}, "
                    "instead of by the rank $k$ for the precision",
                    [[h / ranks for h in hits], recall]),
        ]
        retrieved = hits[-1]
        if retrieved < params["total_relevant"]:
            found.append(Mistake("recall over retrieved relevant",
                                 f"divides by the {retrieved} relevant results retrieved "
                                 f"instead of all {params['total_relevant']} relevant documents "
                                 "for the recall", [precision, [h / retrieved for h in hits]]))
        return found

    def mistakes(self, params, answer):
        """The slips in the AP, part (b) and the multiple-choice options."""
        relevant, total = params["relevant"], params["total_relevant"]
        precision, recall = answer["precision"], answer["recall"]
        at_relevant = [p for p, r in zip(precision, relevant) if r]
        retrieved = len(at_relevant)
        # Interpolated precision at rank k: the best precision at rank k or below.
        interpolated = [max(precision[k:]) for k in range(len(precision))]
        return [
            Mistake("over retrieved relevant",
                    f"divides the sum of precisions by the {retrieved} relevant results "
                    f"retrieved instead of all {total} relevant documents",
                    sum(at_relevant) / retrieved),
            Mistake("over all ranks",
                    "averages the precision over every rank, the irrelevant ones included",
                    sum(precision) / len(precision)),
            Mistake("recall for precision",
                    "averages the recall instead of the precision at the relevant ranks",
                    sum(r for r, rel in zip(recall, relevant) if rel) / total),
            Mistake("precision of the list",
                    f"gives the precision of the whole list, $P@{len(relevant)}$, instead of "
                    "averaging over the relevant ranks",
                    precision[-1]),
            Mistake("summed, not averaged",
                    "adds the precisions at the relevant ranks but never divides",
                    sum(at_relevant)),
            Mistake("interpolated precision",
                    "uses the interpolated precision (the best precision at that rank or "
                    "below) at each relevant rank",
                    sum(p for p, r in zip(interpolated, relevant) if r) / total),
        ]
