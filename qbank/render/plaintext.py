"""LaTeX fragments as readable terminal text, for ``qbank show``.

The PDF and the terminal show the same templates: pylatexenc parses the LaTeX
and turns macros into Unicode, and this module adds what a terminal reader
needs beyond that: tables with aligned columns, display math and ``align*`` on
their own indented lines, ``\\num`` with thousands separators, matrices as
``[a, b; c, d]``, and paragraphs re-flowed to the terminal width.  It supports
the subset of LaTeX that question templates are asked to keep to.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache

from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import (EnvironmentTextSpec, LatexNodes2Text, MacroTextSpec,
                                   get_default_latex_context_db)

from qbank.render.numbers import grouped

# Preformatted blocks (tables, displays) are fenced with these private-use
# characters so the paragraph re-flow leaves them alone.
PRE_START, PRE_END = "\ue000", "\ue001"
ROW_BREAK = re.compile(r"\\\\(?:\[[^\]]*\])?")
RULES = re.compile(r"\\(toprule|midrule|bottomrule|hline|cmidrule(\([^)]*\))?\{[^}]*\})")
INDENT = "    "
LIST_WIDTH = 88
# h_{t-1} must read h_(t-1), not h_t-1: a sub/superscript with an operator keeps
# its grouping as parentheses.
COMPOUND_SCRIPT = re.compile(r"([_^])\{([^{}]*[-+*/=][^{}]*)\}")# Operator names keep a space before their argument (\ln 0.2 -> "ln 0.2"),
# dropped again before a parenthesis.
OPERATOR_NAMES = ("ln", "log", "exp", "sin", "cos", "tan", "tanh", "max", "min", "arg", "det")
# Relations and binary operators get a space on each side, whatever the source had
# (big operators only before them: their limits follow directly).
BINARY_SYMBOLS = {"sum": "∑", "prod": "∏", "times": "×", "cdot": "·", "pm": "±", "le": "≤", "leq": "≤", "ge": "≥",
                  "geq": "≥", "neq": "≠", "approx": "≈", "in": "∈", "to": "→",
                  "rightarrow": "→", "Rightarrow": "⇒", "mapsto": "↦"}
OPERATOR_PAREN = re.compile(r"\b(" + "|".join(OPERATOR_NAMES) + r") \(")


def _split_top_level(text: str, separator: str) -> list[str]:
    """Split on a separator that is not inside braces or a nested environment."""
    parts, depth, current = [], 0, []
    index = 0
    while index < len(text):
        char = text[index]
        if depth == 0 and text.startswith(separator, index):
            parts.append("".join(current))
            current = []
            index += len(separator)
            continue
        if char == "\\" and index + 1 < len(text):
            depth += text.startswith("\\begin{", index) - text.startswith("\\end{", index)
            current.append(text[index:index + 2])
            index += 2
            continue
        depth += char == "{"
        depth -= char == "}"
        current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _rows(body: str) -> list[str]:
    """Rows of a tabular-like body, with booktabs rules kept as the marker '---'."""
    rows = []
    for chunk in _split_top_level(body, "\\\\"):
        chunk = re.sub(r"^\[[^\]]*\]", "", chunk.strip()) if chunk.strip().startswith("[") else chunk
        while True:
            match = RULES.search(chunk)
            if not match or chunk[:match.start()].strip():
                break
            rows.append("---")
            chunk = chunk[match.end():]
        if chunk.strip():
            rows.append(RULES.sub("", chunk))
    return rows


def _body(node) -> str:
    """The raw LaTeX between \\begin{env}{args} and \\end{env}."""
    return "".join(n.latex_verbatim() for n in node.nodelist)


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+−]?[\d,.]+", cell))


def _table(node) -> str:
    rows = []
    for row in _rows(_body(node)):
        rows.append(row if row == "---" else
                    [" ".join(_convert(cell).split())
                     for cell in _split_top_level(row, "&")])
    cells = [r for r in rows if r != "---"]
    if not cells:
        return ""
    columns = max(len(r) for r in cells)
    widths = [max((len(r[i]) for r in cells if i < len(r)), default=0) for i in range(columns)]
    total = sum(widths) + 2 * (columns - 1)
    lines = []
    for row in rows:
        if row == "---":
            lines.append("─" * total)
            continue
        padded = [(cell.rjust if _is_number(cell) else cell.ljust)(width)
                  for cell, width in zip(row + [""] * columns, widths)]
        lines.append("  ".join(padded).rstrip())
    return PRE_START + "\n".join(INDENT + line for line in lines) + PRE_END


def _display_lines(body: str, split_rows: bool = True) -> str:
    rows = _split_top_level(body, "\\\\") if split_rows else [body]
    lines = [" ".join(_convert(" ".join(_split_top_level(row, "&"))).split()) for row in rows]
    return PRE_START + "\n".join(INDENT + line for line in lines if line) + PRE_END


def _matrix(node) -> str:
    rows = [", ".join(" ".join(_convert(cell).split())
                      for cell in _split_top_level(row, "&"))
            for row in _split_top_level(_body(node), "\\\\") if row.strip()]
    return "[" + "; ".join(rows) + "]"


def _list(node, numbered: bool) -> str:
    items = re.split(r"\\item\b", _body(node))[1:]
    # enumerate[label=(\Alph*)] numbers options (A), (B), ... as on the paper.
    first = "A" if "\\Alph" in node.latex_verbatim().split("\\item")[0] else "a"
    lines = []
    for index, item in enumerate(items):
        marker = f"({chr(ord(first) + index)})" if numbered else "•"
        label = re.match(r"\s*\[([^\]]*)\]", item)
        if label:  # \item[(a)] names its own marker
            marker, item = " ".join(_convert(label[1]).split()), item[label.end():]
        lines.append(textwrap.fill(f"{marker} " + " ".join(_convert(item).split()),
                                   width=LIST_WIDTH, subsequent_indent=" " * (len(marker) + 1)))
    return PRE_START + "\n".join(lines) + PRE_END


class _Converter(LatexNodes2Text):
    """latex2text with display math set on its own indented lines."""

    def math_node_to_text(self, node):
        if getattr(node, "displaytype", "inline") == "display":
            return "\n" + _display_lines(_body(node), split_rows=False) + "\n"
        return super().math_node_to_text(node)


def _fraction(node, l2tobj) -> str:
    """a/b, with parentheses around a numerator or denominator of several terms."""
    def part(argument):
        text = " ".join(l2tobj.nodelist_to_text([argument]).split())
        compound = re.search(r"[\s+\-−×·/]", text.lstrip("-−"))
        return f"({text})" if compound else text
    numerator, denominator = node.nodeargd.argnlist[-2:]
    return f"{part(numerator)}/{part(denominator)}"


def _num(node) -> str:
    argument = node.nodeargd.argnlist[-1]
    return grouped(_body(argument).strip()) if argument is not None else ""


@lru_cache(maxsize=1)
def _converter() -> tuple[LatexNodes2Text, object]:
    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category("qbank", prepend=True, macros=[
        macrospec.MacroSpec("num", "[{"), macrospec.MacroSpec("finalanswer", "{"),
        macrospec.MacroSpec("text", "{"), macrospec.MacroSpec("boxed", "{"),
        macrospec.MacroSpec("dfrac", "{{"), macrospec.MacroSpec("tfrac", "{{"), macrospec.MacroSpec("operatorname", "{"),
    ], environments=[
        macrospec.EnvironmentSpec("tabular", "{"), macrospec.EnvironmentSpec("center"),
        macrospec.EnvironmentSpec("bmatrix", is_math_mode=True),
        macrospec.EnvironmentSpec("align*", is_math_mode=True),
        macrospec.EnvironmentSpec("tikzpicture", "["),
    ])
    text_db = get_default_latex_context_db()

    def env(name, handler):
        return EnvironmentTextSpec(name, simplify_repl=lambda n: handler(n))

    text_db.add_context_category("qbank", prepend=True, macros=[
        MacroTextSpec("num", simplify_repl=lambda n, l2tobj: _num(n)),
        MacroTextSpec("finalanswer", simplify_repl=lambda n, l2tobj: (
            "\n\n" + PRE_START + "▶ Answer: " + " ".join(
                l2tobj.nodelist_to_text([n.nodeargd.argnlist[0]]).split()) + PRE_END + "\n\n")),
        MacroTextSpec("text", simplify_repl="%s"),
        MacroTextSpec("frac", simplify_repl=_fraction), MacroTextSpec("dfrac", simplify_repl=_fraction),
        MacroTextSpec("tfrac", simplify_repl=_fraction),
        MacroTextSpec("operatorname", simplify_repl="%s"),
        MacroTextSpec("boxed", simplify_repl="[%s]"),
        *[MacroTextSpec(name, simplify_repl=name + " ") for name in OPERATOR_NAMES],
        *[MacroTextSpec(name, simplify_repl=f" {symbol}" if name in ("sum", "prod") else f" {symbol} ")
          for name, symbol in BINARY_SYMBOLS.items()],
        MacroTextSpec("enspace", simplify_repl=" "), MacroTextSpec("quad", simplify_repl="  "), MacroTextSpec("qquad", simplify_repl="    "),
        MacroTextSpec("left", simplify_repl=""), MacroTextSpec("right", simplify_repl=""),
        MacroTextSpec("toprule", discard=True), MacroTextSpec("midrule", discard=True),
        MacroTextSpec("bottomrule", discard=True),
    ], environments=[
        env("tabular", _table),
        env("bmatrix", _matrix),
        env("align*", lambda n: "\n" + _display_lines(_body(n)) + "\n"),
        env("enumerate", lambda n: _list(n, numbered=True)),
        env("itemize", lambda n: _list(n, numbered=False)),
        EnvironmentTextSpec("center", simplify_repl="%(body)s"),
        # Pictures are for the PDF; the text beside them must carry the content.
        EnvironmentTextSpec("tikzpicture", discard=True),
    ])
    converter = _Converter(latex_context=text_db, math_mode="text", strict_latex_spaces="based-on-source")
    return converter, walker_db


def _convert(latex: str) -> str:
    """Unicode text of a LaTeX snippet, parsed with qbank's macro signatures."""
    latex = COMPOUND_SCRIPT.sub(r"\1{(\2)}", latex)
    converter, walker_db = _converter()
    nodes = latexwalker.LatexWalker(latex, latex_context=walker_db,
                                    tolerant_parsing=True).get_latex_nodes()[0]
    return converter.nodelist_to_text(nodes)


def latex_to_text(latex: str, width: int = 88) -> str:
    """Readable text for a LaTeX fragment, paragraphs wrapped to ``width`` columns."""
    raw = OPERATOR_PAREN.sub(r"\1(", _convert(latex))
    pieces = re.split(f"({PRE_START}.*?{PRE_END})", raw, flags=re.DOTALL)
    blocks = []
    for piece in pieces:
        if piece.startswith(PRE_START):
            blocks.append(piece[1:-1])
            continue
        for paragraph in re.split(r"\n\s*\n", piece):
            words = paragraph.split()
            if words:
                blocks.append(textwrap.fill(" ".join(words), width=width))
    return "\n\n".join(blocks)
