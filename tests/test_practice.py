"""Students' commands: qbank check, qbank drill with piped answers, qbank practice."""

from __future__ import annotations

import shutil
import subprocess
from itertools import islice

import pytest
from click.testing import CliRunner

from qbank.cli import cli
from qbank.checker import check_data
from qbank.checker.hints import format_hint
from qbank.practice.drill import run_drill
from qbank.practice.selection import matching_types, questions
from qbank.registry import get_type

HAS_TEX = all(shutil.which(tool) for tool in ("pdflatex", "pdftotext"))


def _run(*args, stdin=None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def _answers(type_ids, seed, count):
    """The check data of the questions the CLI will ask (it takes the ids sorted)."""
    chosen = islice(questions(sorted(type_ids), seed, keep=lambda check: check is not None), count)
    return [question.check for question in chosen]


def test_check_exit_codes():
    data = check_data(get_type("params.mlp").draw(7))
    right = _run("check", "params.mlp", "--seed", "7", "--answer", f"{data['value']:,}")
    assert (right.exit_code, right.output) == (0, "Right.\n")
    slip = _run("check", "params.mlp", "--seed", "7", "--answer", str(data["mistakes"][0]["value"]))
    assert slip.exit_code == 1 and slip.output.startswith("Not quite: this answer ")
    wrong = _run("check", "params.mlp", "--seed", "7", "--answer", "1")
    assert (wrong.exit_code, wrong.output) == (1, "Wrong.\n")
    bad = _run("check", "params.mlp", "--seed", "7", "--answer", "12 apples")
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and "qbank: error:" in bad.output
    unknown = _run("check", "params.nope", "--answer", "1")
    assert unknown.exit_code == 2


def test_check_symbolic_and_concept_answers():
    assert _run("check", "activations.sigmoid_tanh", "--seed", "2",
                "--answer", "sigmoid(2*x) - sigmoid(-2*x)").exit_code == 0
    concept = next(seed for seed in range(50)
                   if check_data(get_type("concepts.conv_1x1").draw(seed)) is not None)
    data = check_data(get_type("concepts.conv_1x1").draw(concept))
    assert _run("check", "concepts.conv_1x1", "--seed", str(concept),
                "--answer", data["value"]).exit_code == 0


def test_check_refuses_what_it_cannot_check():
    result = _run("check", "perceptron.xor_features", "--answer", "1")
    assert result.exit_code == 2 and "worked solution" in result.output


def test_drill_all_right_with_piped_answers():
    checks = _answers(["params.mlp", "attention.softmax_scores"], 4, 3)
    typed = [f"{check['value']}" if check["kind"] == "number"
             else "[" + ", ".join(map(str, check["value"])) + "]" for check in checks]
    stdin = "".join(f"{answer}\n{'y' if index == 0 else 'n'}\n" for index, answer in enumerate(typed))
    result = _run("drill", "--type", "params.mlp", "--type", "attention.softmax_scores",
                  "--seed", "4", "--count", "3", stdin=stdin)
    assert result.exit_code == 0, result.output
    assert result.output.count("✓ Right.") == 3
    assert all(format_hint(check) in result.output for check in checks)
    assert result.output.count("Worked solution") == 1
    assert "Score: 3 of 3 right" in result.output


def test_format_hints_say_the_shape_to_type():
    assert format_hint({"kind": "vector", "value": [1, 2, 3]}).startswith("Type 3 numbers")
    assert "2 rows of 3 numbers" in format_hint({"kind": "matrix", "value": [[1, 2, 3]] * 2})
    assert format_hint({"kind": "choice", "options": ["True", "False"]}) == \
        "Answer with one of True, False."


def test_drill_wrong_malformed_and_named_mistake():
    (check,) = _answers(["params.mlp"], 9, 1)
    stdin = f"twelve\n{check['mistakes'][0]['value']}\nn\n1\nn\n"
    result = _run("drill", "--type", "params.mlp", "--seed", "9", "--count", "2", stdin=stdin)
    assert result.exit_code == 0
    assert "Unknown name 'twelve'. Try again." in result.output
    assert "✗ Not quite: this answer" in result.output
    assert "✗ Wrong." in result.output
    assert "Score: 0 of 2 right" in result.output and "parameter counting  0/2" in result.output


def test_drill_quits_early_with_the_summary_so_far():
    (check,) = _answers(["params.mlp"], 1, 1)
    result = _run("drill", "--type", "params.mlp", "--seed", "1", "--count", "5",
                  stdin=f"{check['value']}\nn\nq\n")
    assert result.exit_code == 0
    assert "Question 2 of 5" in result.output and "Question 3 of 5" not in result.output
    assert "Score: 1 of 1 right" in result.output
    ended = _run("drill", "--topic", "losses", "--seed", "1", stdin="")   # end of input
    assert ended.exit_code == 0 and "No questions answered." in ended.output


def test_drill_ctrl_c_prints_the_summary():
    lines = iter(["q-never-read"])
    calls = []

    def read(prompt):
        calls.append(prompt)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return next(lines)

    said = []
    score = run_drill(questions(["params.mlp"], 3, keep=lambda check: check is not None), 4,
                      read=read, say=said.append)
    assert sum(score.asked.values()) == 0
    assert said[-1].strip() == "No questions answered."


def test_topics_and_types_select_questions():
    assert set(matching_types(("attention",))) == {
        type_id for type_id in matching_types() if get_type(type_id).topic == "attention"}
    assert matching_types((), ("params.mlp",)) == ["params.mlp"]
    bad = _run("drill", "--topic", "astrology", stdin="")
    assert bad.exit_code == 2 and "unknown topic 'astrology'" in bad.output
    first = [q.variant.seed for q in islice(questions(matching_types(("losses",)), 5), 6)]
    again = [q.variant.seed for q in islice(questions(matching_types(("losses",)), 5), 6)]
    assert first == again and len(set(first)) == 6


@pytest.mark.skipif(not HAS_TEX, reason="needs TeX Live and poppler-utils")
def test_practice_pdf_has_questions_then_worked_solutions(tmp_path):
    out = tmp_path / "set.pdf"
    result = _run("practice", "--topic", "attention", "--topic", "losses", "--count", "4",
                  "--seed", "5", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    answers_at = text.index("Answers and worked solutions")
    for number in range(1, 5):
        assert text.index(f"Question {number}") < answers_at
        assert f"Question {number}" in text[answers_at:]
    assert "Answer." in text[answers_at:] and "Answer." not in text[:answers_at]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set.pdf"]
