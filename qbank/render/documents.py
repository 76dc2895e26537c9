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


from qbank.parts import marks_text
from qbank.render.environment import render
from qbank.render.fragments import (Fragments, answer_box,  # noqa: F401 (callers import here)
                                    render_fragments)
from qbank.render.filters import text as escape

PAPERS = ("questions", "solutions")
END_DOCUMENT = "\\end{document}\n"


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


# An item's answer space shared by its parts, never less than this each.
MIN_PART_SPACE_CM = 2.5


def part_space(answer_space: str, count: int) -> str:
    """The answer space of one of ``count`` parts: an equal share, at least 2.5 cm."""
    if count == 1:
        return answer_space
    from qbank.spec import length_cm

    share = length_cm(answer_space) / count
    return f"{max(share, MIN_PART_SPACE_CM):.1f}cm"


def _question_context(q) -> dict:
    fragments = render_fragments(q.variant)
    rendered = {part.label: part for part in fragments.parts}
    space = part_space(q.answer_space, len(q.parts))
    parts = [{"label": marked.label, "marks": marks_text(marked.marks), "space": space,
              "prompt": rendered[marked.label].prompt,
              "working": rendered[marked.label].working,
              "answer": answer_box(marked.part, marked.marks)} for marked in q.parts]
    return {"slot": q.slot, "type_id": q.type_id, "seed": q.seed,
            "points": q.points, "answer_space": q.answer_space,
            "question_tex": fragments.stem,
            "lead": fragments.lead, "parts": parts,
            "solution_tex": fragments.working_only() if q.choice else fragments.solution,
            "choice": q.choice}


def variant_blocks(spec, exam_variant) -> tuple[str, str]:
    """One variant's block of the question document and of the solution document."""
    questions = [_question_context(q) for q in exam_variant.questions]
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
