"""A practice set as one PDF: the questions, then every answer and worked solution."""

from __future__ import annotations

from pathlib import Path

from qbank.practice.selection import PracticeQuestion
from qbank.render.compile import compile_to
from qbank.render.documents import render_fragments
from qbank.render.environment import render
from qbank.render.filters import text as escape

TITLE = "Deep Learning practice set"
COURSE = "Deep Learning"


def practice_tex(questions: list[PracticeQuestion], seed: int) -> str:
    items = []
    for question in questions:
        fragments = render_fragments(question.variant)
        items.append({"number": question.number, "type_id": question.variant.type_id,
                      "seed": question.variant.seed, "topic": question.topic,
                      "title": question.title, "question_tex": fragments.question,
                      "solution_tex": fragments.solution})
    exam = {"title": escape(TITLE), "course": escape(COURSE), "date": "", "instructions": []}
    return render("practice.tex.j2", exam=exam, items=items, seed=seed)


def build_practice_pdf(questions: list[PracticeQuestion], seed: int, out: Path) -> Path:
    """``out`` appears only when TeX succeeded; an unwritable ``out`` fails before any work."""
    return compile_to(lambda: practice_tex(questions, seed), out, "the practice set")
