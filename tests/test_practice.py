"""Students' commands: qbank check, qbank drill with piped answers, qbank practice."""

from __future__ import annotations

import shutil
import subprocess
from itertools import islice

import pytest
from click.testing import CliRunner

from qbank.cli import cli
from qbank.checker import check_data
from qbank.checker.expected import is_checked
from qbank.checker.hints import format_hint
from qbank.practice.drill import run_drill
from qbank.practice.selection import matching_types, questions
from qbank.registry import get_type
from tests.typed_answers import response, typed

HAS_TEX = all(shutil.which(tool) for tool in ("pdflatex", "pdftotext"))


def _run(*args, stdin=None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def _answers(type_ids, seed, count):
    """The check data of the questions the CLI will ask (it takes the ids sorted)."""
    chosen = islice(questions(sorted(type_ids), seed, keep=is_checked), count)
    return [question.check for question in chosen]


PARTS_TYPE = "attention.scaled_dot_product"   # three parts of weights 1, 1, 2


def _labelled(check, **override) -> list[str]:
    """--answer options giving every part its right value, except those overridden."""
    answers = {part["label"]: response(part) for part in check["parts"]}
    answers.update(override)
    return [option for label, text in answers.items() if text is not None
            for option in ("--answer", f"{label}={text}")]


def test_check_every_part_and_the_score_in_weights():
    check = check_data(get_type(PARTS_TYPE).draw(7))
    parts = {part["label"]: part for part in check["parts"]}
    right = _run("check", PARTS_TYPE, "--seed", "7", *_labelled(check))
    assert (right.exit_code, right.output) == (0, "(a) right\n(b) right\n(c) right\nscore: 4/4\n")
    one_wrong = _run("check", PARTS_TYPE, "--seed", "7",
                     *_labelled(check, b=typed([[9.0] * len(row) for row in parts["b"]["value"]])))
    assert one_wrong.exit_code == 1
    assert one_wrong.output.splitlines()[1:] == ["(b) wrong", "(c) right", "score: 3/4"]
    slip = _run("check", PARTS_TYPE, "--seed", "7",
                *_labelled(check, a=response(parts["a"], parts["a"]["mistakes"][0]), c=None))
    assert slip.exit_code == 1
    assert slip.output.splitlines()[0].startswith("(a) mistake: Not quite: this answer ")
    assert slip.output.splitlines()[2:] == ["(c) unanswered", "score: 1/4"]


@pytest.mark.parametrize("options, message", [
    (["--answer", "d=1"], "unknown part 'd'; this question has parts a, b, c"),
    (["--answer", "[1, 2]"], "this question has parts a, b, c: give each as --answer LABEL=VALUE"),
    (["--answer", "a=1", "--answer", "a=2"], "part a is answered twice"),
    (["--answer", "a=12 apples"], "part a: "),
])
def test_check_refuses_bad_input_in_one_line(options, message):
    result = _run("check", PARTS_TYPE, "--seed", "7", *options)
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert result.output.startswith(f"qbank: error: {message}")


def test_check_a_one_part_question_takes_a_bare_answer():
    concept = next(seed for seed in range(50)
                   if get_type("concepts.conv_1x1").draw(seed).answer["kind"] == "choice")
    (part,) = check_data(get_type("concepts.conv_1x1").draw(concept))["parts"]
    right = _run("check", "concepts.conv_1x1", "--seed", str(concept), "--answer", part["value"])
    assert (right.exit_code, right.output) == (0, "(a) right\nscore: 1/1\n")
    labelled = _run("check", "concepts.conv_1x1", "--seed", str(concept), "--answer", f"a={part['value']}")
    assert labelled.exit_code == 0
    assert _run("check", "params.nope", "--answer", "1").exit_code == 2


def test_check_refuses_what_only_a_person_marks():
    short = next(seed for seed in range(200)
                 if check_data(get_type("concepts.conv_1x1").draw(seed))["parts"][0]["kind"] == "free")
    result = _run("check", "concepts.conv_1x1", "--seed", str(short), "--answer", "1")
    assert result.exit_code == 2 and "marked by hand" in result.output


def test_drill_asks_part_by_part_and_scores_in_marks():
    (check,) = _answers([PARTS_TYPE], 4, 1)
    a, b, c = check["parts"]
    stdin = f"{response(a)}\nnonsense(\n{response(b, b['mistakes'][0])}\n{response(c)}\ny\n"
    result = _run("drill", "--type", PARTS_TYPE, "--seed", "4", "--count", "1", stdin=stdin)
    assert result.exit_code == 0, result.output
    assert all(format_hint(part) in result.output for part in (a, b, c))
    assert result.output.count("✓ Right.") == 2
    assert "Try again." in result.output and "✗ Not quite: this answer" in result.output
    assert "answer (c) (q to quit)>" in result.output
    assert result.output.count("Worked solution") == 1
    assert "Score: 3 of 4 marks" in result.output and "attention  3/4" in result.output


def test_drill_quits_early_with_the_summary_so_far():
    (check,) = _answers([PARTS_TYPE], 1, 1)
    first = check["parts"][0]
    result = _run("drill", "--type", PARTS_TYPE, "--seed", "1", "--count", "5",
                  stdin=f"{response(first)}\nq\n")
    assert result.exit_code == 0
    assert "Question 1 of 5" in result.output and "Question 2 of 5" not in result.output
    assert "Score: 1 of 1 marks" in result.output
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
    score = run_drill(questions([PARTS_TYPE], 3, keep=is_checked), 4, read=read, say=said.append)
    assert sum(score.asked.values()) == 0
    assert said[-1].strip() == "No questions answered."


def test_format_hints_say_the_shape_to_type():
    assert format_hint({"kind": "vector", "value": [1, 2, 3]}).startswith("Type 3 numbers")
    assert "2 rows of 3 numbers" in format_hint({"kind": "matrix", "value": [[1, 2, 3]] * 2})
    assert format_hint({"kind": "choice", "options": ["True", "False"]}) == \
        "Answer with one of True, False."


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
