"""Typesets chunks on a pool of worker threads and cuts them into variant PDFs.

Each worker thread waits on its own pdflatex process, so threads are enough
for parallelism.  A chunk is reused from the previous build's cache when its
source is unchanged; otherwise it is compiled in its own scratch folder.  The
first failure stops every other TeX run, so a broken template is reported in
seconds, not after the rest of a thousand-variant build.
"""

from __future__ import annotations

import threading
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from pathlib import Path

from qbank.build.cache import ChunkCache
from qbank.build.chunks import Chunk
from qbank.build.pdfs import page_counts, split
from qbank.build.progress import ChunkProgress, Progress
from qbank.render.compile import CompileJob, RunningTex, compile_pdf


class ChunkTypesetter:
    def __init__(self, *, build_dir: Path, cache: ChunkCache, jobs: int, progress: Progress,
                 pdf_title: str):
        self._build_dir = build_dir
        self._scratch = build_dir / ".scratch"
        self._scratch.mkdir()
        self._cache = cache
        self._pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="qbank-tex")
        self._running = RunningTex()
        self._progress, self._progress_lock = progress, threading.Lock()
        self._title = pdf_title
        self._futures: list[tuple[Chunk, Future]] = []
        self.reused = 0

    def submit(self, chunk: Chunk) -> None:
        self._futures.append((chunk, self._pool.submit(self._typeset, chunk)))

    def finish(self) -> dict[str, list[Path]]:
        """Wait for every chunk; the chunk PDFs of each paper, in variant order."""
        pending = {future for _, future in self._futures}
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                if future.exception() is not None:
                    self.stop()
                    raise future.exception()
        pdfs: dict[str, list[Path]] = {}
        for chunk, future in sorted(self._futures, key=lambda item: item[0].number):
            pdfs.setdefault(chunk.paper, []).append(future.result())
        self._pool.shutdown()
        return pdfs

    def stop(self) -> None:
        """Cancel queued chunks and kill running TeX (after a failure or an interrupt)."""
        for _, future in self._futures:
            future.cancel()
        self._running.cancel()
        self._pool.shutdown(wait=True)

    def _typeset(self, chunk: Chunk) -> Path:
        progress = ChunkProgress(self._progress, self._progress_lock, len(chunk.labels))
        key = self._cache.key(chunk.tex)
        cached = self._cache.reuse(key)
        if cached is not None:
            with self._progress_lock:
                self.reused += 1
        else:
            folder = self._scratch / f"chunk-{chunk.number:04d}-{chunk.paper}"
            folder.mkdir()
            tex_path = folder / f"{chunk.paper}.tex"
            tex_path.write_text(chunk.tex, encoding="utf-8")
            compiled = compile_pdf(CompileJob(tex_path, chunk.description), running=self._running,
                                   on_variant=progress.variant_typeset)
            pages = page_counts(tex_path.with_suffix(".aux"), chunk.labels)
            cached = self._cache.store(key, compiled.pdf, pages)
        progress.finished()
        split(cached.pdf, cached.pages,
              [self._build_dir / f"variant-{label}" / f"{chunk.paper}.pdf" for label in chunk.labels],
              [f"{self._title}: variant {label}, {chunk.paper}" for label in chunk.labels])
        return cached.pdf
