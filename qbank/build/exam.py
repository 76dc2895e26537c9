"""``qbank build``: a spec becomes a folder of per-variant PDFs, a manifest and an answer key.

Variants stream from the generator into chunks (see ``chunks``); each chunk's
question and solution documents go to TeX on a worker while the next chunk is
generated, and each compiled chunk is cut into per-variant PDFs (``pdfs``).
The chunks of a paper are then joined into the print-ready
``all-questions.pdf`` and ``all-solutions.pdf``.  Every variant also gets its
own standalone ``.tex`` files, which typeset to the same pages.

Everything is written into a hidden partial folder next to the destination and
moved into place only when complete, so an interrupted or failed build never
leaves half an exam behind, and a previous build stays intact until the new one
is ready.  Chunks whose source did not change since the previous build are
taken from its cache (``--force`` recompiles everything).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from qbank.assemble import assemble
from qbank.build.cache import ChunkCache
from qbank.build.chunks import available_cpus, batched, chunk_size
from qbank.build.pdfs import join
from qbank.build.progress import Progress
from qbank.build.records import ExamRecords
from qbank.build.typeset import ChunkTypesetter
from qbank.errors import QbankError
from qbank.render.compile import pdflatex_version, reads_back, require_pdflatex
from qbank.render.documents import PAPERS, document, paper_opening, variant_blocks
from qbank.render.own_templates import assets_digest, tex_search_path
from qbank.spec import load_spec

DEFAULT_OUTPUT = Path("output")


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    variant_count: int
    pdf_count: int
    chunk_count: int = 0
    chunks_reused: int = 0


def default_out_dir(spec_path: Path) -> Path:
    return DEFAULT_OUTPUT / spec_path.stem


def combined_pdf_name(paper: str) -> str:
    return f"all-{paper}.pdf"


def _check_destination(out_dir: Path) -> None:
    """Refuse to replace anything that is not an earlier qbank build."""
    if out_dir.is_file():
        raise QbankError(f"{out_dir}: exists and is a file; choose another --out")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "manifest.json").is_file():
        raise QbankError(f"{out_dir}: folder exists and is not a qbank build; "
                         "choose another --out or empty it")


def _move_into_place(partial: Path, out_dir: Path) -> None:
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.old-"))
        out_dir.rename(old / out_dir.name)
        partial.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        partial.rename(out_dir)


def build_exam(spec_path: str | Path, *, variants: int | None = None, seed: int | None = None,
               out: str | Path | None = None, tex_only: bool = False, jobs: int | None = None,
               chunk: int | None = None, force: bool = False, duplex: bool = False,
               progress: Progress | None = None,
               on_stage: Callable[[str], None] = lambda message: None) -> BuildResult:
    """Build the exam of ``spec_path``; see the module docstring for the guarantees."""
    spec_path = Path(spec_path)
    spec = load_spec(spec_path)
    count = spec.variants if variants is None else variants
    if count < 1:
        raise QbankError(f"number of variants must be at least 1, got {count}")
    if chunk is not None and chunk < 1:
        raise QbankError(f"variants per chunk must be at least 1, got {chunk}")
    exam_seed = spec.seed if seed is None else seed
    out_dir = Path(out) if out is not None else default_out_dir(spec_path)
    _check_destination(out_dir)
    if not tex_only:
        require_pdflatex()
    progress = progress or Progress()
    jobs = jobs or available_cpus()
    size = chunk_size(count, jobs, chunk)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.partial-"))
    typesetter = None
    try:
        openings = {paper: paper_opening(spec, paper) for paper in PAPERS}
        passes = {paper: 2 if reads_back(openings[paper]) else 1 for paper in PAPERS}
        if not tex_only:
            engine, search_path = pdflatex_version(), None
            if spec.templates:
                # The lecturer's logo is read by TeX, not written into the LaTeX.
                engine += f"\nassets {assets_digest(Path(spec.templates))}"
                search_path = tex_search_path(Path(spec.templates))
            cache = ChunkCache(None if force or not out_dir.is_dir() else out_dir, partial,
                               engine)
            typesetter = ChunkTypesetter(build_dir=partial, cache=cache, jobs=jobs,
                                         progress=progress, pdf_title=spec.title,
                                         search_path=search_path)
            on_stage(f"typesetting {count} variant(s) of {spec.question_count} question(s) "
                     f"in {-(-count // size)} chunk(s) per paper on {jobs} worker(s)")
            progress.start(count * sum(passes.values()))
        else:
            on_stage(f"generating {count} variant(s) of {spec.question_count} question(s)")
        with ExamRecords(partial, spec, str(spec_path), exam_seed, count) as records:
            variant_stream = assemble(spec, count, exam_seed)
            for number, batch in enumerate(batched(variant_stream, size), start=1):
                blocks = {paper: [] for paper in PAPERS}
                for variant in batch:
                    folder = partial / f"variant-{variant.label}"
                    folder.mkdir()
                    for paper, block in zip(PAPERS, variant_blocks(spec, variant)):
                        (folder / f"{paper}.tex").write_text(document(openings[paper], [block]),
                                                             encoding="utf-8")
                        blocks[paper].append(block)
                    records.add(variant)
                if typesetter is not None:
                    labels = [variant.label for variant in batch]
                    for paper in reversed(PAPERS):  # solutions first: they take longer
                        typesetter.submit(number, paper, labels,
                                          document(openings[paper], blocks[paper]), passes[paper])
        result = BuildResult(out_dir, count, 0)
        if typesetter is not None:
            chunks = typesetter.finish()
            for paper in PAPERS:
                name = combined_pdf_name(paper)
                layout = ["duplex"] if duplex else []
                if not cache.carry_over_joined(name, [key for key, _ in chunks[paper]] + layout):
                    join([chunk for _, chunk in chunks[paper]], partial / name,
                         f"{spec.title}: {paper}, all variants", duplex)
            result = BuildResult(out_dir, count, len(PAPERS) * count,
                                 sum(len(paper_chunks) for paper_chunks in chunks.values()),
                                 typesetter.reused)
            shutil.rmtree(partial / ".scratch")
        _move_into_place(partial, out_dir)
        return result
    except BaseException:
        if typesetter is not None:
            typesetter.stop()
        raise
    finally:
        if partial.exists():
            shutil.rmtree(partial, ignore_errors=True)
