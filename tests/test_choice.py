"""One part of a numeric type as multiple choice: distractors from its modelled mistakes."""

from __future__ import annotations

import pytest

from qbank.choice import NotEnoughDistractors, make_choice, offered_part, option_tex, supports_choice
from qbank.registry import all_types

CHOICE_TYPES = [t for t in all_types().values() if supports_choice(t)]
SEEDS = range(200)


def test_some_types_offer_a_choice():
    assert CHOICE_TYPES


@pytest.mark.parametrize("qtype", CHOICE_TYPES, ids=lambda t: t.id)
def test_options_are_distinct_and_one_is_correct(qtype):
    failures = 0
    for seed in SEEDS:
        variant = qtype.draw(seed)
        try:
            choice = make_choice(qtype, variant)
        except NotEnoughDistractors:
            failures += 1
            continue
        texts = [option.tex for option in choice.options]
        assert len(texts) == 4 and len(set(texts)) == 4
        correct = [o for o in choice.options if o.mistake is None]
        assert len(correct) == 1
        part = offered_part(qtype, variant)
        assert correct[0].tex == option_tex(part, part.answer)
        assert choice.part == part.label
        assert all(o.mistake.explanation for o in choice.options if o.mistake)
    # The build redraws such a variant; it must stay rare.
    assert failures <= len(SEEDS) // 20, f"{failures} seeds without three distractors"


@pytest.mark.parametrize("qtype", CHOICE_TYPES, ids=lambda t: t.id)
def test_every_choice_type_models_at_least_five_mistakes(qtype):
    for seed in range(20):
        variant = qtype.draw(seed)
        mistakes = offered_part(qtype, variant).mistakes
        assert len(mistakes) >= 5
        assert len({m.name for m in mistakes}) == len(mistakes), "mistake names must differ"


def test_correct_letter_is_spread_evenly():
    counts = {letter: 0 for letter in "ABCD"}
    for qtype in CHOICE_TYPES:
        for seed in range(250):
            try:
                counts[make_choice(qtype, qtype.draw(seed)).correct] += 1
            except NotEnoughDistractors:
                pass
    total = sum(counts.values())
    spread = 4 * (total * 0.25 * 0.75) ** 0.5
    assert all(abs(n - total / 4) < spread for n in counts.values()), counts


def test_mlp_mistakes_are_the_modelled_slips():
    qtype = all_types()["params.mlp"]
    variant = qtype.variant(0, {"input_shape": [32, 32, 6], "hidden": [200, 120], "n_classes": 100})
    values = {m.name: m.value for part in qtype.parts(variant) for m in part.mistakes
              if part.label == qtype.choice_part}
    assert values["no bias"] == 6144 * 200 + 200 * 120 + 120 * 100
    assert values["channels dropped"] == 1025 * 200 + 201 * 120 + 121 * 100
    assert values["no output layer"] == 1229000 + 24120
