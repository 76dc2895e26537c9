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
is ready (``folders``: the pid in the folder's name lets the next build sweep
what a killed one left).  Any failure or interrupt stops the TeX workers and
removes the partial folder before it propagates; a file-system error becomes a
``BuildError`` naming the file and the cause.  Chunks whose source did not
change since the previous build are taken from its cache (``--force``
recompiles everything).

The manifest names the spec by its file name and the SHA-256 of its bytes,
not by the path as typed, so the same spec gives the same manifest from
whatever folder qbank was run.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from qbank.assemble import assemble
from qbank.build.cache import ChunkCache
from qbank.build.chunks import available_cpus, batched, chunk_size
from qbank.build.marking import MARKING_SHEET, marking_sheet_tex, sheet_rows
from qbank.build.folders import (create_partial, move_into_place, sweep_leftovers, write_error,
                                 write_text)
from qbank.build.pdfs import join
from qbank.build.progress import Progress
from qbank.build.records import ExamRecords
from qbank.build.typeset import ChunkTypesetter
from qbank.errors import QbankError
from qbank.render.compile import (CompileJob, compile_pdf, pdflatex_version, reads_back,
                                  require_pdflatex)
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
    spec_sha256 = hashlib.sha256(spec_path.read_bytes()).hexdigest()
    out_dir = Path(out) if out is not None else default_out_dir(spec_path)
    try:
        _check_destination(out_dir)
    except OSError as error:
        raise write_error(error, out_dir) from error
    if not tex_only:
        require_pdflatex()
    progress = progress or Progress()
    jobs = jobs or available_cpus()
    size = chunk_size(count, jobs, chunk)

    for report in sweep_leftovers(out_dir):
        on_stage(report)
    partial = create_partial(out_dir)
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
        with ExamRecords(partial, spec, spec_path.name, exam_seed, count,
                         spec_sha256) as records:
            variant_stream = assemble(spec, count, exam_seed)
            sheets = []
            for number, batch in enumerate(batched(variant_stream, size), start=1):
                blocks = {paper: [] for paper in PAPERS}
                for variant in batch:
                    folder = partial / f"variant-{variant.label}"
                    folder.mkdir()
                    for paper, block in zip(PAPERS, variant_blocks(spec, variant)):
                        write_text(folder / f"{paper}.tex", document(openings[paper], [block]))
                        blocks[paper].append(block)
                    records.add(variant)
                    sheets.append(sheet_rows(variant))
                if typesetter is not None:
                    labels = [variant.label for variant in batch]
                    for paper in reversed(PAPERS):  # solutions first: they take longer
                        typesetter.submit(number, paper, labels,
                                          document(openings[paper], blocks[paper]), passes[paper])
        result = BuildResult(out_dir, count, 0)
        marking_tex = partial / f"{MARKING_SHEET}.tex"
        write_text(marking_tex, marking_sheet_tex(spec, sheets))
        if typesetter is not None:
            on_stage("typesetting the marking sheet")
            compiled = compile_pdf(CompileJob(marking_tex, "the marking sheet",
                                              search_path)).pdf
            compiled.replace(partial / f"{MARKING_SHEET}.pdf")
            for leftover in partial.glob(f"{MARKING_SHEET}.*"):
                if leftover.suffix not in (".pdf", ".tex"):
                    leftover.unlink()
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
        move_into_place(partial, out_dir)
        return result
    except BaseException as error:
        if typesetter is not None:
            typesetter.stop()
        # A closed pipe on stderr is the caller's to handle (quietly), not a disk problem.
        if isinstance(error, OSError) and not isinstance(error, BrokenPipeError):
            raise write_error(error, error.filename or partial) from error
        raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
