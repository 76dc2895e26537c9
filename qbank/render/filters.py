"""Jinja filters that turn numbers, vectors, matrices and user text into LaTeX.

Every filter returns LaTeX for math mode unless its name says ``text``.  Numbers
come out as ``\\num{4,800}``: ``qbank.render.numbers`` chooses the digits and
groups the thousands, and the preamble's ``\\num`` only sets them in math (see
``qbank/templates/preamble.tex.j2`` for why this is not siunitx's ``\\num``).
"""

from __future__ import annotations

from pylatex.utils import escape_latex

from qbank.render import numbers


def _num(digits: str) -> str:
    return rf"\num{{{numbers.grouped(digits)}}}"


def num(value, places: int = 4) -> str:
    """``\\num{..}`` of an int exactly, or a float to at most ``places`` decimals."""
    return _num(numbers.plain(value, places))


def fixed(value, places: int = 2) -> str:
    """``\\num{..}`` with exactly ``places`` decimals (for columns that must line up)."""
    return _num(numbers.fixed(value, places))


def sig(value, figures: int = 3) -> str:
    """``\\num{..}`` to ``figures`` significant figures."""
    return _num(numbers.significant(value, figures))


def _cell(value, places: int | None) -> str:
    return num(value) if places is None else fixed(value, places)


def vector(values, places: int | None = None) -> str:
    """A row vector in parentheses: (1, 2, 3); (490; 1,568) when a number has a thousands comma."""
    cells = [_cell(v, places) for v in values]
    return r"\left(" + vector_separator(cells).join(cells) + r"\right)"


def vector_separator(cells: list[str]) -> str:
    """Commas between entries, or semicolons once an entry groups its thousands with commas."""
    return r";\ " if any("," in cell for cell in cells) else r",\ "


def colvector(values, places: int | None = None) -> str:
    """A column vector in square brackets."""
    return matrix([[v] for v in values], places)


def matrix(rows, places: int | None = None) -> str:
    """A matrix (list of rows) as a bmatrix."""
    body = r" \\ ".join(" & ".join(_cell(v, places) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def text(value) -> str:
    """Escape free text (titles, instructions, token names) for LaTeX text mode."""
    return escape_latex(str(value))


def mathtext(value) -> str:
    """Free text placed inside math mode, e.g. a token in a formula."""
    return rf"\text{{{text(value)}}}"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """'1 head', '12 heads'."""
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


FILTERS = {
    "num": num, "fixed": fixed, "sig": sig, "vector": vector, "colvector": colvector,
    "matrix": matrix, "text": text, "mathtext": mathtext, "plural": plural,
}
