"""One contract over every registered type and 200 seeds.

JSON round trip, exact contract keys, finite numbers, well-posedness, variety,
pinning, templates that render under StrictUndefined, and byte-identical output
from separate processes (with different hash seeds, so a stray ``hash()`` or
set order would show).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

from qbank.registry import all_types, get_type
from qbank.render.documents import render_fragments
from tests.contract_keys import CONTRACT_KEYS, FOUNDATION_TYPES

SEEDS = range(200)
TYPE_IDS = list(all_types())


def _numbers(value):
    if isinstance(value, bool) or isinstance(value, str) or value is None:
        return
    if isinstance(value, (int, float)):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _numbers(item)
    else:
        raise TypeError(f"not JSON-safe: {type(value).__name__}")


def test_foundation_and_contract_types_are_registered():
    missing = [type_id for type_id in (*FOUNDATION_TYPES, *CONTRACT_KEYS)
               if type_id not in all_types()]
    assert not missing


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_variants_keep_the_contract(type_id):
    qtype = get_type(type_id)
    distinct = set()
    for seed in SEEDS:
        variant = qtype.draw(seed)
        data = variant.to_json()
        text = json.dumps(data, allow_nan=False)
        assert json.loads(text) == data, "JSON round trip changed the variant"
        assert data["type"] == type_id and data["seed"] == seed
        assert all(math.isfinite(x) for x in _numbers(data["answer"]))
        assert qtype.problems(variant.params) == []
        if type_id in CONTRACT_KEYS:
            params_keys, answer_keys = CONTRACT_KEYS[type_id]
            assert set(variant.params) == params_keys
            assert set(variant.answer) == answer_keys
        distinct.add(json.dumps(variant.params, sort_keys=True))
    assert len(distinct) >= qtype.variety, f"only {len(distinct)} distinct parameter sets"


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_templates_render_and_keep_answers_out_of_the_question(type_id):
    qtype = get_type(type_id)
    for seed in SEEDS:
        fragments = render_fragments(qtype.draw(seed))
        assert r"\finalanswer" not in fragments.question
        # One box per checked part: tests/test_parts_contract.py.
        for fragment in (fragments.question, fragments.solution):
            assert fragment.count("{") == fragment.count("}"), "unbalanced braces"


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_pinning_every_parameter_reproduces_the_variant(type_id):
    qtype = get_type(type_id)
    for seed in range(20):
        variant = qtype.draw(seed)
        pinned = qtype.draw(seed + 1000, pinned=variant.params)
        assert pinned.params == variant.params
        assert pinned.answer == variant.answer


DUMP_SCRIPT = """
import hashlib, sys
from qbank.registry import all_types
from qbank.render.documents import render_fragments
for type_id, qtype in all_types().items():
    for seed in range(200):
        variant = qtype.draw(seed)
        fragments = render_fragments(variant)
        tex = hashlib.sha256((fragments.question + fragments.solution).encode()).hexdigest()
        sys.stdout.write(variant.dumps() + " " + tex + "\\n")
"""


def _dump(hash_seed: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    return subprocess.run([sys.executable, "-c", DUMP_SCRIPT], env=env, check=True,
                          capture_output=True).stdout


def test_two_processes_give_identical_bytes():
    first, second = _dump("1"), _dump("2")
    assert first == second
    assert first.count(b"\n") == 200 * len(TYPE_IDS)


def test_no_sample_can_redraw_for_ever():
    """Every redraw loop in a type goes through qbank.model.redraws, which has a bound."""
    from pathlib import Path

    from qbank.errors import QbankError
    from qbank.model import redraws

    types_dir = Path(__file__).resolve().parent.parent / "qbank" / "types"
    unbounded = [str(path.relative_to(types_dir)) for path in sorted(types_dir.rglob("*.py"))
                 if "while True" in path.read_text(encoding="utf-8")]
    assert not unbounded, f"use 'for _ in redraws(self.id):' in {unbounded}"
    attempts = 0
    with pytest.raises(QbankError, match="demo.type: found no well-posed draw in 5 tries"):
        for _ in redraws("demo.type", limit=5):
            attempts += 1
    assert attempts == 5
