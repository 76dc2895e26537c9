"""Every type's parts, over many seeds: declared well, fair, typeset, and checked whole.

The issue's bar: the right answers of all parts (as the answer key prints
them) get a full score from the checker; one part pushed beyond its
tolerance loses exactly that part's weight and is the part named; a modelled
mistake in a part is named.  Parts must also be the same from variant to
variant (labels, kinds, weights): every variant of a slot asks the same.
"""

from __future__ import annotations

import json
import math

import pytest

from qbank.checker.answers import check_command
from qbank.checker.expected import check_data
from qbank.checker.marking import mark
from qbank.checker.verdict import judge
from qbank.parts import NUMERIC_KINDS, marks_text, part_json, part_problems, part_tolerance, printed_answer
from qbank.registry import all_types, get_type
from qbank.render.fragments import render_fragments
from tests.typed_answers import typed

TYPE_IDS = list(all_types())
SEEDS = range(20)


def _pushed(value, tolerance, factor=25.0):
    """The first component moved well beyond the close band around it."""
    if isinstance(value, list):
        return [_pushed(value[0], tolerance, factor), *value[1:]]
    bound = max(tolerance.absolute, tolerance.relative * abs(value), 1e-6)
    return value + factor * max(bound, 1.0 if tolerance.absolute == 0 else bound)


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_parts_are_declared_and_the_same_in_every_variant(type_id):
    qtype = get_type(type_id)
    shapes = set()
    for seed in SEEDS:
        variant = qtype.draw(seed)
        parts = qtype.parts(variant)
        assert part_problems(parts) == []
        if qtype.kind != "conceptual":
            shapes.add(tuple((p.label, p.kind, p.weight, p.places) for p in parts))
        for part in parts:
            json.dumps(part.answer, allow_nan=False)
    assert len(shapes) <= 1, f"parts differ between variants: {sorted(shapes)}"


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_solution_boxes_each_part_once_and_the_template_none(type_id):
    qtype = get_type(type_id)
    for seed in SEEDS:
        variant = qtype.draw(seed)
        fragments = render_fragments(variant)
        assert r"\finalanswer" not in fragments.stem
        assert r"\finalanswer" not in fragments.lead
        for part in fragments.parts:
            assert r"\finalanswer" not in part.working and r"\qbankpart" not in part.working
        checked = sum(part.part.kind != "free" for part in fragments.parts)
        assert fragments.solution.count(r"\finalanswer") == checked


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_printed_answers_score_full_and_one_wrong_part_loses_its_weight(type_id):
    qtype = get_type(type_id)
    for seed in SEEDS:
        variant = qtype.draw(seed)
        parts = qtype.parts(variant)
        checked = [part for part in parts if part.is_checked]
        if not checked:
            continue
        data = check_data(variant)
        right = {part.label: printed_answer(part).text for part in checked}
        marking = mark(data, right)
        assert marking.all_right, [(p.label, p.verdict) for p in marking.parts]
        assert marking.score == marking.out_of == sum(part.weight for part in checked)
        # The full-precision answers of `qbank generate` are right too, through `qbank check`.
        exact = {part.label: typed(part_json(part)["answer"]) if part.kind in NUMERIC_KINDS
                 else right[part.label] for part in checked}
        lines, code = check_command(type_id, seed, [f"{k}={v}" for k, v in exact.items()])
        assert code == 0, lines
        assert lines[-1] == f"score: {marks_text(marking.out_of)}/{marks_text(marking.out_of)}"
        for part in checked:
            if part.kind not in NUMERIC_KINDS:
                continue
            wrong = dict(right, **{part.label: typed(_pushed(part.answer,
                                                               part_tolerance(part)))})
            marked = mark(data, wrong)
            missed = [p.label for p in marked.parts if p.counts and not p.verdict.is_right]
            assert missed == [part.label], (seed, part.label, wrong[part.label])
            assert math.isclose(marked.score, marking.out_of - part.weight)


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_modelled_mistakes_are_named_in_their_part(type_id):
    qtype = get_type(type_id)
    named = 0
    for seed in SEEDS:
        variant = qtype.draw(seed)
        data = {part["label"]: part for part in check_data(variant)["parts"]}
        for part in qtype.parts(variant):
            if part.kind not in NUMERIC_KINDS:
                continue
            for mistake in data[part.label]["mistakes"]:
                verdict = judge(data[part.label], typed(mistake["value"]))
                # A slip that happens to land on the answer (or an earlier slip) is not news.
                assert verdict.verdict in ("mistake", "right"), (seed, part.label, mistake)
                named += verdict.verdict == "mistake"
    kinds = {part.kind for part in qtype.parts(qtype.draw(0))}
    if kinds & set(NUMERIC_KINDS) and any(p.mistakes for p in qtype.parts(qtype.draw(0))):
        assert named > 0
