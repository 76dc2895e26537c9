"""Conceptual question pools: one YAML file per topic becomes one question type.

A pool is data, not code: ``pools/<name>.yaml`` holds the type's metadata and at
least four items of four kinds --

* ``choice``: a stem, the correct option and three distractors, each distractor
  naming the misconception it stands for (shown in the solution);
* ``truefalse``: a statement, whether it is true, and a one-line justification;
* ``matching``: a prompt and pairs (left, right); the right column is shuffled;
* ``short``: an open question with a model answer and a marking rubric.

A variant draws an item and, for choice and matching, an order of the options
from the seed; the answer records the correct letter(s), so the manifest and
answer key carry them.  Pool text is the project's own LaTeX (not user input).
"""

from __future__ import annotations

import math
import string
from pathlib import Path

import yaml

from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import Count, ParamModel
from qbank.parts import Part, RubricLine

POOL_DIR = Path(__file__).parent / "pools"
# Every command loads every pool at start-up: libyaml's safe loader, where
# PyYAML was built with it, parses them about ten times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LETTERS = string.ascii_uppercase
ITEM_KEYS = {
    "choice": {"stem", "correct", "distractors"},
    "truefalse": {"statement", "answer", "justification"},
    "matching": {"prompt", "pairs"},
    "short": {"question", "model_answer", "rubric"},
}
MIN_ITEMS = 4
SPACE_BY_KIND = {"choice": "1.5cm", "truefalse": "3cm", "matching": "2cm", "short": "7cm"}


class PoolError(ValueError):
    """A pool file breaks the format above (a developer's error, found in tests)."""


def _option_count(item: dict) -> int:
    if item["kind"] == "choice":
        return 1 + len(item["distractors"])
    if item["kind"] == "matching":
        return len(item["pairs"])
    return 0


def _check_item(source: str, number: int, item: dict) -> None:
    kind = item.get("kind")
    if kind not in ITEM_KEYS:
        raise PoolError(f"{source}: item {number}: kind must be one of {', '.join(ITEM_KEYS)}")
    missing = ITEM_KEYS[kind] - set(item)
    if missing:
        raise PoolError(f"{source}: item {number}: missing {', '.join(sorted(missing))}")
    if kind == "choice":
        if len(item["distractors"]) != 3 or not all(
                {"text", "misconception"} <= set(d) for d in item["distractors"]):
            raise PoolError(f"{source}: item {number}: three distractors with text and misconception")
        texts = [item["correct"]] + [d["text"] for d in item["distractors"]]
        if len(set(texts)) != len(texts):
            raise PoolError(f"{source}: item {number}: options must differ")
    if kind == "matching" and (len(item["pairs"]) < 3 or len({r for _, r in item["pairs"]})
                               != len(item["pairs"])):
        raise PoolError(f"{source}: item {number}: at least three pairs with distinct right sides")
    if kind == "truefalse" and not isinstance(item["answer"], bool):
        raise PoolError(f"{source}: item {number}: answer must be true or false")
    if kind == "short" and not all({"points", "criterion"} <= set(r) for r in item["rubric"]):
        raise PoolError(f"{source}: item {number}: rubric lines need points and criterion")


class PoolParams(ParamModel):
    item: Count          # index into the pool (its range is checked in problems())
    order: list[Count]   # the options' order on the page; empty for open items


class ConceptPool(QuestionType):
    """Base of the generated pool types; ``items`` comes from the YAML file."""

    kind = "conceptual"
    params_model = PoolParams
    template_stem = "concepts/pool"
    items: tuple = ()

    def space_for(self, variant):
        # A letter needs a line, a justification a few; an open answer the most.
        return SPACE_BY_KIND[self.items[variant.params["item"]]["kind"]]

    def sample(self, rng):
        index = int(rng.integers(len(self.items)))
        count = _option_count(self.items[index])
        return {"item": index, "order": [int(i) for i in rng.permutation(count)]}

    def problems(self, params):
        index, order = params["item"], params["order"]
        if not (isinstance(index, int) and 0 <= index < len(self.items)):
            return [f"item must be 0 to {len(self.items) - 1}"]
        if sorted(order) != list(range(_option_count(self.items[index]))):
            return ["order must be a permutation of the item's options"]
        return []

    def solve(self, params):
        item = self.items[params["item"]]
        order = params["order"]
        if item["kind"] == "choice":
            return {"kind": "choice", "correct": LETTERS[order.index(0)]}
        if item["kind"] == "matching":
            # Left item i is matched by the letter under which its right side appears.
            return {"kind": "matching", "pairs": [LETTERS[order.index(i)] for i in range(len(order))]}
        if item["kind"] == "truefalse":
            return {"kind": "truefalse", "correct": item["answer"]}
        return {"kind": "short", "points": sum(line["points"] for line in item["rubric"])}

    def worked(self, params, answer):
        item = self.items[params["item"]]
        work = {"item_kind": item["kind"], "item": item}
        if item["kind"] == "choice":
            options = [{"text": item["correct"], "misconception": None}] + item["distractors"]
            work["options"] = [dict(options[i], letter=LETTERS[j])
                               for j, i in enumerate(params["order"])]
        elif item["kind"] == "matching":
            work["right"] = [{"letter": LETTERS[j], "text": item["pairs"][i][1]}
                             for j, i in enumerate(params["order"])]
        return work

    def parts(self, variant):
        """A choice, true/false or matching item is checked by its letters; a true/false
        item's justification and a short answer are marked by hand against a rubric."""
        item = self.items[variant.params["item"]]
        answer, kind = variant.answer, item["kind"]
        if kind == "choice":
            letters = tuple(LETTERS[i] for i in range(len(variant.params["order"])))
            misconceptions = tuple(
                Mistake(option["misconception"], option["misconception"], option["letter"])
                for option in variant.work["options"] if option["misconception"])
            return [Part("a", "Choose one option.", "letter", answer["correct"],
                         options=letters, mistakes=misconceptions)]
        if kind == "matching":
            letters = tuple(LETTERS[i] for i in range(len(answer["pairs"])))
            return [Part("a", "Match each numbered item with one lettered item.", "matching",
                         answer["pairs"], options=letters, weight=len(letters))]
        if kind == "truefalse":
            return [Part("a", "True or false?", "truefalse", answer["correct"]),
                     Part("b", "Justify your answer in one sentence.", "free", None,
                          model_answer=item["justification"],
                          rubric=(RubricLine(1, "a justification that gives the reason of "
                                                "the model answer"),))]
        rubric = tuple(RubricLine(line["points"], line["criterion"]) for line in item["rubric"])
        return [Part("a", "Answer in a few sentences.", "free", None,
                     weight=answer["points"], model_answer=item["model_answer"], rubric=rubric)]

    @classmethod
    def expected_distinct(cls, seeds: int = 200) -> float:
        """Expected distinct (item, order) sets among ``seeds`` draws.

        Each item gets about seeds / len(items) draws, spread over its
        orderings: a five-pair matching has 120 of them but only ~20 draws.
        """
        draws = seeds / len(cls.items)
        total = 0.0
        for item in cls.items:
            orders = math.factorial(_option_count(item))
            total += orders * (1 - (1 - 1 / orders) ** draws)
        return total


def load_pool(path: Path) -> type[ConceptPool]:
    """Read one pool file and build its question type class."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    source = path.name
    for key in ("id", "title", "topic", "source", "items"):
        if key not in data:
            raise PoolError(f"{source}: missing {key}")
    if not data["id"].startswith("concepts."):
        raise PoolError(f"{source}: id must start with 'concepts.'")
    if len(data["items"]) < MIN_ITEMS:
        raise PoolError(f"{source}: at least {MIN_ITEMS} items")
    for number, item in enumerate(data["items"], start=1):
        _check_item(source, number, item)
    name = "".join(part.title() for part in path.stem.split("_")) + "Pool"
    cls = type(name, (ConceptPool,), {
        "__module__": __name__, "__doc__": data.get("description", data["title"]),
        "id": data["id"], "title": data["title"], "topic": data["topic"],
        "source": str(data["source"]), "items": tuple(data["items"])})
    # Fewer distinct variants than a numeric type: the pool is finite.  Ask for
    # half of what chance gives, so only a broken shuffle falls short.
    cls.variety = min(150, int(cls.expected_distinct() / 2))
    return cls


QUESTION_TYPES = tuple(load_pool(path) for path in sorted(POOL_DIR.glob("*.yaml")))
