"""Hostile answers and options: each gets a clear one-line answer at once, the same in both checkers.

Anyone can type anything into ``qbank check``, ``qbank drill`` and a practice
page.  Deeply nested or very long answers used to end in a RecursionError
traceback, some expressions kept sympy busy for minutes, digits of other
scripts were read in Python but not in the browser, and size options of a
billion ran out of memory or never ended.  These tests hold the bounds
(``qbank/checker/limits.py``, ``qbank/checker/symbolic.py``, the option ranges in
``qbank/cli.py``) and, in Chromium, that ``checker.js`` gives the very verdict
and message Python gives (the case table, the hostile answers, and a fuzz).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank.checker import check_data, judge
from qbank.practice.selection import questions
from tests.typed_answers import response as right_response


def expression_part(variant) -> dict:
    """The check data of a variant's first expression part."""
    return next(part for part in check_data(variant)["parts"] if part["kind"] == "expression")
from qbank.checker.grammar import parse
from qbank.checker.limits import MAX_DEPTH, MAX_LENGTH, TOO_DEEP, TOO_LONG
from qbank.checker.symbolic import MAX_NODES, tractable
from qbank.cli import cli
from qbank.practice.page import CHECKER_SOURCE
from qbank.registry import get_type

ROOT = Path(__file__).resolve().parent.parent
CASES = json.loads((ROOT / "tests" / "data" / "checker_cases.json").read_text(encoding="utf-8"))
FAST = 1.5  # seconds: each hostile case is refused in milliseconds; this leaves room for a busy CI

HOSTILE = {
    "200 parentheses": ("(" * 200 + "1" + ")" * 200, TOO_DEEP),
    "10,000 parentheses": ("(" * 10_000 + "1" + ")" * 10_000, TOO_LONG),
    "5,000 minus signs": ("-" * 5_000 + "1", TOO_LONG),
    "60 minus signs": ("-" * 60 + "1", TOO_DEEP),
    "2^2^...^2, 3,000 deep": ("^".join(["2"] * 3_000), TOO_LONG),
    "2^2^...^2, 60 deep": ("^".join(["2"] * 60), TOO_DEEP),
    "sqrt( 300 deep": ("sqrt(" * 300 + "1" + ")" * 300, TOO_DEEP),
    "100 KB sum": ("+".join(["1"] * 50_000), TOO_LONG),
    "unclosed, 10,000 deep": ("(" * 10_000, TOO_LONG),
    "2,001 spaces": (" " * (MAX_LENGTH + 1), TOO_LONG),
}
TYPES = {"params.mlp": "number", "activations.sigmoid_tanh": "expression"}


def _part_under_test(type_id: str) -> tuple[str, list[str]]:
    """The label of the type's first part of the kind TYPES names, and the right answers of
    the checked parts a drill of seed 0 asks before it (its first question)."""
    parts = next(questions([type_id], 0)).check["parts"]
    index = next(i for i, part in enumerate(parts) if part["kind"] == TYPES[type_id])
    return parts[index]["label"], [right_response(part) for part in parts[:index]
                                   if part["kind"] != "free"]


def _run(*args, stdin=None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def _error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[:500]
    assert lines[0].startswith("qbank: error: ")
    assert "Traceback" not in result.output + result.stderr
    return lines[0]


# ------------------------------------------------------------------ limits


@pytest.mark.parametrize("type_id", TYPES)
@pytest.mark.parametrize("name", HOSTILE)
def test_qbank_check_refuses_hostile_answers_in_one_line_at_once(type_id, name):
    answer, message = HOSTILE[name]
    started = time.monotonic()
    label, _ = _part_under_test(type_id)
    result = _run("check", type_id, "--seed", "0", "--answer", f"{label}={answer}")
    assert time.monotonic() - started < FAST
    assert result.exit_code == 2
    assert _error_line(result) == f"qbank: error: part {label}: {message}"


@pytest.mark.parametrize("type_id", TYPES)
@pytest.mark.parametrize("name", ["10,000 parentheses", "sqrt( 300 deep", "100 KB sum"])
def test_drill_says_why_and_asks_again(type_id, name):
    answer, message = HOSTILE[name]
    _, before = _part_under_test(type_id)
    stdin = "".join(f"{line}\n" for line in [*before, answer, "q"])
    started = time.monotonic()
    result = _run("drill", "--type", type_id, "--seed", "0", "--count", "1", stdin=stdin)
    assert time.monotonic() - started < 2 * FAST
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert f"  {message} Try again." in result.output
    assert "Score: " in result.output or "No questions answered." in result.output


def test_the_bounds_themselves_are_read():
    number = check_data(get_type("params.mlp").draw(0))["parts"][-1]   # the total
    total = number["value"]
    assert judge(number, "(" * MAX_DEPTH + str(total) + ")" * MAX_DEPTH).is_right
    assert judge(number, "(" * (MAX_DEPTH + 1) + str(total) + ")" * (MAX_DEPTH + 1)).message == TOO_DEEP
    padded = str(total).rjust(MAX_LENGTH)            # leading spaces are dropped, but counted
    assert judge(number, padded).is_right
    assert judge(number, " " + padded).message == TOO_LONG


def test_a_sum_of_a_thousand_terms_is_evaluated_without_recursion():
    """Sums and products lean left: a 1,000-term sum is a tree 1,000 deep, which the
    evaluator walks in a loop (it used to raise RecursionError)."""
    def exactly(value):
        return {"kind": "number", "value": value, "tolerance": {"relative": 0, "absolute": 0},
                "close_factor": 10, "mistakes": []}

    assert judge(exactly(1000), "+".join(["1"] * 1000)).is_right          # 1,999 characters
    assert judge(exactly(2), "*".join(["1"] * 999) + "*2").is_right
    assert judge(exactly(-998), "-".join(["1"] * 1000)).is_right
    expression = expression_part(get_type("activations.sigmoid_tanh").draw(0))
    started = time.monotonic()
    assert judge(expression, "+".join(["x"] * 999)).verdict == "wrong"
    assert time.monotonic() - started < FAST


# ---------------------------------------------------------------- sympy

SYMPY_HOSTILE = [
    "(1+x/1000)^1000",                            # expands to a thousand terms
    "sigmoid(sigmoid(sigmoid(sigmoid(x))))",      # 25 s in simplify
    "tanh(tanh(tanh(x)))*sin(x)^5",               # 49 s in simplify
    "x^(9^9^9)",                                  # a 370-million-digit exponent
    "x + 9*999999999",                            # the old to_sympy computed 9^999999999 too
    "2^2^2^2^2*x",
    "+".join(["x^2"] * 100),                      # more nodes than sympy is given
]


def test_hostile_expressions_are_judged_in_time_when_sympy_decides():
    """Without sample points sympy alone decides, so every bound is exercised.  Run in a
    subprocess with a timeout: without the bounds these take minutes, or forever."""
    program = f"""
import json, signal, sys, time
from qbank.checker import check_data, judge
from qbank.registry import get_type
data = next(part for part in check_data(get_type("activations.sigmoid_tanh").draw(0))["parts"]
            if part["kind"] == "expression")
data = {{**data, "samples": [], "mistakes": [{{**m, "samples": []}} for m in data["mistakes"]]}}
judge(data, "x")  # import sympy, outside the times below
report = []
for answer in {SYMPY_HOSTILE!r}:
    started = time.monotonic()
    verdict = judge(data, answer).verdict
    report.append([answer, verdict, time.monotonic() - started])
tidy = signal.getsignal(signal.SIGALRM) == signal.SIG_DFL and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
print(json.dumps({{"report": report, "tidy": tidy,
                  "proved": judge(data, "sigmoid(2*x) - sigmoid(-2*x)").is_right}}))
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    for answer, verdict, seconds in result["report"]:
        assert verdict == "wrong", answer
        assert seconds < FAST, (answer, seconds)
    assert result["tidy"], "the SIGALRM handler or timer was left behind"
    assert result["proved"], "sympy no longer proves a true identity"


def test_sympy_sees_only_small_trees_with_small_powers():
    variables = ("x",)
    assert tractable(parse("(exp(x) - exp(-x))/(exp(x) + exp(-x))", variables))
    assert tractable(parse("x^16 + (1+x)^(1/3) + x^x", variables))
    assert not tractable(parse("(1+x/1000)^1000", variables))
    assert not tractable(parse("x^(9^9^9)", variables))
    assert not tractable(parse("(10^300)^2*x", variables))
    assert not tractable(parse("+".join(["x"] * MAX_NODES), variables))


def test_qbank_check_answers_a_huge_power_at_once():
    started = time.monotonic()
    label, _ = _part_under_test("activations.sigmoid_tanh")
    result = _run("check", "activations.sigmoid_tanh", "--seed", "0",
                  "--answer", f"{label}=(1+x/1000)^1000")
    assert time.monotonic() - started < 2
    assert result.exit_code == 1 and f"({label}) wrong\n" in result.output


# ---------------------------------------------------------------- digits


@pytest.mark.parametrize("answer", ["٣", "١٢٦٥٢٢٠", "१२", "３", "１２６５２２０", "1265220０", "𝟏"])
def test_only_ascii_digits_are_digits(answer):
    label, _ = _part_under_test("params.mlp")
    result = _run("check", "params.mlp", "--seed", "0", "--answer", f"{label}={answer}")
    assert result.exit_code == 2
    assert _error_line(result) == \
        f"qbank: error: part {label}: Could not read '{answer}' as a number: use the digits 0-9."


def test_case_table_has_the_hardening_cases():
    responses = {case["response"] for case in CASES}
    assert {"٣", "१२", "３", "66.5%%", "\ufeff0.665", "( b )", "1/(1/0)"} <= responses
    assert any(TOO_DEEP == case.get("message") for case in CASES)


@pytest.mark.parametrize("case", [c for c in CASES if "message" in c],
                         ids=lambda case: repr(case["response"][:30]))
def test_case_table_messages_in_python(case):
    assert judge(case["check"], case["response"]).message == case["message"]


# ----------------------------------------------------------------- options


def test_bare_qbank_prints_the_help_and_exits_0():
    """As pip does: the help a user asked for by typing nothing, not a usage error."""
    result = _run()
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")
    assert "Commands:" in result.stdout and "drill" in result.stdout
    assert result.stdout.count("\n") > 10 and result.stderr == ""
    bare = subprocess.run([sys.executable, "-m", "qbank"], cwd=ROOT, capture_output=True,
                          text=True, timeout=30)
    assert (bare.returncode, bare.stderr) == (0, "")
    assert bare.stdout.startswith("Usage: qbank [OPTIONS] [COMMAND] [ARGS]...")


@pytest.mark.parametrize("args, option", [
    (["show", "params.mlp", "--width", "1000000000"], "--width"),
    (["show", "params.mlp", "--width", "401"], "--width"),
    (["drill", "--width", "1000000000"], "--width"),
    (["drill", "--count", "1000000000"], "--count"),
    (["drill", "--count", "501"], "--count"),
    (["practice", "--count", "1000000000"], "--count"),
    (["practice", "--count", "501", "--format", "html"], "--count"),
])
def test_size_options_are_bounded_one_line_exit_2(args, option):
    started = time.monotonic()
    result = _run(*args, stdin="")
    assert time.monotonic() - started < FAST
    assert result.exit_code == 2
    line = _error_line(result)
    assert option in line and "is not in the range" in line


def test_size_options_take_their_upper_bounds():
    wide = _run("show", "params.mlp", "--width", "400")
    assert wide.exit_code == 0 and "═" * 400 in wide.stdout
    many = _run("drill", "--type", "params.mlp", "--count", "500", "--width", "400", stdin="q\n")
    assert many.exit_code == 0 and "Question 1 of 500" in many.output


def test_generate_streams_a_billion_variants():
    """generate --count is not bounded: it prints each variant as it is drawn, so the first
    line comes at once and a closed pipe ends it; nothing builds a billion-element list."""
    process = subprocess.Popen([sys.executable, "-m", "qbank", "generate", "params.mlp",
                                "--count", "1000000000"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        first = json.loads(process.stdout.readline())
        process.stdout.close()
        process.wait(timeout=30)
    finally:
        process.kill()
    assert first["type"] == "params.mlp" and first["seed"] == 0
    assert "Traceback" not in process.stderr.read()


# ------------------------------------------------- the browser agrees with Python

try:
    from selenium import webdriver
except ImportError:  # the tests above still run; these skip, as tests/test_practice_page.py does
    webdriver = None
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
needs_chromium = pytest.mark.skipif(
    webdriver is None or not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs selenium, /usr/bin/chromium and /usr/bin/chromedriver")


@pytest.fixture(scope="module")
def browser_check():
    """qbankCheck over many (check, response) pairs at once, in headless Chromium."""
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        browser.get("about:blank")
        browser.execute_script(CHECKER_SOURCE.read_text(encoding="utf-8"))

        def check(pairs):
            return browser.execute_script(
                "var started = performance.now();"
                "var results = arguments[0].map(function (p) { return qbankCheck(p[0], p[1]); });"
                "return {results: results, ms: performance.now() - started};", pairs)

        yield check
    finally:
        browser.quit()


def _agree(browser_check, pairs):
    answer = browser_check(pairs)
    for (check, response), result in zip(pairs, answer["results"]):
        python = judge(check, response)
        assert (result["verdict"], result["message"]) == (python.verdict, python.message), \
            (check["kind"], response[:80])
    return answer["ms"]


@needs_chromium
def test_browser_gives_pythons_verdict_and_message_on_every_case(browser_check):
    _agree(browser_check, [(case["check"], case["response"]) for case in CASES])


@needs_chromium
def test_browser_refuses_hostile_answers_as_python_does(browser_check):
    checks = [part for type_id in TYPES for part in check_data(get_type(type_id).draw(0))["parts"]
              if part["kind"] != "free"]
    answers = [answer for answer, _ in HOSTILE.values()]
    answers += ["𝟑" * 1001, "𝟑" * (MAX_LENGTH + 1)]   # two UTF-16 units each, one character
    pairs = [(check, answer) for check in checks for answer in answers]
    assert _agree(browser_check, pairs) < 1000 * FAST


FUZZ_PIECES = ["0", "1", "2", ".5", "1e-3", "e", "E", "+", "-", "*", "/", "^", "**", "%", "%%",
               "(", ")", "[", "]", ",", ";", " ", "\t", "\u00a0", "\ufeff", "\x1c", "x", "sqrt",
               "tanh", "sigmoid", "pi", "\u2212", "\u00d7", "٣", "３", "𝟑", "²", "b", "(b)",
               "true", "1,000", "0.665", "66.5", "1/0", "exp(1000)", "1e400", "'"]


@needs_chromium
def test_browser_and_python_agree_on_random_responses(browser_check):
    """A fixed-seed fuzz: both grammars, every kind of answer, verdict and message alike."""
    generator = random.Random(2026)
    checks = list({json.dumps(case["check"], sort_keys=True): case["check"] for case in CASES}.values())
    responses = ["".join(generator.choice(FUZZ_PIECES) for _ in range(generator.randint(0, 7)))
                 for _ in range(600)]
    _agree(browser_check, [(check, response) for response in responses for check in checks])
