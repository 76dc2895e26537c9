"""Python's checker and the page's checker.js give every response the same verdict and message.

``qbank.checker.judge`` is the reference; ``qbankCheck`` in ``qbank/practice/checker.js``
must answer each (data, response) pair with the same (verdict, message).  The
JavaScript runs in the real headless Chromium the page tests use (the Debian chromium
and chromium-driver packages; the module skips without them, and never downloads a
browser): checker.js is loaded once into a blank page and the cases are evaluated
there in a few batched ``execute_script`` calls: some 110,000 comparisons take a few
seconds there, and about as long again in Python; drawing the corpus takes about ten.

The inputs are every case of the shared table (``tests/data/checker_cases.json``) and
a corpus that ``hypothesis`` generates from the answer grammar -- numbers in every
form the checkers read (and some they refuse), grouped thousands, percentages,
fractions, functions, constants, nested brackets, vectors, matrices, letters,
true/false, matching answers, near misses of each expected value, stray and
Unicode characters, whitespace of every kind, random strings -- each response
judged against every data object in ``DATA`` (each kind, with tolerances, mistakes
and accepted values).  Generation is deterministic (``derandomize=True``, no example
database, the generate phase only), so a failure reproduces exactly; it lists the
first cases that differ.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from qbank.checker import judge
from qbank.checker.grammar import evaluate, parse

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHECKER_JS = Path(__file__).resolve().parent.parent / "qbank" / "practice" / "checker.js"
CASES = json.loads((Path(__file__).parent / "data" / "checker_cases.json").read_text(encoding="utf-8"))
GENERATED = 6500      # responses hypothesis draws (some twice); each judged against every data object
DISTINCT = 5000       # distinct responses the comparison must hold at least
BATCH = 20_000        # cases per execute_script call

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("needs /usr/bin/chromium and /usr/bin/chromedriver (apt: chromium chromium-driver)",
                allow_module_level=True)

from selenium.webdriver.chrome.service import Service  # noqa: E402  (after the skip above)


def _expression_data(expression: str, variables: list[str], points: list[dict],
                     mistakes: list[tuple[str, str]]) -> dict:
    """Expression data as expected.py builds it, at points of our choosing."""
    def samples(text: str) -> list[dict]:
        tree = parse(text, tuple(variables))
        return [{"at": point, "value": evaluate(tree, point)} for point in points]

    return {"kind": "expression", "variables": variables, "expression": expression,
            "samples": samples(expression), "tolerance": {"relative": 1e-6, "absolute": 1e-9},
            "close_factor": 10,
            "mistakes": [{"expression": text, "explanation": explanation, "samples": samples(text)}
                         for text, explanation in mistakes]}


def _data() -> list[dict]:
    exact = {"relative": 0.0, "absolute": 0.0}
    return [
        {"kind": "number", "value": 0.665, "tolerance": {"relative": 0.01, "absolute": 0.001},
         "close_factor": 10, "mistakes": [{"value": 0.335, "explanation": "takes 1 - p"}],
         "accepted": [0.6612]},
        {"kind": "number", "value": 1265220, "tolerance": exact, "close_factor": 10,
         "mistakes": [{"value": 1200000, "explanation": "forgets the biases"},
                      {"value": 1265220.5, "explanation": "is never reached"}],
         "accepted": [1265000, 1265300]},
        {"kind": "number", "value": -0.226, "tolerance": {"relative": 0.001, "absolute": 0.001},
         "mistakes": []},                                   # no close_factor: the default 10
        {"kind": "number", "value": 2, "tolerance": exact, "close_factor": 10, "mistakes": []},
        {"kind": "number", "value": 0.0, "tolerance": {"relative": 0.0, "absolute": 1e-9},
         "close_factor": 3, "mistakes": [{"value": 1, "explanation": "adds one"}]},
        {"kind": "number", "value": 1.2e-4, "tolerance": {"relative": 1e-3, "absolute": 1e-7},
         "close_factor": 10, "mistakes": [{"value": 1.2e-2, "explanation": "forgets the %"}],
         "accepted": []},
        {"kind": "vector", "value": [0.5, -0.25, 1], "tolerance": {"relative": 0.01, "absolute": 0.001},
         "close_factor": 10, "mistakes": [{"value": [0.5, 0.25, 1], "explanation": "drops a sign"}],
         "accepted": [[0.5, -0.25, 1.02], [0.51, -0.25, 1]]},
        {"kind": "vector", "value": [3], "tolerance": exact, "close_factor": 10, "mistakes": []},
        {"kind": "matrix", "value": [[1, 2, 3], [4, 5, 6]], "tolerance": {"relative": 0, "absolute": 0.01},
         "close_factor": 10, "mistakes": [{"value": [[3, 2, 1], [6, 5, 4]],
                                           "explanation": "reads the rows right to left"}],
         "accepted": [[[1, 2, 3], [4, 5, 7]]]},
        {"kind": "matrix", "value": [[0.5]], "tolerance": {"relative": 0.1, "absolute": 0},
         "close_factor": 2, "mistakes": []},
        next(case["check"] for case in CASES if case["check"]["kind"] == "expression"),
        _expression_data("2*sigmoid(2*x) - 1", ["x"], [{"x": x} for x in (-2.8, 1.4, -0.35, 0.8, 1.9)],
                         [("2*sigmoid(x) - 1", "uses σ(x) where σ(2x) belongs"),
                          ("1 - 2*sigmoid(2*x)", "gives 1 − 2σ(2x), which is −tanh(x)")]),
        _expression_data("x*y + 1", ["x", "y"],
                         [{"x": 0.5, "y": -2}, {"x": 1e-7, "y": 3}, {"x": 2.5e21, "y": 1e-21},
                          {"x": -0.001, "y": 123456.75}],
                         [("x*y - 1", "subtracts the one"), ("x + y + 1", "adds instead")]),
        {"kind": "choice", "value": "B", "options": ["A", "B", "C", "D"],
         "mistakes": [{"value": "C", "explanation": "counts one bias per input feature"}]},
        {"kind": "choice", "value": "K", "options": ["J", "K", "L"]},
        {"kind": "choice", "value": "False", "options": ["True", "False"]},
        {"kind": "choice", "value": "b", "options": ["a", "b", "c"]},
        {"kind": "matching", "value": ["B", "A", "C"], "options": ["A", "B", "C"]},
        {"kind": "matching", "value": ["D", "A", "E", "A"], "options": ["A", "B", "C", "D", "E"],
         "mistakes": [{"value": ["A", "D", "E", "A"], "explanation": "swaps the first two"}]},
        {"kind": "matching", "value": list("CABDEFGHIJLK"), "options": list("ABCDEFGHIJKL")},
    ]


DATA = _data()


def _values(item: dict) -> list[float]:
    """Every number of a data object's value, accepted values and mistakes."""
    def flat(value):
        return [x for part in value for x in flat(part)] if isinstance(value, list) else [value]

    if item["kind"] not in ("number", "vector", "matrix"):
        return []
    found = flat(item["value"]) + flat(item.get("accepted", []))
    return found + [x for mistake in item["mistakes"] for x in flat(mistake["value"])]


SCALARS = sorted({float(x) for item in DATA for x in _values(item)})

# ------------------------------------------------------------------ the grammar

# Whitespace: every character both checkers drop, and some they do not (\x1c, \x85,
# zero-width space, Mongolian vowel separator), which must be refused alike.
SPACES = list("\t\n\v\f\r \u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
              "\x1c\x1f\x85\u200b\u180e")
# Digits of Unicode 15 and 16 (Kawi, Nag Mundari, Kirat Rai, Sunuwar, Gurung Khema, Myanmar
# Extended-C, outlined), which Python 3.11's Unicode 14 does not know as digits, and a
# segmented digit of Unicode 13, which it does.
NEW_DIGITS = ["\U00011f50", "\U0001e4f1", "\U00016d70", "\U00011bf0", "\U00016134",
              "\U0001ccf5", "\U000116d3", "\U0001fbf7"]
STRAY = SPACES + list("()[]{};:,.+-*/^%!=<>?'\"\\$&#@_|~`xyzEe") + NEW_DIGITS + [
    "\u2212", "\u00d7", "\u00b7", "\u00bd", "\u00b2", "\u2014", "\u212a", "\u0130", "\u017f",
    "\u0660", "\u0966", "\uff13", "\U0001d7ce", "\U0001f600", "\u0301", "\x00", "\x1b", "\u202e"]
FUNCTIONS = ["sqrt", "exp", "log", "ln", "sin", "cos", "tanh", "sigmoid"]
OPERATORS = ["+", "-", "*", "/", "^", "**", " + ", " - ", "*-", "\u00d7", "\u00b7", "\u2212", "//", "%"]

digits = st.text("0123456789", min_size=1, max_size=5)
exponents = st.builds(lambda mark, sign, power: mark + sign + power,
                      st.sampled_from("eE"), st.sampled_from(["", "+", "-"]),
                      st.text("0123456789", min_size=1, max_size=3))


@st.composite
def unicode_digits(draw) -> str:
    """A number with one of its digits from another script (Unicode category Nd)."""
    text = draw(digits)
    position = draw(st.integers(0, len(text) - 1))
    digit = draw(st.characters(categories=["Nd"]) | st.sampled_from(NEW_DIGITS))
    return text[:position] + digit + text[position + 1:]


def _grouped(number: int, broken: int) -> str:
    text = f"{number:,}"
    if broken == 1:            # a group of two digits: 1,26,5220
        text = text.replace(",", "", 1)[:2] + "," + text.replace(",", "", 1)[2:]
    elif broken == 2:          # a decimal comma
        text = text.replace(",", ".", 1)
    return text


literals = st.one_of(
    st.integers(0, 10**7).map(str),
    st.builds(lambda whole, part: whole + "." + part, digits, digits),
    st.builds(lambda part: "." + part, digits),
    st.builds(lambda whole: whole + ".", digits),
    st.builds(lambda mantissa, power: mantissa + power,
              st.sampled_from(["1", "6.65", ".5", "665.", "12", "0"]) | digits, exponents),
    st.builds(_grouped, st.integers(1000, 10**10), st.sampled_from([0, 0, 0, 1, 2])),
    st.builds(lambda whole, part: f"{whole},{part}", digits, digits),
    unicode_digits(),
)


def _near(value: float, factor: float, style: str) -> str:
    """A value a little off (or exactly on) an expected one, as a student types it."""
    x = value * factor
    if style == "repr":
        return repr(x)
    if style == "fixed":
        return f"{x:.3f}"
    if style == "exponent":
        return f"{x:.3e}"
    if style == "percent":
        return f"{x * 100:.4g}%"
    if style == "grouped":
        return f"{x:,}"
    if style == "fraction":
        return f"{x * 7:.6g}/7"
    return f"{x:.6g}"


# Factors that put a value inside, at and beyond its bound and close_factor bounds.
FACTORS = st.sampled_from([1, 1, 1 + 1e-9, 1 + 1e-4, 1 - 1e-3, 1 + 2e-3, 1.005, 1.01, 0.99, 1.02,
                           1.05, 1.1, 1.5, 2, 10, 0.01, -1])
STYLES = st.sampled_from(["repr", "fixed", "exponent", "percent", "grouped", "fraction", "short"])
near_misses = st.builds(_near, st.sampled_from(SCALARS) | st.floats(-1e7, 1e7, allow_nan=False),
                        FACTORS, STYLES)

# Names, and calculations that break at one sample point only (the message names the point).
atoms = st.one_of(literals, near_misses,
                  st.sampled_from(["pi", "e", "x", "y", "z", "abc", "sqrt", "e-3", "E", "pie", "xy",
                                   "1/(x-1e-7)", "1/(x-2.5e21)", "1/(y-1e-21)", "log(x)", "sqrt(-y)",
                                   "1/(x+0.35)", "log(x-1.8)", "1/(x*y-1)"]))


def _combine(inner):
    return st.one_of(
        st.builds(lambda left, op, right: left + op + right, inner, st.sampled_from(OPERATORS), inner),
        st.builds(lambda sign, operand: sign + operand, st.sampled_from(["-", "+", "--", "-+", "\u2212"]),
                  inner),
        inner.map(lambda text: "(" + text + ")"),
        inner.map(lambda text: "((" + text + "))"),
        st.builds(lambda name, argument: f"{name}({argument})", st.sampled_from(FUNCTIONS), inner),
        inner.map(lambda text: text + "%"),
        inner.map(lambda text: "(" + text + ")%"),
    )


expressions = st.recursive(atoms, _combine, max_leaves=6)
cells = expressions | st.just("")
vectors = st.builds(lambda parts, separator, wrap: wrap.format(separator.join(parts)),
                    st.lists(cells, max_size=4), st.sampled_from([", ", ",", " , ", ";"]),
                    st.sampled_from(["[{}]", "({})", "{}", "[{}", "[[{}]]"]))
matrices = st.builds(lambda rows, wrap: wrap.format("; ".join(", ".join(row) for row in rows)),
                     st.lists(st.lists(cells, min_size=1, max_size=3), min_size=1, max_size=3),
                     st.sampled_from(["[{}]", "{}", "({})"]))

LETTERS = "ABCDEFGHIJKLabcdefklz" + "\u212a\u0130\u017f\u00c5"
letter_forms = ["{}", "({})", "{})", "{}.", "({}", "{}{}", "( {} )", "{} .", "{}:", "[{}]"]
letters = st.builds(lambda form, letter: form.format(letter, letter),
                    st.sampled_from(letter_forms), st.sampled_from(LETTERS))
truths = st.sampled_from(["t", "T", "true", "TRUE", "True", "f", "F", "false", "False", "FALSE",
                          "yes", "no", "tru", "(t)", "1", "0"])

NUMBERING = ["{}{}", "{}-{}", "{}:{}", "{}.{}", "{}) {}", "{}->{}", "{}={}", "{} - {}", "({}){}"]


@st.composite
def matchings(draw) -> str:
    """A matching answer: letters in order, or numbered pairs (right, short, repeated)."""
    count = draw(st.sampled_from([0, 1, 2, 3, 3, 4, 4, 5, 12, 13]))
    chosen = draw(st.lists(st.sampled_from("ABCDEFGHIJKLMabcdez"), min_size=count, max_size=count))
    if draw(st.booleans()):
        return draw(st.sampled_from([", ", " ", "", ",", ";", " ,", "/"])).join(chosen)
    numbers = list(range(1, count + 1))
    shuffle = draw(st.sampled_from(["in order", "permuted", "repeated", "off by one"]))
    if shuffle == "permuted":
        numbers = draw(st.permutations(numbers))
    elif shuffle == "repeated" and count > 1:
        numbers[-1] = numbers[0]
    elif shuffle == "off by one":
        numbers = [number - 1 for number in numbers]
    form = draw(st.sampled_from(NUMBERING))
    separator = draw(st.sampled_from([", ", " ", "", ";", ","]))
    return separator.join(form.format(number, letter) for number, letter in zip(numbers, chosen))


@st.composite
def mutated(draw, base) -> str:
    """A response with characters inserted, deleted, doubled or swapped in case."""
    text = draw(base)
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "space", "delete", "double", "case"]))
        if action == "insert":
            text = text[:position] + draw(st.sampled_from(STRAY)) + text[position:]
        elif action == "space":
            text = text[:position] + draw(st.sampled_from(SPACES)) + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + 1:]
        elif action == "double":
            text = text[:position] + text[position:position + 3] + text[position:]
        else:
            text = text.swapcase()
    return text


# Expressions equal to, near to or a modelled slip of the data's expressions.
EQUIVALENTS = ["tanh(x)", "2*sigmoid(2*x) - 1", "(exp(x) - exp(-x))/(exp(x) + exp(-x))",
               "sigmoid(2*x) - sigmoid(-2*x)", "2/(1 + e^(-2*x)) - 1", "y*x + 1", "1 + x*y",
               "x*y + 100%", "sigmoid(x)", "2*sigmoid(x) - 1", "1 - 2*sigmoid(2*x)", "x*y - 1"]
EXPRESSION_FORMS = ["{}", "({})*1.0000001", "({})*1.000002", "1.005*({})", "({}) + 1e-7", "({}) + 1e-5",
                    "({})*1.02", "-({})", "({})^1", "({})/1", "({})*x"]


@st.composite
def shaped(draw) -> str:
    """A response in the shape of one data object's answer: its value, an accepted value or a
    mistake, exactly or a little off, typed in one of the ways students type it."""
    item = draw(st.sampled_from(DATA))
    kind = item["kind"]
    if kind in ("number", "vector", "matrix"):
        target = draw(st.sampled_from([item["value"], *item.get("accepted", []),
                                       *(mistake["value"] for mistake in item["mistakes"])]))
        style, factor, each = draw(STYLES), draw(FACTORS), draw(st.booleans())

        def cell(x) -> str:
            return _near(x, draw(FACTORS) if each else factor, style)

        if kind == "number":
            return cell(target)
        wrap = draw(st.sampled_from(["[{}]", "({})", "{}", "[[{}]]"]))
        if kind == "vector":
            return wrap.format(draw(st.sampled_from([", ", ","])).join(map(cell, target)))
        return wrap.format("; ".join(", ".join(map(cell, row)) for row in target))
    if kind == "expression":
        own = [text for text in [item.get("expression"), *(m.get("expression") for m in item["mistakes"])]
               if text]
        base = draw(st.sampled_from(own or EQUIVALENTS) | st.sampled_from(EQUIVALENTS))
        return draw(st.sampled_from(EXPRESSION_FORMS)).format(base)
    options = item["options"]
    if kind == "choice":
        letter = draw(st.sampled_from(options))
        return draw(st.sampled_from(letter_forms)).format(letter, letter)
    chosen = list(item["value"])
    for _ in range(draw(st.integers(0, 2))):   # a letter changed, or two swapped
        index = draw(st.integers(0, len(chosen) - 1))
        if draw(st.booleans()):
            chosen[index] = draw(st.sampled_from(options))
        else:
            other = draw(st.integers(0, len(chosen) - 1))
            chosen[index], chosen[other] = chosen[other], chosen[index]
    if draw(st.booleans()):
        return draw(st.sampled_from([", ", " ", "", ";"])).join(chosen)
    form = draw(st.sampled_from(NUMBERING))
    pairs = [form.format(number, letter) for number, letter in enumerate(chosen, start=1)]
    return draw(st.sampled_from([", ", " ", ""])).join(draw(st.permutations(pairs)))


long_responses = st.builds(lambda unit, count: unit * count,
                           st.sampled_from(["1+", "(", "-", "\U0001f600", "2^", "sqrt(", " "]),
                           st.integers(45, 2010))

# Answers shaped like the data's own (three branches of fourteen) reach every verdict,
# not only the "malformed" and "wrong" of free-form input.
responses = st.one_of(
    shaped(), shaped(), mutated(shaped()), near_misses,
    mutated(expressions), mutated(vectors), mutated(matrices), mutated(letters), mutated(truths),
    mutated(matchings()), literals,
    st.text(max_size=30),
    st.text("0123456789.,;:+-*/^%()[] eExyABCabc", max_size=30),
    long_responses,
)


def _generated() -> list[str]:
    """``GENERATED`` responses, the same ones on every run."""
    drawn: list[str] = []

    @settings(max_examples=GENERATED, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(responses)
    def collect(response):
        drawn.append(response)

    collect()
    return drawn


# ------------------------------------------------------------------ the browser

def _chromium():
    """Headless Chromium from the Debian packages: Selenium Manager never runs."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


@pytest.fixture(scope="module")
def browser_check():
    """(data objects, [(data index, response)]) -> [(verdict, message)], in Chromium."""
    browser = _chromium()
    try:
        browser.get("about:blank")
        browser.execute_script(CHECKER_JS.read_text(encoding="utf-8"))
        assert browser.execute_script("return typeof qbankCheck") == "function"

        def check(data: list[dict], cases: list[tuple[int, str]]) -> list[tuple[str, str]]:
            results = []
            for start in range(0, len(cases), BATCH):
                results += browser.execute_script(
                    "var data = arguments[0];"
                    "return arguments[1].map(function (pair) {"
                    "  var result = qbankCheck(data[pair[0]], pair[1]);"
                    "  return [result.verdict, result.message]; });",
                    data, [list(case) for case in cases[start:start + BATCH]])
            return [tuple(result) for result in results]

        yield check
    finally:
        browser.quit()


def _compare(data: list[dict], cases: list[tuple[int, str]], browser_check) -> tuple[Counter, list[str]]:
    """How often Python gave each verdict, and every case on which the two differ, described."""
    expected = [(verdict.verdict, verdict.message)
                for verdict in (judge(data[index], response) for index, response in cases)]
    got = browser_check(data, cases)
    assert len(got) == len(cases)
    differences = [f"{json.dumps(data[index], ensure_ascii=False)[:160]}\n  response {response!r}\n"
                   f"  Python {python}\n  JS     {javascript}"
                   for (index, response), python, javascript in zip(cases, expected, got)
                   if python != javascript]
    return Counter(verdict for verdict, _ in expected), differences


def test_the_shared_case_table_gets_the_same_verdict_and_message(browser_check):
    data = [case["check"] for case in CASES]
    _, differences = _compare(data, [(index, case["response"]) for index, case in enumerate(CASES)],
                              browser_check)
    print(f"\n{len(CASES)} table cases compared")
    assert not differences, f"{len(differences)} of {len(CASES)} differ:\n" + "\n".join(differences[:20])


def test_a_generated_corpus_gets_the_same_verdict_and_message(browser_check):
    started = time.monotonic()
    distinct = list(dict.fromkeys(_generated()))
    cases = [(index, response) for response in distinct for index in range(len(DATA))]
    verdicts, differences = _compare(DATA, cases, browser_check)
    print(f"\n{len(cases)} cases compared ({len(distinct)} distinct generated responses x "
          f"{len(DATA)} data objects) in {time.monotonic() - started:.1f} s: {dict(verdicts)}")
    assert len(distinct) >= DISTINCT
    # A corpus that never reaches a verdict cannot show the two disagree on it.
    assert all(verdicts[verdict] >= 20 for verdict in ("right", "close", "mistake", "wrong", "malformed"))
    assert not differences, f"{len(differences)} of {len(cases)} differ:\n" + "\n".join(differences[:20])
