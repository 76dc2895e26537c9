"""The offline practice page, driven in headless Chromium: checking, feedback, solutions.

The checker is JavaScript, so the shared case table (tests/data/checker_cases.json,
also run against the Python checker) is run here through the browser's own
``qbankCheck``.  The module skips itself on machines without selenium or the
Debian chromium and chromium-driver packages; it never downloads a browser.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qbank.checker import check_data
from qbank.choice import make_choice
from qbank.registry import get_type
from qbank.render.documents import render_fragments
from qbank.render.html import fragment_html
from qbank.practice.page import UNCHECKED_NOTE, practice_html
from tests.typed_answers import response, typed

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CASES = json.loads((Path(__file__).parent / "data" / "checker_cases.json").read_text(encoding="utf-8"))

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("needs /usr/bin/chromium and /usr/bin/chromedriver (apt: chromium chromium-driver)",
                allow_module_level=True)

from selenium.webdriver.chrome.service import Service  # noqa: E402  (after the skip above)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

NO_BIAS = "counts the weights but not the biases"
WRONG_CHOICE = "counts one bias per input feature"


def _one_part(data: dict) -> dict:
    """Check data of a question of one part, (a), of weight 1."""
    return {"parts": [{"label": "a", "weight": 1, **data}]}


def _item(number: int, type_id: str, seed: int, check, question_extra: str = "") -> dict:
    """A question as the page shows it; with ``question_extra`` (a choice's options) it is the
    stem and those, as a multiple-choice item of an exam asks it."""
    qtype = get_type(type_id)
    fragments = render_fragments(qtype.draw(seed))
    question = fragments.stem + question_extra if question_extra else fragments.question
    return {"number": number, "type_id": type_id, "title": qtype.title, "topic": qtype.topic,
            "question_html": fragment_html(question),
            "solution_html": fragment_html(fragments.solution), "check": check}


def _mlp_item() -> tuple[dict, dict]:
    """A parameter count, with the forgotten-bias slip modelled."""
    qtype = get_type("params.mlp")
    variant = qtype.draw(0)
    no_bias = next(m for m in qtype.parts(variant)[-1].mistakes if m.name == "no bias")
    check = {"kind": "number", "value": variant.answer["total"],
             "tolerance": {"relative": 0, "absolute": 0.5}, "close_factor": 10,
             "mistakes": [{"value": no_bias.value, "explanation": NO_BIAS}]}
    return _item(1, "params.mlp", 0, _one_part(check)), {"answer": variant.answer, "no_bias": no_bias.value}


def _sigmoid_item() -> tuple[dict, list]:
    """A vector answer: sigmoid at the question's points."""
    variant = get_type("activations.sigmoid_tanh").draw(0)
    check = {"kind": "vector", "value": variant.answer["sigmoid"],
             "tolerance": {"relative": 0.01, "absolute": 0.001}, "close_factor": 10, "mistakes": []}
    return _item(2, "activations.sigmoid_tanh", 0, _one_part(check)), variant.answer["sigmoid"]


def _choice_item() -> tuple[dict, str, str]:
    """Multiple choice: the exam's options as a choices environment, checked by letter."""
    qtype = get_type("params.dense_layer")
    variant = qtype.draw(0)
    choice = make_choice(qtype, variant)
    options = "\n".join(("\\CorrectChoice" if option.mistake is None else "\\choice") + f" ${option.tex}$"
                        for option in choice.options)
    extra = f"\n\n{choice.prompt}\n\\begin{{choices}}\n{options}\n\\end{{choices}}"
    slip = next(option.letter for option in choice.options if option.mistake is not None)
    check = {"kind": "choice", "value": choice.correct, "options": [o.letter for o in choice.options],
             "mistakes": [{"value": slip, "explanation": WRONG_CHOICE}]}
    return _item(3, "params.dense_layer", 0, _one_part(check), extra), choice.correct, slip


def _parts_item() -> tuple[dict, dict]:
    """A question of three parts, with the check data qbank builds for it."""
    variant = get_type("attention.scaled_dot_product").draw(3)
    check = check_data(variant)
    return _item(5, "attention.scaled_dot_product", 3, check), check


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    mlp, mlp_facts = _mlp_item()
    sigmoid, sigmoid_values = _sigmoid_item()
    choice, correct, slip = _choice_item()
    unchecked = _item(4, "concepts.gpt_vs_bert", 0, _one_part({"kind": "free", "rubric": []}))
    parts, parts_check = _parts_item()
    html = practice_html("Practice <set> & answers", [mlp, sigmoid, choice, unchecked, parts])
    path = tmp_path_factory.mktemp("practice") / "practice.html"
    path.write_text(html, encoding="utf-8")
    return {"html": html, "path": path, "mlp": mlp_facts, "sigmoid": sigmoid_values,
            "correct": correct, "slip": slip, "parts": parts_check}


def _chromium(javascript: bool = True):
    """Headless Chromium from the Debian packages: Selenium Manager never runs."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1200,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


@pytest.fixture(scope="module")
def driver(page):
    browser = _chromium()
    try:
        browser.get(page["path"].as_uri())
        yield browser
    finally:
        browser.quit()


def _answer(driver, number, text: str, press_enter: bool = False) -> tuple[str, str]:
    """Types ``text`` as the answer to part (a) of question ``number`` (or to the part a key
    such as "5b" names), checks it, returns (verdict, message)."""
    number = number if isinstance(number, str) else f"{number}a"
    field = driver.find_element(By.ID, f"answer-{number}")
    field.clear()
    if press_enter:
        field.send_keys(text + Keys.ENTER)
    else:
        field.send_keys(text)
        driver.find_element(By.ID, f"check-{number}").click()
    feedback = driver.find_element(By.ID, f"feedback-{number}")
    return feedback.get_attribute("data-verdict"), feedback.text


def test_page_is_one_offline_document(page):
    html = page["html"]
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)=", html)
    assert "<math" in html
    assert "Practice &lt;set&gt; &amp; answers" in html
    for number in (1, 2, 3, 5):
        assert f'class="check-data" data-question="{number}"' in html
    assert 'data-question="4"' not in html
    assert [f'id="answer-5{label}"' in html for label in "abcd"] == [True, True, True, False]


def test_math_is_rendered_by_the_browser(driver):
    count = driver.execute_script("return document.querySelectorAll('math').length")
    width = driver.execute_script("return document.querySelector('math').getBoundingClientRect().width")
    assert count > 10 and width > 0


def test_right_answer(driver, page):
    verdict, message = _answer(driver, 1, f"{page['mlp']['answer']['total']:,}")
    assert (verdict, message) == ("right", "Right.")


def test_modelled_mistake_is_named(driver, page):
    verdict, message = _answer(driver, 1, str(page["mlp"]["no_bias"]))
    assert verdict == "mistake"
    assert message == f"Not quite: this answer {NO_BIAS}."


def test_malformed_answer_says_why(driver):
    verdict, message = _answer(driver, 1, "2//3")
    assert verdict == "malformed" and message == "Could not read '2//3' as a number."
    assert _answer(driver, 1, "   ") == ("malformed", "Type an answer first.")


def test_enter_checks_a_vector(driver, page):
    typed = ", ".join(f"{value:.3f}" for value in page["sigmoid"])
    assert _answer(driver, 2, typed, press_enter=True) == ("right", "Right.")
    verdict, message = _answer(driver, 2, typed.split(",")[0], press_enter=True)
    assert verdict == "malformed" and message == f"Expected {len(page['sigmoid'])} numbers, got 1."


def test_choice_by_letter(driver, page):
    assert _answer(driver, 3, f"({page['correct'].lower()})") == ("right", "Right.")
    assert _answer(driver, 3, page["slip"]) == ("mistake", f"Not quite: this answer {WRONG_CHOICE}.")
    assert _answer(driver, 3, "Z")[0] == "malformed"
    labels = [label.text for label in driver.find_elements(By.CSS_SELECTOR, "#question-3 .item-label")]
    assert labels == ["(A)", "(B)", "(C)", "(D)"]


def test_each_part_is_checked_and_scored_on_its_own(driver, page):
    parts = {part["label"]: part for part in page["parts"]["parts"]}
    score = driver.find_element(By.ID, "score-5")
    assert score.text == ""
    assert _answer(driver, "5c", typed(parts["c"]["value"])) == ("right", "Right.")
    assert score.text == "Score: 2 of 4"
    verdict, message = _answer(driver, "5a", typed(parts["a"]["mistakes"][0]["value"]))
    assert verdict == "mistake" and message.startswith("Not quite: this answer ")
    assert score.text == "Score: 2 of 4"
    assert _answer(driver, "5b", typed(parts["b"]["value"])) == ("right", "Right.")
    assert score.text == "Score: 3 of 4"
    assert _answer(driver, "5b", "1, 2")[0] == "malformed"
    assert score.text == "Score: 3 of 4"
    labels = [label.text for label in driver.find_elements(By.CSS_SELECTOR, "#question-5 form label")]
    assert labels == ["(a)", "(b)", "(c)"]


def test_unchecked_question_has_no_input(driver):
    assert not driver.find_elements(By.ID, "answer-4a")
    assert UNCHECKED_NOTE in driver.find_element(By.ID, "question-4").text


def test_worked_solution_is_revealed_on_request(driver):
    solution = driver.find_element(By.ID, "solution-1")
    assert not solution.is_displayed()
    driver.find_element(By.ID, "reveal-1").click()
    assert solution.is_displayed()
    assert "Answer." in solution.text
    assert driver.find_element(By.ID, "reveal-1").get_attribute("aria-expanded") == "true"
    assert not driver.find_element(By.ID, "solution-2").is_displayed()


def test_no_script_errors(driver):
    severe = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c['check']['kind']}-{c['response']!r}"
                                             for i, c in enumerate(CASES)])
def test_shared_checker_case(driver, case):
    result = driver.execute_script("return qbankCheck(arguments[0], arguments[1])",
                                   case["check"], case["response"])
    assert result["verdict"] == case["verdict"], result["message"]
    assert isinstance(result["message"], str) and result["message"]


def test_page_reads_without_javascript(page):
    browser = _chromium(javascript=False)
    try:
        browser.get(page["path"].as_uri())
        assert browser.find_element(By.ID, "solution-1").is_displayed()
        assert not browser.find_element(By.ID, "answer-1a").is_displayed()
        assert not browser.find_element(By.ID, "reveal-1").is_displayed()
    finally:
        browser.quit()


def test_qbank_practice_html_checks_real_variants_in_the_browser(tmp_path):
    """End to end: the CLI's page, with the check data qbank itself builds."""
    from itertools import islice

    from click.testing import CliRunner

    from qbank.cli import cli
    from qbank.practice.selection import questions

    out = tmp_path / "set.html"
    type_ids = ["activations.sigmoid_tanh", "params.mlp"]
    result = CliRunner().invoke(cli, ["practice", "--type", type_ids[0], "--type", type_ids[1],
                                      "--count", "3", "--seed", "8", "--format", "html",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    checks = [q.check for q in islice(questions(sorted(type_ids), 8), 3)]
    browser = _chromium()
    try:
        browser.get(out.as_uri())
        for number, question_check in enumerate(checks, start=1):
            for part in question_check["parts"]:
                if part["kind"] == "free":
                    continue
                key = f"{number}{part['label']}"
                assert _answer(browser, key, response(part)) == ("right", "Right.")
                for mistake in part.get("mistakes", [])[:1]:
                    verdict, message = _answer(browser, key, response(part, mistake),
                                               press_enter=True)
                    assert verdict in ("mistake", "right")
                    assert "$" not in message and "\\" not in message
    finally:
        browser.quit()

