"""A spec's own templates folder: overrides by name, refuses typos, and its assets reach TeX."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from qbank.build import build_exam
from qbank.errors import QbankError
from qbank.render.environment import master_template_names
from qbank.spec import load_spec

BANKS = Path(__file__).resolve().parent.parent / "banks"
HAS_TEX = all(shutil.which(tool) for tool in ("pdflatex", "pdftotext"))


def _spec_with_own_look(folder: Path, templates: dict[str, str], assets=None) -> Path:
    own = folder / "look"
    own.mkdir()
    for name, text in templates.items():
        (own / name).write_text(text, encoding="utf-8")
    for name, text in (assets or {}).items():
        (own / name).write_text(text, encoding="utf-8")
    spec = {"title": "Own look", "templates": "look", "variants": 1,
            "items": [{"type": "params.mlp", "points": 2}]}
    path = folder / "exam.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


HEADER = "\\begin{center}Faculty of Examples: \\VAR{exam.title}, \\VAR{paper}\\end{center}\n"


def test_a_template_of_the_folder_replaces_qbanks_of_the_same_name(tmp_path):
    spec = _spec_with_own_look(tmp_path, {"header.tex.j2": HEADER})
    build_exam(spec, out=tmp_path / "out", tex_only=True)
    tex = (tmp_path / "out" / "variant-001" / "questions.tex").read_text(encoding="utf-8")
    assert "Faculty of Examples: Own look, Questions" in tex
    assert "\\Large\\bfseries Own look" not in tex  # qbank's own title block is gone
    plain = tmp_path / "plain.yaml"
    data = yaml.safe_load(spec.read_text())
    del data["templates"]
    plain.write_text(yaml.safe_dump(data))
    build_exam(plain, out=tmp_path / "plain", tex_only=True)
    assert "Faculty of Examples" not in (tmp_path / "plain" / "variant-001" /
                                         "questions.tex").read_text(encoding="utf-8")


def test_the_folder_is_relative_to_the_spec_not_the_working_folder(tmp_path, monkeypatch):
    spec = _spec_with_own_look(tmp_path, {"header.tex.j2": HEADER})
    monkeypatch.chdir(Path("/"))
    assert load_spec(spec).templates == str((tmp_path / "look").resolve())


def test_a_misspelt_template_is_refused_naming_the_file(tmp_path):
    spec = _spec_with_own_look(tmp_path, {"heder.tex.j2": HEADER})
    with pytest.raises(QbankError, match=r"exam.yaml: templates: heder.tex.j2 in .* overrides "
                                         r"no qbank template; known: .*header.tex.j2"):
        load_spec(spec)


def test_a_missing_folder_is_refused(tmp_path):
    spec = _spec_with_own_look(tmp_path, {})
    shutil.rmtree(tmp_path / "look")
    with pytest.raises(QbankError, match="templates: no such folder"):
        load_spec(spec)


def test_every_master_template_can_be_named():
    assert {"header.tex.j2", "local.tex.j2", "preamble.tex.j2", "paper.tex.j2"} <= \
        set(master_template_names())


@pytest.mark.tex
@pytest.mark.skipif(not HAS_TEX, reason="needs TeX Live and poppler-utils")
def test_an_asset_of_the_folder_is_found_by_tex_and_a_new_one_recompiles(tmp_path):
    header = "\\begin{center}\\input{motto.tex}\\end{center}\n"
    spec = _spec_with_own_look(tmp_path, {"header.tex.j2": header},
                               {"motto.tex": "Per aspera ad astra\n"})
    out = tmp_path / "out"
    build_exam(spec, out=out)
    text = subprocess.run(["pdftotext", str(out / "all-questions.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Per aspera ad astra" in text
    assert build_exam(spec, out=out).chunks_reused == 2  # nothing changed
    (tmp_path / "look" / "motto.tex").write_text("Ad astra per aspera\n")
    assert build_exam(spec, out=out).chunks_reused == 0  # same LaTeX, new asset
    text = subprocess.run(["pdftotext", str(out / "all-questions.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Ad astra per aspera" in text


@pytest.mark.tex
@pytest.mark.skipif(not HAS_TEX, reason="needs TeX Live and poppler-utils")
def test_the_sample_own_look_prints_the_departments_block(tmp_path):
    out = tmp_path / "own"
    build_exam(BANKS / "dl-test-3-own-look.yaml", variants=1, out=out)
    text = subprocess.run(["pdftotext", str(out / "variant-001" / "questions.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert "SCHOOL OF COMPUTING SCIENCE" in text.upper()
