"""Every part of an answer judged, and the score in the parts' weights.

A response per part label goes to ``verdict.judge`` with that part's check
data; a part left out is *unanswered* (no marks, but not an error), and a free
part is never judged: it is marked by a person against its rubric and left out
of the score.  The browser page does the same per part (``checker.js``).
"""

from __future__ import annotations

from dataclasses import dataclass

from qbank.checker.verdict import Verdict, judge

UNANSWERED = Verdict("unanswered", "Not answered.")
UNMARKED = Verdict("unmarked", "Marked by hand against the rubric of the worked solution.")


@dataclass(frozen=True)
class PartVerdict:
    label: str
    weight: float
    verdict: Verdict

    @property
    def counts(self) -> bool:
        """Whether the part is in the score (a free part is not)."""
        return self.verdict.verdict != "unmarked"


@dataclass(frozen=True)
class Marking:
    parts: tuple[PartVerdict, ...]

    @property
    def score(self) -> float:
        return sum(part.weight for part in self.parts if part.verdict.is_right)

    @property
    def out_of(self) -> float:
        return sum(part.weight for part in self.parts if part.counts)

    @property
    def all_right(self) -> bool:
        return all(part.verdict.is_right for part in self.parts if part.counts)

    @property
    def unreadable(self) -> list[PartVerdict]:
        return [part for part in self.parts if part.verdict.verdict == "malformed"]


def mark(data: dict, responses: dict[str, str]) -> Marking:
    """Judge ``responses`` (label -> typed answer) against ``data`` (``check_data``)."""
    verdicts = []
    for part in data["parts"]:
        if part["kind"] == "free":
            verdict = UNMARKED
        elif part["label"] in responses:
            verdict = judge(part, responses[part["label"]])
        else:
            verdict = UNANSWERED
        verdicts.append(PartVerdict(part["label"], part["weight"], verdict))
    return Marking(tuple(verdicts))

