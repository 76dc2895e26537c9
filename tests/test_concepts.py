"""Conceptual pools: every pool file is well formed, and shuffling is fair."""

from __future__ import annotations

import collections

import pytest

from qbank.registry import all_types
from qbank.types.concepts.pool import LETTERS, ConceptPool

POOLS = [t for t in all_types().values() if isinstance(t, ConceptPool)]


def test_there_are_pools():
    assert POOLS


@pytest.mark.parametrize("pool", POOLS, ids=lambda p: p.id)
def test_pool_has_four_items_and_metadata(pool):
    assert len(pool.items) >= 4
    assert pool.kind == "conceptual" and pool.source


@pytest.mark.parametrize("pool", POOLS, ids=lambda p: p.id)
def test_answers_point_at_the_right_options(pool):
    for seed in range(300):
        variant = pool.draw(seed)
        item, work, answer = pool.items[variant.params["item"]], variant.work, variant.answer
        if item["kind"] == "choice":
            shown = {o["letter"]: o["text"] for o in work["options"]}
            assert shown[answer["correct"]] == item["correct"]
            assert sorted(shown.values()) == sorted([item["correct"]] +
                                                    [d["text"] for d in item["distractors"]])
        elif item["kind"] == "matching":
            right = {r["letter"]: r["text"] for r in work["right"]}
            assert [right[letter] for letter in answer["pairs"]] == [r for _, r in item["pairs"]]


def test_correct_letters_are_spread_evenly_over_1000_seeds():
    letters = collections.Counter()
    for pool in POOLS:
        choice_items = [i for i, item in enumerate(pool.items) if item["kind"] == "choice"]
        for seed in range(1000):
            variant = pool.draw(seed)
            if variant.params["item"] in choice_items:
                letters[variant.answer["correct"]] += 1
    total = sum(letters.values())
    assert set(letters) == set(LETTERS[:4])
    for letter in LETTERS[:4]:
        # Binomial(total, 1/4): allow four standard deviations either way.
        spread = 4 * (total * 0.25 * 0.75) ** 0.5
        assert abs(letters[letter] - total / 4) < spread, letters


def test_a_choice_item_gets_less_room_than_an_open_one():
    def centimetres(space: str) -> float:
        return float(space.removesuffix("cm"))

    for pool in POOLS:
        rooms = {}
        for seed in range(60):
            variant = pool.draw(seed)
            rooms[pool.items[variant.params["item"]]["kind"]] = centimetres(pool.space_for(variant))
        if "choice" in rooms and "short" in rooms:
            assert rooms["choice"] < rooms["short"]
