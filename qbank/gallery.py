"""``qbank gallery``: one PDF with a variant of every registered type, for browsing the bank.

Types are grouped by topic, each shown with its id, source, question and
worked solution; the PDF is compiled in a temporary folder and moved to its
destination only when TeX succeeded.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from qbank.registry import all_types
from qbank.render.compile import CompileJob, compile_pdf, require_pdflatex
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
    require_pdflatex()
    out = Path(out) if out is not None else DEFAULT_GALLERY
    with tempfile.TemporaryDirectory(prefix="qbank-gallery-") as folder:
        tex_path = Path(folder) / "gallery.tex"
        tex_path.write_text(gallery_tex(seed), encoding="utf-8")
        pdf = compile_pdf(CompileJob(tex_path, "the gallery")).pdf
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.partial")
        shutil.copyfile(pdf, partial)
        partial.replace(out)
    return out
