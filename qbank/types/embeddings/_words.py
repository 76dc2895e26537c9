"""The field type of a word in the embedding types' parameters (not a question type)."""

from typing import Annotated

from pydantic import AfterValidator

from qbank.param_models import fixed_list


def _not_blank(word: str) -> str:
    if not word.strip():
        raise ValueError("a word must not be blank")
    return word


Word = Annotated[str, AfterValidator(_not_blank)]
# The two words a question compares; that they differ is checked in problems().
WordPair = fixed_list(Word, 2)
