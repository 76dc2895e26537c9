"""Registry discovery, seed derivation, exam assembly and the answer key."""

from __future__ import annotations

import csv
import io
import json

import pytest

from qbank.checker.expected import part_check_data
from qbank.checker.verdict import judge
from qbank.parts import printed_answer
from qbank.registry import get_type

from qbank import registry
from qbank.assemble import assemble, manifest_entry, manifest_header
from qbank.build.records import ExamRecords
from qbank.model import QuestionType
from qbank.rng import derived_seed
from qbank.spec import parse_spec

SPEC = {
    "title": "T", "seed": 4, "variants": 30,
    "items": [
        {"type": "params.mlp", "points": 3, "params": {"n_classes": 10}},
        {"choose": 2, "from": ["cnn.output_size", "cnn.conv_params", "transformer.ffn"],
         "points": 2},
    ],
}


def test_types_are_discovered_with_template_stems():
    types = registry.all_types()
    assert list(types) == sorted(types)
    assert types["params.mlp"].template_stem == "params/mlp"


def test_duplicate_ids_are_refused(monkeypatch):
    class Copy(QuestionType):
        id = "params.mlp"
        title, topic, source = "copy", "t", "000"

    monkeypatch.setattr(registry, "_question_types_in",
                        lambda m, real=registry._question_types_in: real(m) + (
                            [Copy] if m.__name__.endswith("params.mlp") else []))
    registry.all_types.cache_clear()
    try:
        with pytest.raises(registry.DuplicateTypeError, match="params.mlp"):
            registry.all_types()
    finally:
        registry.all_types.cache_clear()


def test_derived_seeds_are_distinct_and_stable():
    seeds = {derived_seed(4, variant, slot) for variant in range(1, 101) for slot in range(1, 11)}
    assert len(seeds) == 1000
    assert derived_seed(4, 1, 1) == derived_seed(4, 1, 1)
    assert derived_seed(4, 1, 2) != derived_seed(4, 2, 1)


def test_assembly_pins_chooses_and_numbers_slots():
    spec = parse_spec(SPEC, "spec")
    variants = list(assemble(spec, 30, 4))
    picks = set()
    for variant in variants:
        assert [q.slot for q in variant.questions] == [1, 2, 3]
        first, *chosen = variant.questions
        assert first.variant.params["n_classes"] == 10
        assert len({q.type_id for q in chosen}) == 2
        picks.add(tuple(q.type_id for q in chosen))
        assert variant.total_points == 7
    assert len(picks) == 3, "every pair of the three types should turn up in 30 variants"


def _records(spec, variants, folder):
    folder.mkdir()
    with ExamRecords(folder, spec, "spec", 9, len(variants)) as records:
        for variant in variants:
            records.add(variant)
    return (folder / "manifest.json").read_text(), (folder / "answer-key.csv").read_text()


def test_manifest_and_answer_key_agree_and_are_deterministic(tmp_path):
    spec = parse_spec(SPEC, "spec")
    first = list(assemble(spec, 5, 9))
    manifest_text, key_text = _records(spec, first, tmp_path / "first")
    assert (manifest_text, key_text) == _records(spec, list(assemble(spec, 5, 9)), tmp_path / "again")
    # Written a variant at a time, yet the same JSON as dumping the whole document.
    whole = {**manifest_header(spec, "spec", 9, 5), "variants": [manifest_entry(v) for v in first]}
    assert manifest_text == json.dumps(whole, indent=1, ensure_ascii=False) + "\n"
    rows = list(csv.DictReader(io.StringIO(key_text)))
    assert len(rows) == sum(len(q.parts) for variant in first for q in variant.questions)
    by_key = {(row["variant"], int(row["question"]), row["part"]): row for row in rows}
    for variant in first:
        for q in variant.questions:
            parts = get_type(q.type_id).parts(q.variant)
            assert [marked.part for marked in q.parts] == parts
            assert sum(float(by_key[(variant.label, q.slot, p.label)]["marks"])
                       for p in parts) == q.points
            for part in parts:
                row = by_key[(variant.label, q.slot, part.label)]
                assert row["type"] == q.type_id and int(row["seed"]) == q.seed
                assert json.loads(row["value"]) == part.answer
                # The printed answer is what a marker compares with, and the checker takes it.
                assert row["answer"] == printed_answer(part).text
                if part.is_checked:
                    data = part_check_data(part)
                    assert judge(data, row["answer"]).is_right
