"""Finds every question type under ``qbank/types/`` and looks them up by id.

Types are discovered by walking the package (nothing to register by hand) and
keyed by their stable dotted id.  Two classes claiming one id is a programming
error and stops discovery at once, naming both modules.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from functools import lru_cache

from qbank.errors import QbankError
from qbank.model import KINDS, QuestionType

TYPES_PACKAGE = "qbank.types"


class DuplicateTypeError(RuntimeError):
    """Two question types share one id."""


def _question_types_in(module) -> list[type[QuestionType]]:
    """Classes defined in the module, plus any it generates and lists in QUESTION_TYPES."""
    found = list(getattr(module, "QUESTION_TYPES", ()))
    for value in vars(module).values():
        if (isinstance(value, type) and issubclass(value, QuestionType)
                and value is not QuestionType and value.__module__ == module.__name__
                and value.id and value not in found):
            found.append(value)
    return found


def _check_metadata(cls: type[QuestionType]) -> None:
    missing = [name for name in ("id", "title", "topic", "source") if not getattr(cls, name)]
    if missing or cls.kind not in KINDS or "." not in cls.id:
        raise RuntimeError(f"{cls.__module__}.{cls.__name__}: incomplete metadata "
                           f"(missing {missing}, kind {cls.kind!r}, id {cls.id!r})")


@lru_cache(maxsize=1)
def all_types() -> dict[str, QuestionType]:
    """Every registered type, as instances keyed by id, in id order."""
    package = importlib.import_module(TYPES_PACKAGE)
    found: dict[str, QuestionType] = {}
    for info in pkgutil.walk_packages(package.__path__, prefix=TYPES_PACKAGE + "."):
        module = importlib.import_module(info.name)
        for cls in _question_types_in(module):
            _check_metadata(cls)
            if cls.id in found:
                other = type(found[cls.id])
                raise DuplicateTypeError(
                    f"question type id {cls.id!r} is defined twice: "
                    f"{other.__module__}.{other.__name__} and {cls.__module__}.{cls.__name__}")
            if not cls.template_stem:
                # qbank.types.params.mlp -> params/mlp
                cls.template_stem = info.name[len(TYPES_PACKAGE) + 1:].replace(".", "/")
            found[cls.id] = cls()
    return dict(sorted(found.items()))


def get_type(type_id: str) -> QuestionType:
    """The type with this id, or a one-line error suggesting the nearest ids."""
    types = all_types()
    if type_id in types:
        return types[type_id]
    close = difflib.get_close_matches(type_id, list(types), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; run 'qbank list' to see them"
    raise QbankError(f"unknown question type {type_id!r}{hint}")
