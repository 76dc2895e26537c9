"""From a validated spec and an exam seed to exam variants and their answer key.

Each (variant number, slot) gets its own derived seed, so any one question of
any variant can be regenerated alone with ``qbank generate TYPE --seed SEED``;
the manifest records those seeds next to the params and answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator

from qbank import __version__
from qbank.choice import Choice, NotEnoughDistractors, make_choice
from qbank.errors import QbankError
from qbank.model import Variant
from qbank.parts import MarkedPart, mark_parts, marks_text, part_json, part_tolerance, printed_answer
from qbank.registry import get_type
from qbank.rng import choice_rng, derived_seed
from qbank.spec import ExamSpec


@dataclass(frozen=True)
class ExamQuestion:
    """One numbered question of one exam variant."""

    slot: int
    points: int
    answer_space: str
    variant: Variant
    parts: tuple[MarkedPart, ...] = ()   # what this item asks, with its marks
    choice: Choice | None = None

    @property
    def type_id(self) -> str:
        return self.variant.type_id

    @property
    def seed(self) -> int:
        return self.variant.seed


@dataclass(frozen=True)
class ExamVariant:
    number: int
    label: str
    questions: tuple[ExamQuestion, ...]

    @property
    def total_points(self) -> int:
        return sum(q.points for q in self.questions)


def variant_label(number: int, count: int) -> str:
    """Zero-padded so that folders sort in order: 001 ... 120."""
    return str(number).zfill(max(3, len(str(count))))


def assemble_variant(spec: ExamSpec, exam_seed: int, number: int, count: int) -> ExamVariant:
    questions = []
    slot = 0
    for item_index, item in enumerate(spec.items):
        type_ids = item.type_ids
        if item.choose:
            picked = choice_rng(exam_seed, number, item_index + 1).choice(
                len(type_ids), size=item.choose, replace=False)
            type_ids = tuple(type_ids[i] for i in sorted(int(p) for p in picked))
        for type_id in type_ids:
            slot += 1
            qtype = get_type(type_id)
            variant, choice = _draw_slot(qtype, item, exam_seed, number, slot)
            questions.append(ExamQuestion(
                slot=slot, points=item.points,
                answer_space=item.answer_space or qtype.space_for(variant),
                variant=variant, parts=_marked_parts(qtype, variant, item, choice),
                choice=choice))
    return ExamVariant(number, variant_label(number, count), tuple(questions))


MAX_ATTEMPTS = 50


def _marked_parts(qtype, variant, item, choice) -> tuple[MarkedPart, ...]:
    """The parts the item asks with their marks; a choice asks its one part for all of them."""
    parts = qtype.parts(variant)
    if choice is not None:
        parts = [part for part in parts if part.label == choice.part]
    return mark_parts(parts, item.points, item.parts)


def _draw_slot(qtype, item, exam_seed, number, slot):
    """The slot's variant, and its options when the item asks for a choice."""
    for attempt in range(MAX_ATTEMPTS if item.format == "choice" else 1):
        variant = qtype.draw(derived_seed(exam_seed, number, slot, attempt), item.params)
        if item.format != "choice":
            return variant, None
        try:
            return variant, make_choice(qtype, variant)
        except NotEnoughDistractors:
            continue
    raise QbankError(f"{qtype.id}: no variant with three distinct distractors in "
                     f"{MAX_ATTEMPTS} draws (question {slot} of variant {number})")


def assemble(spec: ExamSpec, count: int, exam_seed: int) -> Iterator[ExamVariant]:
    """Variants 1..count, one at a time (callers may stream them)."""
    for number in range(1, count + 1):
        yield assemble_variant(spec, exam_seed, number, count)


def manifest_entry(variant: ExamVariant) -> dict:
    return {"variant": variant.number, "label": variant.label,
            "total_points": variant.total_points,
            "questions": [{"question": q.slot, "points": q.points, **q.variant.to_json(),
                           "parts": [{**part_json(marked.part), "marks": marked.marks}
                                     for marked in q.parts],
                           **({"choice": q.choice.to_json()} if q.choice else {})}
                          for q in variant.questions]}


def manifest_header(spec: ExamSpec, spec_source: str, exam_seed: int, count: int,
                    spec_sha256: str | None = None) -> dict:
    """The manifest's keys before its list of variants.

    A build passes the spec's file name and the SHA-256 of its bytes rather
    than the path as typed, so the manifest does not depend on the folder
    qbank was run from, and still says exactly which spec it came from.
    """
    digest = {} if spec_sha256 is None else {"spec_sha256": spec_sha256}
    return {"qbank_version": __version__, "spec": spec_source, **digest, "title": spec.title,
            "course": spec.course, "exam_seed": exam_seed, "variant_count": count}


ANSWER_KEY_COLUMNS = ("variant", "question", "part", "type", "seed", "marks", "choice",
                      "answer", "tolerance", "value")


def tolerance_text(part) -> str:
    """What a marker allows: 'exact', '±0.001', or '±0.001 or 0.1%' (whichever is wider)."""
    tolerance = part_tolerance(part)
    if tolerance is None:
        return ""
    if tolerance.absolute == 0 and tolerance.relative == 0:
        return "exact"
    pieces = []
    if tolerance.absolute:
        pieces.append(f"\u00b1{tolerance.absolute:g}")
    if tolerance.relative:
        pieces.append(f"{tolerance.relative * 100:g}%")
    return " or ".join(pieces)


def answer_key_rows(variant: ExamVariant) -> Iterator[list]:
    """One row per part: the answer as printed, its tolerance, and the full-precision value."""
    for q in variant.questions:
        for marked in q.parts:
            part = marked.part
            yield [variant.label, q.slot, part.label, q.type_id, q.seed, marks_text(marked.marks),
                   q.choice.correct if q.choice else "", printed_answer(part).text,
                   tolerance_text(part), json.dumps(part.answer, separators=(",", ":"))]
