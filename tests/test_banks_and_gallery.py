"""Every spec in banks/ and the gallery build cleanly to PDF."""

from __future__ import annotations

import shutil
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


@pytest.mark.skipif(not HAS_TEX, reason="needs TeX Live and poppler-utils")
def test_gallery_holds_every_type(tmp_path):
    pdf = build_gallery(seed=5, out=tmp_path / "gallery.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    for type_id in all_types():
        assert type_id in text
