"""What a right answer to each part of a variant is, as JSON the Python and browser checkers share.

Everything comes from the type's one declared hook, ``parts(variant)``: each
part's kind, answer, tolerance (or the default below), the answers that also
earn the marks, the modelled mistakes the checker names, and its weight.  A
free part (a derivation, a short answer) carries its rubric instead: a person
marks it.
"""

from __future__ import annotations

from qbank.checker.grammar import evaluate, parse
from qbank.checker.tolerance import Tolerance
from qbank.parts import Part, default_tolerance, part_tolerance  # noqa: F401 (re-exported)
from qbank.registry import get_type

CLOSE_FACTOR = 10
EXPRESSION_TOLERANCE = Tolerance(relative=1e-6, absolute=1e-9)
# The checker reads a table as the matrix it is, and a true/false as a choice of two.
CHECKER_KIND = {"number": "number", "vector": "vector", "matrix": "matrix", "table": "matrix",
                "expression": "expression", "letter": "choice", "truefalse": "choice",
                "matching": "matching", "free": "free"}


def _same_shape(a, b) -> bool:
    if isinstance(a, list) != isinstance(b, list):
        return False
    return not isinstance(a, list) or (len(a) == len(b) and all(map(_same_shape, a, b)))


def _plain(latex: str) -> str:
    from qbank.render.plaintext import latex_to_text

    return " ".join(latex_to_text(latex, width=10_000).split())


def _expression(part: Part) -> dict:
    variables = tuple(part.variables)

    def samples(expression: str) -> list[dict]:
        tree = parse(expression, variables)
        return [{"at": point, "value": evaluate(tree, point)} for point in part.points]

    return {"kind": "expression", "variables": list(variables),
            "expression": part.answer, "samples": samples(part.answer),
            "tolerance": EXPRESSION_TOLERANCE._asdict(), "close_factor": CLOSE_FACTOR,
            "mistakes": [{"expression": mistake.value, "explanation": _plain(mistake.explanation),
                          "samples": samples(mistake.value)} for mistake in part.mistakes]}


def _choice(part: Part) -> dict:
    if part.kind == "truefalse":
        value, options = ("True" if part.answer else "False"), ["True", "False"]
        mistakes = []
    else:
        value, options = part.answer, list(part.options)
        mistakes = [{"value": mistake.value, "explanation": _plain(mistake.explanation)}
                    for mistake in part.mistakes]
    return {"kind": "choice", "value": value, "options": options, "mistakes": mistakes}


def _numeric(part: Part) -> dict:
    value = part.answer
    data = {"kind": CHECKER_KIND[part.kind], "value": value,
            "tolerance": part_tolerance(part)._asdict(), "close_factor": CLOSE_FACTOR,
            "mistakes": [{"value": mistake.value, "explanation": _plain(mistake.explanation)}
                         for mistake in part.mistakes if _same_shape(mistake.value, value)]}
    accepted = [other for other in part.accepted if _same_shape(other, value)]
    if accepted:
        data["accepted"] = accepted
    return data


def part_check_data(part: Part) -> dict:
    """How to check one part; a free part says only how it is marked."""
    if part.kind == "free":
        body = {"kind": "free", "rubric": [{"points": line.points, "criterion": _plain(line.criterion)}
                                           for line in part.rubric]}
    elif part.kind == "expression":
        body = _expression(part)
    elif part.kind in ("letter", "truefalse"):
        body = _choice(part)
    elif part.kind == "matching":
        body = {"kind": "matching", "value": list(part.answer), "options": list(part.options)}
    else:
        body = _numeric(part)
    return {"label": part.label, "weight": part.weight, **body}


def check_data(variant, parts=None) -> dict:
    """How to check every part of ``variant``: ``{"parts": [...]}`` in label order.

    ``parts`` defaults to all the type declares; a multiple-choice item checks
    only the part it offers.
    """
    if parts is None:
        parts = get_type(variant.type_id).parts(variant)
    return {"parts": [part_check_data(part) for part in parts]}


def is_checked(data: dict) -> bool:
    """True when at least one part is checked automatically."""
    return any(part["kind"] != "free" for part in data["parts"])
