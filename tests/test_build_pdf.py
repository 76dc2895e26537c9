"""Real builds to PDF, read back with pdftotext.

The question paper must hold every question and no answer; the solution paper
must hold the answers the manifest records.  A TeX failure must name the
variant and the question type and leave nothing behind.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from qbank.build import build_exam
from qbank.errors import BuildError
from qbank.registry import all_types

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdflatex", "pdftotext")),
    reason="needs TeX Live and poppler-utils")

TYPE_IDS = list(all_types())
# Points from 4 to 7: enough for half a mark on each of up to eight parts.
ALL_TYPES_SPEC = "title: Every question type\ncourse: Deep Learning\nitems:\n" + "".join(
    f"  - type: {type_id}\n    points: {index % 4 + 4}\n" for index, type_id in enumerate(TYPE_IDS))


def _pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return " ".join(text.split())


def _integers(value):
    """Whole-number answers of 1,000 or more: distinctive enough to look for in text."""
    if isinstance(value, bool):
        return
    if isinstance(value, int) and value >= 1000:
        yield f"{value:,}"
    elif isinstance(value, dict):
        for item in value.values():
            yield from _integers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _integers(item)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("build")
    spec = folder / "every-type.yaml"
    spec.write_text(ALL_TYPES_SPEC)
    result = build_exam(spec, variants=2, seed=11, out=folder / "exam")
    return result, json.loads((result.out_dir / "manifest.json").read_text())


def test_every_variant_has_both_pdfs(built):
    result, manifest = built
    assert result.pdf_count == 4
    labels = [v["label"] for v in manifest["variants"]]
    assert sorted(p.name for p in result.out_dir.iterdir()) == \
        [".cache", "all-questions.pdf", "all-solutions.pdf", "answer-key.csv",
         "manifest.json", "marking-sheet.pdf", "marking-sheet.tex"] + \
        [f"variant-{label}" for label in labels]
    for label in labels:
        assert sorted(p.name for p in (result.out_dir / f"variant-{label}").iterdir()) == \
            ["questions.pdf", "questions.tex", "solutions.pdf", "solutions.tex"]


def _by_question(text: str) -> dict[int, str]:
    """The paper's text cut at each "Question N (" heading."""
    parts = re.split(r"Question (\d+) \(", text)
    return {int(number): body for number, body in zip(parts[1::2], parts[2::2])}


def test_question_paper_has_questions_and_no_answers(built):
    result, manifest = built
    for variant in manifest["variants"]:
        text = _pdf_text(result.out_dir / f"variant-{variant['label']}" / "questions.pdf")
        assert f"Variant {variant['label']}" in text
        assert "Answer." not in text and "Worked solution" not in text
        questions = _by_question(text)
        assert sorted(questions) == [q["question"] for q in variant["questions"]]
        for question in variant["questions"]:
            # A number the question itself gives (a warm-up length that is also the
            # peak step) may appear; any other answer number must not.
            given = set(_integers(question["params"]))
            for number in set(_integers(question["answer"])) - given:
                assert number not in questions[question["question"]], \
                    f"{question['type']} answer {number} leaked"


def test_solution_paper_has_the_manifest_answers(built):
    result, manifest = built
    for variant in manifest["variants"]:
        text = _pdf_text(result.out_dir / f"variant-{variant['label']}" / "solutions.pdf")
        # One box per part that has an answer; a part marked by hand shows its rubric.
        boxed = [part for q in variant["questions"] for part in q["parts"] if part["kind"] != "free"]
        assert text.count("Answer.") == len(boxed)
        rubrics = [part for q in variant["questions"] for part in q["parts"] if part["kind"] == "free"]
        assert text.count("Marking rubric.") == len(rubrics)
        for question in variant["questions"]:
            for number in _integers(question["answer"]):
                assert number in text, f"{question['type']} answer {number} missing"


def test_tex_failure_names_variant_and_type_and_leaves_nothing(tmp_path, monkeypatch):
    from qbank.build import exam as build_module
    from qbank.render import documents

    real = documents.variant_blocks

    def broken(spec, variant):
        questions, solutions = real(spec, variant)
        if variant.label == "002":
            questions = questions.replace(r"\question[", r"\undefinedqbankmacro\question[", 1)
        return questions, solutions

    monkeypatch.setattr(build_module, "variant_blocks", broken)
    spec = tmp_path / "every-type.yaml"
    spec.write_text(ALL_TYPES_SPEC)
    with pytest.raises(BuildError) as failure:
        build_exam(spec, variants=2, seed=1, out=tmp_path / "exam")
    message = str(failure.value)
    assert "the questions paper of variants 001-002" in message
    assert f"variant 002, question 1 ({TYPE_IDS[0]}" in message
    assert "Undefined control sequence" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["every-type.yaml"]
