"""Number formatting, LaTeX filters, escaping and the LaTeX-to-text converter."""

from __future__ import annotations

import re

import pytest

from qbank.render import filters, numbers
from qbank.render.plaintext import latex_to_text


@pytest.mark.parametrize("value, places, expected", [
    (2 / 3, 3, "0.667"), (0.665, 2, "0.67"), (0.0449, 2, "0.04"), (-0.0001, 2, "0.00"),
    (1.5, 0, "2"), (2.5, 0, "3"), (12, 2, "12.00"),
])
def test_fixed_rounds_half_up_on_the_printed_digits(value, places, expected):
    assert numbers.fixed(value, places) == expected


@pytest.mark.parametrize("value, figures, expected", [
    (0.006648, 2, "0.0066"), (1234.5, 3, "1230"), (9.996, 3, "10.0"), (0.09003, 2, "0.090"),
    (-0.24519, 3, "-0.245"), (0, 3, "0"),
])
def test_significant_figures(value, figures, expected):
    assert numbers.significant(value, figures) == expected


@pytest.mark.parametrize("value, expected", [
    (3, "3"), (0.5, "0.5"), (2 / 3, "0.6667"), (2.0, "2"), (-1e-9, "0"), (True, "true"),
])
def test_plain(value, expected):
    assert numbers.plain(value) == expected


@pytest.mark.parametrize("text, expected", [
    ("1265220", "1,265,220"), ("1024", "1,024"), ("999", "999"), ("-1234.5678", "-1,234.5678"),
    ("0.00012345", "0.00012345"), ("4,800", "4,800"), ("true", "true"),
])
def test_grouped_thousands_of_the_integer_part_only(text, expected):
    assert numbers.grouped(text) == expected


def test_filters_emit_grouped_numbers_and_matrices():
    assert filters.num(1265220) == r"\num{1,265,220}"
    assert filters.sig(12345.6, 3) == r"\num{12,300}"
    assert filters.fixed(0.5, 3) == r"\num{0.500}"
    assert filters.matrix([[1, 2], [3, 4]]) == \
        r"\begin{bmatrix} \num{1} & \num{2} \\ \num{3} & \num{4} \end{bmatrix}"
    assert filters.vector([1, 0.25], 2) == r"\left(\num{1.00},\ \num{0.25}\right)"


@pytest.mark.parametrize("text", ["50% & more_{x} #1 $5 ~ ^ \\end{document}", "{}"])
def test_text_filter_escapes_every_special_character(text):
    escaped = filters.text(text)
    for special in "%&_#$":
        assert f"\\{special}" in escaped or special not in text
    assert "\\end{document}" not in escaped


def test_text_rendering_of_tables_math_and_answers():
    latex = r"""Compute $\frac{H - K + 2P}{S} + 1$ for \textbf{each} side.
\begin{center}\begin{tabular}{lr}\toprule Layer & Parameters \\ \midrule
Hidden & \num{1229000} \\ \bottomrule\end{tabular}\end{center}
\[ W = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} \]
\begin{align*} a &= b \\ &= \num{12345} \end{align*}
\begin{enumerate} \item first \item second \end{enumerate}
\finalanswer{$\alpha = 0.5$}"""
    text = latex_to_text(latex)
    assert "(H - K + 2P)/S + 1" in text
    assert re.search(r"Layer +Parameters\n.*\n    Hidden +1,229,000\n", text)
    assert "W = [1, 2; 3, 4]" in text
    assert "    a = b\n    = 12,345" in text
    assert "(a) first\n(b) second" in text
    assert "▶ Answer: α = 0.5" in text
    assert "\\" not in text


def test_a_blank_line_after_a_line_statement_stays_a_paragraph_break():
    from qbank.render.environment import environment

    template = environment().from_string("A\n%% if true\nB\n%% endif\n\nC\n")
    assert template.render() == "A\nB\n\nC\n"
