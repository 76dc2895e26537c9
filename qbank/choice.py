"""One part of a question asked as multiple choice, with distractors from modelled mistakes.

A type names the part the options offer (``choice_part``); that part's
``mistakes`` give the distractors.  The options are the part's answer and the
first three mistakes whose printed form differs from it and from each other;
their order comes from the variant's seed (a stream of its own, so the
question's numbers are the same as in the open format).  The solution names
the mistake behind every wrong option.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from qbank.errors import QbankError
from qbank.model import QuestionType, Variant
from qbank.parts import Part, printed_answer
from qbank.rng import rng_for

LETTERS = string.ascii_uppercase
DISTRACTORS = 3


@dataclass(frozen=True)
class Mistake:
    """A wrong answer and the slip that produces it."""

    name: str           # short, for the manifest: "no bias"
    explanation: str    # LaTeX sentence for the solution: "counts the weights but not the biases"
    value: object       # in the shape of the part it is a mistake in


def mistakes_by_part(slips, count: int) -> tuple[list[Mistake], ...]:
    """One slip's values spread over the parts it affects.

    Each slip is ``(name, explanation, value_a, value_b, ...)`` with a value per part,
    None where the slip leaves that part right; the result is the mistake list of each
    of the ``count`` parts, in the slips' order.
    """
    by_part = tuple([] for _ in range(count))
    for name, explanation, *values in slips:
        for mistakes, value in zip(by_part, values):
            if value is not None:
                mistakes.append(Mistake(name, explanation, value))
    return by_part


@dataclass(frozen=True)
class Option:
    letter: str
    tex: str
    mistake: Mistake | None  # None for the correct option


@dataclass(frozen=True)
class Choice:
    prompt: str
    options: tuple[Option, ...]
    part: str = "a"      # label of the part the options offer

    @property
    def correct(self) -> str:
        return next(o.letter for o in self.options if o.mistake is None)

    def to_json(self) -> dict:
        return {"part": self.part, "correct": self.correct,
                "options": {o.letter: (o.mistake.name if o.mistake else "correct")
                            for o in self.options}}


def supports_choice(qtype: QuestionType) -> bool:
    return bool(qtype.choice_part)


def offered_part(qtype: QuestionType, variant: Variant) -> Part:
    """The part whose value the options offer."""
    return next(part for part in qtype.parts(variant) if part.label == qtype.choice_part)


class NotEnoughDistractors(ValueError):
    """A variant whose mistakes collapse onto fewer than three distinct options."""


def option_tex(part: Part, value) -> str:
    """LaTeX (math mode) of one option; equal strings count as equal options."""
    return printed_answer(part, value).tex


def distinct_distractors(part: Part) -> list[tuple[str, Mistake]]:
    seen, found = {option_tex(part, part.answer)}, []
    for mistake in part.mistakes:
        tex = option_tex(part, mistake.value)
        if tex not in seen:
            seen.add(tex)
            found.append((tex, mistake))
    return found[:DISTRACTORS]


def make_choice(qtype: QuestionType, variant: Variant) -> Choice:
    """The four options of ``variant``, shuffled by its seed."""
    if not supports_choice(qtype):
        raise QbankError(f"{qtype.id} cannot be asked as multiple choice")
    part = offered_part(qtype, variant)
    distractors = distinct_distractors(part)
    if len(distractors) < DISTRACTORS:
        raise NotEnoughDistractors(f"{qtype.id} seed {variant.seed}: only {len(distractors)} "
                                   "distinct distractors")
    entries = [(option_tex(part, part.answer), None), *distractors]
    order = rng_for(qtype.id + "#choice", variant.seed).permutation(len(entries))
    options = tuple(Option(LETTERS[position], *entries[int(index)])
                    for position, index in enumerate(order))
    return Choice(_as_sentence(render_prompt(part.prompt, variant)), options, part.label)


def _as_sentence(prompt: str) -> str:
    """A part's prompt, written as an item of a list of parts, ends the question here."""
    prompt = prompt.strip()
    return prompt[:-1] + "." if prompt.endswith(";") else prompt


def render_prompt(prompt: str, variant: Variant) -> str:
    """A prompt is a template too, so it can name the variant's numbers (n = 75)."""
    from qbank.render.environment import environment

    return environment().from_string(prompt).render(
        params=variant.params, answer=variant.answer, work=variant.work)
