"""Every command through click's CliRunner, and bad input as one line with exit code 2."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from qbank.cli import cli
from qbank.parts import part_json
from qbank.registry import all_types, get_type

SPEC = """\
title: Mini test
course: Deep Learning
items:
  - type: params.mlp
    points: 3
  - choose: 1
    from: [attention.multihead, attention.qkv_params]
    points: 2
"""


@pytest.fixture
def runner():
    return CliRunner()


def _error_line(result):
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("qbank: error: ")
    assert "Traceback" not in result.output + result.stderr
    return lines[0]


def test_list_table_names_every_type(runner):
    result = runner.invoke(cli, ["list"])
    assert result.exit_code == 0
    for type_id, qtype in all_types().items():
        assert type_id in result.stdout and qtype.source in result.stdout


def test_list_json_has_the_metadata(runner):
    result = runner.invoke(cli, ["list", "--format", "json"])
    rows = json.loads(result.stdout)
    assert [row["id"] for row in rows] == list(all_types())
    for row in rows:
        assert {"id", "title", "topic", "kind", "source"} <= set(row)
        assert row == get_type(row["id"]).metadata()


def test_show_prints_question_and_solution_as_text(runner):
    result = runner.invoke(cli, ["show", "params.mlp", "--seed", "7"])
    assert result.exit_code == 0
    total = get_type("params.mlp").draw(7).answer["total"]
    assert "Worked solution" in result.stdout
    assert f"{total:,}" in result.stdout
    assert "\\" not in result.stdout, "LaTeX leaked into the text"


@pytest.mark.parametrize("type_id", list(all_types()))
def test_show_reads_as_text_for_every_type(runner, type_id):
    result = runner.invoke(cli, ["show", type_id, "--seed", "3"])
    assert result.exit_code == 0
    assert not re.search(r"\\[A-Za-z]+|\$", result.stdout), "LaTeX leaked into the text"
    assert "▶ Answer:" in result.stdout or "Marking rubric." in result.stdout


def test_generate_json_matches_the_library(runner):
    result = runner.invoke(cli, ["generate", "params.mlp", "--seed", "7"])
    assert result.exit_code == 0
    qtype = get_type("params.mlp")
    variant = qtype.draw(7)
    record = json.loads(result.stdout)
    assert record == {**variant.to_json(), "parts": [part_json(p) for p in qtype.parts(variant)]}


def test_generate_count_prints_json_lines_for_consecutive_seeds(runner):
    result = runner.invoke(cli, ["generate", "cnn.output_size", "--seed", "10", "--count", "5"])
    lines = result.stdout.strip().splitlines()
    assert [json.loads(line)["seed"] for line in lines] == [10, 11, 12, 13, 14]


@pytest.mark.parametrize("type_id", list(all_types()))
def test_generate_200_json_lines_for_every_type(runner, type_id):
    result = runner.invoke(cli, ["generate", type_id, "--count", "200"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 200
    assert all(json.loads(line)["type"] == type_id for line in lines)


def test_generate_tex_prints_question_and_solution(runner):
    result = runner.invoke(cli, ["generate", "params.mlp", "--seed", "3", "--format", "tex"])
    assert result.exit_code == 0
    assert "\\finalanswer" in result.stdout and "% params.mlp seed 3: solution" in result.stdout
    assert "\\qbankpart" not in result.stdout


def test_build_tex_only_writes_sources_manifest_and_key(runner, tmp_path):
    spec = tmp_path / "mini.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(spec), "--variants", "2", "--seed", "5",
                                 "--out", str(out), "--tex-only"])
    assert result.exit_code == 0, result.output
    assert str(out) in result.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert [v["variant"] for v in manifest["variants"]] == [1, 2]
    for entry in manifest["variants"]:
        assert len(entry["questions"]) == 2
        folder = out / f"variant-{entry['label']}"
        assert (folder / "questions.tex").is_file() and (folder / "solutions.tex").is_file()
        for question in entry["questions"]:
            again = get_type(question["type"]).draw(question["seed"])
            assert again.params == question["params"] and again.answer == question["answer"]
    parts = sum(len(q["parts"]) for entry in manifest["variants"] for q in entry["questions"])
    assert len((out / "answer-key.csv").read_text().strip().splitlines()) == 1 + parts
    assert (out / "marking-sheet.tex").is_file() and "marking-sheet.tex" in result.stdout


@pytest.mark.parametrize("args, fragment", [
    (["generate", "no.such_type"], "unknown question type"),
    (["show", "params.mpl"], "did you mean params.mlp"),
    (["generate", "params.mlp", "--seed", "abc"], "'abc' is not a valid integer"),
    (["generate", "params.mlp", "--seed", "-3"], "--seed"),
    (["generate", "params.mlp", "--count", "0"], "--count"),
    (["build", "SPEC", "--variants", "-2"], "--variants"),
    (["build", "SPEC", "--seed", "1.5"], "--seed"),
    (["build", "missing.yaml"], "no such exam spec"),
    (["nonsense"], "No such command"),
])
def test_bad_input_is_one_line_and_exit_2(runner, tmp_path, args, fragment):
    spec = tmp_path / "mini.yaml"
    spec.write_text(SPEC)
    args = [str(spec) if a == "SPEC" else str(tmp_path / a) if a == "missing.yaml" else a
            for a in args]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert fragment in _error_line(result)


@pytest.mark.parametrize("text, fragment", [
    ("title: [unclosed\nitems: []\n", "malformed YAML at line"),
    ("course: DL\nitems:\n  - type: params.mlp\n    points: 2\n", "title: missing required key"),
    ("title: T\nitems:\n  - type: params.mlp\n", "items[0].points: missing required key"),
    ("title: T\nitems:\n  - type: params.mlp\n    points: -1\n", "items[0].points"),
    ("title: T\nvariants: -4\nitems:\n  - type: params.mlp\n    points: 1\n", "variants"),
    ("title: T\nseed: abc\nitems:\n  - type: params.mlp\n    points: 1\n", "seed"),
    ("title: T\nitems:\n  - type: params.nope\n    points: 1\n", "items[0].type: unknown question type"),
    ("title: T\ncolour: red\nitems:\n  - type: params.mlp\n    points: 1\n", "colour: unknown key"),
    ("title: T\nitems:\n  - choose: 3\n    from: [params.mlp]\n    points: 1\n", "cannot choose 3"),
    ("title: T\nitems:\n  - type: params.mlp\n    points: 1\n    params: {depth: 3}\n",
     "cannot pin unknown parameter"),
    ("title: T\nitems:\n  - type: params.mlp\n    points: 1\n    params: {n_classes: true}\n",
     "items[0].params.n_classes: expected a whole number, got true (params.mlp)"),
    ("title: T\nitems:\n  - type: params.mlp\n    points: 1\n    params: {input_shape: [8, 8]}\n",
     "items[0].params.input_shape: expected exactly 3 item(s), got [8, 8]"),
    ("title: T\ntemplates: nowhere\nitems:\n  - type: params.mlp\n    points: 1\n",
     "templates: no such folder"),
    ("- just\n- a list\n", "expected a mapping"),
])
def test_bad_spec_is_one_line_exit_2_and_writes_nothing(runner, tmp_path, text, fragment):
    spec = tmp_path / "bad.yaml"
    spec.write_text(text)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(spec), "--out", str(out), "--tex-only"])
    assert result.exit_code == 2, result.output
    line = _error_line(result)
    assert fragment in line and str(spec) in line
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]
