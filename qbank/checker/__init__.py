"""Decides whether a student's answer to a variant is right, and says why not.

``expected.check_data(variant)`` describes what a right answer is, as plain
JSON (kind, value, tolerance, modelled mistakes); ``verdict.judge(data,
response)`` reads a response against it.  The same JSON drives the browser's
checker in a practice page (``qbank/practice/checker.js``), and both are
tested against one table of cases (``tests/data/checker_cases.json``).
"""

from qbank.checker.expected import check_data
from qbank.checker.verdict import Verdict, judge

__all__ = ["Verdict", "check_data", "judge"]
