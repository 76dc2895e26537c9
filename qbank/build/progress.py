"""What a build reports while it typesets; the CLI draws it as a progress bar.

The unit is one variant's paper typeset in one pass: a chunk of k variants
counts k times the passes its paper is expected to need (two for a paper that
reads its page count back, else one).  A chunk that needs fewer (a cache hit
needs none) is credited the rest at once, and a rare extra pass is not
counted, so the bar ends exactly full.
"""

from __future__ import annotations

import threading

class Progress:
    """Silent progress; the CLI subclasses it to draw a bar."""

    def start(self, total: int) -> None:
        pass

    def advance(self, units: int = 1) -> None:
        pass


class ChunkProgress:
    """Turns one chunk's typeset-variant events into honest units of ``progress``."""

    def __init__(self, progress: Progress, lock: threading.Lock, variant_count: int,
                 expected_passes: int):
        self._progress, self._lock = progress, lock
        self._budget = variant_count * expected_passes
        self._spent = 0

    def variant_typeset(self, label: str, pass_number: int) -> None:
        if self._spent < self._budget:
            self._report(1)

    def finished(self) -> None:
        self._report(self._budget - self._spent)

    def _report(self, units: int) -> None:
        if units <= 0:
            return
        self._spent += units
        with self._lock:
            self._progress.advance(units)
