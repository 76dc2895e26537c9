"""``qbank build``: a spec becomes a folder of per-variant PDFs, a manifest and an answer key.

Everything is written into a hidden partial folder next to the destination and
moved into place only when complete, so an interrupted or failed build never
leaves half an exam behind, and a previous build stays intact until the new one
is ready.  TeX runs are independent, so they go to a thread pool (each thread
waits on its own pdflatex process).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from qbank.assemble import ExamVariant, answer_key_csv, assemble, manifest
from qbank.errors import QbankError
from qbank.render.compile import CompileJob, compile_pdf, require_latexmk
from qbank.render.documents import render_papers
from qbank.spec import load_spec

PAPERS = ("questions", "solutions")
DEFAULT_OUTPUT = Path("output")


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    variant_count: int
    pdf_count: int


class Progress:
    """What a build reports while it compiles; the CLI draws it as a bar."""

    def start(self, total: int) -> None:
        pass

    def advance(self) -> None:
        pass


def default_out_dir(spec_path: Path) -> Path:
    return DEFAULT_OUTPUT / spec_path.stem


def _check_destination(out_dir: Path) -> None:
    """Refuse to replace anything that is not an earlier qbank build."""
    if out_dir.is_file():
        raise QbankError(f"{out_dir}: exists and is a file; choose another --out")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "manifest.json").is_file():
        raise QbankError(f"{out_dir}: folder exists and is not a qbank build; "
                         "choose another --out or empty it")


def _write_variant(spec, variant: ExamVariant, folder: Path, scratch: Path) -> list[CompileJob]:
    """Write both papers' TeX into the variant folder and a scratch copy to compile."""
    folder.mkdir()
    jobs = []
    for paper, source in zip(PAPERS, render_papers(spec, variant)):
        (folder / f"{paper}.tex").write_text(source, encoding="utf-8")
        work = scratch / f"{variant.label}-{paper}"
        work.mkdir()
        tex_path = work / f"{paper}.tex"
        tex_path.write_text(source, encoding="utf-8")
        jobs.append(CompileJob(tex_path, f"variant {variant.label} {paper} paper"))
    return jobs


def _compile_all(jobs: list[CompileJob], workers: int, progress: Progress) -> list[Path]:
    progress.start(len(jobs))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = {pool.submit(compile_pdf, job) for job in jobs}
        pdfs = []
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                if future.exception() is not None:
                    for other in pending:
                        other.cancel()
                    raise future.exception()
                pdfs.append(future.result())
                progress.advance()
    return pdfs


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
               progress: Progress | None = None,
               on_stage: Callable[[str], None] = lambda message: None) -> BuildResult:
    """Build the exam of ``spec_path``; see the module docstring for the guarantees."""
    spec_path = Path(spec_path)
    spec = load_spec(spec_path)
    count = spec.variants if variants is None else variants
    if count < 1:
        raise QbankError(f"number of variants must be at least 1, got {count}")
    exam_seed = spec.seed if seed is None else seed
    out_dir = Path(out) if out is not None else default_out_dir(spec_path)
    _check_destination(out_dir)
    if not tex_only:
        require_latexmk()
    progress = progress or Progress()

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.partial-"))
    try:
        scratch = partial / ".scratch"
        scratch.mkdir()
        on_stage(f"generating {count} variant(s) of {spec.question_count} question(s)")
        exam_variants, compile_jobs, folders = [], [], {}
        for variant in assemble(spec, count, exam_seed):
            folder = partial / f"variant-{variant.label}"
            compile_jobs += _write_variant(spec, variant, folder, scratch)
            exam_variants.append(variant)
            folders[variant.label] = folder
        (partial / "manifest.json").write_text(
            json.dumps(manifest(spec, str(spec_path), exam_seed, exam_variants), indent=1,
                       ensure_ascii=False) + "\n", encoding="utf-8")
        (partial / "answer-key.csv").write_text(answer_key_csv(exam_variants), encoding="utf-8")
        pdf_count = 0
        if not tex_only:
            workers = jobs or os.cpu_count() or 1
            for pdf in _compile_all(compile_jobs, workers, progress):
                label = pdf.parent.name.rsplit("-", 1)[0]
                shutil.copyfile(pdf, folders[label] / pdf.name)
                pdf_count += 1
        shutil.rmtree(scratch)
        _move_into_place(partial, out_dir)
    finally:
        if partial.exists():
            shutil.rmtree(partial, ignore_errors=True)
    return BuildResult(out_dir, count, pdf_count)
