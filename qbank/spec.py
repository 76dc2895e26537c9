"""Exam specs: a YAML file, validated into frozen objects before any work starts.

A spec names the exam (title, course, date, instructions), its defaults
(number of variants, exam seed) and its items.  An item is either one type::

    - type: params.mlp
      points: 4
      params: {n_classes: 10}      # optional: pin sampled values

or a choice among types, drawn per variant::

    - choose: 1
      from: [attention.qkv_params, attention.multihead]
      points: 3

The schema is a pydantic model in strict mode (no silent "3" -> 3), so a bad
file fails with the file, the key path and what was expected, in one line.
The file itself is read and parsed within bounds by ``qbank.spec_yaml``; the
text that reaches the paper is checked by ``qbank.user_text``; the lengths
below are far beyond any real exam and keep a runaway field off the page.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, ConfigDict, Field, PositiveInt, ValidationError,
                      field_validator, model_validator)
from pydantic_core import PydanticCustomError

from qbank.errors import PinnedParamError, QbankError
from qbank.spec_yaml import load_spec_yaml, read_spec_text
from qbank.user_text import UnsupportedText, check_text

ANSWER_SPACE_PATTERN = r"^\d+(\.\d+)?(cm|mm|in|pt)$"
# An A4 page's text block is 25.3cm tall with the preamble's 2.2cm margins.
MAX_ANSWER_SPACE_CM = 25
_CM_PER_UNIT = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72.27}


def length_cm(length: str) -> float:
    """An answer space that matches ANSWER_SPACE_PATTERN ("6cm", "40mm") in centimetres."""
    number, unit = re.fullmatch(r"([\d.]+)(\D+)", length).groups()
    return float(number) * _CM_PER_UNIT[unit]
# Longer than any heading or instructions a lecturer writes, short enough for a page.
MAX_TITLE_LENGTH = 200           # title and course
MAX_DATE_LENGTH = 100
MAX_INSTRUCTIONS_LENGTH = 5_000
MAX_TYPE_ID_LENGTH = 100         # the longest id is about 40
# The start of what YAML would read as a date (2026-11-30, 2026-1-5).
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")

TypeId = Annotated[str, Field(min_length=1, max_length=MAX_TYPE_ID_LENGTH)]
PartLabel = Annotated[str, Field(pattern=r"^[a-z]$")]


class Item(BaseModel):
    """One line of the exam: a question type, or ``choose`` k of several."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    type: TypeId | None = None
    choose: PositiveInt | None = None
    from_: list[TypeId] | None = Field(default=None, alias="from")
    points: PositiveInt
    params: dict[str, Any] = Field(default_factory=dict)
    answer_space: str | None = Field(default=None, pattern=ANSWER_SPACE_PATTERN)
    format: Literal["open", "choice"] = "open"
    # The item's own marks per part label (a: 2, b: 1); without it the points are
    # shared out by the parts' weights.
    parts: dict[PartLabel, float] | None = None

    @field_validator("parts")
    @classmethod
    def _half_marks(cls, value):
        if value is not None:
            for label, marks in value.items():
                if not (marks > 0 and float(marks * 2).is_integer()):
                    raise ValueError(f"part {label}: marks must be a positive whole or half "
                                     f"number, not {marks:g}")
        return value

    @field_validator("answer_space")
    @classmethod
    def _fits_on_a_page(cls, value):
        if value is not None:
            if length_cm(value) > MAX_ANSWER_SPACE_CM:
                raise ValueError(f"at most {MAX_ANSWER_SPACE_CM}cm fits on an A4 page")
        return value

    @model_validator(mode="after")
    def _one_way_to_pick(self):
        if (self.type is None) == (self.choose is None):
            raise ValueError("give either 'type' or 'choose' with 'from'")
        if self.choose is not None:
            if not self.from_:
                raise ValueError("'choose' needs a 'from' list of type ids")
            if self.choose > len(self.from_):
                raise ValueError(f"cannot choose {self.choose} of {len(self.from_)} types")
            if len(set(self.from_)) != len(self.from_):
                raise ValueError("'from' lists a type twice")
            if self.params:
                raise ValueError("'params' can only pin values of a single 'type'")
        elif self.from_ is not None:
            raise ValueError("'from' goes with 'choose', not with 'type'")
        if self.parts is not None:
            if self.format == "choice":
                raise ValueError("'parts' marks go with open questions: a multiple-choice "
                                 "item asks one part for all its points")
            if sum(self.parts.values()) != self.points:
                raise ValueError(f"the parts' marks add up to {sum(self.parts.values()):g}, "
                                 f"not the item's {self.points} points")
        return self

    @property
    def type_ids(self) -> tuple[str, ...]:
        return (self.type,) if self.type is not None else tuple(self.from_)

    @property
    def count(self) -> int:
        return self.choose or 1


class ExamSpec(BaseModel):
    """A whole exam as written in a ``banks/*.yaml`` file."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    title: str = Field(min_length=1, max_length=MAX_TITLE_LENGTH)
    course: str = Field(default="", max_length=MAX_TITLE_LENGTH)
    date: str = Field(default="", max_length=MAX_DATE_LENGTH)
    instructions: str = Field(default="", max_length=MAX_INSTRUCTIONS_LENGTH)
    # A folder of the lecturer's own master templates, relative to the spec
    # (qbank.render.own_templates); load_spec stores it resolved.
    templates: str = ""
    variants: PositiveInt = 3
    seed: int = Field(default=0, ge=0)
    items: list[Item] = Field(min_length=1)

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value):
        # yaml.safe_load reads 2026-11-30 as a date (qbank's own loader keeps the
        # text); the paper prints it as written.
        return value.isoformat() if isinstance(value, dt.date) else value

    @field_validator("title", "course", "date", "instructions")
    @classmethod
    def _printable(cls, value, info):
        try:
            value = check_text(value, multiline=info.field_name == "instructions")
        except UnsupportedText as error:
            raise PydanticCustomError("unprintable_text", "{reason}",
                                      {"reason": str(error)}) from None
        if info.field_name == "title" and not value:
            raise ValueError("must not be blank")
        if info.field_name == "date" and (ymd := _ISO_DATE.match(value)):
            try:
                dt.date(*map(int, ymd.groups()))
            except ValueError:
                raise PydanticCustomError("not_a_date", "{date} is not a calendar date",
                                          {"date": ymd.group()}) from None
        return value

    @property
    def question_count(self) -> int:
        return sum(item.count for item in self.items)


def _location(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in ("function-after", "function-before") or "[" in str(part):
            continue
        else:
            text += ("." if text else "") + ("from" if part == "from_" else str(part))
    return text or "top level"


def _shown(value: Any) -> str:
    """``repr(value)``, cut short: the line must stay one line for any input."""
    text = repr(value)
    if len(text) <= 60:
        return text
    size = f", {len(value):,} characters" if isinstance(value, str) else ""
    return text[:50] + "…" + size


def _describe(error: dict) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind == "missing":
        return f"{_location(loc)}: missing required key"
    if kind == "extra_forbidden":
        return f"{_location(loc)}: unknown key"
    message = error["msg"].removeprefix("Value error, ")
    got = error.get("input")
    shown = "" if isinstance(got, (dict, list, tuple)) or got is None \
        or kind in ("unprintable_text", "not_a_date") else f" (got {_shown(got)})"
    return f"{_location(loc)}: {message[0].lower() + message[1:]}{shown}"


def parse_spec(data: Any, source: str) -> ExamSpec:
    """Validate already-loaded YAML data; ``source`` names the file in errors."""
    if not isinstance(data, dict):
        raise QbankError(f"{source}: expected a mapping of keys (title, items, ...) "
                         f"at the top level, got {type(data).__name__}")
    try:
        spec = ExamSpec.model_validate(data)
    except ValidationError as error:
        errors = error.errors()
        more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" \
            if len(errors) > 1 else ""
        raise QbankError(f"{source}: {_describe(errors[0])}{more}") from None
    _check_type_ids(spec, source)
    return spec


def _check_type_ids(spec: ExamSpec, source: str) -> None:
    from qbank.registry import get_type

    from qbank.choice import supports_choice

    for index, item in enumerate(spec.items):
        key = "type" if item.type else "from"
        for type_id in item.type_ids:
            try:
                qtype = get_type(type_id)
            except QbankError as error:
                raise QbankError(f"{source}: items[{index}].{key}: {error}") from None
            if item.format == "choice" and not supports_choice(qtype):
                raise QbankError(f"{source}: items[{index}].format: {type_id} cannot be "
                                 "asked as multiple choice")
        if item.params:
            # Pinned values must name real parameters and leave a well-posed
            # question; one trial draw checks both before any work starts.
            try:
                get_type(item.type).draw(0, item.params)
            except PinnedParamError as error:
                where = f"items[{index}].params" + (f".{error.key}" if error.key else "")
                raise QbankError(f"{source}: {where}: {error.message} "
                                 f"({error.type_id})") from None
            except QbankError as error:
                raise QbankError(f"{source}: items[{index}].params: {error}") from None
        _check_parts(item, index, source)


def _check_parts(item: Item, index: int, source: str) -> None:
    """Every type of the item has the parts its marks name, and every part gets marks."""
    from qbank.parts import marks_text, split_marks
    from qbank.registry import get_type

    if item.format == "choice":
        return
    for type_id in item.type_ids:
        qtype = get_type(type_id)
        parts = qtype.parts(qtype.draw(0, item.params or None))
        labels = [part.label for part in parts]
        if item.parts is not None:
            if sorted(item.parts) != labels:
                raise QbankError(f"{source}: items[{index}].parts: {type_id} has parts "
                                 f"{', '.join(labels)}, not {', '.join(sorted(item.parts))}")
            continue
        marks = split_marks(item.points, [part.weight for part in parts])
        if min(marks) <= 0:
            raise QbankError(f"{source}: items[{index}].points: {item.points} "
                             f"{'mark' if item.points == 1 else 'marks'} cannot be shared over "
                             f"the {len(parts)} parts of {type_id} in half marks (it would "
                             f"give {', '.join(marks_text(m) for m in marks)}); give more "
                             "points or set 'parts'")


def load_spec(path: str | Path) -> ExamSpec:
    """Read and validate a spec file, or raise a one-line ``QbankError``."""
    path = Path(path)
    data = load_spec_yaml(read_spec_text(path), str(path))
    spec = parse_spec(data, str(path))
    if spec.templates:
        from qbank.render.own_templates import check_folder

        folder = check_folder(path.parent / spec.templates, f"{path}: templates")
        spec = spec.model_copy(update={"templates": str(folder)})
    return spec
