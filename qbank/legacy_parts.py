"""Transitional: one part made from the old single-value hooks of a type not yet converted.

Removed once every type declares ``parts()`` itself.  Such a part's prompt
is already printed in the type's question template, so papers do not print
it again (``LEGACY`` marks it).
"""

from __future__ import annotations

from qbank.parts import Part

LEGACY = "\u2063legacy\u2063"


def _kind(value) -> str:
    if isinstance(value, list):
        return "matrix" if value and isinstance(value[0], list) else "vector"
    return "number"


def legacy_parts(qtype, variant) -> list[Part]:
    if qtype.kind == "conceptual":
        raise NotImplementedError(f"{qtype.id} must declare parts()")
    if hasattr(qtype, "expression_check"):
        spec = qtype.expression_check(variant.params, variant.answer)
        from qbank.choice import Mistake

        return [Part("a", LEGACY + spec["prompt"], "expression", spec["expression"],
                     variables=tuple(spec["variables"]), points=tuple(spec["points"]),
                     mistakes=tuple(Mistake(text, text, expression)
                                    for expression, text in spec["mistakes"]))]
    if not qtype.choice_prompt:
        return [Part("a", LEGACY + "Answer as the question asks.", "free", None,
                     rubric=(_rubric(),))]
    value = qtype.choice_value(variant.answer)
    return [Part("a", LEGACY + qtype.choice_prompt, _kind(value), value,
                 places=qtype.option_places, tolerance=qtype.tolerance,
                 mistakes=tuple(qtype.mistakes(variant.params, variant.answer)))]


def _rubric():
    from qbank.parts import RubricLine

    return RubricLine(1, "as in the worked solution")
