"""``qbank gallery``: one PDF with a variant of every registered type, for browsing the bank.

Types are grouped by topic, each shown with its id, source, question and
worked solution; the PDF is compiled in a temporary folder and moved to its
destination only when TeX succeeded.  Every type is rendered only once the
destination is known to be writable: a mistyped ``--out`` fails at once, not
after seconds of rendering.
"""

from __future__ import annotations

from pathlib import Path

from qbank.registry import all_types
from qbank.render.compile import compile_to, require_pdflatex
from qbank.render.documents import render_fragments
from qbank.render.environment import render
from qbank.render.filters import text as escape

DEFAULT_GALLERY = Path("output") / "gallery.pdf"


def gallery_tex(seed: int) -> str:
    """The LaTeX of the gallery: every type at ``seed``, sorted by topic then id."""
    types = sorted(all_types().values(), key=lambda t: (t.topic, t.id))
    entries = []
    for slot, qtype in enumerate(types, start=1):
        fragments = render_fragments(qtype.draw(seed))
        entries.append({"slot": slot, "type_id": qtype.id, "title": escape(qtype.title),
                        "topic": escape(qtype.topic), "source": qtype.source,
                        "kind": qtype.kind, "question_tex": fragments.question,
                        "solution_tex": fragments.solution})
    exam = {"title": "qbank gallery", "course": "Deep Learning question bank", "date": "",
            "instructions": []}
    return render("gallery.tex.j2", exam=exam, variant={"label": "gallery"},
                  entries=entries, seed=seed)


def build_gallery(seed: int = 0, out: str | Path | None = None) -> Path:
    out = Path(out) if out is not None else DEFAULT_GALLERY
    require_pdflatex()  # before the work of rendering every type
    return compile_to(lambda: gallery_tex(seed), out, "the gallery")
