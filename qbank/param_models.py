"""Strict models of a question type's parameters, and the field types they share.

Every type declares ``params_model``, a pydantic model of the parameters its
``sample`` draws.  Pinned values from an exam spec are validated against it
before anything is solved, so ``n_classes: true`` or a 3-row image where a
matrix of lists is expected is refused with the key that is wrong, instead of
printing "True-class classification" or failing deep inside ``solve``.  The
models check types and shapes only; whether a well-typed parameter set makes a
good question (no ties, no ReLU at exactly 0) stays in ``problems()``.

Strict mode means no coercion: a bool is not a number, "3" is not 3.  A whole
number is accepted where a real is expected (pydantic's strict mode allows it),
because a lecturer writes ``lr: 1`` as readily as ``lr: 1.0``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

# --- shared field types ------------------------------------------------------
# Every number has a range, so no pinned value can overflow a float, exhaust
# the 28 digits the number formatting works in, or make a loop run for ever.
# The bounds are far beyond any exam's numbers (a vocabulary of 10^9 words, a
# weight of a million); a type narrows them where its question needs it.
MAX_MAGNITUDE = 1e6
MAX_SIZE = 10**9
Real = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
Size = Annotated[int, Field(ge=1, le=MAX_SIZE)]
Count = Annotated[int, Field(ge=0, le=MAX_SIZE)]
Whole = Annotated[int, Field(ge=-MAX_SIZE, le=MAX_SIZE)]
PositiveReal = Annotated[float, Field(gt=0, le=MAX_MAGNITUDE, allow_inf_nan=False)]
NonNegativeReal = Annotated[float, Field(ge=0, le=MAX_MAGNITUDE, allow_inf_nan=False)]
Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
# A 0/1 label or pixel.  Not Literal[0, 1]: strict Literal still accepts true and 1.0.
Bit = Annotated[int, Field(ge=0, le=1)]
Vector = list[Real]
Matrix = list[list[Real]]
IntMatrix = list[list[int]]


def fixed_list(item: Any, length: int) -> Any:
    """A list of exactly ``length`` items (an [H, W, C] shape, a 2-D point)."""
    return Annotated[list[item], Field(min_length=length, max_length=length)]


def nonempty_list(item: Any) -> Any:
    return Annotated[list[item], Field(min_length=1)]


class ParamModel(BaseModel):
    """Base of every ``params_model``: strict, closed, frozen."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class ShapeError(ValueError):
    """Two parameters that disagree in shape; ``key`` is the one to blame.

    Raised from a model's ``model_validator`` so the error still names a key,
    as a field error does.
    """

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def entries(count: int) -> str:
    """``1 entry``, ``3 entries``: the wording of every length in a shape error."""
    return f"{count} {'entry' if count == 1 else 'entries'}"


def check_rectangular(key: str, matrix: list[list]) -> None:
    """Raise ``ShapeError`` on the first row of ``matrix`` not as long as its first row."""
    for index, row in enumerate(matrix[1:], start=1):
        if len(row) != len(matrix[0]):
            raise ShapeError(f"{key}[{index}]", f"has {entries(len(row))} but {key}[0] has "
                             f"{len(matrix[0])}; all rows must be of equal length")


def check_same_length(model: ParamModel, reference: str, *keys: str) -> None:
    """Raise ``ShapeError`` on the first of ``keys`` not as long as ``reference``.

    The blame goes to the dependent key (``inputs``, not ``weights``), so a
    pinned reference with a sampled partner is drawn again.
    """
    expected = len(getattr(model, reference))
    for key in keys:
        length = len(getattr(model, key))
        if length != expected:
            raise ShapeError(key, f"has {entries(length)} but {reference} has {expected}")


class ParamError(ValueError):
    """A parameter set that does not fit the model: where, and what is wrong."""

    def __init__(self, key: str, message: str, cross_key: bool = False):
        super().__init__(f"{key}: {message}" if key else message)
        self.key = key
        self.message = message
        # True when two parameters disagree (a ShapeError): another draw of the
        # unpinned one may agree, so drawing again can help.
        self.cross_key = cross_key


def _key_path(loc: tuple) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif "[" in str(part) or str(part).startswith("function-"):
            continue  # pydantic's names of validator layers, not keys
        else:
            path += ("." if path else "") + str(part)
    return path


def _shown(value: Any) -> str:
    import json

    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _exact_length(model: type[ParamModel] | None, loc: tuple) -> int | None:
    """The length a top-level list parameter must have exactly, if the model fixes one."""
    if model is None or len(loc) != 1:
        return None
    schema = model.model_json_schema().get("properties", {}).get(loc[0], {})
    if "maxItems" in schema and schema.get("minItems") == schema["maxItems"]:
        return schema["maxItems"]
    return None


def describe_first(error: ValidationError, model: type[ParamModel] | None = None) -> ParamError:
    """The first problem of a failed validation as one ``ParamError``."""
    first = error.errors()[0]
    context = first.get("ctx") or {}
    cause = context.get("error")
    if isinstance(cause, ShapeError):
        return ParamError(cause.key, str(cause), cross_key=True)
    key = _key_path(first["loc"])
    if first["type"] == "extra_forbidden":
        return ParamError(key, "unknown parameter")
    if first["type"] == "missing":
        return ParamError(key, "missing")
    expected = _EXPECTED.get(first["type"])
    exact = _exact_length(model, first["loc"]) if first["type"] in ("too_short", "too_long") \
        else None
    if exact is not None:
        expected = f"expected exactly {exact} item(s)"
    elif expected is None:
        message = first["msg"].removeprefix("Value error, ")
        expected = message[0].lower() + message[1:]
    else:
        expected = expected.format(**{name: _bound(value) for name, value in context.items()})
    return ParamError(key, f"{expected}, got {_shown(first.get('input'))}")


def _bound(value):
    """1000000.0 -> 1,000,000 and 0.0 -> 0 in messages; other values as they are."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value


# Pydantic's error types, said the way a lecturer reading the spec would put it.
_EXPECTED = {
    "int_type": "expected a whole number",
    "float_type": "expected a number",
    "finite_number": "expected a finite number",
    "string_type": "expected text",
    "bool_type": "expected true or false",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "too_short": "expected at least {min_length} item(s)",
    "too_long": "expected at most {max_length} item(s)",
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
}


def validate_params(model: type[ParamModel], params: dict) -> None:
    """Raise ``ParamError`` naming the first key whose value does not fit ``model``."""
    try:
        model.model_validate(params)
    except ValidationError as error:
        raise describe_first(error, model) from None
