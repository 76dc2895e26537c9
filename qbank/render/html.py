"""LaTeX fragments as HTML with MathML, for the offline practice page.

The practice page shows the same question and solution templates as the PDF,
so this module reads the LaTeX subset those templates keep to (the one
``qbank.render.plaintext`` reads for the terminal) and writes HTML a browser
shows without any script or web font: text structure (paragraphs, lists,
tables, the boxed final answer) becomes HTML elements and every formula
becomes a MathML ``<math>`` element, converted by ``latex2mathml``.

Pictures are drawn for the PDF only; the text beside them carries their
content, so here they become a one-line note.  Anything unexpected degrades
instead of failing: an unknown macro loses its name and keeps its argument
text, and a formula latex2mathml cannot read is shown as its plain text.  The
output is well-formed XML (``<br/>``, numeric character references), so it can
be embedded in HTML5 and checked with an XML parser, and it never contains a
backslash outside ``<math>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from functools import lru_cache
from html import escape

from latex2mathml.converter import convert as latex_to_mathml
from pylatexenc import latexwalker, macrospec

FIGURE_NOTE = '<p class="figure-note">(Figure: see the PDF version.)</p>'
FIGURE_ENVIRONMENTS = {"tikzpicture", "pgfpicture", "picture"}
# precision_recall draws its axes once per document into a saved box, inside
# \ifdefined\box\else ... \fi; nothing in that block is for the reader.
SAVED_BOX_DEFINITION = re.compile(r"\\ifdefined\b.*?\\fi\b", re.DOTALL)

ALIGN_ENVIRONMENTS = {"align", "align*", "aligned", "alignat", "alignat*", "flalign", "flalign*"}
DISPLAY_ENVIRONMENTS = {"equation", "equation*", "gather", "gather*", "multline", "multline*",
                        "displaymath", "math"} | ALIGN_ENVIRONMENTS
LIST_ENVIRONMENTS = {"enumerate", "itemize", "choices", "checkboxes", "oneparchoices"}
BLOCK_ENVIRONMENTS = {"center", "flushleft", "flushright", "quote", "quotation", "minipage"}
TABLE_ENVIRONMENTS = {"tabular", "tabular*", "tabularx"}
ITEM_MACROS = {"item", "choice", "CorrectChoice"}
RULE_MACROS = {"toprule", "midrule", "bottomrule", "hline", "cmidrule", "cline", "addlinespace"}

# Text-mode macros: inline markup, literal characters and spacing.
INLINE_TAGS = {"textbf": "strong", "bfseries": None, "emph": "em", "textit": "em", "textsl": "em",
               "texttt": "code", "underline": "u", "textsc": None, "textrm": None, "textsf": None,
               "textup": None, "textnormal": None, "mbox": None, "text": None}
LITERAL_MACROS = {"%": "%", "&": "&", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}",
                  " ": " ", ",": "\u2009", ";": "\u2005", ":": "\u2005", "quad": "\u2003",
                  "qquad": "\u2003\u2003", "enspace": "\u2002", "thinspace": "\u2009",
                  "ldots": "\u2026", "dots": "\u2026", "textellipsis": "\u2026",
                  "textendash": "\u2013", "textemdash": "\u2014", "times": "\u00d7",
                  "textasciitilde": "~", "textbackslash": "", "slash": "/", "S": "\u00a7",
                  "textbar": "|", "textless": "<", "textgreater": ">", "ss": "\u00df"}
SPECIALS = {"~": "\u00a0", "--": "\u2013", "---": "\u2014", "``": "\u201c", "''": "\u201d",
            "`": "\u2018", "'": "\u2019", "&": "&", "!`": "\u00a1", "?`": "\u00bf"}
# Macros whose arguments are layout or bookkeeping, not text: dropped whole.
DROPPED_WITH_ARGUMENTS = {"vspace", "hspace", "makebox", "usebox", "setlength", "newsavebox",
                          "savebox", "sbox", "setbox", "label", "ref", "pagebreak", "linebreak",
                          "rule", "phantom", "hphantom", "vphantom", "includegraphics",
                          "makeemptybox", "addpoints", "CorrectChoiceEmphasis", "definecolor",
                          "global", "hbox", "vbox", "useasboundingbox"}
# The macro specs pylatexenc needs to attach arguments to qbank's own macros
# and to the layout macros above, so that their arguments are dropped with them.
MACRO_SIGNATURES = {"num": "[{", "finalanswer": "{", "vecb": "{", "dfrac": "{{", "tfrac": "{{",
                    "textcolor": "[{{", "colorbox": "[{{", "makebox": "[[{", "usebox": "{",
                    "setlength": "{{", "newsavebox": "{", "savebox": "{[[{", "sbox": "{{",
                    "multicolumn": "{{{", "cmidrule": "", "cline": "{", "choice": "",
                    "CorrectChoice": "", "makeemptybox": "{", "rule": "[{{", "phantom": "{",
                    "hphantom": "{", "vphantom": "{", "text": "{", "mbox": "{",
                    "includegraphics": "[{", "addlinespace": "["}
# \cmidrule(lr){2-3}: the trim in parentheses is not an argument pylatexenc can parse.
CMIDRULE = re.compile(r"\\cmidrule\s*(\([^)]*\))?\s*\{[^{}]*\}")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# ASCII whitespace only: a no-break space (from ~) is content and must survive.
WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")


# ---------------------------------------------------------------------------
# Math: LaTeX -> MathML with latex2mathml, around the macros it does not know.

MATH_TEXT_MACROS = ("text", "textrm", "textnormal", "mbox", "textit", "textbf", "emph")
PLACEHOLDER = "QBANKPH{}X"
PLACEHOLDER_ELEMENT = re.compile(r"<mtext>QBANKPH(\d+)X</mtext>")
UNKNOWN_MACRO_ELEMENT = re.compile(r"<m[io]>\\[^<]*</m[io]>")
MATH_NAMESPACE = re.compile(r'\s+xmlns="[^"]*"')
# latex2mathml writes \! as a width browsers reject; a negative thin space is invisible anyway.
NEGATIVE_THIN_SPACE = re.compile(r"\\!")


def _braced(latex: str, start: int) -> int:
    """Index just past the brace group opening at ``start`` (unbalanced: the end)."""
    depth, index = 0, start
    while index < len(latex):
        char = latex[index]
        if char == "\\":  # \{ and \} are characters, not grouping
            index += 2
            continue
        depth += (char == "{") - (char == "}")
        index += 1
        if depth == 0:
            return index
    return len(latex)


def _replace_macro(latex: str, names, replacement) -> str:
    """Replace ``\\name[opt]{arg}`` by ``replacement(name, arg)``, with balanced braces."""
    pattern = re.compile(r"\\(" + "|".join(map(re.escape, names)) + r")(?![A-Za-z])\s*(\[[^\]]*\])?\s*(?=\{)")
    pieces, position = [], 0
    while (match := pattern.search(latex, position)) is not None:
        end = _braced(latex, match.end())
        pieces.append(latex[position:match.start()])
        pieces.append(replacement(match[1], latex[match.end() + 1:end - 1]))
        position = end
    pieces.append(latex[position:])
    return "".join(pieces)


def _number_mathml(digits: str) -> str:
    """A \\num argument as one number: grouped digits, comma without spacing, a true minus."""
    digits = " ".join(digits.split())
    sign = "\u2212" if digits.startswith("-") else ""
    return f"<mn>{sign}{escape(digits.lstrip('-'), quote=False)}</mn>"


def _mtext(text: str) -> str:
    # Browsers trim the edges of token elements, so every space is kept as a no-break space.
    return f"<mtext>{escape(text, quote=False).replace(' ', chr(0xA0))}</mtext>" if text else ""


def _math_text_mathml(content: str) -> str:
    """\\text{...} in math, including formulas nested in it: \\text{(definition of $\\tanh$)}."""
    parts = re.split(r"(?<!\\)\$", content)
    pieces = []
    for index, part in enumerate(parts):
        if index % 2:
            pieces.append(_mathml_inner(part))
        else:
            pieces.append(_mtext(WHITESPACE.sub(" ", _plain_text(part))))
    return "<mrow>" + "".join(pieces) + "</mrow>"


def _mathml_inner(latex: str) -> str:
    """MathML children (no ``<math>``) of a formula; its plain text if it cannot be read."""
    placeholders: list[str] = []

    def hold(markup: str) -> str:
        placeholders.append(markup)
        return r"\text{" + PLACEHOLDER.format(len(placeholders) - 1) + "}"

    # Text first: a \num inside \text is read by the text converter.
    source = _replace_macro(latex, MATH_TEXT_MACROS, lambda name, arg: hold(_math_text_mathml(arg)))
    source = _replace_macro(source, ("num",), lambda name, arg: hold(_number_mathml(arg)))
    source = _replace_macro(source, ("vecb",), lambda name, arg: r"\mathbf{" + arg + "}")
    source = NEGATIVE_THIN_SPACE.sub("", source.replace(r"\operatorname*", r"\operatorname"))
    if not source.strip():
        return ""
    try:
        markup = latex_to_mathml(source)
        markup = PLACEHOLDER_ELEMENT.sub(lambda m: placeholders[int(m[1])], markup)
        markup = UNKNOWN_MACRO_ELEMENT.sub("", MATH_NAMESPACE.sub("", markup, count=1))
        element = ElementTree.fromstring(markup)
    except Exception:  # latex2mathml raises many kinds; any failure shows the text instead
        return _mtext(" ".join(_plain_text(latex).split()))
    return "".join(ElementTree.tostring(child, encoding="unicode") for child in element)


def _math_element(inner: str, source: str, display: bool) -> str:
    """A ``<math>`` with its LaTeX source kept as an annotation (copyable, searchable)."""
    mode = "block" if display else "inline"
    annotation = escape(" ".join(source.split()), quote=False)
    return (f'<math display="{mode}"><semantics><mrow>{inner}</mrow>'
            f'<annotation encoding="application/x-tex">{annotation}</annotation></semantics></math>')


def math_html(latex: str, display: bool = False) -> str:
    """One formula as a ``<math>`` element."""
    return _math_element(_mathml_inner(latex), latex, display)


def _align_html(rows: list[list[str]], source: str) -> str:
    """align* rows as a MathML table: columns alternate right and left, as in amsmath."""
    columns = max((len(row) for row in rows), default=0)
    alignment = " ".join("right" if index % 2 == 0 else "left" for index in range(columns))
    lines = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row + [""] * (columns - len(row))):
            side = "right" if index % 2 == 0 else "left"
            # A left cell starts after the alignment point: "{}=" keeps the relation's spacing.
            inner = _mathml_inner(("{}" + cell) if side == "left" and cell.strip() else cell)
            pair_start = " pair-start" if index and side == "right" else ""
            cells.append(f'<mtd class="align-{side}{pair_start}"><mstyle displaystyle="true">'
                         f"{inner}</mstyle></mtd>")
        lines.append("<mtr>" + "".join(cells) + "</mtr>")
    table = f'<mtable class="align" columnalign="{alignment}">' + "".join(lines) + "</mtable>"
    return _math_element(table, source, display=True)


# ---------------------------------------------------------------------------
# Text: pylatexenc nodes -> HTML blocks.


@lru_cache(maxsize=1)
def _context_db():
    """pylatexenc's default macros plus qbank's, so their arguments parse as arguments."""
    db = latexwalker.get_default_latex_context_db()
    db.add_context_category(
        "qbank-html", prepend=True,
        macros=[macrospec.MacroSpec(name, signature) for name, signature in MACRO_SIGNATURES.items()],
        environments=[
            *[macrospec.EnvironmentSpec(name, "[") for name in ("tikzpicture", "pgfpicture", "scope")],
            macrospec.EnvironmentSpec("picture"), macrospec.EnvironmentSpec("center"),
            macrospec.EnvironmentSpec("choices"), macrospec.EnvironmentSpec("tabular", "{"),
            *[macrospec.EnvironmentSpec(name, is_math_mode=True)
              for name in ("bmatrix", "pmatrix", "matrix", "vmatrix", "cases", *ALIGN_ENVIRONMENTS)],
        ])
    return db


def _parse(latex: str) -> list:
    walker = latexwalker.LatexWalker(latex, latex_context=_context_db(), tolerant_parsing=True)
    return walker.get_latex_nodes()[0]


def _verbatim(nodes) -> str:
    return "".join(node.latex_verbatim() for node in nodes if node is not None)


def _arguments(node) -> list:
    """The parsed arguments of a macro or environment node (None where an optional one is absent)."""
    parsed = getattr(node, "nodeargd", None)
    return list(parsed.argnlist) if parsed is not None and parsed.argnlist else []


def _argument_nodes(argument) -> list:
    """The content of one argument: a group's children, or the single node itself."""
    if argument is None:
        return []
    if argument.isNodeType(latexwalker.LatexGroupNode):
        return list(argument.nodelist)
    return [argument]


def _is(node, kind, *names) -> bool:
    if node is None or not node.isNodeType(kind):
        return False
    if not names:
        return True
    name = node.macroname if kind is latexwalker.LatexMacroNode else (
        node.environmentname if kind is latexwalker.LatexEnvironmentNode else node.specials_chars)
    return name in names


def _plain_text(latex: str) -> str:
    """Text of a LaTeX snippet with all markup dropped (math alt text, labels)."""
    return _InlineText().text(_parse(latex))


class _InlineText:
    """Plain text of nodes: used where markup cannot go (inside MathML text)."""

    def text(self, nodes) -> str:
        pieces = []
        for node in nodes:
            if node is None or _is(node, latexwalker.LatexCommentNode):
                continue
            if _is(node, latexwalker.LatexCharsNode):
                pieces.append(node.chars)
            elif _is(node, latexwalker.LatexSpecialsNode):
                pieces.append(SPECIALS.get(node.specials_chars, node.specials_chars))
            elif _is(node, latexwalker.LatexGroupNode):
                pieces.append(self.text(node.nodelist))
            elif _is(node, latexwalker.LatexMathNode):
                pieces.append(self.text(node.nodelist))
            elif _is(node, latexwalker.LatexMacroNode):
                if node.macroname == "num":
                    pieces.append(_number_text(_verbatim(_argument_nodes(_last_argument(node)))))
                elif node.macroname in LITERAL_MACROS:
                    pieces.append(LITERAL_MACROS[node.macroname])
                elif node.macroname not in DROPPED_WITH_ARGUMENTS:
                    pieces.append(self.text(_argument_nodes(_last_argument(node))))
            elif _is(node, latexwalker.LatexEnvironmentNode):
                if node.environmentname not in FIGURE_ENVIRONMENTS:
                    pieces.append(self.text(node.nodelist))
        return "".join(pieces)


def _last_argument(node):
    arguments = [argument for argument in _arguments(node) if argument is not None]
    return arguments[-1] if arguments else None


def _number_text(digits: str) -> str:
    digits = "".join(digits.split())
    return "\u2212" + digits[1:] if digits.startswith("-") else digits


class _Blocks:
    """Block-level HTML under construction; loose inline content is gathered into paragraphs."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.inline: list[str] = []

    def add_text(self, text: str) -> None:
        """Escaped text, whitespace collapsed; no leading space at a paragraph start or after a space."""
        text = WHITESPACE.sub(" ", text)
        if text.startswith(" ") and (not self.inline or self.inline[-1].endswith((" ", "<br/>"))):
            text = text[1:]
        if text:
            self.inline.append(escape(text, quote=False))

    def add_inline(self, markup: str) -> None:
        if markup:
            self.inline.append(markup)

    def end_paragraph(self) -> None:
        content = "".join(self.inline).strip(" \t\n")
        while content.endswith("<br/>"):
            content = content[:-5].rstrip()
        if content:
            self.blocks.append(f"<p>{content}</p>")
        self.inline = []

    def add_block(self, markup: str) -> None:
        self.end_paragraph()
        if markup and not (markup == FIGURE_NOTE and self.blocks and self.blocks[-1] == FIGURE_NOTE):
            self.blocks.append(markup)

    def html(self) -> str:
        self.end_paragraph()
        return "\n".join(self.blocks)


def _blocks_html(nodes, lead: str = "") -> str:
    """HTML blocks of a node list; ``lead`` is inline markup starting its first paragraph."""
    out = _Blocks()
    out.add_inline(lead)
    _write_nodes(nodes, out)
    return out.html()


def _compact_html(nodes) -> str:
    """Like _blocks_html, but a single paragraph loses its <p> (table cells, list items)."""
    markup = _blocks_html(nodes)
    if markup.startswith("<p>") and markup.endswith("</p>") and markup.count("<p>") == 1:
        return markup[3:-4]
    return markup


def _write_nodes(nodes, out: _Blocks) -> None:
    for node in nodes:
        if node is None or _is(node, latexwalker.LatexCommentNode):
            continue
        if _is(node, latexwalker.LatexCharsNode):
            for index, paragraph in enumerate(PARAGRAPH_BREAK.split(node.chars)):
                if index:
                    out.end_paragraph()
                out.add_text(paragraph)
        elif _is(node, latexwalker.LatexSpecialsNode):
            out.add_text(SPECIALS.get(node.specials_chars, node.specials_chars))
        elif _is(node, latexwalker.LatexGroupNode):
            _write_nodes(node.nodelist, out)
        elif _is(node, latexwalker.LatexMathNode):
            _write_math(node, out)
        elif _is(node, latexwalker.LatexMacroNode):
            _write_macro(node, out)
        elif _is(node, latexwalker.LatexEnvironmentNode):
            _write_environment(node, out)


def _write_math(node, out: _Blocks) -> None:
    body = _verbatim(node.nodelist)
    if not body.strip():
        return
    if node.displaytype == "display":
        out.add_block(f'<div class="display-math">{math_html(body, display=True)}</div>')
    else:
        out.add_inline(math_html(body))


def _write_macro(node, out: _Blocks) -> None:
    name = node.macroname
    if name in LITERAL_MACROS:
        out.add_text(LITERAL_MACROS[name])
    elif name == "\\" or name == "newline":
        out.add_inline("<br/>")
    elif name == "par":
        out.end_paragraph()
    elif name == "num":
        out.add_text(_number_text(_verbatim(_argument_nodes(_last_argument(node)))))
    elif name == "finalanswer":
        content = _argument_nodes(_last_argument(node))
        lead = "<strong>Answer.</strong> "
        out.add_block(f'<div class="final-answer">{_blocks_html(content, lead)}</div>')
    elif name in INLINE_TAGS or name in ("textcolor", "colorbox"):
        tag = INLINE_TAGS.get(name)
        content = _compact_inline(_argument_nodes(_last_argument(node)))
        out.add_inline(f"<{tag}>{content}</{tag}>" if tag and content else content)
    elif name in DROPPED_WITH_ARGUMENTS or name in ITEM_MACROS or name in RULE_MACROS:
        return
    else:  # unknown or spacing-only macro: its name goes, its arguments' text stays
        for argument in _arguments(node):
            _write_nodes(_argument_nodes(argument), out)


def _compact_inline(nodes) -> str:
    """Inline markup of a short argument (\\textbf{...}): paragraphs inside it become line breaks."""
    markup = _compact_html(nodes)
    return re.sub(r"</p>\s*<p>", "<br/>", markup).replace("<p>", "").replace("</p>", "")


def _write_environment(node, out: _Blocks) -> None:
    name = node.environmentname
    if name in FIGURE_ENVIRONMENTS:
        out.add_block(FIGURE_NOTE)
    elif name in DISPLAY_ENVIRONMENTS:
        out.add_block(f'<div class="display-math">{_display_environment_html(node)}</div>')
    elif name in TABLE_ENVIRONMENTS:
        out.add_block(_table_html(node))
    elif name in LIST_ENVIRONMENTS:
        out.add_block(_list_html(node))
    elif name in BLOCK_ENVIRONMENTS:
        inner = _blocks_html(node.nodelist)
        out.add_block(f'<div class="{name}">{inner}</div>' if inner else "")
    elif name in ("bmatrix", "pmatrix", "matrix", "vmatrix", "cases"):
        out.add_inline(math_html(node.latex_verbatim()))
    else:  # unknown environment: its content, as if the environment were not there
        _write_nodes(node.nodelist, out)


# ---------------------------------------------------------------------------
# Rows and cells: align* and tabular share the split on \\ and &.


def _split_rows(nodes) -> list[tuple[list[str], list[list]]]:
    """Rows of a tabular-like body as (rules before the row, cells as node lists)."""
    rows, rules, cells, current = [], [], [], []

    def finish_row():
        nonlocal rules, cells, current
        cells.append(current)
        if any(_verbatim(cell).strip() for cell in cells) or len(cells) > 1:
            rows.append((rules, cells))
            rules = []
        cells, current = [], []

    for node in nodes:
        if _is(node, latexwalker.LatexMacroNode, "\\", "tabularnewline"):
            finish_row()
        elif _is(node, latexwalker.LatexSpecialsNode, "&"):
            cells.append(current)
            current = []
        elif _is(node, latexwalker.LatexMacroNode, *RULE_MACROS) and not cells and not _verbatim(current).strip():
            rules.append(node.macroname)
            current = []
        else:
            current.append(node)
    finish_row()
    return rows + ([(rules, [])] if rules else [])


def _display_environment_html(node) -> str:
    source = _verbatim(node.nodelist)
    if node.environmentname not in ALIGN_ENVIRONMENTS:
        return math_html(source, display=True)
    body = list(node.nodelist)
    if node.environmentname.startswith("alignat") and body:  # drop the column-count argument
        body = body[1:] if _is(body[0], latexwalker.LatexGroupNode) else body
    rows = [[_verbatim(cell) for cell in cells] for _, cells in _split_rows(body) if cells]
    return _align_html(rows, r"\begin{aligned}" + source + r"\end{aligned}")


def _column_alignments(spec: str) -> list[str]:
    """'l>{\\raggedright}p{3cm}@{}r' -> ['l', 'l', 'r']: one letter per column."""
    alignments, index = [], 0
    while index < len(spec):
        char = spec[index]
        index += 1
        if char in "<>@!" and spec[index:index + 1] == "{":  # inserted material, not a column
            index = _braced(spec, index)
        elif char in "pmbX":  # paragraph columns set ragged right in the templates
            alignments.append("l")
            if spec[index:index + 1] == "{":
                index = _braced(spec, index)
        elif char in "lcr":
            alignments.append(char)
        elif char == "*" and spec[index:index + 1] == "{":  # *{3}{c}
            count_end = _braced(spec, index)
            repeated_end = _braced(spec, count_end)
            count = spec[index + 1:count_end - 1].strip()
            alignments += _column_alignments(spec[count_end + 1:repeated_end - 1]) * int(count or 0)
            index = repeated_end
    return alignments


def _meaningful(nodes) -> list:
    return [node for node in nodes if not _is(node, latexwalker.LatexCommentNode)
            and not (_is(node, latexwalker.LatexCharsNode) and not node.chars.strip())]


def _cell_html(cell: list, alignment: str, header: bool) -> str:
    span, content = 1, _meaningful(cell)
    if len(content) == 1 and _is(content[0], latexwalker.LatexMacroNode, "multicolumn"):
        count, spec, text = (_arguments(content[0]) + [None, None, None])[:3]
        digits = _plain_text(_verbatim(_argument_nodes(count))).strip()
        span = int(digits) if digits.isdigit() else 1
        alignment = (_column_alignments(_verbatim(_argument_nodes(spec))) or [alignment])[0]
        cell = _argument_nodes(text)
    tag = "th" if header else "td"
    attributes = f' colspan="{span}"' if span > 1 else ""
    attributes += {"r": ' class="align-r"', "c": ' class="align-c"'}.get(alignment, "")
    if header:
        attributes += ' scope="col"'
    return f"<{tag}{attributes}>{_compact_html(cell)}</{tag}>"


def _table_html(node) -> str:
    """A tabular as <table>; with booktabs, the rows above the first \\midrule are the header."""
    arguments = _arguments(node)
    alignments = _column_alignments(_verbatim(_argument_nodes(arguments[-1])) if arguments else "")
    rows = _split_rows(node.nodelist)
    rules = [rule for row_rules, _ in rows for rule in row_rules]
    first_midrule = next((index for index, (row_rules, _) in enumerate(rows)
                          if index and any(rule in ("midrule", "hline") for rule in row_rules)), None)
    has_header = "toprule" in rules and first_midrule is not None
    head, body = [], []
    for index, (row_rules, cells) in enumerate(rows):
        if not cells:
            continue
        header = has_header and index < first_midrule
        html_cells = "".join(_cell_html(cell, alignments[column] if column < len(alignments) else "l", header)
                             for column, cell in enumerate(cells))
        ruled = (not header and not (has_header and index == first_midrule)
                 and any(rule in ("midrule", "hline", "cmidrule") for rule in row_rules))
        row = f'<tr class="rule-above">{html_cells}</tr>' if ruled else f"<tr>{html_cells}</tr>"
        (head if header else body).append(row)
    style = ' class="booktabs"' if "toprule" in rules else ""
    parts = [f"<table{style}>"]
    if head:
        parts.append("<thead>" + "".join(head) + "</thead>")
    parts.append("<tbody>" + "".join(body) + "</tbody></table>")
    return '<div class="table-scroll">' + "".join(parts) + "</div>"


# ---------------------------------------------------------------------------
# Lists: enumerate (with enumitem labels), itemize and the exam class's choices.

COUNTERS = {"alph": "a", "Alph": "A", "arabic": "1", "roman": "i", "Roman": "I"}


def _counter_text(style: str, number: int) -> str:
    if style in ("a", "A"):
        letter = chr(ord("a") + number - 1)
        return letter.upper() if style == "A" else letter
    if style in ("i", "I"):
        numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        roman, rest = "", number
        for value, numeral in numerals:
            while rest >= value:
                roman, rest = roman + numeral, rest - value
        return roman.upper() if style == "I" else roman
    return str(number)


def _label_template(options: str, environment: str) -> tuple[str, str, str] | None:
    """(before, counter style, after) of a list's labels; None for bullets."""
    match = re.search(r"label\s*=\s*(\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|[^,\]]*)", options)
    if match:
        label = match[1].strip()
        label = label[1:-1] if label.startswith("{") and label.endswith("}") else label
        counter = re.search(r"\\(alph|Alph|arabic|roman|Roman)\*", label)
        if counter:
            before, after = label[:counter.start()], label[counter.end():]
            return _plain_text(before).strip(), COUNTERS[counter[1]], _plain_text(after).strip()
        return _plain_text(label).strip(), "", ""
    if environment in ("choices", "checkboxes", "oneparchoices"):
        return "(", "A", ")"
    if environment == "enumerate":
        return "", "1", "."
    return None


def _list_html(node) -> str:
    arguments = _arguments(node)
    options = _verbatim(_argument_nodes(arguments[0])) if arguments and arguments[0] is not None else ""
    template = _label_template(options, node.environmentname)
    items: list[tuple[object, list]] = []
    for child in node.nodelist:
        if _is(child, latexwalker.LatexMacroNode, *ITEM_MACROS):
            given = _arguments(child)[0] if child.macroname == "item" and _arguments(child) else None
            items.append((given, []))
        elif items:
            items[-1][1].append(child)
    entries = []
    for number, (given, content) in enumerate(items, start=1):
        if given is not None:
            label = _plain_text(_verbatim(_argument_nodes(given))).strip()
        elif template is not None:
            before, style, after = template
            label = before + (_counter_text(style, number) if style else "") + after
        else:
            label = ""
        lead = f'<span class="item-label">{escape(label, quote=False)}</span> ' if label else ""
        body = _blocks_html(content, lead)
        if body.startswith("<p>") and body.count("<p>") == 1 and body.endswith("</p>"):
            body = body[3:-4]
        entries.append(f"<li>{body}</li>")
    if not items:
        return ""
    labelled = template is not None or any(given is not None for given, _ in items)
    tag = "ol" if template is not None and template[1] else "ul"
    css = ' class="labelled"' if labelled else ""
    return f"<{tag}{css}>" + "".join(entries) + f"</{tag}>"


# ---------------------------------------------------------------------------


def _bare_text_html(latex: str) -> str:
    """Last resort for input the converter trips over: the words, every command dropped."""
    text = re.sub(r"(?<!\\)%.*", "", latex)
    text = re.sub(r"\\[A-Za-z@]+\*?|\\.|[{}$&]", " ", text)
    paragraphs = (WHITESPACE.sub(" ", block).strip() for block in PARAGRAPH_BREAK.split(text))
    return "\n".join(f"<p>{escape(block, quote=False)}</p>" for block in paragraphs if block)


def fragment_html(latex: str) -> str:
    """HTML (math as MathML) of a question or solution fragment; never raises on odd input."""
    latex = CMIDRULE.sub(r"\\cmidrule ", SAVED_BOX_DEFINITION.sub("", latex))
    try:
        return _blocks_html(_parse(latex))
    except Exception:  # a template bug must not take the whole practice page down
        return _bare_text_html(latex)
