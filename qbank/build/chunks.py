"""Chunks: the groups of variants that go through TeX as one document.

TeX's start-up (loading the class, TikZ and fonts) costs about 0.25 s, while a
variant's pages cost a few milliseconds, so variants are typeset many to a
document.  A build still wants at least one chunk per worker for each paper to
keep every core busy, and not too many variants in one chunk so the progress
bar moves and a rebuild after a small change recompiles little.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, TypeVar

MIN_CHUNK = 10
MAX_CHUNK = 250

T = TypeVar("T")


@dataclass(frozen=True)
class Chunk:
    """One paper ("questions" or "solutions") of a run of consecutive variants.

    Its LaTeX is on disk at ``tex_path`` (not in memory while it waits for a
    worker); ``key`` is the cache key of that source.
    """

    number: int
    paper: str
    labels: list[str]
    tex_path: Path
    key: str
    expected_passes: int

    @property
    def description(self) -> str:
        first, last = self.labels[0], self.labels[-1]
        variants = f"variant {first}" if first == last else f"variants {first}-{last}"
        return f"the {self.paper} paper of {variants}"


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def chunk_size(variant_count: int, jobs: int, requested: int | None = None) -> int:
    """Variants per chunk: ``requested``, else an even share per worker within limits."""
    if requested is not None:
        return requested
    return max(MIN_CHUNK, min(MAX_CHUNK, math.ceil(variant_count / jobs)))


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
