"""What a right answer to a variant is, as JSON the Python and browser checkers share.

Numeric types say it through their multiple-choice hooks: ``choice_value`` is
the value a student types, ``mistakes`` are the slips whose values the checker
recognises, ``choice_prompt`` says what to type, and ``tolerance`` (or the
default below) how near is right.  A symbolic type offers ``expression_check``;
a conceptual multiple-choice or true/false item is checked by its letter.
Anything else (a derivation, a matching table, a short answer) returns None:
the student compares with the worked solution.
"""

from __future__ import annotations

from qbank.checker.grammar import evaluate, parse
from qbank.checker.tolerance import Tolerance
from qbank.registry import get_type

CLOSE_FACTOR = 10
EXPRESSION_TOLERANCE = Tolerance(relative=1e-6, absolute=1e-9)


def _is_whole(value) -> bool:
    if isinstance(value, list):
        return all(_is_whole(item) for item in value)
    return isinstance(value, int) and not isinstance(value, bool)


def default_tolerance(value, places: int | None) -> Tolerance:
    """Whole numbers exactly; decimals to one unit of the last place asked for, or 0.1%."""
    if _is_whole(value):
        return Tolerance(relative=0.0, absolute=0.0)
    return Tolerance(relative=1e-3, absolute=10.0 ** -(3 if places is None else places))


def _kind(value) -> str:
    if isinstance(value, list):
        return "matrix" if value and isinstance(value[0], list) else "vector"
    return "number"


def _same_shape(a, b) -> bool:
    if isinstance(a, list) != isinstance(b, list):
        return False
    return not isinstance(a, list) or (len(a) == len(b) and all(map(_same_shape, a, b)))


def _plain(latex: str) -> str:
    from qbank.render.plaintext import latex_to_text

    return " ".join(latex_to_text(latex, width=10_000).split())


def _concept(variant) -> dict | None:
    answer = variant.answer
    if answer["kind"] == "truefalse":
        return {"kind": "choice", "value": "True" if answer["correct"] else "False",
                "options": ["True", "False"]}
    if answer["kind"] == "choice":
        letters = [chr(ord("A") + index) for index in range(len(variant.params["order"]))]
        return {"kind": "choice", "value": answer["correct"], "options": letters}
    return None


def _expression(qtype, variant) -> dict:
    spec = qtype.expression_check(variant.params, variant.answer)
    variables = tuple(spec["variables"])

    def samples(expression: str) -> list[dict]:
        tree = parse(expression, variables)
        return [{"at": point, "value": evaluate(tree, point)} for point in spec["points"]]

    return {"kind": "expression", "variables": list(variables),
            "expression": spec["expression"], "samples": samples(spec["expression"]),
            "tolerance": EXPRESSION_TOLERANCE._asdict(), "close_factor": CLOSE_FACTOR,
            "mistakes": [{"expression": expression, "explanation": explanation,
                          "samples": samples(expression)}
                         for expression, explanation in spec["mistakes"]]}


def check_data(variant) -> dict | None:
    """How to check an answer to ``variant``; None when it cannot be checked automatically."""
    qtype = get_type(variant.type_id)
    if qtype.kind == "conceptual":
        return _concept(variant)
    if hasattr(qtype, "expression_check"):
        return _expression(qtype, variant)
    if not qtype.choice_prompt:
        return None
    value = qtype.choice_value(variant.answer)
    tolerance = qtype.tolerance or default_tolerance(value, qtype.option_places)
    mistakes = [{"value": mistake.value, "explanation": _plain(mistake.explanation)}
                for mistake in qtype.mistakes(variant.params, variant.answer)
                if _same_shape(mistake.value, value)]
    return {"kind": _kind(value), "value": value, "tolerance": tolerance._asdict(),
            "close_factor": CLOSE_FACTOR, "mistakes": mistakes}


def answer_prompt(variant) -> str:
    """LaTeX of what to type: the choice prompt, the expression prompt, or for a concept item
    its kind; empty when the answer is not checked automatically."""
    qtype = get_type(variant.type_id)
    if qtype.kind == "conceptual":
        kind = variant.answer["kind"]
        return {"truefalse": "Answer True or False.",
                "choice": "Answer with the letter of one option."}.get(kind, "")
    if hasattr(qtype, "expression_check"):
        return qtype.expression_check(variant.params, variant.answer)["prompt"]
    if not qtype.choice_prompt:
        return ""
    from qbank.choice import render_prompt

    return render_prompt(qtype, variant)

