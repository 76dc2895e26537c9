"""One self-contained HTML practice page: questions, an answer checker, worked solutions.

Students open the page from disk, often without a network, so everything it
needs is inside the one file: the CSS, the checker (``checker.js``, the same
contract as qbank's Python checker) and each question's check data as JSON.
Formulas are MathML, which browsers draw natively, so no web font or script
library is fetched either.

The page is readable without JavaScript: a ``<noscript>`` style shows every
worked solution and hides the answer forms, which need the checker.  With
JavaScript, solutions stay hidden until the student asks for them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from pathlib import Path

from qbank.checker.hints import format_hint

CHECKER_SOURCE = Path(__file__).with_name("checker.js")
UNCHECKED_NOTE = "Check this one against the worked solution."

STYLE = """
:root {
  color-scheme: light dark;
  --ink: #1f2328; --muted: #59616b; --rule: #c8ccd2; --paper: #ffffff; --tint: #f4f5f7;
  --accent: #1a56a8; --right: #1d6b35; --close: #8a5300; --wrong: #a3262c;
}
@media (prefers-color-scheme: dark) {
  :root {
    --ink: #e6e8eb; --muted: #a7afb9; --rule: #4a5059; --paper: #17191c; --tint: #22252a;
    --accent: #7fb0f0; --right: #7fd196; --close: #f0c060; --wrong: #ff9a9f;
  }
}
* { box-sizing: border-box; }
html { background: var(--paper); color: var(--ink); }
body {
  margin: 0;
  font: 1.0625rem/1.6 ui-serif, "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, Cambria,
        "Times New Roman", Times, serif;
}
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.8rem; line-height: 1.25; margin: 0 0 .5rem; }
.intro { color: var(--muted); margin: 0 0 1rem; }
.question { border-top: 1px solid var(--rule); margin-top: 2.25rem; padding-top: 1.25rem; }
.question h2 { font-size: 1.3rem; line-height: 1.3; margin: 0 0 .75rem; }
.question h2 .topic { display: block; font-size: .95rem; font-weight: normal; color: var(--muted); }
/* Named OpenType math fonts before the generic "math" family; Latin Modern Math
   late: browsers set its stretched (left/right) brackets loosely. */
math {
  font-family: "STIX Two Math", "Cambria Math", "TeX Gyre Termes Math", "TeX Gyre Pagella Math",
               "Libertinus Math", "Latin Modern Math", math, serif;
}
.display-math, .table-scroll { overflow-x: auto; overflow-y: hidden; margin: .75rem 0; padding: .15rem 0; }
math[display="block"] { margin: .25rem 0; }
mtable.align mtd.align-right { text-align: right; }
mtable.align mtd.align-left { text-align: left; }
mtable.align mtd.pair-start { padding-left: 2em; }
mtable.align mtd { padding-top: .2em; padding-bottom: .2em; }
.center { text-align: center; }
.center table, .center ol, .center ul { text-align: left; }
table { border-collapse: collapse; margin: 0 auto; }
th, td { padding: .25rem .65rem; text-align: left; vertical-align: baseline; }
th { font-weight: 600; }
table.booktabs { border-top: 2px solid var(--ink); border-bottom: 2px solid var(--ink); }
table.booktabs thead th { border-bottom: 1px solid var(--ink); }
tr.rule-above > * { border-top: 1px solid var(--ink); }
.align-r { text-align: right; font-variant-numeric: tabular-nums; }
.align-c { text-align: center; }
ol, ul { padding-left: 1.6em; }
ol.labelled, ul.labelled { list-style: none; padding-left: 2.4em; }
.item-label { display: inline-block; min-width: 2.4em; margin-left: -2.4em; font-weight: 600; }
li + li { margin-top: .35rem; }
.final-answer { border: 1px solid var(--ink); background: var(--tint); padding: .5rem .8rem; margin: 1rem 0; }
.final-answer p { margin: .25rem 0; }
.figure-note { color: var(--muted); font-style: italic; }
form.answer { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; margin-top: .9rem; }
form.answer label { font-weight: 600; }
form.answer input {
  flex: 1 1 14rem; min-width: 0; font: inherit; padding: .35rem .55rem;
  color: var(--ink); background: var(--paper); border: 1px solid var(--muted); border-radius: 4px;
}
button {
  font: inherit; padding: .35rem .95rem; border-radius: 4px; cursor: pointer;
  border: 1px solid var(--accent); background: var(--accent); color: var(--paper);
}
button.reveal { background: transparent; color: var(--accent); margin-top: .5rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.hint, .unchecked { color: var(--muted); font-size: .92rem; margin: .35rem 0 0; }
.feedback { min-height: 1.3em; margin: .2rem 0 .4rem; font-weight: 600; }
form.answer + .hint { margin-top: .2rem; }
.feedback[data-verdict="right"] { color: var(--right); }
.feedback[data-verdict="right"]::before { content: "\\2713\\00a0"; }
.feedback[data-verdict="close"], .feedback[data-verdict="mistake"] { color: var(--close); }
.feedback[data-verdict="wrong"] { color: var(--wrong); }
.feedback[data-verdict="wrong"]::before { content: "\\2717\\00a0"; }
.feedback[data-verdict="malformed"] { color: var(--muted); }
.score { font-weight: 600; margin: .25rem 0 0; min-height: 1.4em; }
.solution { border-left: 3px solid var(--rule); padding-left: 1rem; margin-top: 1rem; }
.solution h3 { font-size: 1.05rem; margin: 0 0 .5rem; }
@media print {
  form.answer, .feedback, .hint, .score, button.reveal { display: none; }
  .solution[hidden] { display: block; }
}
"""

# Shown only when scripts do not run: the solutions open, the forms that need the checker go.
NO_SCRIPT_STYLE = ".solution[hidden] { display: block; } form.answer, .hint, .feedback, .score, button.reveal { display: none; }"

# Wires each question's form and button to the checker; qbankCheck comes from checker.js.
PAGE_SCRIPT = """
(function () {
  "use strict";
  function marks(x) { return String(Math.round(x * 100) / 100); }
  document.querySelectorAll("script.check-data").forEach(function (data) {
    var number = data.getAttribute("data-question");
    var check = JSON.parse(data.textContent);
    var right = {};
    var outOf = 0;
    var score = document.getElementById("score-" + number);
    check.parts.forEach(function (part) {
      if (part.kind === "free") { return; }
      outOf += part.weight;
      var key = number + part.label;
      var form = document.getElementById("form-" + key);
      var input = document.getElementById("answer-" + key);
      var feedback = document.getElementById("feedback-" + key);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var result = qbankCheck(part, input.value);
        feedback.textContent = result.message;
        feedback.setAttribute("data-verdict", result.verdict);
        if (result.verdict === "malformed") { return; }  // unread: nothing to score yet
        right[part.label] = result.verdict === "right" ? part.weight : 0;
        var total = 0;
        Object.keys(right).forEach(function (label) { total += right[label]; });
        score.textContent = "Score: " + marks(total) + " of " + marks(outOf);
      });
    });
  });
  document.querySelectorAll("button.reveal").forEach(function (button) {
    var solution = document.getElementById(button.getAttribute("aria-controls"));
    button.addEventListener("click", function () {
      var show = solution.hidden;
      solution.hidden = !show;
      button.setAttribute("aria-expanded", show ? "true" : "false");
      button.textContent = show ? "Hide worked solution" : "Show worked solution";
    });
  });
})();
"""


@lru_cache(maxsize=1)
def checker_source() -> str:
    source = CHECKER_SOURCE.read_text(encoding="utf-8")
    if "</script" in source.lower():
        raise ValueError("checker.js must not contain '</script': it is inlined in the page")
    return source


def _script_json(data) -> str:
    """JSON safe inside <script>: no '<' at all, so neither '</script>' nor '<!--' can occur."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def _part_form(number: int, part: dict, labelled: bool) -> str:
    """One part's input, Check button, hint and feedback; ids end in the part label (1a, 1b)."""
    key = f"{number}{part['label']}"
    name = f"({part['label']})" if labelled else "Your answer"
    if part["kind"] == "free":
        return (f'<p class="unchecked" id="unchecked-{key}">{escape(name)} '
                f'{UNCHECKED_NOTE}</p>' if labelled else f'<p class="unchecked">{UNCHECKED_NOTE}</p>')
    return f"""<form class="answer" id="form-{key}" data-question="{number}" data-part="{escape(part['label'])}" autocomplete="off">
<label for="answer-{key}">{escape(name)}</label>
<input type="text" id="answer-{key}" name="answer-{key}" spellcheck="false" autocapitalize="off" aria-describedby="hint-{key} feedback-{key}">
<button type="submit" id="check-{key}">Check</button>
</form>
<p class="hint" id="hint-{key}">{escape(format_hint(part))}</p>
<p class="feedback" id="feedback-{key}" role="status" aria-live="polite" data-verdict=""></p>"""


def _answer_forms(number: int, check: dict) -> str:
    """A form per part, the question's score line, and its check data for the script."""
    parts = check["parts"]
    forms = "\n".join(_part_form(number, part, len(parts) > 1) for part in parts)
    if not any(part["kind"] != "free" for part in parts):
        return forms
    return f"""{forms}
<p class="score" id="score-{number}" aria-live="polite"></p>
<script type="application/json" class="check-data" data-question="{number}">{_script_json(check)}</script>"""


def _question_section(item: dict) -> str:
    number = int(item["number"])
    topic = " \u2014 ".join(escape(str(part)) for part in (item.get("topic"), item.get("title")) if part)
    return f"""<section class="question" id="question-{number}" data-type="{escape(str(item.get("type_id", "")))}" aria-labelledby="heading-{number}">
<h2 id="heading-{number}">Question {number} <span class="topic">{topic}</span></h2>
<div class="question-body">
{item["question_html"]}
</div>
{_answer_forms(number, item["check"])}
<button type="button" class="reveal" id="reveal-{number}" aria-expanded="false" aria-controls="solution-{number}">Show worked solution</button>
<div class="solution" id="solution-{number}" hidden>
<h3>Worked solution</h3>
{item["solution_html"]}
</div>
</section>"""


def practice_html(title: str, items: list[dict]) -> str:
    """The whole practice page for ``items`` (question and solution HTML from fragment_html)."""
    sections = "\n".join(_question_section(item) for item in items)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{STYLE}</style>
<noscript><style>{NO_SCRIPT_STYLE}</style></noscript>
</head>
<body>
<main>
<h1>{escape(title)}</h1>
<p class="intro">Work each question on paper, type your answer and press <strong>Check</strong> (or Enter).
Numbers can be typed as calculations. The worked solution is one click away when you want it.</p>
{sections}
</main>
<script>{checker_source()}</script>
<script>{PAGE_SCRIPT}</script>
</body>
</html>
"""
