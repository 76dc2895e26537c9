"""Every spec in banks/ and the gallery build cleanly to PDF."""

from __future__ import annotations

import shutil
import csv
import json
import re
import subprocess
from pathlib import Path

import pytest

from qbank.build import build_exam
from qbank.gallery import build_gallery
from qbank.registry import all_types
from qbank.spec import load_spec

BANKS = sorted((Path(__file__).parent.parent / "banks").glob("*.yaml"))
HAS_TEX = all(shutil.which(tool) for tool in ("pdflatex", "pdftotext"))


def test_there_is_a_bank_per_seed_paper():
    prefixes = {bank.name[:3] for bank in BANKS}
    assert {"000", "001", "002", "003", "004"} <= prefixes


@pytest.mark.parametrize("bank", BANKS, ids=lambda p: p.stem)
def test_bank_is_valid(bank):
    assert load_spec(bank).question_count >= 1


@pytest.mark.skipif(not HAS_TEX, reason="needs TeX Live and poppler-utils")
@pytest.mark.parametrize("bank", BANKS, ids=lambda p: p.stem)
def test_bank_builds_to_pdf(bank, tmp_path):
    result = build_exam(bank, variants=1, out=tmp_path / bank.stem)
    assert result.pdf_count == 2
    assert (result.out_dir / "marking-sheet.pdf").is_file()
    _papers_show_every_part(result.out_dir)


def _pdf_text(path: Path) -> str:
    """pdftotext, with the typographic minus as '-' and 1,265,220 as 1265220."""
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout.replace("\u2212", "-")
    return GROUPED.sub(lambda match: match[0].replace(",", ""), text)


GROUPED = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _papers_show_every_part(out: Path):
    """Both papers label the parts with their marks; the solution paper, the answer key and
    the marking sheet print every part's answer; the parts' marks add up to the points the
    grade table prints for their question."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (variant,) = manifest["variants"]
    folder = out / f"variant-{variant['label']}"
    questions, solutions = (_pdf_text(folder / f"{paper}.pdf") for paper in ("questions", "solutions"))
    sheet = _pdf_text(out / "marking-sheet.pdf")
    key = list(csv.DictReader((out / "answer-key.csv").open(encoding="utf-8")))
    assert variant["total_points"] == sum(q["points"] for q in variant["questions"])
    for question in variant["questions"]:
        parts = question["parts"]
        assert sum(part["marks"] for part in parts) == question["points"]
        rows = [row for row in key if int(row["question"]) == question["question"]]
        assert [row["part"] for row in rows] == [part["label"] for part in parts]
        for part, row in zip(parts, rows):
            if len(parts) > 1:
                marks = f"{part['marks']:g} mark{'' if part['marks'] == 1 else 's'}"
                assert f"({part['label']}) [{marks}]" in questions
                assert f"({part['label']}) [{marks}]" in solutions
            if part["kind"] in ("number", "vector", "matrix", "table") and "choice" not in question:
                for number in NUMBER.findall(row["answer"]):
                    assert number in solutions, (question["type"], part["label"], number)
                    assert number in sheet, (question["type"], part["label"], number)


@pytest.mark.skipif(not HAS_TEX, reason="needs TeX Live and poppler-utils")
def test_gallery_holds_every_type(tmp_path):
    pdf = build_gallery(seed=5, out=tmp_path / "gallery.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    for type_id in all_types():
        assert type_id in text
