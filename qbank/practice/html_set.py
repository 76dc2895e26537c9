"""A practice set as one offline HTML page whose Check buttons judge the answers.

The page carries each question's check data (see ``qbank.checker``) and the
browser checker (``checker.js``), so it needs no server and no network.
"""

from __future__ import annotations

from pathlib import Path

from qbank.practice.page import practice_html
from qbank.practice.selection import PracticeQuestion
from qbank.render.documents import render_fragments
from qbank.render.html import fragment_html

TITLE = "Deep Learning practice set"


def practice_page(questions: list[PracticeQuestion], seed: int) -> str:
    items = []
    for question in questions:
        fragments = render_fragments(question.variant)
        items.append({"number": question.number, "type_id": question.variant.type_id,
                      "title": question.title, "topic": question.topic,
                      "question_html": fragment_html(fragments.question),
                      "solution_html": fragment_html(fragments.solution),
                      "check": question.check})
    return practice_html(f"{TITLE} (seed {seed})", items)


def write_practice_html(questions: list[PracticeQuestion], seed: int, out: Path) -> Path:
    """Write the page; ``out`` appears only once it is complete."""
    page = practice_page(questions, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(page, encoding="utf-8")
    partial.replace(out)
    return out
