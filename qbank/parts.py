"""The parts of a question: every quantity it asks for, with its answer, precision and weight.

A question type declares its parts in one hook, ``QuestionType.parts(variant)``.
Everything that consumes a question reads them: the paper numbers them
``(a) [2 marks]``, the solution boxes each part's answer, the answer key has a
row per part, the checker checks every part and the score is counted in their
weights.  So nothing downstream needs to know how a type stores its answer.

Kinds of expected value (``Part.kind``):

* ``number``, ``vector``, ``matrix``, ``table`` (a matrix of numbers whose
  rows the question names): checked within a tolerance;
* ``expression``: a formula in the question's variables, checked at sample
  points and, where they leave doubt, by sympy;
* ``letter`` (one option of a multiple-choice item), ``truefalse``,
  ``matching`` (the letter matched to each numbered item, in order);
* ``free``: a derivation or a short answer, marked by a person against the
  part's ``rubric``; never checked automatically.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple


class Tolerance(NamedTuple):
    """How near a typed number must be to count as right: within max(absolute, relative * |v|)."""

    relative: float
    absolute: float


NUMERIC_KINDS = ("number", "vector", "matrix", "table")
PART_KINDS = (*NUMERIC_KINDS, "expression", "letter", "truefalse", "matching", "free")
LABELS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class RubricLine:
    """One line of a marking rubric: so many marks for this criterion."""

    points: float
    criterion: str   # LaTeX (the project's own text)


@dataclass(frozen=True)
class Part:
    """One quantity a question asks for.

    ``prompt`` is a template line (it sees ``params``, ``answer`` and
    ``work``) that asks for this part alone; it is printed after the
    question's stem, as ``(a)`` when there are several parts.  ``answer`` is
    the full-precision value in the shape of ``kind``; ``places`` the decimals
    the prompt asks for (None: whole numbers, or an exact value).  ``accepted``
    holds other values that also earn the marks, such as the result of carrying
    the worked solution's printed, rounded intermediates.  ``symbol`` (LaTeX,
    math mode) names the quantity in the boxed answer: ``S = ...``.
    """

    label: str
    prompt: str
    kind: str
    answer: object
    places: int | None = None
    tolerance: Tolerance | None = None
    mistakes: tuple = ()          # qbank.choice.Mistake, values in this part's shape
    weight: float = 1
    accepted: tuple = ()
    symbol: str = ""
    # expression parts: the variables and the points they are compared at
    variables: tuple[str, ...] = ()
    points: tuple[dict, ...] = ()
    # letter and matching parts: the letters a response may use
    options: tuple[str, ...] = ()
    # free parts: the model answer and how it is marked
    model_answer: str = ""
    rubric: tuple[RubricLine, ...] = ()
    # LaTeX of the answer when the default for the kind does not suit (an expression)
    answer_tex: str = ""

    @property
    def is_checked(self) -> bool:
        """False for a free part, which a person marks."""
        return self.kind != "free"


class PartsError(ValueError):
    """A type declared its parts wrongly: a developer's error, found by the contract test."""


def part_problems(parts) -> list[str]:
    """What is wrong with a type's declared parts (empty when nothing is)."""
    parts = list(parts)
    if not parts:
        return ["declares no parts"]
    found = []
    expected = [LABELS[index] for index in range(len(parts))]
    if [part.label for part in parts] != expected:
        found.append(f"labels must be {', '.join(expected)} in order, not "
                     f"{', '.join(part.label for part in parts)}")
    for part in parts:
        where = f"part ({part.label})"
        if part.kind not in PART_KINDS:
            found.append(f"{where}: kind {part.kind!r} is not one of {', '.join(PART_KINDS)}")
        if not (isinstance(part.weight, (int, float)) and part.weight > 0
                and math.isfinite(part.weight)):
            found.append(f"{where}: weight must be a positive number")
        if not part.prompt.strip():
            found.append(f"{where}: has no prompt")
        if part.kind == "free" and not part.rubric:
            found.append(f"{where}: a free part must carry its rubric")
        if part.kind in ("letter", "matching") and not part.options:
            found.append(f"{where}: a {part.kind} part must list its options")
        if part.kind == "expression" and not (part.variables and isinstance(part.answer, str)):
            found.append(f"{where}: an expression part needs its variables and a string answer")
    return found


@dataclass(frozen=True)
class MarkedPart:
    """A part as an exam item asks it: its marks out of the item's points."""

    part: Part
    marks: float

    @property
    def label(self) -> str:
        return self.part.label


def split_marks(points: float, weights: list[float]) -> list[float]:
    """``points`` shared out in proportion to ``weights``, to half marks, summing exactly.

    Largest remainder: every part gets the half marks below its exact share,
    and the half marks left over go to the parts that lost most by rounding
    down (the earlier part first on a tie), so the total is never off.
    """
    halves = round(points * 2)
    total = sum(weights)
    shares = [halves * weight / total for weight in weights]
    given = [math.floor(share + 1e-9) for share in shares]
    left = halves - sum(given)
    by_loss = sorted(range(len(weights)), key=lambda index: (given[index] - shares[index], index))
    for index in by_loss[:left]:
        given[index] += 1
    return [count / 2 for count in given]


def scaled_rubric(part: Part, marks: float | None) -> tuple[RubricLine, ...]:
    """A free part's rubric with its points shared out over the ``marks`` the part has on this
    paper (in half marks, in proportion to the rubric's own points); as written when None."""
    rubric = part.rubric
    if marks is None or sum(line.points for line in rubric) == marks:
        return rubric
    shares = split_marks(marks, [line.points for line in rubric])
    return tuple(RubricLine(share, line.criterion) for share, line in zip(shares, rubric))


def marks_text(marks: float) -> str:
    """2 -> '2', 1.5 -> '1.5': half marks print as decimals, whole ones without."""
    return str(int(marks)) if float(marks).is_integer() else f"{marks:g}"


@dataclass(frozen=True)
class PartAnswer:
    """A part's answer as a marker reads it, and as the checker reads it back."""

    text: str       # plain: 0.665, [0.665, 0.245], [1, 2; 3, 4], B, True, 1-B 2-A
    tex: str        # LaTeX (math mode for numbers; text for letters)


def _plain_number(value, places):
    from qbank.render import numbers

    if isinstance(value, bool):
        return "True" if value else "False"
    if places is None:
        return numbers.plain(value, 6) if isinstance(value, float) else str(value)
    return numbers.fixed(value, places)


def _cell_tex(value, places) -> str:
    from qbank.render import filters

    if places is not None:
        return filters.fixed(value, places)
    return filters.num(value, 6)


def printed_answer(part: Part, value=None) -> PartAnswer:
    """``value`` (default: the part's answer) printed at the precision the part asks for.

    The text and the LaTeX carry the same digits: decimals to ``places``, or
    when a part asks for no fixed precision, an exact whole number or a decimal
    to at most six places.  A vector's LaTeX may break after a comma, so a long
    one still fits in its answer box.
    """
    value = part.answer if value is None else value
    kind, places = part.kind, part.places
    if kind == "number":
        return PartAnswer(_plain_number(value, places), _cell_tex(value, places))
    if kind == "vector":
        cells = [_plain_number(v, places) for v in value]
        from qbank.render.filters import vector_separator

        tex_cells = [_cell_tex(v, places) for v in value]
        separator = vector_separator(tex_cells).replace("\\ ", "\\allowbreak\\ ")
        return PartAnswer(f"[{', '.join(cells)}]", f"({separator.join(tex_cells)})")
    if kind in ("matrix", "table"):
        rows = "; ".join(", ".join(_plain_number(v, places) for v in row) for row in value)
        body = r" \\ ".join(" & ".join(_cell_tex(v, places) for v in row) for row in value)
        return PartAnswer(f"[{rows}]", f"\\begin{{bmatrix}} {body} \\end{{bmatrix}}")
    if kind == "expression":
        return PartAnswer(str(value), part.answer_tex or str(value))
    if kind == "letter":
        return PartAnswer(str(value), f"({value})")
    if kind == "truefalse":
        word = "True" if value else "False"
        return PartAnswer(word, word)
    if kind == "matching":
        pairs = [f"{index}-{letter}" for index, letter in enumerate(value, start=1)]
        return PartAnswer(" ".join(pairs), ", ".join(p.replace("-", "--") for p in pairs))
    return PartAnswer("see rubric", "see the model answer and rubric")


def mark_parts(parts, points: float, item_marks: dict | None = None) -> tuple[MarkedPart, ...]:
    """Each part's marks: the item's own ``parts:`` marks, else ``points`` split by weight."""
    parts = list(parts)
    if item_marks:
        return tuple(MarkedPart(part, float(item_marks[part.label])) for part in parts)
    marks = split_marks(points, [part.weight for part in parts])
    return tuple(MarkedPart(part, mark) for part, mark in zip(parts, marks))


def _is_whole(value) -> bool:
    if isinstance(value, list):
        return all(_is_whole(item) for item in value)
    return isinstance(value, int) and not isinstance(value, bool)


def default_tolerance(value, places: int | None) -> Tolerance:
    """Whole numbers exactly; decimals to one unit of the last place asked for, or 0.1%."""
    if _is_whole(value):
        return Tolerance(relative=0.0, absolute=0.0)
    return Tolerance(relative=1e-3, absolute=10.0 ** -(3 if places is None else places))


def part_tolerance(part: Part) -> Tolerance | None:
    """How near a typed answer must be; None for the parts that are not numbers."""
    if part.kind not in NUMERIC_KINDS:
        return None
    return part.tolerance or default_tolerance(part.answer, part.places)


def part_json(part: Part) -> dict:
    """The public record of a part (``qbank generate``, the manifest)."""
    tolerance = part_tolerance(part)
    record = {"label": part.label, "weight": part.weight, "kind": part.kind,
              "answer": part.answer, "places": part.places,
              "tolerance": tolerance._asdict() if tolerance else None}
    if part.accepted:
        record["accepted"] = list(part.accepted)
    if part.kind in ("letter", "matching"):
        record["options"] = list(part.options)
    if part.kind == "free":
        record["rubric"] = [{"points": line.points, "criterion": line.criterion}
                            for line in part.rubric]
    return record
