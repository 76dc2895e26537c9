"""Seeds: one integer decides a variant; exams derive one integer per slot.

Every draw goes through a numpy ``Generator`` built from a ``SeedSequence``, so a
variant depends only on (type id, seed) and never on process, platform or the
order in which other questions were drawn.  Exams derive each slot's seed from
(exam seed, variant number, slot number) with the same machinery, and record it
so that ``qbank generate TYPE --seed DERIVED`` reproduces that single question.
"""

from __future__ import annotations

import numpy as np

# Derived seeds stay below 2**31 so they are easy to type and safe in any JSON
# reader or spreadsheet.
SEED_LIMIT = 2**31


def rng_for_seed(seed: int) -> np.random.Generator:
    """The generator a question type draws from for ``seed``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))


def derived_seed(exam_seed: int, variant_number: int, slot: int) -> int:
    """The seed of question ``slot`` (1-based) in exam variant ``variant_number``."""
    state = np.random.SeedSequence([exam_seed, variant_number, slot]).generate_state(1, np.uint64)
    return int(state[0] % SEED_LIMIT)


def choice_rng(exam_seed: int, variant_number: int, slot: int) -> np.random.Generator:
    """Generator for choosing which type fills a ``choose:`` slot.

    Kept apart from the question's own seed (an extra word in the entropy) so
    that choosing a type does not consume the question's draws.
    """
    return np.random.Generator(np.random.PCG64(
        np.random.SeedSequence([exam_seed, variant_number, slot, 1])))
