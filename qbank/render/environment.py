"""The one Jinja environment that renders every LaTeX template.

Delimiters are chosen to survive LaTeX: ``\\VAR{x}`` prints, ``\\BLOCK{...}`` and
lines starting with ``%%`` are statements, ``%#`` lines are template comments.
A template that has not been rendered is therefore still almost-valid LaTeX,
and braces, ``{%`` and ``#`` in LaTeX never collide with Jinja.  Undefined names
raise (StrictUndefined) so a typo in a template fails in tests, not in print.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path

import re

import jinja2
from jinja2 import lexer as jinja_lexer

from qbank.render.filters import FILTERS

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TYPES_DIR = PACKAGE_DIR / "types"
# Master templates live at the top of the repository (see README: layout).
MASTER_DIR = PACKAGE_DIR.parent / "templates"


class _ParagraphKeepingLexer(jinja_lexer.Lexer):
    """Jinja's lexer, except that a ``%%`` line statement ends at its own newline.

    Jinja ends a line statement with ``\\s*\\n``, which also swallows the blank
    lines after it; in LaTeX a blank line is a paragraph break, so templates
    would silently run paragraphs together after every ``%% endif``.
    """

    def __init__(self, environment):
        super().__init__(environment)
        rules = self.rules[jinja_lexer.TOKEN_LINESTATEMENT_BEGIN]
        first = rules[0]
        rules[0] = type(first)(re.compile(r"[ \t]*(\n|$)", re.M | re.S), *first[1:])


class _LatexEnvironment(jinja2.Environment):
    @cached_property
    def lexer(self):
        return _ParagraphKeepingLexer(self)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = _LatexEnvironment(
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(str(MASTER_DIR)),
            jinja2.FileSystemLoader(str(TYPES_DIR)),
        ]),
        block_start_string=r"\BLOCK{",
        block_end_string="}",
        variable_start_string=r"\VAR{",
        variable_end_string="}",
        comment_start_string=r"\#{",
        comment_end_string="}",
        line_statement_prefix="%%",
        line_comment_prefix="%#",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        # Templates do not change while qbank runs; skip a stat() per render.
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env


def render(template_name: str, **context) -> str:
    return environment().get_template(template_name).render(**context)
