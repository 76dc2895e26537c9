"""Which questions a practice set or a drill asks: fresh variants of the chosen topics.

Types are taken in turn from a seeded shuffle of the matching types (shuffled
again for every round), so a set mixes its topics instead of repeating one
type, and each question gets its own seed from the set's seed.  The same
options and seed give the same set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from qbank.checker import check_data
from qbank.errors import QbankError
from qbank.model import Variant
from qbank.registry import all_types, get_type
from qbank.rng import SEED_LIMIT, type_key

# A drill skips variants with no part it can check (a conceptual pool's short answers);
# after this many in a row it gives up on the topic choice.
MAX_SKIPS = 200


@dataclass(frozen=True)
class PracticeQuestion:
    number: int
    variant: Variant
    title: str
    topic: str
    check: dict           # qbank.checker.check_data: how to check each part


def matching_types(topics: tuple[str, ...] = (), type_ids: tuple[str, ...] = ()) -> list[str]:
    """Ids of the types on any of ``topics`` or in ``type_ids`` (all types when both are empty)."""
    registry = all_types()
    for type_id in type_ids:
        get_type(type_id)  # an unknown id fails here, with a close-match hint
    known = sorted({qtype.topic for qtype in registry.values()})
    wanted = {topic.lower() for topic in topics}
    unknown = wanted - {topic.lower() for topic in known}
    if unknown:
        raise QbankError(f"unknown topic {sorted(unknown)[0]!r}; topics: {', '.join(known)}")
    if not topics and not type_ids:
        return sorted(registry)
    return sorted(type_id for type_id, qtype in registry.items()
                  if qtype.topic.lower() in wanted or type_id in type_ids)


def questions(type_ids: list[str], seed: int,
              keep: Callable[[dict], bool] = lambda check: True) -> Iterator[PracticeQuestion]:
    """Endless fresh questions over ``type_ids`` for ``seed``; ``keep`` filters on check data."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, type_key("practice")])))
    number, skipped = 0, 0
    while True:
        for index in rng.permutation(len(type_ids)):
            qtype = get_type(type_ids[int(index)])
            variant = qtype.draw(int(rng.integers(SEED_LIMIT)))
            check = check_data(variant)
            if not keep(check):
                skipped += 1
                if skipped > MAX_SKIPS:
                    raise QbankError("none of the chosen question types can be checked "
                                     "automatically; choose other topics or types")
                continue
            skipped = 0
            number += 1
            yield PracticeQuestion(number, variant, qtype.title, qtype.topic, check)
