"""Numeric questions asked as multiple choice, with distractors from modelled mistakes.

A type that sets ``choice_prompt`` (a template line that sees ``params``)
and implements ``choice_value`` and ``mistakes`` can be asked with
``format: choice``.  The options are the correct
value and the first three mistakes whose printed form differs from it and from
each other; their order comes from the variant's seed (a stream of its own, so
the question's numbers are the same as in the open format).  The solution
names the mistake behind every wrong option.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from qbank.errors import QbankError
from qbank.model import QuestionType, Variant
from qbank.rng import rng_for

LETTERS = string.ascii_uppercase
DISTRACTORS = 3


@dataclass(frozen=True)
class Mistake:
    """A wrong answer and the slip that produces it."""

    name: str           # short, for the manifest: "no bias"
    explanation: str    # LaTeX sentence for the solution: "counts the weights but not the biases"
    value: object       # same shape as the type's choice_value


@dataclass(frozen=True)
class Option:
    letter: str
    tex: str
    mistake: Mistake | None  # None for the correct option


@dataclass(frozen=True)
class Choice:
    prompt: str
    options: tuple[Option, ...]

    @property
    def correct(self) -> str:
        return next(o.letter for o in self.options if o.mistake is None)

    def to_json(self) -> dict:
        return {"correct": self.correct,
                "options": {o.letter: (o.mistake.name if o.mistake else "correct")
                            for o in self.options}}


def supports_choice(qtype: QuestionType) -> bool:
    return bool(qtype.choice_prompt)


class NotEnoughDistractors(ValueError):
    """A variant whose mistakes collapse onto fewer than three distinct options."""


def distinct_distractors(qtype: QuestionType, variant: Variant) -> list[tuple[str, Mistake]]:
    correct = qtype.format_option(qtype.choice_value(variant.answer))
    seen, found = {correct}, []
    for mistake in qtype.mistakes(variant.params, variant.answer):
        tex = qtype.format_option(mistake.value)
        if tex not in seen:
            seen.add(tex)
            found.append((tex, mistake))
    return found[:DISTRACTORS]


def make_choice(qtype: QuestionType, variant: Variant) -> Choice:
    """The four options of ``variant``, shuffled by its seed."""
    if not supports_choice(qtype):
        raise QbankError(f"{qtype.id} cannot be asked as multiple choice")
    distractors = distinct_distractors(qtype, variant)
    if len(distractors) < DISTRACTORS:
        raise NotEnoughDistractors(f"{qtype.id} seed {variant.seed}: only {len(distractors)} "
                                   "distinct distractors")
    entries = [(qtype.format_option(qtype.choice_value(variant.answer)), None), *distractors]
    order = rng_for(qtype.id + "#choice", variant.seed).permutation(len(entries))
    options = tuple(Option(LETTERS[position], *entries[int(index)])
                    for position, index in enumerate(order))
    return Choice(render_prompt(qtype, variant), options)


def render_prompt(qtype: QuestionType, variant: Variant) -> str:
    """The prompt is a template too, so it can name the variant's numbers (n = 75)."""
    from qbank.render.environment import environment

    return environment().from_string(qtype.choice_prompt).render(
        params=variant.params, answer=variant.answer, work=variant.work)
