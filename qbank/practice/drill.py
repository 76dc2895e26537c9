"""``qbank drill``: questions in the terminal, answers checked part by part as they are typed.

Reads from any line source, so it works the same at a keyboard and with piped
answers.  A question of several parts asks for each checked part in turn,
(a), (b), ..., with feedback after each; a part marked by hand is pointed to
the rubric.  After each question it offers the worked solution.  ``q``, the
end of the input or Ctrl-C ends the session; the summary of what was answered
so far (marks per topic, in the parts' weights) is printed in every case.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from typing import Callable, Iterator

from qbank.checker import judge
from qbank.checker.hints import format_hint
from qbank.parts import marks_text
from qbank.practice.selection import PracticeQuestion
from qbank.render.documents import render_fragments
from qbank.render.plaintext import latex_to_text

QUIT = {"q", "quit", "exit"}
MARKS = {"right": "✓", "close": "≈", "mistake": "✗", "wrong": "✗"}


class _Stop(Exception):
    """The student asked to stop (q, end of input)."""


@dataclass
class Score:
    """Marks asked and earned per topic; a part's marks are its weight."""

    asked: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)

    def record(self, topic: str, weight: float, is_right: bool) -> None:
        self.asked[topic] += weight
        self.right[topic] += weight if is_right else 0

    def summary(self) -> str:
        if not self.asked:
            return "No questions answered."
        total_right, total = sum(self.right.values()), sum(self.asked.values())
        width = max(len(topic) for topic in self.asked)
        lines = [f"Score: {marks_text(total_right)} of {marks_text(total)} marks"]
        lines += [f"  {topic.ljust(width)}  "
                  f"{marks_text(self.right[topic])}/{marks_text(self.asked[topic])}"
                  for topic in sorted(self.asked)]
        return "\n".join(lines)


def _ask(read: Callable[[str], str], prompt: str) -> str:
    try:
        line = read(prompt)
    except EOFError:
        raise _Stop from None
    if line.strip().lower() in QUIT:
        raise _Stop
    return line


def _one_part(part: dict, labelled: bool, topic: str, read, say, score: Score) -> None:
    name = f"({part['label']}) " if labelled else ""
    if part["kind"] == "free":
        say(f"  {name}is marked by hand: compare your answer with the rubric in the "
            "worked solution.")
        return
    say(f"  {name}{format_hint(part)}")
    while True:
        verdict = judge(part, _ask(read, f"answer {name}(q to quit)> "))
        if verdict.verdict != "malformed":
            break
        say(f"  {verdict.message} Try again.")
    say(f"  {MARKS[verdict.verdict]} {verdict.message}")
    score.record(topic, part["weight"], verdict.is_right)


def _one(question: PracticeQuestion, count: int, read, say, width: int, score: Score) -> None:
    fragments = render_fragments(question.variant)
    say(f"\nQuestion {question.number} of {count} · {question.topic} · {question.title}")
    say("─" * width)
    say(latex_to_text(fragments.question, width))
    parts = question.check["parts"]
    for part in parts:
        _one_part(part, len(parts) > 1, question.topic, read, say, score)
    if _ask(read, "worked solution? [y/N] ").strip().lower() in ("y", "yes"):
        say("\nWorked solution\n" + "─" * width)
        say(latex_to_text(fragments.solution, width))


def run_drill(questions: Iterator[PracticeQuestion], count: int, *,
              read: Callable[[str], str] = input, say: Callable[[str], None] = print,
              width: int = 88) -> Score:
    """Ask ``count`` questions; return the score, however the session ended."""
    score = Score()
    try:
        for question in islice(questions, count):
            _one(question, count, read, say, width, score)
    except (_Stop, KeyboardInterrupt):
        say("")
    say("\n" + score.summary())
    return score
