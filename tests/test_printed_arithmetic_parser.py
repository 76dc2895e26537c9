"""The evaluator of printed arithmetic (tests/printed_arithmetic.py) on its own.

What it reads, what it refuses (a refused side is skipped, never guessed), how it
finds equations in a fragment, and the rule that decides whether one adds up.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from qbank.render.filters import colvector, fixed, matrix, num, vector
from tests import printed_arithmetic as pa
from tests.printed_arithmetic import ArithmeticFailure, NotArithmetic, check, evaluate, parse


@pytest.mark.parametrize("tex, expected", [
    (r"\num{1,265,220}", 1265220),
    (r"\num{-0.665}", -0.665),
    ("2.5", 2.5),
    (r"2 + 3 \times 4", 14),
    (r"2 \cdot 3 - 4 / 2", 4),
    (r"10 - 4 - 3", 3),
    (r"2 \ast 3", 6),
    (r"6 \div 4", 1.5),
    (r"\frac{1}{1 + e^{\num{1.7}}}", 1 / (1 + math.exp(1.7))),
    (r"\dfrac{3}{4} + \tfrac{1}{4}", 1),
    (r"-\ln \num{0.11}", -math.log(0.11)),
    (r"-2^2", -4),
    (r"\num{0.89}^{\num{5}}", 0.89 ** 5),
    (r"10^{-3}", 0.001),
    (r"\num{3.162} \times 10^{-5}", 3.162e-5),
    (r"e^{0} + \exp(1)", 1 + math.e),
    (r"\log_2 8 + \log_{10} 100", 5),
    (r"\ln 10^{3}", math.log(1000)),
    (r"\sqrt{16} + \sqrt[3]{27}", 7),
    (r"\tanh(0) + \sigma(0)", 0.5),
    (r"\max(0, \num{-1.5}) + \min(2, 3)", 2),
    (r"\left|\ln \num{0.5}\right|", math.log(2)),
    (r"\num{0.5}\,(1 - \num{0.5})", 0.25),
    (r"(\num{0.5})(\num{-2})", -1),
    (r"2\sigma(\num{-3.4}) - 1", 2 / (1 + math.exp(3.4)) - 1),
    (r"2\sqrt{4}", 4),
    (r"\frac{1}{4}\left(2 + 2\right)", 1),
    (r"\bigl(1 + 2\bigr) \times 3", 9),
    (r"\left[ 1 + 2 \right]^2", 9),
    (r"2 \times \pi", 2 * math.pi),
    (r"1 \,+\, 2\;\!\ ", 3),
])
def test_reads_scalar_arithmetic(tex, expected):
    assert evaluate(tex) == pytest.approx(expected, rel=1e-12)


def test_reads_vectors_matrices_and_their_products():
    weighted = (fr"{num(0.818)}\,{vector([2, 0, -1])} + {num(0.182)}\,{vector([-2, -1, 1])}")
    assert evaluate(weighted) == pytest.approx(np.array([1.272, -0.182, -0.636]))
    product = matrix([[1, 2], [3, 4]]) + colvector([1, -1])
    assert evaluate(product).tolist() == [[-1.0], [-1.0]]
    affine = matrix([[1, 2], [3, 4]]) + colvector([1, -1]) + " + " + colvector([1, 1])
    assert evaluate(affine).tolist() == [[0.0], [0.0]]
    assert evaluate(vector([1, 2]) + r"^\top").shape == (2, 1)
    assert evaluate(matrix([[1, 2], [3, 4]]) + r"^{\top}").tolist() == [[1, 3], [2, 4]]
    assert evaluate(r"-\frac{1}{4}" + vector([2, 4])).tolist() == [-0.5, -1]
    assert evaluate(r"\tanh" + vector([0, 0])).tolist() == [0, 0]
    assert evaluate(r"\begin{pmatrix} 1 & 2 \end{pmatrix}").shape == (1, 2)
    # Matrix cells may be expressions, as in ridge regression's check.
    assert evaluate(r"\begin{bmatrix} 2\cdot 3 + 1 \\ 4 \end{bmatrix}").tolist() == [[7], [4]]


@pytest.mark.parametrize("tex", [
    "x + 1",                          # a letter
    r"w_1",                           # a subscript symbol
    r"2^{n}",
    r"\mathbf{x}",
    r"\text{total}",                  # \text of words
    r"\num{1.0397} \text{ nats}",
    r"\alpha",                        # an unknown command
    r"\sigma^2",                      # \sigma not applied to a parenthesised number
    r"\sigma",
    r"\sigma'(0)",
    r"\log 8",                        # no base
    r"2\frac{1}{2}",                  # a mixed number?
    "2 3",                            # two numbers side by side
    r"1^16",                          # TeX reads 1^{1}6
    r"\frac12",                       # TeX reads 1/2, but 12 looks like one number
    r"\frac{\partial L}{\partial z}",
    r"\sum_{i=1}^{3} i",
    r"\pm 2",
    r"(0, \infty)",
    r"\left(1, 2\right) \times \left(3, 4\right)",   # which product?
    r"\left(1, 2\right)\left(3, 4\right)",
    r"\left(1, 2\right) + 3",
    r"[3, 2]",                        # a shape, not a vector
    r"\operatorname{erf}(0.5)",
    r"\tanh^2(0.5)",
    r"\ln 2 (3)",                     # ln(2)*3 or ln(2*3)?
    r"\frac{1}{2} x",
    r"\qbankpart{a}",
    r"\partanswer{3}",
    r"\num{true}",
    r"e",                             # Euler's number alone is refused
    r"1 + 2 = 3",                     # a relation is not part of a side
    r"|2|",                           # bare bars are ambiguous
    r"\begin{cases} 1 \end{cases}",
    r"\begin{bmatrix} 1 & 2 \\ 3 \end{bmatrix}",     # ragged
    r"\underbrace{1 + 2}_{3}",
    "",
    r"\frac{1}{",
    r"\left\langle 1 \right\rangle",
])
def test_refuses_what_it_cannot_read(tex):
    with pytest.raises(NotArithmetic):
        parse(tex)


@pytest.mark.parametrize("tex", [
    r"\left(1, 2\right) + \left(1, 2, 3\right)",
    matrix([[1, 2, 3], [4, 5, 6]]) + matrix([[1, 2], [3, 4]]),
    r"\frac{1}{0}",
    r"\ln 0",
    r"(-8)^{\frac{1}{3}}",
])
def test_arithmetic_that_cannot_be_right_is_a_failure_not_a_skip(tex):
    with pytest.raises(ArithmeticFailure):
        parse(tex)


def test_finds_every_kind_of_math_region():
    tex = (r"a $x$ and $$y$$ \[ z \] \(w\) \begin{align*} q \end{align*}"
           "\n" r"\begin{equation} r \end{equation} costs \$5 \\[2pt] $\text{a $u$ b}$ % $c$"
           "\n" r"\begin{tabular}{cc} 1 & $2 = 2$ \\ \end{tabular}")
    assert [body.strip() for body in pa.math_regions(tex)] == [
        "x", "y", "z", "w", "q", "r", r"\text{a $u$ b}", "2 = 2"]


def test_an_inline_region_starting_with_a_relation_continues_the_one_before():
    tex = "the factor $10000^{2/4}$%\n $= 100$, and $x$ $y = 1$"
    assert pa.math_regions(tex) == ["10000^{2/4} = 100", "x", "y = 1"]


def _chain_texts(region):
    return [[pa.untokenize(side) for side in chain.sides] for chain in pa.chains(region)]


def test_splits_aligns_into_lines_statements_and_sides():
    region = (r"a &= \frac{1}{2}\left(1 + 1\right) \\ &= \frac{2}{2} = 1, \\"
              r" b &\leftarrow 2 - 1 = 1. \\ i:&\quad 1 + 1 = 2, && 2 + 2 = 4 \\"
              r"\text{Row 1:}\quad 1 + 2 = 3, \quad \alpha_{1} = \left(1,\ 2\right)")
    assert _chain_texts(region) == [
        ["a", r"\frac { 1 } { 2 } ( 1 + 1 )", r"\frac { 2 } { 2 }", "1"],
        ["b", "2 - 1", "1"],
        ["i"], ["1 + 1", "2"], ["2 + 2", "4"],
        [r"\text{Row 1:}"], ["1 + 2", "3"], [r"\alpha _ { 1 }", "( 1 , 2 )"]]


def test_line_spacing_and_escaped_percent_signs_are_not_content():
    assert _chain_texts(r"1 + 1 &= 2 \\[2pt] 2 + 2 &= 4 \\* 3 &= 3") == [
        ["1 + 1", "2"], ["2 + 2", "4"], ["3", "3"]]
    assert pa.math_regions("50\\% off $1 + 1 = 2$ % $3 = 4$\n$5 = 5$") == ["1 + 1 = 2", "5 = 5"]


def test_relations_inside_groups_and_matrices_do_not_split():
    region = r"P(y = 0 \mid x) = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}, \quad z = \max(0, 1)"
    assert [len(chain.sides) for chain in pa.chains(region)] == [2, 2]


def _one(tex):
    checks = check(tex)
    assert len(checks) == 1, [c.describe() for c in checks]
    return checks[0]


def test_catches_the_attention_output_of_issue_12():
    # o1 = 0.818 (2, 0, -1) + 0.182 (-2, -1, 1) printed as (1.270, ...) from the exact
    # weights: the printed weights give 1.272.
    printed = vector([1.2704, -0.1824, -0.6352], 3)
    line = (fr"\[ \mathbf{{o}}_{{1}} = {fixed(0.818, 3)}\,{vector([2, 0, -1])} + "
            fr"{fixed(0.182, 3)}\,{vector([-2, -1, 1])} = {printed}. \]")
    result = _one(line)
    assert not result.ok
    assert result.left_value[0] == pytest.approx(1.272) and result.right_value[0] == 1.270
    carried = line.replace(r"\num{1.270}", r"\num{1.272}").replace(r"\num{-0.635}", r"\num{-0.636}")
    assert _one(carried).ok


@pytest.mark.parametrize("equation, ok", [
    (r"$\frac{2}{3} = \num{0.667}$", True),
    (r"$\frac{2}{3} = \num{0.666}$", True),      # within one unit of the last digit
    (r"$\frac{2}{3} = \num{0.668}$", False),
    (r"$\num{0.1} + \num{0.2} = \num{0.3}$", True),
    (r"$\frac{7}{2} = 4$", True),                # an integer result has the unit 1
    (r"$\frac{7}{2} = 5$", False),
    (r"$\sqrt{2} \approx \num{1.414}$", True),   # \approx is checked like =
    (r"$\sqrt{2} \approx \num{1.41}$", True),
    (r"$\sqrt{2} \approx \num{1.43}$", False),
    # a rounded number on the left, an exact expression on the right
    (r"$2 \times \num{0.1192} - 1 = \num{-0.7616} = \tanh(-1)$", None),
    # an expression on the right: its numbers' units carried through it
    (r"$10^{16 \times \num{0.0414}} = 10^{\num{0.66}}$", True),
    (r"$10^{16 \times \num{0.0414}} = 10^{\num{0.70}}$", False),
    (r"$\num{9.56} \times 10^{2} = 956$", True),
    (r"$956 = \num{9.56} \times 10^{2}$", True),
    (r"$950 = \num{9.56} \times 10^{2}$", False),
    # integers inside an expression are exact
    (r"$\frac{1}{1 + \num{5.4739}} = \num{0.1545}$", True),
    (r"$\frac{3}{4} = \frac{2}{4} + \frac{1}{4}$", True),
    (r"$\frac{3}{4} = \frac{1}{4} + \frac{1}{4}$", False),
])
def test_the_rule(equation, ok):
    checks = check(equation)
    if ok is None:
        assert all(c.ok for c in checks) and len(checks) == 2
    else:
        assert len(checks) == 1 and checks[0].ok is ok, checks[0].describe()


def test_shapes_that_disagree_fail():
    result = _one(fr"$\frac{{1}}{{2}}{vector([2, 4])} = {colvector([1, 2])}$")
    assert not result.ok and "shapes" in result.problem
    assert _one(fr"$\frac{{1}}{{2}}{vector([2, 4])}^\top = {colvector([1, 2])}$").ok
    assert not _one(r"$\left(1, 2\right) + \left(1, 2, 3\right) = \left(2, 4\right)$").ok


def test_arrays_compare_element_by_element_with_each_entry_s_own_unit():
    exact = r"\left(\frac{1}{3}, \frac{1}{8}\right)"
    assert _one(fr"${exact} = \left(\num{{0.3}}, \num{{0.125}}\right)$").ok
    assert not _one(fr"${exact} = \left(\num{{0.3}}, \num{{0.123}}\right)$").ok


def test_a_side_that_is_not_arithmetic_breaks_the_chain():
    assert check(r"$1 + 1 = x = 3$") == []
    assert [c.ok for c in check(r"$1 + 1 = 2 = x = 5 = 2 + 3$")] == [True, True]
    assert check(r"$1 + 1 < 3 = 3$")[0].left == "3"
    assert check(r"$\text{total} = 1 + 1 = 3 \text{ nats}$") == []


def test_unknown_markup_never_crashes():
    fragment = (r"\qbankpart{a} Some text $\partanswer{x = 1}$ \[ \left\| 1 \right\| = 1 \]"
                r" $\text{unbalanced $ \frac{1}{ = 1$ \begin{align*} \frac{1}{ = \end{align*}"
                r" $1 + 1 = 2$ \[ 1 = \left< 2 \right> \] $\left\foo 1 = 1$ $")
    assert all(isinstance(c.ok, bool) for c in check(fragment))


def test_reads_worked_lines_as_the_templates_print_them():
    # activations.sigmoid_tanh (b): one chain of four sides, three equations.
    sigmoid = (r"\begin{align*} \sigma(\num{-1.7}) &= \frac{1}{1 + e^{\num{1.7}}}"
               r" = \frac{1}{1 + \num{5.4739}} = \num{0.1545} \\ \end{align*}")
    assert [c.ok for c in check(sigmoid)] == [True, True, True]
    # rnn cell products: matrix times column plus column, two per line split by &&.
    gate = (r"\begin{align*} i:&\quad " + matrix([[-1], [0]]) + colvector([-1]) + " + "
            + colvector([1, 0.5]) + " = " + colvector([2, 0.5]) + r", && "
            + matrix([[0, 1], [0, 0]]) + colvector([0, 0.5]) + " + " + colvector([0, 1])
            + " = " + colvector([0.5, 1]) + r". \end{align*}")
    assert [c.ok for c in check(gate)] == [True, True]
    # logreg: a fraction continued on the next align line.
    gradient = (r"\begin{align*} \frac{\partial J}{\partial\theta_1} &= \frac{1}{2}\left("
                r"\num{1}\cdot(\num{-0.1824}) + (\num{-1})\cdot\num{0.3775}\right) \\"
                r" &= \frac{\num{-0.5599}}{2} = \num{-0.2800} \end{align*}")
    assert [c.ok for c in check(gradient)] == [True, True]
