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

from qbank.build.cache import CachedChunk, ChunkCache
from qbank.build.chunks import Chunk
from qbank.build.folders import write_text
from qbank.build.pdfs import page_counts, split
from qbank.build.progress import ChunkProgress, Progress
from qbank.render.compile import CompileJob, RunningTex, compile_pdf


class ChunkTypesetter:
    def __init__(self, *, build_dir: Path, cache: ChunkCache, jobs: int, progress: Progress,
                 pdf_title: str, search_path: str | None = None):
        self._build_dir = build_dir
        self._scratch = build_dir / ".scratch"
        self._scratch.mkdir()
        self._cache = cache
        self._pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="qbank-tex")
        self._running = RunningTex()
        self._progress, self._progress_lock = progress, threading.Lock()
        self._title = pdf_title
        self._search_path = search_path
        # (chunk number, paper, future); a chunk's LaTeX waits on disk, not here.
        self._futures: list[tuple[int, str, Future]] = []
        # Generation is faster than TeX: without a bound, every chunk's LaTeX
        # would wait in memory.  With one, memory stays flat as variants grow.
        self._slots = threading.BoundedSemaphore(2 * jobs + 2)
        self.reused = 0

    def submit(self, number: int, paper: str, labels: list[str], tex: str,
               expected_passes: int) -> None:
        """Queue a chunk; waits while enough chunks are queued, raises an earlier failure."""
        folder = self._scratch / f"chunk-{number:04d}-{paper}"
        folder.mkdir()
        tex_path = folder / f"{paper}.tex"
        write_text(tex_path, tex)
        chunk = Chunk(number, paper, labels, tex_path, self._cache.key(tex), expected_passes)
        self._slots.acquire()
        for _, _, future in self._futures:
            if future.done() and future.exception() is not None:
                self._slots.release()
                self.stop()
                raise future.exception()
        future = self._pool.submit(self._typeset, chunk)
        future.add_done_callback(lambda _: self._slots.release())
        self._futures.append((chunk.number, chunk.paper, future))

    def finish(self) -> dict[str, list[tuple[str, CachedChunk]]]:
        """Wait for every chunk; each paper's chunks (key, compiled chunk) in variant order."""
        pending = {future for _, _, future in self._futures}
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                if future.exception() is not None:
                    self.stop()
                    raise future.exception()
        pdfs: dict[str, list[tuple[str, CachedChunk]]] = {}
        for _, paper, future in sorted(self._futures, key=lambda item: item[0]):
            pdfs.setdefault(paper, []).append(future.result())
        self._pool.shutdown()
        return pdfs

    def stop(self) -> None:
        """Cancel queued chunks and kill running TeX (after a failure or an interrupt)."""
        for _, _, future in self._futures:
            future.cancel()
        self._running.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _typeset(self, chunk: Chunk) -> tuple[str, CachedChunk]:
        progress = ChunkProgress(self._progress, self._progress_lock, len(chunk.labels),
                                 chunk.expected_passes)
        variant_pdfs = [f"variant-{label}/{chunk.paper}.pdf" for label in chunk.labels]
        cached = self._cache.reuse(chunk.key)
        if cached is not None:
            with self._progress_lock:
                self.reused += 1
            if self._cache.carry_over(variant_pdfs):
                progress.finished()
                return chunk.key, cached
        else:
            compiled = compile_pdf(CompileJob(chunk.tex_path, chunk.description, self._search_path),
                                   running=self._running, on_variant=progress.variant_typeset)
            pages = page_counts(chunk.tex_path.with_suffix(".aux"), chunk.labels)
            cached = self._cache.store(chunk.key, compiled.pdf, pages)
        progress.finished()
        split(cached.pdf, cached.pages, [self._build_dir / path for path in variant_pdfs],
              [f"{self._title}: variant {label}, {chunk.paper}" for label in chunk.labels])
        return chunk.key, cached
