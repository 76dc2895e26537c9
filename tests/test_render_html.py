"""LaTeX fragments to HTML with MathML (qbank.render.html), for the practice page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest

from qbank.registry import all_types, get_type
from qbank.render.documents import render_fragments
from qbank.render.html import FIGURE_NOTE, fragment_html

SEEDS = range(5)
MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.DOTALL)

# An independent count of the formulas a fragment holds: display blocks, then
# $..$ pairs in what is left, with pictures (whose labels have math) removed.
PICTURES = re.compile(r"\\begin\{(tikzpicture|pgfpicture|picture)\}.*?\\end\{\1\}|\\ifdefined\b.*?\\fi\b",
                      re.DOTALL)
DISPLAYS = re.compile(r"\\\[.*?\\\]|\\begin\{(align\*?|equation\*?|gather\*?)\}.*?\\end\{\1\}", re.DOTALL)
INLINE = re.compile(r"(?<!\\)\$(?:[^$\\]|\\.)+?(?<!\\)\$", re.DOTALL)


def formula_count(latex: str) -> int:
    latex = PICTURES.sub("", re.sub(r"(?<!\\)%.*", "", latex))
    displays = len(DISPLAYS.findall(latex))
    return displays + len(INLINE.findall(DISPLAYS.sub(" ", latex)))


def parsed(html: str) -> ElementTree.Element:
    return ElementTree.fromstring("<div>" + html + "</div>")


def outside_math(html: str) -> str:
    return MATH_ELEMENT.sub("", html)


def _fragments():
    for type_id in all_types():
        for seed in SEEDS:
            fragments = render_fragments(get_type(type_id).draw(seed))
            yield type_id, seed, "question", fragments.question
            yield type_id, seed, "solution", fragments.solution


@pytest.fixture(scope="module")
def converted():
    return [(type_id, seed, part, latex, fragment_html(latex)) for type_id, seed, part, latex in _fragments()]


def test_every_fragment_converts_to_well_formed_html(converted):
    for type_id, seed, part, _, html in converted:
        where = f"{type_id} seed {seed} {part}"
        assert html.strip(), where
        try:
            parsed(html)
        except ElementTree.ParseError as error:
            pytest.fail(f"{where}: not well-formed ({error})")


def test_no_latex_is_left_outside_math(converted):
    for type_id, seed, part, _, html in converted:
        text = outside_math(html)
        assert "\\" not in text, f"{type_id} seed {seed} {part}: {text[text.index(chr(92)) - 60:][:160]}"
        assert "$" not in text, f"{type_id} seed {seed} {part}"


def test_every_formula_becomes_one_math_element(converted):
    for type_id, seed, part, latex, html in converted:
        expected, found = formula_count(latex), html.count("<math")
        assert abs(found - expected) <= max(1, expected // 20), f"{type_id} seed {seed} {part}: {found} != {expected}"


def test_no_network_references(converted):
    for _, _, _, _, html in converted:
        assert "http://" not in html and "https://" not in html


def test_table_with_booktabs_rules():
    html = fragment_html(r"""
\begin{center}
\begin{tabular}{lrc}
\toprule
Layer & Parameters & $n$ \\
\midrule
Hidden & \num{4,800} & $3$ \\
\midrule
Total & \num{1,265,220} & \\
\bottomrule
\end{tabular}
\end{center}""")
    table = parsed(html).find(".//table")
    assert table is not None and table.get("class") == "booktabs"
    assert [th.text for th in table.findall("./thead/tr/th")][:2] == ["Layer", "Parameters"]
    rows = table.findall("./tbody/tr")
    assert [td.text for td in rows[0]][:2] == ["Hidden", "4,800"]
    assert rows[0][1].get("class") == "align-r" and rows[0][2].get("class") == "align-c"
    assert rows[1].get("class") == "rule-above" and rows[1][1].text == "1,265,220"
    assert "\\" not in outside_math(html)


def test_paragraph_columns_and_inserted_material_in_the_column_spec():
    html = fragment_html(r"\begin{tabular}{l>{\raggedright\arraybackslash}p{0.3\linewidth}@{\qquad}r}"
                         r"a & b & c \\ \end{tabular}")
    cells = parsed(html).findall(".//td")
    assert [cell.text for cell in cells] == ["a", "b", "c"]
    assert cells[2].get("class") == "align-r"


def test_matrix_becomes_a_mathml_table():
    html = fragment_html(r"\[ W = \begin{bmatrix} \num{1} & \num{-0.5} \\ 2 & 3 \end{bmatrix} \]")
    math = parsed(html).find(".//math")
    assert math.get("display") == "block"
    rows = math.findall(".//mtr")
    assert len(rows) == 2 and len(rows[0].findall("mtd")) == 2
    numbers = [mn.text for mn in math.iter("mn")]
    assert "\u22120.5" in numbers  # a true minus sign


def test_grouped_number_is_one_mathml_number_with_a_plain_comma():
    html = fragment_html(r"There are $\num{1,265,220}$ parameters, or \num{1,265,220} in text.")
    root = parsed(html)
    assert [mn.text for mn in root.iter("mn")] == ["1,265,220"]
    assert "or 1,265,220 in text." in outside_math(html)
    assert not list(root.iter("mo"))  # the comma is not an operator with spacing


def test_align_rows_become_table_rows_aligned_at_the_relation():
    html = fragment_html(r"""\begin{align*}
a &= \frac{1}{2} + \text{(definition of $\tanh$)} \\
b &= \dfrac{3}{4}, && c = \tfrac{1}{3}.
\end{align*}""")
    math = parsed(html).find(".//math")
    assert math.get("display") == "block"
    rows = math.findall(".//mtable/mtr")
    assert len(rows) == 2
    assert len(rows[1].findall("mtd")) == 4
    assert [td.get("class") for td in rows[0].findall("mtd")][:2] == ["align-right", "align-left"]
    assert any("definition\u00a0of" in (text.text or "") for text in math.iter("mtext"))
    assert any(mi.text == "tanh" for mi in math.iter("mi"))
    assert html.count("<math") == 1


def test_text_is_escaped():
    html = fragment_html(r"If $a < b$ then x < y \& a > b, R\&D, 5\% and <b>bold</b>?")
    root = parsed(html)
    text = "".join(root.itertext())
    assert "x < y & a > b, R&D, 5% and <b>bold</b>?" in text
    assert root.find(".//b") is None
    assert "&lt;b&gt;" in html


def test_lists_with_labels_and_final_answer():
    html = fragment_html(r"""\begin{enumerate}[label=(\alph*)]
\item First part with $x$.
\item Second part.
\end{enumerate}
\begin{itemize}
\item a bullet
\end{itemize}
\finalanswer{\textbf{Total} $=42$.\\ Next line -- done~now.}""")
    root = parsed(html)
    labels = [span.text for span in root.iter("span") if span.get("class") == "item-label"]
    assert labels == ["(a)", "(b)"]
    assert root.find(".//ul/li").text.strip() == "a bullet"
    answer = root.find(".//div[@class='final-answer']")
    assert answer is not None and "Answer." in "".join(answer.itertext())
    assert answer.find(".//strong") is not None and answer.find(".//br") is not None
    assert "Next line \u2013 done\u00a0now." in "".join(answer.itertext())


def test_choices_are_lettered_without_revealing_the_answer():
    html = fragment_html(r"""\begin{choices}
\choice $\num{154,778}$
\CorrectChoice $\num{156,068}$
\choice $\num{96,068}$
\end{choices}""")
    root = parsed(html)
    labels = [span.text for span in root.iter("span") if span.get("class") == "item-label"]
    assert labels == ["(A)", "(B)", "(C)"]
    items = root.findall(".//ol/li")
    assert len(items) == 3
    assert len({(tuple(item.attrib.items()), tuple(item[0].attrib.items())) for item in items}) == 1
    assert "Correct" not in html and "<strong" not in html


def test_pictures_become_one_note():
    html = fragment_html(r"""Before.
\ifdefined\qbankPRframe\else
\newsavebox{\qbankPRframe}%
\global\setbox\qbankPRframe\hbox{\begin{tikzpicture}\draw (0,0) -- (1,1);\end{tikzpicture}}
\fi
\begin{center}
\makebox[0pt][l]{\usebox{\qbankPRframe}}%
\setlength{\unitlength}{1mm}%
\begin{picture}(10,10)(0,0)\put(1,1){\circle*{1.5}}\end{picture}
\begin{tikzpicture}\node at (0,0) {$x$};\end{tikzpicture}
\end{center}
After.""")
    assert html.count(FIGURE_NOTE) == 1
    assert "<math" not in html
    assert "Before." in html and "After." in html
    assert "\\" not in html


def test_unknown_macros_keep_their_text_and_never_raise():
    html = fragment_html(r"\mystery{kept text} and $\vecb{x} + \unknownmath{y}$, \left( \right. "
                         r"$\underbrace{a+b}_{\text{sum}}$ $\operatorname{softmax}(z)$ \medskip\noindent\par"
                         r" $\left( \frac{1}{2} \right)$ $\begin{pmatrix} 1 \\ 2 \end{pmatrix}$")
    parsed(html)
    assert "kept text" in html
    assert "\\" not in outside_math(html)
    assert "\U0001d431" in html  # \vecb{x}: bold x
    assert "softmax" in html


def test_emphasis_code_and_dashes():
    html = fragment_html(r"\emph{e} \textit{i} \texttt{t} \textbf{b} a---b ``q''")
    root = parsed(html)
    assert root.find(".//em").text == "e" and root.find(".//code").text == "t"
    assert root.find(".//strong").text == "b"
    assert "a\u2014b \u201cq\u201d" in "".join(root.itertext())


def test_unreadable_formula_falls_back_to_text():
    html = fragment_html(r"$\frac{1}{$ and $$")
    parsed(html)
    assert "\\" not in outside_math(html)
