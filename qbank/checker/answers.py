"""``qbank check``: answers given per part label, judged, and printed a line per part.

``--answer a=0.665 --answer b=[1, 2]`` names each part; a question of a
single part also takes a bare ``--answer 0.665``.  A label the question does
not have, a part answered twice, or an answer that cannot be read is bad
input (exit 2), reported in one line before anything is judged as right or
wrong, so a script never mistakes a typo for a wrong answer.
"""

from __future__ import annotations

import re

from qbank.checker.expected import check_data
from qbank.checker.marking import Marking, mark
from qbank.parts import marks_text
from qbank.errors import QbankError
from qbank.registry import get_type

LABELLED = re.compile(r"^\s*([a-z])\s*=(.*)$", re.DOTALL)
VERDICT_WORDS = {"right": "right", "close": "close", "mistake": "mistake", "wrong": "wrong",
                 "unanswered": "unanswered", "malformed": "unreadable",
                 "unmarked": "marked by hand"}


def parse_answers(answers, labels: list[str]) -> dict[str, str]:
    """``("a=1", "b=2")`` -> ``{"a": "1", "b": "2"}``; a bare answer is part (a) of a one-part question."""
    responses: dict[str, str] = {}
    for answer in answers:
        match = LABELLED.match(answer)
        if match and (match[1] in labels or len(labels) > 1):
            label, value = match[1], match[2]
        elif len(labels) == 1:
            label, value = labels[0], answer
        else:
            raise QbankError(f"this question has parts {', '.join(labels)}: give each as "
                             f"--answer LABEL=VALUE, e.g. --answer {labels[0]}=...")
        if label not in labels:
            raise QbankError(f"unknown part {label!r}; this question has parts "
                             f"{', '.join(labels)}")
        if label in responses:
            raise QbankError(f"part {label} is answered twice")
        responses[label] = value
    return responses


def verdict_lines(marking: Marking) -> list[str]:
    lines = []
    for part in marking.parts:
        verdict = part.verdict
        word = VERDICT_WORDS[verdict.verdict]
        shown = "" if verdict.verdict in ("right", "wrong", "unanswered") else f": {verdict.message}"
        lines.append(f"({part.label}) {word}{shown}")
    lines.append(f"score: {marks_text(marking.score)}/{marks_text(marking.out_of)}")
    return lines


def check_command(type_id: str, seed: int, answers) -> tuple[list[str], int]:
    """The lines ``qbank check`` prints and its exit code."""
    data = check_data(get_type(type_id).draw(seed))
    labels = [part["label"] for part in data["parts"]]
    if not any(part["kind"] != "free" for part in data["parts"]):
        raise QbankError(f"{type_id} seed {seed} is marked by hand, not checked "
                         f"automatically; see its rubric: qbank show {type_id} --seed {seed}")
    marking = mark(data, parse_answers(answers, labels))
    if marking.unreadable:
        first = marking.unreadable[0]
        raise QbankError(f"part {first.label}: {first.verdict.message}")
    return verdict_lines(marking), 0 if marking.all_right else 1
