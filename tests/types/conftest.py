"""Fixtures every per-type test module shares.

A module names its type with ``ID`` (and, to use ``variants``, its seeds with
``SEEDS``); the drawn variants are computed once per module.  What every type
must keep (balanced braces, the JSON contract, no answer in the question) is
asserted once, for every type over seeds 0-199, in tests/test_contract.py; its
parts (one boxed answer each, printed answers that score full marks, named
mistakes) in tests/test_parts_contract.py; these modules test what is
particular to their type.
"""

import pytest

from qbank.registry import get_type


@pytest.fixture(scope="module")
def qtype(request):
    return get_type(request.module.ID)


@pytest.fixture(scope="module")
def variants(qtype, request):
    return [qtype.draw(seed) for seed in request.module.SEEDS]
