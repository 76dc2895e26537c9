"""Issue 12, item 4, "rounding that adds up": every printed equation is right as printed.

Each printed step of a worked solution is computed from the values printed before
it, or the solution carries enough digits that the printed arithmetic is right.
For every registered type that computes (not the conceptual ones) and seeds
0..199, the solution is rendered and every equation whose two sides are pure
arithmetic is recomputed from its printed numbers by tests/printed_arithmetic.py,
which parses the LaTeX, not the code.  The left side must come within one unit of
the last printed digit of the right side (see that module for the rule).

Two more tests make sure the evaluator is not silently blind: over the 200 seeds
it must read at least one equation of every type, unless the type is in
NO_PRINTED_EQUATIONS below with the reason; and with its printed results changed
by 7 in the last digit, every other type must fail somewhere in seeds 0..4.

``python -m tests.test_printed_arithmetic [type ids]`` prints a Markdown report
of the counts and example failures.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache

import pytest

from qbank.registry import all_types, get_type
from qbank.render.documents import render_fragments
from tests.printed_arithmetic import Check, check, show

SEEDS = range(200)
SHOWN = 5
TYPE_IDS = [type_id for type_id, qtype in all_types().items() if qtype.kind != "conceptual"]

# Types whose solutions print their arithmetic only where the evaluator does not
# look, so no equation is read; each with the reason.  Remove an entry as soon as
# its type prints an equation (the second test insists).
NO_PRINTED_EQUATIONS = {
    # The working is a table of windows, their values and maxima; taking a maximum
    # is never written as an equation.
    "cnn.maxpool_backward": "window maxima are table columns, not equations",
    # Scores s = w.x and the updates are table columns of plain numbers and vectors;
    # no step is written as an equation.
    "perceptron.training": "scores and weight updates are table columns, not equations",
}


@dataclass(frozen=True)
class Survey:
    """Every printed equation of one type over SEEDS: how many were read, which fail."""

    type_id: str
    checked: int
    failures: tuple[tuple[int, Check], ...]


@cache
def survey(type_id: str) -> Survey:
    qtype = get_type(type_id)
    checked, failures = 0, []
    for seed in SEEDS:
        for result in check(render_fragments(qtype.draw(seed)).solution):
            checked += 1
            if not result.ok:
                failures.append((seed, result))
    return Survey(type_id, checked, tuple(failures))


def test_the_allow_list_names_registered_computing_types():
    assert set(NO_PRINTED_EQUATIONS) <= set(TYPE_IDS)


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_printed_equations_add_up(type_id):
    result = survey(type_id)
    if result.failures:
        shown = "\n".join(f"  seed {seed}: {failure.describe()}"
                          for seed, failure in result.failures[:SHOWN])
        pytest.fail(f"{len(result.failures)} of {result.checked} printed equations of {type_id} "
                    f"do not add up over seeds {SEEDS.start}-{SEEDS.stop - 1}; the first "
                    f"{min(SHOWN, len(result.failures))}:\n{shown}", pytrace=False)


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_the_evaluator_reads_equations_of_every_type(type_id):
    checked = survey(type_id).checked
    if type_id in NO_PRINTED_EQUATIONS:
        assert checked == 0, (f"{type_id} now prints {checked} readable equations: "
                              "remove it from NO_PRINTED_EQUATIONS")
    else:
        assert checked > 0, (f"no equation of {type_id} could be read over {len(SEEDS)} seeds: "
                             "its solution prints no arithmetic the evaluator reads")


# A number right after "=", or the first entry of a vector or matrix right after it.
_PRINTED_RESULT = re.compile(
    r"(=\s*(?:\\left\(\s*|\\begin\{bmatrix\}\s*)?)(\\num\{)?(-?[\d,]*\d(?:\.\d+)?)")


def _misprinted(tex: str) -> str:
    """``tex`` with every printed result (see _PRINTED_RESULT) 7 off in its last digit."""
    def bump(match):
        digits = match.group(3).replace(",", "")
        places = len(digits.partition(".")[2])
        changed = f"{float(digits) + 7 * 10.0 ** -places:.{places}f}"
        return match.group(1) + (match.group(2) or "") + changed
    return _PRINTED_RESULT.sub(bump, tex)


@pytest.mark.parametrize("type_id", [t for t in TYPE_IDS if t not in NO_PRINTED_EQUATIONS])
def test_a_misprinted_result_is_caught(type_id):
    """The evaluator is not vacuous: results printed 7 units off make equations fail."""
    qtype = get_type(type_id)
    for seed in range(5):
        solution = render_fragments(qtype.draw(seed)).solution
        if any(not result.ok for result in check(_misprinted(solution))):
            return
    pytest.fail(f"no equation of {type_id} failed with its printed results changed")


def markdown_report(type_ids) -> str:
    """Counts per type and the first three failures of each, as Markdown."""
    lines = ["| type | equations checked | failing | seeds with a failure |",
             "|---|---:|---:|---:|"]
    details = []
    for type_id in type_ids:
        try:
            result = survey(type_id)
        except Exception as error:  # noqa: BLE001 (a template being edited: report it, go on)
            lines.append(f"| {type_id} | render error: {type(error).__name__}: {error} | | |")
            continue
        seeds = len({seed for seed, _ in result.failures})
        lines.append(f"| {type_id} | {result.checked} | {len(result.failures)} | {seeds} |")
        if result.failures:
            details.append(f"\n### {type_id}\n")
            for seed, failure in result.failures[:3]:
                details.append(f"- seed {seed}: `{failure.latex}`: recomputed "
                               f"{show(failure.left_value)}, printed {show(failure.right_value)}"
                               f" ({failure.problem})")
    return "\n".join(lines + details) + "\n"


if __name__ == "__main__":
    print(markdown_report(sys.argv[1:] or TYPE_IDS))
