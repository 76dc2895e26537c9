"""Per-variant PDFs cut from a compiled chunk, and chunks joined for printing.

TeX writes each variant's page count to the chunk's .aux file as it finishes
the variant (``\\qbankpages{label}{n}``, see templates/preamble.tex.j2); those
counts, in order, say where one variant's pages end and the next begin.
pikepdf (qpdf) copies pages between files without re-encoding them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf

from qbank.errors import BuildError

PAGES_LINE = re.compile(r"^\\qbankpages\{([^}]*)\}\{(\d+)\}", re.MULTILINE)


def page_counts(aux_path: Path, labels: list[str]) -> list[int]:
    """Pages of each variant in ``labels``, as the chunk's last TeX pass recorded them."""
    found = PAGES_LINE.findall(aux_path.read_text(encoding="utf-8", errors="replace"))
    if [label for label, _ in found] != labels:
        raise BuildError(f"{aux_path.name}: page counts for variants "
                         f"{[label for label, _ in found]}, expected {labels}")
    return [int(count) for _, count in found]


def split(chunk_pdf: Path, pages: tuple[int, ...], targets: list[Path], titles: list[str]) -> None:
    """Write the consecutive page runs ``pages`` of ``chunk_pdf`` to ``targets``."""
    with pikepdf.open(chunk_pdf) as source:
        if sum(pages) != len(source.pages):
            raise BuildError(f"{chunk_pdf.name}: {len(source.pages)} pages, but the variants "
                             f"account for {sum(pages)}")
        start = 0
        for count, target, title in zip(pages, targets, titles):
            with pikepdf.new() as part:
                part.pages.extend(source.pages[start:start + count])
                part.docinfo["/Title"] = title
                part.save(target)
            start += count


def join(chunk_pdfs: list[Path], target: Path, title: str) -> None:
    """One print-ready PDF of every chunk, in order."""
    if len(chunk_pdfs) == 1:
        shutil.copyfile(chunk_pdfs[0], target)
        return
    sources = [pikepdf.open(path) for path in chunk_pdfs]
    try:
        with pikepdf.new() as whole:
            for source in sources:
                whole.pages.extend(source.pages)
            whole.docinfo["/Title"] = title
            whole.save(target)
    finally:
        for source in sources:
            source.close()
