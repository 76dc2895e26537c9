"""The parts model: marks shared out to half marks, spec marks, printed answers, markers."""

from __future__ import annotations

import numpy as np
import pytest

from qbank.assemble import assemble, tolerance_text
from qbank.checker.expected import part_check_data
from qbank.checker.verdict import judge
from qbank.errors import QbankError
from qbank.parts import (Part, RubricLine, Tolerance, part_problems, printed_answer, scaled_rubric,
                         split_marks)
from qbank.render.fragments import FragmentError, split_working
from qbank.spec import parse_spec

PARTS_TYPE = "attention.scaled_dot_product"   # parts a, b, c of weights 1, 1, 2


def test_split_marks_sums_exactly_in_half_marks_and_follows_the_weights():
    rng = np.random.default_rng(12)
    for _ in range(2000):
        points = int(rng.integers(1, 40))
        weights = [float(w) for w in rng.choice([0.5, 1, 1.5, 2, 3], size=int(rng.integers(1, 7)))]
        marks = split_marks(points, weights)
        assert sum(marks) == points
        assert all((2 * m).is_integer() for m in marks)
        exact = [points * w / sum(weights) for w in weights]
        assert all(abs(m - e) < 0.5 for m, e in zip(marks, exact))
        assert split_marks(points, weights) == marks


def test_split_marks_examples():
    assert split_marks(4, [1, 1, 2]) == [1.0, 1.0, 2.0]
    assert split_marks(5, [1, 1, 2]) == [1.5, 1.0, 2.5]   # ties go to the earlier part
    assert split_marks(3, [1, 1]) == [1.5, 1.5]
    assert split_marks(1, [1, 1, 1]) == [0.5, 0.5, 0.0]   # refused by the spec check below


def _spec(**item):
    return parse_spec({"title": "T", "items": [{"type": PARTS_TYPE, "points": 4, **item}]}, "s.yaml")


def test_spec_marks_per_part_are_used_on_every_variant():
    spec = _spec(parts={"a": 1, "b": 1.5, "c": 1.5})
    for variant in assemble(spec, 3, 1):
        (question,) = variant.questions
        assert [(m.label, m.marks) for m in question.parts] == [("a", 1), ("b", 1.5), ("c", 1.5)]


@pytest.mark.parametrize("item, message", [
    ({"parts": {"a": 1, "b": 1, "c": 1}}, "add up to 3, not the item's 4 points"),
    ({"parts": {"a": 1, "b": 1, "d": 2}}, "has parts a, b, c, not a, b, d"),
    ({"parts": {"a": 1.25, "b": 1.25, "c": 1.5}}, "positive whole or half number, not 1.25"),
    ({"parts": {"a": 2, "b": 2}, "format": "choice"}, "asks one part for all its points"),
    ({"parts": {"A": 4}}, "parts"),
    ({"points": 1}, "cannot be shared over the 3 parts"),
])
def test_spec_marks_that_cannot_work_are_refused_naming_the_item(item, message):
    with pytest.raises(QbankError, match="s.yaml: items\\[0\\]") as error:
        _spec(**item)
    assert message in str(error.value)


@pytest.mark.parametrize("part, text", [
    (Part("a", "p", "number", 2 / 3, places=3), "0.667"),
    (Part("a", "p", "number", 1265220), "1265220"),
    (Part("a", "p", "vector", [0.5, 0.25], places=2), "[0.50, 0.25]"),
    (Part("a", "p", "matrix", [[1, 2], [3, 4]]), "[1, 2; 3, 4]"),
    (Part("a", "p", "table", [[0.5, 1.0]], places=1), "[0.5, 1.0]"),
    (Part("a", "p", "letter", "C", options=("A", "B", "C")), "C"),
    (Part("a", "p", "truefalse", False), "False"),
    (Part("a", "p", "matching", ["B", "A", "C"], options=("A", "B", "C")), "1-B 2-A 3-C"),
])
def test_printed_answers_are_what_the_checker_takes_back(part, text):
    assert printed_answer(part).text == text
    assert judge(part_check_data(part), text).is_right


def test_tolerance_as_a_marker_reads_it():
    assert tolerance_text(Part("a", "p", "number", 3)) == "exact"
    assert tolerance_text(Part("a", "p", "number", 0.5, places=2)) == "\u00b10.01 or 0.1%"
    assert tolerance_text(Part("a", "p", "number", 0.5,
                               tolerance=Tolerance(relative=0.0, absolute=0.05))) == "\u00b10.05"
    assert tolerance_text(Part("a", "p", "letter", "A", options=("A",))) == ""


def test_badly_declared_parts_are_reported():
    assert part_problems([]) == ["declares no parts"]
    problems = part_problems([Part("b", "", "colour", 1, weight=0), Part("a", "p", "free", None)])
    assert any("labels must be a, b" in p for p in problems)
    assert any("kind 'colour'" in p for p in problems)
    assert any("weight must be a positive number" in p for p in problems)
    assert any("has no prompt" in p for p in problems)
    assert any("must carry its rubric" in p for p in problems)
    assert part_problems([Part("a", "p", "free", None, rubric=(RubricLine(1, "x"),))]) == []


def test_solution_markers_must_match_the_parts():
    assert split_working("t", "all of it", ["a"]) == ("", ["all of it"])
    assert split_working("t", "lead \\qbankpart{a} one \\qbankpart{b} two", ["a", "b"]) == \
        ("lead", ["one", "two"])
    with pytest.raises(FragmentError, match="marks parts \\['a'\\], but the type declares"):
        split_working("t", "\\qbankpart{a} one", ["a", "b"])
    with pytest.raises(FragmentError):
        split_working("t", "no markers", ["a", "b"])


def test_a_free_parts_rubric_is_shared_over_the_marks_it_has_on_the_paper():
    part = Part("a", "Explain.", "free", None, rubric=(RubricLine(1, "one"), RubricLine(1, "two")))
    assert scaled_rubric(part, None) == part.rubric
    assert scaled_rubric(part, 2) == part.rubric
    assert [line.points for line in scaled_rubric(part, 3)] == [1.5, 1.5]
    assert [line.points for line in scaled_rubric(part, 0.5)] == [0.5, 0.0]
    assert [line.criterion for line in scaled_rubric(part, 3)] == ["one", "two"]
