"""attention.qkv_params: seed numbers, numpy shape counting, well-posedness, templates."""

import numpy as np
import pytest

from qbank.checker.expected import check_data
from qbank.checker.verdict import judge
from qbank.render.documents import render_fragments
from qbank.render.numbers import grouped

ID = "attention.qkv_params"
SEEDS = range(300)


def test_seed_000_q3b(qtype):
    answer = qtype.solve({"d_model": 100, "d_k": 36, "d_v": 25, "bias": False})
    assert answer == {"w_q": 3600, "w_k": 3600, "w_v": 2500, "total": 9700}


def test_seed_001_q1b_all_heads_stacked(qtype):
    answer = qtype.solve({"d_model": 768, "d_k": 768, "d_v": 768, "bias": False})
    assert answer["w_q"] == answer["w_k"] == answer["w_v"] == 589_824
    assert answer["total"] == 1_769_472


def _projection_size(d_model, d_out, bias):
    arrays = [np.zeros((d_model, d_out))] + ([np.zeros(d_out)] if bias else [])
    return sum(a.size for a in arrays)


def test_answers_match_array_sizes(qtype):
    for seed in SEEDS:
        variant = qtype.draw(seed)
        p, a = variant.params, variant.answer
        expected = {"w_q": _projection_size(p["d_model"], p["d_k"], p["bias"]),
                    "w_k": _projection_size(p["d_model"], p["d_k"], p["bias"]),
                    "w_v": _projection_size(p["d_model"], p["d_v"], p["bias"])}
        expected["total"] = sum(expected.values())
        assert a == expected


def test_draws_are_well_posed_and_varied(qtype):
    seen = set()
    for seed in SEEDS:
        p = qtype.draw(seed).params
        assert qtype.problems(p) == []
        assert all(type(p[k]) is int for k in ("d_model", "d_k", "d_v"))
        assert type(p["bias"]) is bool
        assert p["d_k"] <= p["d_model"] and p["d_v"] <= p["d_model"]
        seen.add((p["d_model"], p["d_k"], p["d_v"], p["bias"]))
    assert {bias for *_, bias in seen} == {True, False}


def test_at_least_150_distinct_parameter_sets_in_200_seeds(qtype):
    distinct = {tuple(sorted(qtype.draw(seed).params.items())) for seed in range(200)}
    assert len(distinct) >= 150


@pytest.mark.parametrize("bad", [{"d_model": 0}, {"d_k": -1}, {"d_v": 12.0}, {"d_k": False},
                                 {"bias": "no"}])
def test_problems_catch_bad_values(qtype, bad):
    params = {"d_model": 100, "d_k": 36, "d_v": 25, "bias": False, **bad}
    assert qtype.problems(params)


def test_templates_render(qtype):
    for seed in range(40):
        variant = qtype.draw(seed)
        fragments = render_fragments(variant)
        assert f"\\num{{{grouped(str(variant.answer['total']))}}}" not in fragments.question
        assert str(variant.answer["total"]) not in fragments.question
        assert f"\\num{{{grouped(str(variant.answer['total']))}}}" in fragments.solution
        assert fragments.solution.count("\\finalanswer") == 3


def test_torch_agrees(qtype):
    torch = pytest.importorskip("torch")
    for seed in range(60):
        p = qtype.draw(seed).params
        layers = {name: torch.nn.Linear(p["d_model"], size, bias=p["bias"])
                  for name, size in (("w_q", p["d_k"]), ("w_k", p["d_k"]), ("w_v", p["d_v"]))}
        counts = {name: sum(t.numel() for t in layer.parameters()) for name, layer in layers.items()}
        counts["total"] = sum(counts.values())
        assert qtype.solve(p) == counts


def test_parts_match_numpy_arrays(qtype):
    for seed in SEEDS:
        variant = qtype.draw(seed)
        p = variant.params
        parts = qtype.parts(variant)
        assert [(x.label, x.kind, x.places, x.weight) for x in parts] == [
            ("a", "table", None, 1), ("b", "vector", None, 2), ("c", "number", None, 1)]
        # Shapes of the arrays that map a row x of d_model features: x @ W.
        x = np.zeros((1, p["d_model"]))
        arrays = [np.zeros((p["d_model"], size)) for size in (p["d_k"], p["d_k"], p["d_v"])]
        assert all((x @ w).shape[1] == w.shape[1] for w in arrays)
        assert parts[0].answer == [list(w.shape) for w in arrays]
        assert parts[0].accepted == ([list(w.T.shape) for w in arrays],)
        counts = [_projection_size(p["d_model"], w.shape[1], p["bias"]) for w in arrays]
        assert parts[1].answer == counts and parts[2].answer == sum(counts)
    assert qtype.choice_part == "c"


def test_transposed_shapes_earn_the_marks(qtype):
    variant = qtype.variant(0, {"d_model": 100, "d_k": 36, "d_v": 25, "bias": False})
    data = check_data(variant)["parts"][0]
    assert judge(data, "[100, 36; 100, 36; 100, 25]").is_right
    assert judge(data, "[36, 100; 36, 100; 25, 100]").is_right
    assert judge(data, "[100, 100; 100, 100; 100, 100]").verdict == "mistake"
    assert not judge(data, "[100, 36; 100, 36; 100, 36]").is_right


def test_mistakes_per_part_seed_000_q3b(qtype):
    # d_model 100, d_k 36, d_v 25, no bias: 3,600 + 3,600 + 2,500 = 9,700.
    variant = qtype.variant(0, {"d_model": 100, "d_k": 36, "d_v": 25, "bias": False})
    mistakes = {part.label: {m.name: m.value for m in part.mistakes}
                for part in qtype.parts(variant)}
    assert mistakes["a"] == {"d_model instead of d_k": [[100, 100]] * 3,
                             "d_k for the values": [[100, 36]] * 3}
    assert mistakes["b"] == {"bias added": [3636, 3636, 2525],
                             "d_model instead of d_k": [10000] * 3,
                             "d_k for the values": [3600] * 3,
                             "sizes added": [136, 136, 125]}
    total = mistakes["c"]
    assert total["d_model instead of d_k"] == 3 * 100 * 100
    assert total["d_k for the values"] == 3 * 100 * 36
    assert total["bias added"] == 101 * (36 + 36 + 25)
    assert total["V forgotten"] == 2 * 3600
    assert len(total) >= 5


def test_bias_mistakes_per_projection(qtype):
    variant = qtype.variant(0, {"d_model": 100, "d_k": 36, "d_v": 25, "bias": True})
    counts = {m.name: m.value for m in qtype.parts(variant)[1].mistakes}
    assert counts["no bias"] == [3600, 3600, 2500]
    assert counts["one bias per projection"] == [3601, 3601, 2501]
    assert counts["bias per input"] == [3700, 3700, 2600]
    assert counts["sizes added"] == [100 + 36 + 36, 100 + 36 + 36, 100 + 25 + 25]
