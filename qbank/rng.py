"""Seeds: one integer decides a variant; exams derive one integer per slot.

Every draw goes through a numpy ``Generator`` built from a ``SeedSequence``, so a
variant depends only on (type id, seed) and never on process, platform or the
order in which other questions were drawn.  Exams derive each slot's seed from
(exam seed, variant number, slot number) with the same machinery, and record it
so that ``qbank generate TYPE --seed DERIVED`` reproduces that single question.
"""

from __future__ import annotations

import zlib

import numpy as np

# Derived seeds stay below 2**31 so they are easy to type and safe in any JSON
# reader or spreadsheet.
SEED_LIMIT = 2**31


def type_key(type_id: str) -> int:
    """A stable number for a type id (CRC-32 of its UTF-8 bytes; never ``hash()``)."""
    return zlib.crc32(type_id.encode("utf-8"))


def rng_for(type_id: str, seed: int) -> np.random.Generator:
    """The generator a question type draws from for ``seed``.

    The type id is part of the entropy so that two types never share a stream
    for the same seed: pools of the same size would otherwise pick the same
    item and the same option order in lockstep.
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, type_key(type_id)])))


def derived_seed(exam_seed: int, variant_number: int, slot: int, attempt: int = 0) -> int:
    """The seed of question ``slot`` (1-based) in exam variant ``variant_number``.

    ``attempt`` > 0 gives further seeds for the same slot, for the rare draw that
    cannot be asked in the item's format (a choice whose mistakes coincide).
    """
    words = [exam_seed, variant_number, slot] + ([attempt] if attempt else [])
    state = np.random.SeedSequence(words).generate_state(1, np.uint64)
    return int(state[0] % SEED_LIMIT)


def choice_rng(exam_seed: int, variant_number: int, slot: int) -> np.random.Generator:
    """Generator for choosing which type fills a ``choose:`` slot.

    Kept apart from the question's own seed (an extra word in the entropy) so
    that choosing a type does not consume the question's draws.
    """
    return np.random.Generator(np.random.PCG64(
        np.random.SeedSequence([exam_seed, variant_number, slot, 1])))
