"""A seeded mutator over valid specs and answers: no traceback, no hang, no odd exit.

Each case starts from something qbank accepts -- a spec from banks/, a right
answer to a variant -- and breaks it the way hostile or careless input does:
characters cut or doubled, YAML syntax and aliases dropped in, a value swapped
for one of another kind or a huge one, Unicode, nesting.  qbank must answer
each with a result or a one-line ``QbankError`` within ``TIME_LIMIT`` seconds.
The mutator is a seeded ``random.Random``, so a failure names its case and
reproduces exactly; the case counts keep the whole file to a few minutes.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml

from qbank.assemble import assemble_variant
from qbank.checker import check_data, judge
from qbank.checker.expected import is_checked
from qbank.errors import QbankError
from qbank.registry import all_types
from qbank.render.documents import variant_blocks
from qbank.spec import load_spec
from tests.time_limit import time_limit

BANKS = sorted((Path(__file__).resolve().parent.parent / "banks").glob("*.yaml"))
TIME_LIMIT = 2.0
SPEC_CASES = 1500
ANSWER_CASES = 3000

JUNK = [":", ": ", "- ", "[", "]", "{", "}", "&a ", "*a", "!!python/object:os.system ", "\t",
        "'", '"', "#", "%", "|", ">", "\n", "\n  ", "0", "-1", "1e308", "9" * 40, "true",
        "null", "~", "é", "😀", "\u202e", "\x00", "\x1b", "ẹ̈", "日本", "\\", "\\input{x}",
        "$", "&", "^", "_", "{}", "<<: *a", "? ", ",", "2026-02-30"]
VALUES = [True, False, None, 0, -1, 1, 2**70, -(2**70), 1e308, -1e308, 0.5, "", "x", "😀",
          "\\relax", [], [1], [[1, 2], [3]], {"a": 1}, [True, "a"], "9" * 50, 1e-320]


def _mutate_text(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        position = rng.randrange(len(text) + 1)
        action = rng.randrange(4)
        if action == 0:
            text = text[:position] + rng.choice(JUNK) + text[position:]
        elif action == 1:
            text = text[:position] + text[position + rng.randint(1, 30):]
        elif action == 2:
            lines = text.splitlines(keepends=True)
            line = rng.randrange(len(lines))
            lines.insert(line, lines[line])
            text = "".join(lines)
        else:
            text = text[:position] + text[position:position + rng.randint(1, 40)] * \
                rng.randint(2, 5) + text[position:]
    return text


def _nodes(data, path=()):
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _nodes(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _nodes(value, path + (index,))


def _mutate_data(data, rng: random.Random):
    paths = [path for path in _nodes(data) if path]
    path = rng.choice(paths)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = json.loads(json.dumps(rng.choice(VALUES)))
    return data


def _pin_something(data, rng: random.Random):
    """Pin one sampled parameter of a single-type item to a hostile value."""
    items = [item for item in data.get("items", []) if isinstance(item, dict) and "type" in item]
    if not items:
        return data
    item = rng.choice(items)
    qtype = all_types().get(item["type"])
    if qtype is None:
        return data
    params = qtype.draw(rng.randrange(100)).params
    key = rng.choice(sorted(params))
    item["params"] = {key: json.loads(json.dumps(rng.choice(VALUES)))}
    return data


def _spec_case(number: int) -> str:
    rng = random.Random(number)
    source = rng.choice(BANKS).read_text(encoding="utf-8")
    style = number % 3
    if style == 0:
        return _mutate_text(source, rng)
    data = yaml.safe_load(source)
    data = _mutate_data(data, rng) if style == 1 else _pin_something(data, rng)
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.mark.parametrize("block", range(10))
def test_mutated_specs_load_or_fail_in_one_line(block, tmp_path):
    path = tmp_path / "fuzzed.yaml"
    for number in range(block, SPEC_CASES, 10):
        path.write_text(_spec_case(number), encoding="utf-8", errors="surrogatepass")
        case = f"spec case {number}"
        with time_limit(TIME_LIMIT, case):
            try:
                spec = load_spec(path)
                # What loads must also render: pinned values reach the templates.
                variant_blocks(spec, assemble_variant(spec, spec.seed, 1, 1))
            except QbankError as error:
                assert "\n" not in str(error), f"{case}: {error}"


ANSWER_PALETTE = ["(", ")", "[", "]", ";", ",", "-", "+", "*", "/", "^", "%", "e", "E", ".",
                  " ", "x", "sqrt(", "sigmoid(", "tanh(", "exp(", "1e999", "nan", "inf",
                  "٣", "３", "०", "½", "—", "'", "\x00", "A", "b", "true", "9" * 30]


def _answer_case(number: int, checkable: list) -> tuple[str, int, dict | None, str]:
    rng = random.Random(10_000 + number)
    type_id = rng.choice(checkable)
    seed = rng.randrange(50)
    data = _some_part(type_id, seed, rng) or {}
    base = json.dumps(data.get("value", ""))
    text = base.strip('"')
    for _ in range(rng.randint(1, 6)):
        position = rng.randrange(len(text) + 1)
        if rng.random() < 0.7:
            text = text[:position] + rng.choice(ANSWER_PALETTE) + text[position:]
        else:
            text = text[:position] + text[position + 1:]
    if rng.random() < 0.05:
        text = rng.choice(["(" * 500 + "1" + ")" * 500, "-" * 3000 + "1", "2^" * 500 + "2",
                           "1+" * 20000 + "1", "sqrt(" * 200 + "x" + ")" * 200])
    return type_id, seed, data or None, text


def _some_part(type_id: str, seed: int, rng: random.Random) -> dict | None:
    """The check data of one checked part of the variant, chosen by ``rng``; None if none is."""
    parts = [part for part in check_data(all_types()[type_id].draw(seed))["parts"]
             if part["kind"] != "free"]
    return rng.choice(parts) if parts else None


def _checkable() -> list[str]:
    return [type_id for type_id, qtype in all_types().items()
            if is_checked(check_data(qtype.draw(0)))]


@pytest.mark.parametrize("block", range(10))
def test_mutated_answers_get_a_verdict(block):
    checkable = _checkable()
    for number in range(block, ANSWER_CASES, 10):
        type_id, seed, data, text = _answer_case(number, checkable)
        if data is None:
            continue  # this draw (an open concept question) is marked by hand
        case = f"answer case {number} ({type_id} seed {seed}: {text[:60]!r})"
        with time_limit(TIME_LIMIT, case):
            verdict = judge(data, text)
        assert verdict.verdict in ("right", "close", "mistake", "wrong", "malformed"), case
        assert "\n" not in verdict.message, case
