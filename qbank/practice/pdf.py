"""A practice set as one PDF: the questions, then every answer and worked solution."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from qbank.practice.selection import PracticeQuestion
from qbank.render.compile import CompileJob, compile_pdf, require_pdflatex
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
                      "solution_tex": fragments.solution, "prompt": question.prompt})
    exam = {"title": escape(TITLE), "course": escape(COURSE), "date": "", "instructions": []}
    return render("practice.tex.j2", exam=exam, items=items, seed=seed)


def build_practice_pdf(questions: list[PracticeQuestion], seed: int, out: Path) -> Path:
    """Compile in a temporary folder; ``out`` appears only when TeX succeeded."""
    require_pdflatex()
    with tempfile.TemporaryDirectory(prefix="qbank-practice-") as folder:
        tex_path = Path(folder) / "practice.tex"
        tex_path.write_text(practice_tex(questions, seed), encoding="utf-8")
        pdf = compile_pdf(CompileJob(tex_path, "the practice set")).pdf
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.partial")
        shutil.copyfile(pdf, partial)
        partial.replace(out)
    return out
