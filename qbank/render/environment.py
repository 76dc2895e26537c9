"""The one Jinja environment that renders every LaTeX template.

Delimiters are chosen to survive LaTeX: ``\\VAR{x}`` prints, ``\\BLOCK{...}`` and
lines starting with ``%%`` are statements, ``%#`` lines are template comments.
A template that has not been rendered is therefore still almost-valid LaTeX,
and braces, ``{%`` and ``#`` in LaTeX never collide with Jinja.  Undefined names
raise (StrictUndefined) so a typo in a template fails in tests, not in print.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

import jinja2
from jinja2 import lexer as jinja_lexer

from qbank.render.filters import FILTERS

# Both template folders are package data of qbank, so a wheel carries them and
# Jinja finds them through the installed package wherever qbank is run from.
MASTER_TEMPLATES = "templates"   # paper, preamble, header, ... (qbank/templates/)
TYPE_TEMPLATES = "types"         # params/mlp.question.tex.j2, ... (qbank/types/)


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


def master_template_names() -> list[str]:
    """The master templates a spec's own ``templates:`` folder may override."""
    return sorted(name for name in _master_loader().list_templates() if "/" not in name)


@lru_cache(maxsize=1)
def _master_loader() -> jinja2.BaseLoader:
    return jinja2.PackageLoader("qbank", MASTER_TEMPLATES)


@lru_cache(maxsize=8)
def environment(overrides: str | None = None) -> jinja2.Environment:
    """The environment, with a lecturer's folder of master templates first if given."""
    loaders = [_master_loader(), jinja2.PackageLoader("qbank", TYPE_TEMPLATES)]
    if overrides:
        loaders.insert(0, jinja2.FileSystemLoader(overrides))
    env = _LatexEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
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


def render(template_name: str, *, overrides: str | None = None, **context) -> str:
    """Render a template; ``overrides`` is a spec's own template folder (or None)."""
    return environment(overrides).get_template(template_name).render(**context)
