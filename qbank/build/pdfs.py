"""Per-variant PDFs cut from a compiled chunk, and chunks joined for printing.

TeX writes each variant's page count to the chunk's .aux file as it finishes
the variant (``\\qbankpages{label}{n}``, see qbank/templates/preamble.tex.j2); those
counts, in order, say where one variant's pages end and the next begin.
pikepdf (qpdf) copies pages between files without re-encoding them.  A write
that fails names the PDF that could not be written (``folders.writing``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf

from qbank.build.cache import CachedChunk
from qbank.build.folders import writing
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
                with writing(target):
                    part.save(target)
            start += count


def join(chunks: list[CachedChunk], target: Path, title: str, duplex: bool = False) -> None:
    """One print-ready PDF of every chunk, in order.

    With ``duplex``, a variant with an odd number of pages is followed by a
    blank page, so that every variant starts on a new sheet when the file is
    printed double-sided.
    """
    if len(chunks) == 1 and not duplex:
        with writing(target):
            shutil.copyfile(chunks[0].pdf, target)
        return
    sources = [pikepdf.open(chunk.pdf) for chunk in chunks]
    try:
        with pikepdf.new() as whole:
            for chunk, source in zip(chunks, sources):
                start = 0
                for count in chunk.pages:
                    whole.pages.extend(source.pages[start:start + count])
                    start += count
                    if duplex and count % 2:
                        box = [float(x) for x in source.pages[start - 1].mediabox]
                        whole.add_blank_page(page_size=(box[2] - box[0], box[3] - box[1]))
            whole.docinfo["/Title"] = title
            with writing(target):
                whole.save(target)
    finally:
        for source in sources:
            source.close()
