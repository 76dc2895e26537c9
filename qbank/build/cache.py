"""Compiled chunks kept from one build to the next, keyed by what TeX would read.

The key is a SHA-256 of the chunk's whole LaTeX source, the pdflatex version
and a format tag, so a chunk is reused only when TeX would be given exactly
the same input.  The source names its variants, and a build puts each variant
in one chunk per paper, so the previous build's per-variant PDFs of a reused
chunk were cut from that very chunk and are carried over as they are; so is a
print-ready PDF whose chunks are all unchanged.

The cache lives in the build folder (``.cache/``) and holds only the chunks of
the latest build: entries the new build reuses are linked into its partial
folder, so an interrupted build leaves the old cache intact and the cache
never grows past one build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from qbank.build.folders import write_text, writing

CACHE_DIR = ".cache"
FORMAT = "qbank-chunk-1"


@dataclass(frozen=True)
class CachedChunk:
    pdf: Path
    pages: tuple[int, ...]


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        with writing(target):
            shutil.copyfile(source, target)


class ChunkCache:
    def __init__(self, previous_build: Path | None, current_build: Path, engine: str):
        self._previous_build, self._current_build = previous_build, current_build
        self._previous = previous_build / CACHE_DIR if previous_build is not None else None
        self._current = current_build / CACHE_DIR
        self._current.mkdir(exist_ok=True)
        self._engine = engine

    def key(self, tex_source: str) -> str:
        digest = hashlib.sha256(f"{FORMAT}\n{self._engine}\n".encode())
        digest.update(tex_source.encode("utf-8"))
        return digest.hexdigest()

    def reuse(self, key: str) -> CachedChunk | None:
        """The previous build's chunk with this key, carried into the new build."""
        if self._previous is None:
            return None
        pdf, pages = self._previous / f"{key}.pdf", self._previous / f"{key}.json"
        if not (pdf.is_file() and pages.is_file()):
            return None
        try:
            counts = tuple(json.loads(pages.read_text(encoding="utf-8")))
        except (ValueError, TypeError):
            return None  # a damaged entry is simply recompiled
        _link_or_copy(pdf, self._current / pdf.name)
        _link_or_copy(pages, self._current / pages.name)
        return CachedChunk(self._current / pdf.name, counts)

    def store(self, key: str, compiled_pdf: Path, pages: list[int]) -> CachedChunk:
        target = self._current / f"{key}.pdf"
        with writing(target):
            shutil.move(compiled_pdf, target)
        write_text(self._current / f"{key}.json", json.dumps(pages))
        return CachedChunk(target, tuple(pages))

    def carry_over(self, relative_paths: list[str]) -> bool:
        """Link these files of the previous build into the new one, if it has them all."""
        if self._previous_build is None:
            return False
        sources = [self._previous_build / path for path in relative_paths]
        if not all(source.is_file() for source in sources):
            return False
        for source, path in zip(sources, relative_paths):
            _link_or_copy(source, self._current_build / path)
        return True

    def carry_over_joined(self, name: str, chunk_keys: list[str]) -> bool:
        """Carry over the previous build's file ``name`` if it joined exactly these chunks."""
        record = f"{name}.chunks.json"
        write_text(self._current / record, json.dumps(chunk_keys))
        if self._previous is None or not (self._previous / record).is_file():
            return False
        if (self._previous / record).read_text(encoding="utf-8") != json.dumps(chunk_keys):
            return False
        return self.carry_over([name])
