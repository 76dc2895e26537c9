"""decoding.greedy_vs_beam: the repaired seed tree, brute force and a generic beam search."""

import heapq
import math
from fractions import Fraction

import pytest

from qbank.render.documents import render_fragments
from qbank.render.filters import text
from qbank.render.numbers import fixed

ID = "decoding.greedy_vs_beam"
SEEDS = range(300)
# Seed 001 Q6: A 0.7, B 0.3, A -> <eos> 0.1, B -> <eos> 0.9, "greedy 0.07, beam 0.27".
SEED_TREE = {"first": {"A": 0.7, "B": 0.3},
             "second": {"A": {"x": 0.35, "y": 0.3, "z": 0.25, "<eos>": 0.1},
                        "B": {"<eos>": 0.9, "z": 0.1}},
             "beam_width": 2}


def exact(p):
    """The two-decimal probability as written, exactly."""
    return Fraction(repr(p))


def all_sequences(params):
    """Every two-token sequence with its exact probability, by brute force."""
    return {(y1, y2): exact(p1) * exact(p2)
            for y1, p1 in params["first"].items() for y2, p2 in params["second"][y1].items()}


def beam_search(params, width, depth=2):
    """A generic beam search over the tree (width 1 is greedy decoding)."""
    def children(prefix):
        dist = params["first"] if not prefix else params["second"][prefix[-1]]
        return dist.items()
    beam = [((), Fraction(1))]
    for _ in range(depth):
        expanded = [(prefix + (token,), prob * exact(p))
                    for prefix, prob in beam for token, p in children(prefix)]
        beam = heapq.nlargest(width, expanded, key=lambda item: item[1])
    return beam[0]


def test_seed_tree_repaired(qtype):
    # The seed's greedy 0.07 (A <eos>) is wrong: greedy follows A's best continuation.
    answer = qtype.solve(SEED_TREE)
    assert answer["greedy_sequence"] == ["A", "x"] and answer["greedy_prob"] == pytest.approx(0.245)
    assert answer["beam_sequence"] == ["B", "<eos>"] and answer["beam_prob"] == pytest.approx(0.27)
    assert qtype.problems(SEED_TREE) == []


def test_seed_tree_as_written_lets_greedy_win(qtype):
    # With A's remaining 0.9 on one token greedy gets 0.63 > 0.27: not the question asked.
    tree = {"first": {"A": 0.7, "B": 0.3}, "second": {"A": {"x": 0.9, "<eos>": 0.1},
                                                       "B": {"<eos>": 0.9, "z": 0.1}},
            "beam_width": 2}
    assert "strictly beat" in qtype.problems(tree)[0]


def test_brute_force_and_generic_beam(variants):
    for v in variants:
        p, a = v.params, v.answer
        sequences = all_sequences(p)
        greedy, greedy_prob = beam_search(p, 1)
        beam, beam_prob = beam_search(p, p["beam_width"])
        assert a["greedy_sequence"] == list(greedy) and a["beam_sequence"] == list(beam)
        assert a["greedy_prob"] == pytest.approx(float(greedy_prob), rel=1e-12)
        assert a["beam_prob"] == pytest.approx(float(beam_prob), rel=1e-12)
        assert sequences[tuple(a["beam_sequence"])] == beam_prob
        if p["beam_width"] >= len(p["first"]):
            # A beam as wide as the first step is exhaustive: the overall best.
            assert beam_prob == max(sequences.values())


def test_well_posed(qtype, variants):
    widths, sizes = set(), set()
    for v in variants:
        p, a = v.params, v.answer
        assert qtype.problems(p) == []
        widths.add(p["beam_width"])
        sizes.add(len(p["first"]))
        assert list(p["first"]) == list(p["second"])  # one continuation table per first token
        for dist in [p["first"], *p["second"].values()]:
            assert 2 <= len(dist) <= 3 and all(isinstance(t, str) and t for t in dist)
            hundredths = [exact(x) * 100 for x in dist.values()]
            assert all(h.denominator == 1 and h % 5 == 0 and h > 0 for h in hundredths)
            assert sum(hundredths) == 100
        probs = all_sequences(p)
        firsts = sorted((exact(x) for x in p["first"].values()), reverse=True)
        assert firsts[0] != firsts[1] and (len(firsts) == 2 or firsts[1] != firsts[2])
        greedy_nexts = sorted(exact(x) for x in p["second"][a["greedy_sequence"][0]].values())
        assert greedy_nexts[-1] != greedy_nexts[-2]
        kept = {y1 for y1, _ in zip(sorted(p["first"], key=p["first"].get, reverse=True),
                                    range(p["beam_width"]))}
        candidates = sorted((q for (y1, _), q in probs.items() if y1 in kept), reverse=True)
        assert candidates[0] != candidates[1]
        assert probs[tuple(a["beam_sequence"])] > probs[tuple(a["greedy_sequence"])]
    assert widths == {2} and sizes == {2, 3}
    distinct = {repr(v.params) for v in variants[:200]}
    assert len(distinct) >= 150


def test_key_order_is_deterministic(qtype):
    for seed in range(20):
        first, again = qtype.draw(seed).params, qtype.draw(seed).params
        assert list(first["first"]) == list(again["first"])
        assert [list(d) for d in first["second"].values()] == [list(d) for d in again["second"].values()]


@pytest.mark.parametrize("change, reason", [
    (lambda t: t["first"].update(A=0.5, B=0.5), "tied"),
    (lambda t: t["second"]["A"].update(x=0.5), "sum to 1"),
    (lambda t: t.update(beam_width=1), "strictly beat"),
    (lambda t: t.update(beam_width=0), "beam_width"),
    (lambda t: t["second"].pop("B"), "one entry per first token"),
    (lambda t: t["second"]["A"].update(y=0.35, z=0.2), "greedy's second token"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    tree = {"first": dict(SEED_TREE["first"]), "beam_width": 2,
            "second": {t: dict(d) for t, d in SEED_TREE["second"].items()}}
    change(tree)
    found = qtype.problems(tree)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        for prob in (v.answer["greedy_prob"], v.answer["beam_prob"]):
            assert fixed(prob, 4) in f.solution and fixed(prob, 4) not in f.question
        assert " ".join(v.answer["beam_sequence"]) in f.solution


def test_parts_are_the_brute_force_probabilities(qtype, variants):
    """Each checked part against the generic beam search, and its box names the sequence."""
    for v in variants:
        greedy, greedy_prob = beam_search(v.params, 1)
        beam, beam_prob = beam_search(v.params, v.params["beam_width"])
        a, b, c = qtype.parts(v)
        assert (a.kind, b.kind, c.kind) == ("number", "number", "free")
        assert a.answer == pytest.approx(float(greedy_prob), rel=1e-12)
        assert b.answer == pytest.approx(float(beam_prob), rel=1e-12)
        assert " ".join(greedy) in a.symbol and " ".join(beam) in b.symbol
        # Products of two-decimal probabilities are exact at the four decimals asked.
        for part, exact_prob in ((a, greedy_prob), (b, beam_prob)):
            assert (exact_prob * 10 ** part.places).denominator == 1
        assert all(line.points > 0 for line in c.rubric)
        assert sum(line.points for line in c.rubric) == c.weight


def test_model_answer_names_this_variants_tokens(qtype, variants):
    for v in variants[:40]:
        why = qtype.parts(v)[2].model_answer
        assert "\\VAR" not in why
        for token in (v.answer["greedy_sequence"][0], *v.answer["beam_sequence"]):
            assert text(token) in why
        assert fixed(v.answer["beam_prob"], 4) in why and fixed(v.answer["greedy_prob"], 4) in why


def test_mistakes_on_repaired_seed_001_q6(qtype):
    params = {"first": {"A": 0.7, "B": 0.3},
              "second": {"A": {"x": 0.35, "y": 0.30, "z": 0.25, "<eos>": 0.10},
                         "B": {"<eos>": 0.9, "x": 0.1}},
              "beam_width": 2}
    variant = qtype.variant(0, params)
    greedy, beam, _ = qtype.parts(variant)
    assert qtype.choice_part == beam.label
    assert beam.answer == pytest.approx(0.27)
    values = {m.name: m.value for m in beam.mistakes}
    assert values["greedy answer"] == pytest.approx(0.7 * 0.35)
    assert values["second step only"] == pytest.approx(0.9)
    assert values["summed"] == pytest.approx(0.3 + 0.9)
    assert values["log-probability"] == pytest.approx(math.log(0.3) + math.log(0.9))
    values = {m.name: m.value for m in greedy.mistakes}
    assert values["summed"] == pytest.approx(0.7 + 0.35)
    assert values["second step only"] == pytest.approx(0.35)
    assert values["first step only"] == pytest.approx(0.7)
    assert values["beam answer"] == pytest.approx(0.27)
