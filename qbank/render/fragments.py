"""A variant's LaTeX in pieces: the stem, each part's prompt, working and boxed answer.

A type's question template renders the stem only (the data and what the
question is about); each part's prompt comes from ``parts()``.  Its solution
template marks where the working of part (b) starts with ``\\qbankpart{b}``;
the text before the first marker is working every part shares.  A question of
one part needs no marker.  qbank, not the template, prints the answer box of
each part from the part itself, so the box, the answer key and the checker
show the same value at the same precision.

The exam papers put the pieces together with marks (``questions.tex.j2``);
``question`` and ``solution`` put them together without, for ``qbank show``,
the practice sets and the gallery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qbank.model import Variant
from qbank.parts import Part, marks_text, printed_answer, scaled_rubric
from qbank.registry import get_type
from qbank.render.environment import environment, render

MARKER = re.compile(r"\\qbankpart\{([a-z])\}")


class FragmentError(RuntimeError):
    """A solution template's part markers disagree with the type's parts (a developer's error)."""


@dataclass(frozen=True)
class RenderedPart:
    part: Part
    prompt: str       # LaTeX asking for this part
    working: str      # LaTeX of this part's own working (may be empty)
    answer: str       # LaTeX of the boxed answer, or of the rubric for a free part

    @property
    def label(self) -> str:
        return self.part.label


@dataclass(frozen=True)
class Fragments:
    stem: str
    lead: str                          # working before the first part's
    parts: tuple[RenderedPart, ...]

    @property
    def question(self) -> str:
        """The question with its prompts, without marks or answer space."""
        if len(self.parts) == 1:
            return f"{self.stem}\n\n{self.parts[0].prompt}"
        items = "\n".join(f"\\item[({p.label})] {p.prompt}" for p in self.parts)
        return f"{self.stem}\n\\begin{{enumerate}}\n{items}\n\\end{{enumerate}}"

    @property
    def solution(self) -> str:
        """The worked solution with each part's working and boxed answer."""
        return join_solution(self.lead, [(p, p.working, p.answer) for p in self.parts],
                             labelled=len(self.parts) > 1)

    def working_only(self) -> str:
        """All the working without answer boxes or labels (a multiple-choice item's solution)."""
        return "\n\n".join(text for text in [self.lead, *(p.working for p in self.parts)] if text)


def join_solution(lead: str, pieces, labelled: bool) -> str:
    blocks = [lead] if lead else []
    for part, working, answer in pieces:
        head = f"\\par\\medskip\\noindent\\textbf{{({part.label})}}\\enspace " if labelled else ""
        blocks.append(f"{head}{working}\n\n{answer}".strip())
    return "\n\n".join(blocks)


def render_prompt(prompt: str, context: dict) -> str:
    return environment().from_string(prompt).render(**context).strip()


def answer_box(part: Part, marks: float | None = None) -> str:
    """The boxed answer of a part, or the model answer and rubric of a free part (its points
    shared out over the part's ``marks`` on an exam paper)."""
    if part.kind == "free":
        lines = "\n".join(f"  \\item {marks_text(line.points)}~"
                          f"{'mark' if line.points == 1 else 'marks'}: {line.criterion}"
                          for line in scaled_rubric(part, marks))
        model = f"\\textbf{{Model answer.}} {part.model_answer}\n\n" if part.model_answer else ""
        return f"{model}\\textbf{{Marking rubric.}}\n\\begin{{itemize}}\n{lines}\n\\end{{itemize}}"
    printed = printed_answer(part).tex
    if part.kind in ("letter", "truefalse", "matching"):
        return f"\\finalanswer{{{printed}}}"
    symbol = f"{part.symbol} = " if part.symbol else ""
    return f"\\finalanswer{{${symbol}{printed}$}}"


def split_working(type_id: str, text: str, labels: list[str]) -> tuple[str, list[str]]:
    """The shared lead and each part's working, from the markers in a rendered solution."""
    pieces = MARKER.split(text)
    lead, found = pieces[0], pieces[1::2]
    if len(labels) == 1 and not found:
        return "", [lead.strip()]
    if found != labels:
        raise FragmentError(f"{type_id}: solution template marks parts {found or 'none'}, "
                            f"but the type declares parts {labels}")
    return lead.strip(), [chunk.strip() for chunk in pieces[2::2]]


def render_fragments(variant: Variant) -> Fragments:
    qtype = get_type(variant.type_id)
    context = {"params": variant.params, "answer": variant.answer, "work": variant.work}
    stem = render(qtype.template_name("question"), **context).strip()
    solution = render(qtype.template_name("solution"), **context).strip()
    parts = qtype.parts(variant)
    labels = [part.label for part in parts]
    lead, workings = split_working(qtype.id, solution, labels)
    rendered = tuple(RenderedPart(part, render_prompt(part.prompt, context), working,
                                  answer_box(part))
                     for part, working in zip(parts, workings))
    return Fragments(stem, lead, rendered)
