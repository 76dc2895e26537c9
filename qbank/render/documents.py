"""Renders a question type's fragments and the question and solution papers of an exam.

A paper document is an opening (``paper.tex.j2``: class, preamble,
``\\begin{document}``), one block per variant, and ``\\end{document}``.  A
build puts many variants' blocks in one document so that TeX starts once per
chunk instead of once per paper; a variant's own ``.tex`` file is the same
opening around its single block, so both print the same pages.

User text (title, course, date, instructions) is escaped here, once, before
it reaches any template; type templates only ever see numbers and the
strings their own ``sample`` chose.
"""

from __future__ import annotations

from dataclasses import dataclass

from qbank.model import Variant
from qbank.registry import get_type
from qbank.render.environment import render
from qbank.render.filters import text as escape

PAPERS = ("questions", "solutions")
END_DOCUMENT = "\\end{document}\n"


@dataclass(frozen=True)
class Fragments:
    """The rendered LaTeX of one variant: question body and worked solution."""

    question: str
    solution: str


def render_fragments(variant: Variant) -> Fragments:
    qtype = get_type(variant.type_id)
    context = {"params": variant.params, "answer": variant.answer, "work": variant.work}
    return Fragments(render(qtype.template_name("question"), **context).strip(),
                     render(qtype.template_name("solution"), **context).strip())


def _paragraphs(instructions: str) -> list[str]:
    """Blank-line separated paragraphs of the spec's instructions, escaped."""
    blocks = [" ".join(block.split()) for block in instructions.split("\n\n")]
    return [escape(block) for block in blocks if block]


def exam_context(spec) -> dict:
    return {"title": escape(spec.title), "course": escape(spec.course),
            "date": escape(spec.date), "instructions": _paragraphs(spec.instructions)}


def paper_opening(spec, paper: str) -> str:
    """Everything of a ``paper`` document ("questions" or "solutions") before the variants."""
    return render("paper.tex.j2", overrides=spec.templates or None, exam=exam_context(spec),
                  answers=paper == "solutions")


def variant_blocks(spec, exam_variant) -> tuple[str, str]:
    """One variant's block of the question document and of the solution document."""
    questions = []
    for q in exam_variant.questions:
        fragments = render_fragments(q.variant)
        questions.append({"slot": q.slot, "type_id": q.type_id, "seed": q.seed,
                          "points": q.points, "answer_space": q.answer_space,
                          "question_tex": fragments.question,
                          "solution_tex": fragments.solution,
                          "choice": q.choice})
    context = {"exam": exam_context(spec), "variant": {"label": exam_variant.label},
               "questions": questions, "total_points": exam_variant.total_points}
    overrides = spec.templates or None
    return (render("questions.tex.j2", overrides=overrides, **context),
            render("solutions.tex.j2", overrides=overrides, **context))


def document(opening: str, blocks) -> str:
    """A complete paper document from its opening and variant blocks."""
    return opening + "".join(blocks) + END_DOCUMENT


def render_papers(spec, exam_variant) -> tuple[str, str]:
    """Standalone LaTeX of the question paper and the solution paper of one variant."""
    blocks = variant_blocks(spec, exam_variant)
    return tuple(document(paper_opening(spec, paper), [block])
                 for paper, block in zip(PAPERS, blocks))
