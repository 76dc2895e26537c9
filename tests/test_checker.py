"""The answer checker: every answer kind, tolerance edges, malformed input, named mistakes.

The shared case table (tests/data/checker_cases.json) is also run through the
browser's checker in tests/test_practice_page.py and, message for message, in
tests/test_checker_differential.py, so the two implementations must agree on
every case.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from qbank.checker import check_data, judge
from qbank.checker.expected import default_tolerance
from qbank.checker.grammar import DIGIT_ZEROS, ResponseError, is_digit, parse
from qbank.checker.hints import format_hint
from qbank.checker.verdict import _shown
from qbank.registry import all_types, get_type

CASES = json.loads((Path(__file__).parent / "data" / "checker_cases.json").read_text(encoding="utf-8"))


def checked_parts(variant) -> list[dict]:
    """The parts of a variant the checker judges (a free part is marked by a person)."""
    return [part for part in check_data(variant)["parts"] if part["kind"] != "free"]


CHECKABLE = [type_id for type_id, qtype in all_types().items()
             if qtype.kind != "conceptual" and checked_parts(qtype.draw(0))]


def typed(value, kind: str = "number") -> str:
    """A value as a student would type it: 0.665, [1, 2], [1, 2; 3, 4], B, 1-B 2-A."""
    if kind in ("choice", "expression"):
        return str(value)
    if kind == "matching":
        return " ".join(f"{item}-{letter}" for item, letter in enumerate(value, start=1))
    if isinstance(value, list) and value and isinstance(value[0], list):
        return "[" + "; ".join(", ".join(map(repr, row)) for row in value) + "]"
    if isinstance(value, list):
        return "[" + ", ".join(map(repr, value)) + "]"
    return repr(value)


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case['check']['kind']}:{case['response']}")
def test_shared_case_table(case):
    verdict = judge(case["check"], case["response"])
    assert verdict.verdict == case["verdict"]
    assert verdict.message == case.get("message", verdict.message)


def test_case_table_covers_every_kind_and_verdict():
    assert {case["check"]["kind"] for case in CASES} == {
        "number", "vector", "matrix", "expression", "choice", "matching"}
    assert {case["verdict"] for case in CASES} == {"right", "close", "mistake", "wrong", "malformed"}


NUMBER = {"kind": "number", "value": 0.665, "tolerance": {"relative": 0.0, "absolute": 0.001},
          "close_factor": 10, "mistakes": [{"value": 0.335, "explanation": "takes 1 - p"}]}


@pytest.mark.parametrize("response, verdict", [
    ("0.665", "right"), ("6.65e-1", "right"), ("66.5%", "right"), ("133/200", "right"),
    ("0.6659", "right"), ("0.6641", "right"),          # inside the bound of 0.001
    ("0.6651 - 0.0001", "right"), ("(1 - 0.335)", "right"),
    ("2/3", "close"), ("0.667", "close"), ("0.674", "close"),   # outside 1x, inside 10x
    ("0.676", "wrong"), ("-0.665", "wrong"), ("1/0", "malformed"), ("1 000", "wrong"),
    ("0.335", "mistake"), ("33.5%", "mistake"),
    ("", "malformed"), ("   ", "malformed"), ("0.6.6", "malformed"), ("2//3", "malformed"),
    ("(0.665", "malformed"), ("abc", "malformed"), ("0,665", "malformed"),
])
def test_number_forms_and_tolerance_edges(response, verdict):
    assert judge(NUMBER, response).verdict == verdict


def test_relative_bound_takes_over_for_large_values():
    data = {**NUMBER, "value": 12000.0, "tolerance": {"relative": 1e-3, "absolute": 0.001},
            "mistakes": []}
    assert judge(data, "12,011").verdict == "right"       # 11 <= 0.1% of 12,000 = 12
    assert judge(data, "12013").verdict == "close"
    assert judge(data, "12,000.5").verdict == "right"


def test_whole_numbers_are_exact_and_grouping_is_understood():
    data = {"kind": "number", "value": 1265220, "tolerance": {"relative": 0.0, "absolute": 0.0},
            "close_factor": 10, "mistakes": []}
    for response in ("1265220", "1,265,220", "1265220.0", "1.26522e6"):
        assert judge(data, response).is_right, response
    assert judge(data, "1265221").verdict == "wrong"
    assert judge(data, "1,26,5220").verdict == "malformed"


def test_vectors_and_matrices_need_their_shape():
    vector = {"kind": "vector", "value": [0.665, 0.245, 0.09],
              "tolerance": {"relative": 0.0, "absolute": 0.001}, "close_factor": 10,
              "mistakes": []}
    assert judge(vector, "[0.665, 0.245, 0.09]").is_right
    assert judge(vector, "(0.665, 0.245, 0.090)").is_right
    assert judge(vector, "0.665, 0.245, 9%").is_right
    assert judge(vector, "[0.665, 0.245]").message == "Expected 3 numbers, got 2."
    assert judge(vector, "[0.665, , 0.09]").verdict == "malformed"
    matrix = {**vector, "kind": "matrix", "value": [[1, 2], [3, 4]],
              "tolerance": {"relative": 0.0, "absolute": 0.0}}
    assert judge(matrix, "[1, 2; 3, 4]").is_right
    assert judge(matrix, "1,2;3,4").is_right
    assert judge(matrix, "[1, 2; 3, 5]").verdict == "wrong"
    assert judge(matrix, "[1, 2, 3; 4, 5, 6]").message == "Expected 2 rows of 2 numbers."


def test_choice_letters_and_true_false():
    letters = {"kind": "choice", "value": "C", "options": ["A", "B", "C", "D"]}
    for response in ("C", "c", "(c)", "c)", "C."):
        assert judge(letters, response).is_right, response
    assert judge(letters, "B").verdict == "wrong"
    assert judge(letters, "E").message == "Answer with one of A, B, C, D."
    truth = {"kind": "choice", "value": "False", "options": ["True", "False"]}
    assert judge(truth, "f").is_right and judge(truth, "FALSE").is_right
    assert judge(truth, "true").verdict == "wrong"
    assert judge(truth, "no").verdict == "malformed"


def test_accepted_values_are_right_and_near_ones_close():
    data = {**NUMBER, "accepted": [0.6612]}
    assert judge(data, "0.6612").is_right and judge(data, "0.6605").is_right
    assert judge(data, "0.658").verdict == "close"        # within 10 bounds of 0.6612 only
    assert judge({**data, "accepted": [0.335]}, "0.335").is_right   # right before mistake
    vector = {"kind": "vector", "value": [1, 2], "tolerance": {"relative": 0, "absolute": 0},
              "close_factor": 10, "mistakes": [], "accepted": [[1, 3], [1]]}
    assert judge(vector, "1, 3").is_right and judge(vector, "1, 4").verdict == "wrong"
    matrix = {**vector, "kind": "matrix", "value": [[1, 2]], "accepted": [[[1, 2.5]]]}
    assert judge(matrix, "[1, 2.5]").is_right


def said(verdict) -> tuple[str, str]:
    return verdict.verdict, verdict.message


MATCHING = {"kind": "matching", "value": ["B", "A", "C"], "options": ["A", "B", "C"]}


@pytest.mark.parametrize("response", ["B, A, C", "B A C", "BAC", "bac", "1B 2A 3C", "1-B, 2-A, 3-C",
                                      "1:B 2:A 3:C", "3C 1B 2A", "(1) B (2) A (3) C", "1.b; 2.a; 3.c",
                                      "1 -> B, 2 -> A, 3 -> C", "1) B 2) A 3) C", "1\u2212B 2=A 3-C"])
def test_matching_reads_letters_in_order_or_numbered(response):
    assert said(judge(MATCHING, response)) == ("right", "Right.")


@pytest.mark.parametrize("response, verdict, message", [
    ("A, B, C", "wrong", "1 of 3 matched correctly."),
    ("C, B, A", "wrong", "0 of 3 matched correctly."),
    ("B, C, C", "wrong", "2 of 3 matched correctly."),
    ("B, A", "malformed", "Expected 3 letters, one per item, got 2."),
    ("1B 2A 3C 4A", "malformed", "Expected 3 letters, one per item, got 4."),
    ("B, A, D", "malformed", "Item 3: answer with one of A, B, C."),
    ("1B 2A 2C", "malformed", "Item 2 is answered twice."),
    ("1B 2A 4C", "malformed", "There is no item 4 (the items are 1 to 3)."),
    ("0B 1A 2C", "malformed", "There is no item 0 (the items are 1 to 3)."),
    ("B-A-C", "malformed", "Expected 3 letters, one per item, e.g. A, B, C."),
    ("1B 2A C", "malformed", "Expected 3 letters, one per item, e.g. A, B, C."),
    ("(1B 2A 3C", "malformed", "Expected 3 letters, one per item, e.g. A, B, C."),
    (" ", "malformed", "Type an answer first."),
])
def test_matching_says_how_many_match_or_why_it_cannot_read(response, verdict, message):
    assert said(judge(MATCHING, response)) == (verdict, message)


def test_matching_names_a_modelled_mistake_and_hints_at_the_format():
    data = {**MATCHING, "mistakes": [{"value": ["A", "B", "C"], "explanation": "swaps the first two"}]}
    assert said(judge(data, "ABC")) == ("mistake", "Not quite: this answer swaps the first two.")
    assert format_hint(MATCHING) == ("Type 3 letters, one for each numbered item in order, "
                                     "e.g. A, B, C or 1-A 2-B 3-C.")


def test_sample_points_are_named_as_javascript_prints_them():
    assert [_shown(x) for x in (2.0, -3, 0.5, 1e-7, 1e-6, 1.5e21, 1e20, 0.1 + 0.2, -0.0)] == [
        "2", "-3", "0.5", "1e-7", "0.000001", "1.5e+21", "100000000000000000000",
        "0.30000000000000004", "0"]


def test_digit_table_holds_every_digit_this_python_knows():
    """DIGIT_ZEROS (Unicode 17) is a superset of this Python's own Unicode digits."""
    python_digits = [chr(code) for code in range(0x110000) if chr(code).isdecimal()]
    assert all(map(is_digit, python_digits))
    assert sum(map(is_digit, map(chr, range(0x110000)))) == 10 * len(DIGIT_ZEROS)


def _expression_part(type_id: str, seed: int) -> dict:
    return next(part for part in checked_parts(get_type(type_id).draw(seed))
                if part["kind"] == "expression")


def test_symbolic_answers_by_sympy_equivalence():
    data = _expression_part("activations.sigmoid_tanh", 3)
    for right in ("2*sigmoid(2*x) - 1", "sigmoid(2*x) - sigmoid(-2*x)", "tanh(x)",
                  "(exp(x) - exp(-x))/(exp(x) + exp(-x))", "2/(1 + e^(-2*x)) - 1"):
        assert judge(data, right).is_right, right
    # Without any sample points, sympy alone must still prove the equivalence.
    assert judge({**data, "samples": []}, "sigmoid(2*x) - sigmoid(-2*x)").is_right
    assert judge(data, "2*sigmoid(x) - 1").message == \
        "Not quite: this answer uses σ(x) where σ(2x) belongs."
    assert judge(data, "1 - 2*sigmoid(2*x)").verdict == "mistake"
    assert judge(data, "x^2").verdict == "wrong"
    assert judge(data, "2*sigmoid(2*y) - 1").message == "Unknown name 'y'."


@pytest.mark.parametrize("type_id", CHECKABLE)
def test_each_type_accepts_its_answer_and_names_its_mistakes(type_id):
    qtype = get_type(type_id)
    named = modelled = 0
    for seed in range(8):
        recognised = []
        for data in checked_parts(qtype.draw(seed)):
            kind = data["kind"]
            expression = kind == "expression"
            assert judge(data, data["expression"] if expression else typed(data["value"], kind)).is_right
            for accepted in data.get("accepted", []):
                assert judge(data, typed(accepted, kind)).is_right, (seed, accepted)
            modelled += bool(data.get("mistakes"))
            for mistake in data.get("mistakes", []):
                verdict = judge(data, mistake["expression"] if expression else typed(mistake["value"], kind))
                if verdict.verdict == "right":
                    continue  # this slip happens to give the right value for this variant
                assert verdict.verdict == "mistake", (seed, mistake)
                # The first modelled mistake with that value is the one named.
                assert verdict.message.startswith("Not quite: this answer ")
                recognised.append(verdict.message)
        named += bool(recognised)
    if modelled:
        assert named >= 4, f"{type_id}: mistakes recognised in only {named} of 8 variants"


def test_tolerances_follow_the_precision_asked():
    assert default_tolerance(5000, None) == (0.0, 0.0)
    assert default_tolerance([1, 2], None) == (0.0, 0.0)
    assert default_tolerance(0.5, 4) == (1e-3, 1e-4)
    assert default_tolerance(0.5, None) == (1e-3, 1e-3)


def test_malformed_input_never_raises():
    generator = random.Random(7)
    alphabet = "0123456789.,;:+-*/^%()[]eExyz sigmoid tanh \\$&{}'\"\t"
    data = [NUMBER, _expression_part("activations.sigmoid_tanh", 1), MATCHING,
            {"kind": "matrix", "value": [[1, 2], [3, 4]],
             "tolerance": {"relative": 0.0, "absolute": 0.0}, "close_factor": 10, "mistakes": []},
            {"kind": "choice", "value": "A", "options": ["A", "B"]}]
    for _ in range(400):
        response = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 14)))
        for item in data:
            verdict = judge(item, response)
            assert verdict.verdict in {"right", "close", "mistake", "wrong", "malformed"}
            assert "\n" not in verdict.message


def test_the_grammar_never_evaluates_python():
    for attack in ("__import__('os')", "().__class__", "[x for x in ()]", "lambda: 1", "1 if 1 else 2"):
        with pytest.raises(ResponseError):
            parse(attack, ("x",))


def test_sampled_values_agree_with_math():
    from qbank.checker.grammar import evaluate

    assert math.isclose(evaluate(parse("sigmoid(0.3) + ln(e^2) + sqrt(16) - 2^3^0")), 
                        1 / (1 + math.exp(-0.3)) + 2 + 4 - 2)
    assert evaluate(parse("-2^2")) == -4
    assert math.isnan(evaluate(parse("sqrt(-1)")))
