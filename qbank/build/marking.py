"""``marking-sheet.pdf``: per variant, a page of every part's answer, allowance and marks.

The rows come from the same parts as the answer key and the solution papers,
so the three always agree: the answer as printed (at the precision asked),
what the checker allows around it, and the part's marks.  One document holds
every variant, each starting on its own page.
"""

from __future__ import annotations

from qbank.assemble import ExamVariant, tolerance_text
from qbank.parts import marks_text, printed_answer, scaled_rubric
from qbank.render.documents import exam_context
from qbank.render.environment import render

MARKING_SHEET = "marking-sheet"


def _answer_cell(marked, choice) -> str:
    part = marked.part
    if choice is not None:
        return f"({choice.correct})"
    if part.kind == "free":
        return "by the rubric: " + "; ".join(
            f"{marks_text(line.points)} for {line.criterion}"
            for line in scaled_rubric(part, marked.marks))
    tex = printed_answer(part).tex
    return tex if part.kind in ("letter", "truefalse", "matching") else f"${tex}$"


def _allowed(marked) -> str:
    text = tolerance_text(marked.part)
    return text.replace("%", r"\%").replace("\u00b1", r"$\pm$")


def sheet_rows(variant: ExamVariant) -> dict:
    rows = []
    for q in variant.questions:
        count = len(q.parts)
        for index, marked in enumerate(q.parts):
            rows.append({"question": q.slot, "first": index == 0, "last": index == count - 1,
                         "part": f"({marked.label})" if count > 1 else "",
                         "answer": _answer_cell(marked, q.choice),
                         "allowed": "" if q.choice else _allowed(marked),
                         "marks": marks_text(marked.marks)})
    return {"label": variant.label, "rows": rows, "total": variant.total_points}


def marking_sheet_tex(spec, sheets: list[dict]) -> str:
    """The whole marking sheet of the build from each variant's ``sheet_rows``."""
    return render("marking.tex.j2", overrides=spec.templates or None, exam=exam_context(spec),
                  variants=sheets)
