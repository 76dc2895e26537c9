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
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (BaseModel, ConfigDict, Field, PositiveInt, ValidationError,
                      field_validator, model_validator)

from qbank.errors import PinnedParamError, QbankError

ANSWER_SPACE_PATTERN = r"^\d+(\.\d+)?(cm|mm|in|pt)$"


class Item(BaseModel):
    """One line of the exam: a question type, or ``choose`` k of several."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    type: str | None = None
    choose: PositiveInt | None = None
    from_: list[str] | None = Field(default=None, alias="from")
    points: PositiveInt
    params: dict[str, Any] = Field(default_factory=dict)
    answer_space: str | None = Field(default=None, pattern=ANSWER_SPACE_PATTERN)
    format: Literal["open", "choice"] = "open"

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
        return self

    @property
    def type_ids(self) -> tuple[str, ...]:
        return (self.type,) if self.type else tuple(self.from_)

    @property
    def count(self) -> int:
        return self.choose or 1


class ExamSpec(BaseModel):
    """A whole exam as written in a ``banks/*.yaml`` file."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    title: str = Field(min_length=1)
    course: str = ""
    date: str = ""
    instructions: str = ""
    # A folder of the lecturer's own master templates, relative to the spec
    # (qbank.render.own_templates); load_spec stores it resolved.
    templates: str = ""
    variants: PositiveInt = 3
    seed: int = Field(default=0, ge=0)
    items: list[Item] = Field(min_length=1)

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value):
        # YAML reads 2026-11-30 as a date; the paper prints it as written.
        return value.isoformat() if isinstance(value, dt.date) else value

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


def _describe(error: dict) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind == "missing":
        return f"{_location(loc)}: missing required key"
    if kind == "extra_forbidden":
        return f"{_location(loc)}: unknown key"
    message = error["msg"].removeprefix("Value error, ")
    got = error.get("input")
    shown = "" if isinstance(got, (dict, list, tuple)) or got is None else f" (got {got!r})"
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


def load_spec(path: str | Path) -> ExamSpec:
    """Read and validate a spec file, or raise a one-line ``QbankError``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QbankError(f"{path}: no such exam spec") from None
    except (OSError, UnicodeDecodeError) as error:
        raise QbankError(f"{path}: cannot read the spec ({error})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise QbankError(f"{path}: malformed YAML at {where}{problem}") from None
    spec = parse_spec(data, str(path))
    if spec.templates:
        from qbank.render.own_templates import check_folder

        folder = check_folder(path.parent / spec.templates, f"{path}: templates")
        spec = spec.model_copy(update={"templates": str(folder)})
    return spec
