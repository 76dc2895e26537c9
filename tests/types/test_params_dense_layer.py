"""params.dense_layer: seed numbers, numpy shape counting, well-posedness, templates."""

import numpy as np
import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import grouped, plain

ID = "params.dense_layer"
SEEDS = range(300)


def test_seed_000_q2b(qtype):
    # W is 10x20 -> 200 weights, 2 x 20 norm parameters, no bias: 240.
    for norm in ("layernorm", "batchnorm"):
        assert qtype.solve({"n_in": 10, "n_out": 20, "bias": False, "norm": norm}) == {"total": 240}
        assert qtype.solve({"n_in": 10, "n_out": 20, "bias": True, "norm": norm})["total"] == 260
    assert qtype.solve({"n_in": 10, "n_out": 20, "bias": False, "norm": "none"})["total"] == 200


def _trainable_arrays(params):
    """Zero arrays of every trainable tensor, shaped as nn.Linear / norm layers hold them."""
    arrays = [np.zeros((params["n_out"], params["n_in"]))]
    if params["bias"]:
        arrays.append(np.zeros(params["n_out"]))
    if params["norm"] != "none":
        arrays += [np.zeros(params["n_out"]), np.zeros(params["n_out"])]  # gamma, beta
    return arrays


def test_total_matches_array_sizes(qtype):
    for seed in SEEDS:
        variant = qtype.draw(seed)
        assert variant.answer["total"] == sum(a.size for a in _trainable_arrays(variant.params))
        work = variant.work
        assert work["weights"] + work["biases"] + work["norm_params"] == variant.answer["total"]


def test_every_part_matches_its_arrays(qtype):
    # Each part's count, from the tensors themselves: W, then b, then gamma and beta.
    for seed in SEEDS:
        variant = qtype.draw(seed)
        arrays = _trainable_arrays(variant.params)
        bias = arrays[1:2] if variant.params["bias"] else []
        norm = arrays[1 + len(bias):]
        answers = {part.label: part.answer for part in qtype.parts(variant)}
        assert answers == {"a": arrays[0].size, "b": sum(a.size for a in bias),
                           "c": sum(a.size for a in norm), "d": sum(a.size for a in arrays)}


def test_draws_are_well_posed_and_varied(qtype):
    seen = set()
    for seed in SEEDS:
        params = qtype.draw(seed).params
        assert qtype.problems(params) == []
        assert type(params["n_in"]) is int and type(params["n_out"]) is int
        assert type(params["bias"]) is bool and params["norm"] in ("none", "layernorm", "batchnorm")
        seen.add((params["n_in"], params["n_out"], params["bias"], params["norm"]))
    assert {norm for *_, norm in seen} == {"none", "layernorm", "batchnorm"}
    assert {bias for _, _, bias, _ in seen} == {True, False}


def test_at_least_150_distinct_parameter_sets_in_200_seeds(qtype):
    distinct = {tuple(sorted(qtype.draw(seed).params.items())) for seed in range(200)}
    assert len(distinct) >= 150


@pytest.mark.parametrize("bad", [{"n_in": 0}, {"n_out": -3}, {"n_in": 2.5}, {"n_out": True},
                                 {"bias": 1}, {"norm": "groupnorm"}])
def test_problems_catch_bad_values(qtype, bad):
    params = {"n_in": 10, "n_out": 20, "bias": False, "norm": "layernorm", **bad}
    assert qtype.problems(params)


def test_templates_render(qtype):
    for seed in range(40):
        variant = qtype.draw(seed)
        fragments = render_fragments(variant)
        total = grouped(plain(variant.answer["total"]))
        assert f"\\num{{{grouped(str(variant.answer['total']))}}}" not in fragments.question
        assert total not in fragments.question
        assert fragments.solution.count("\\finalanswer") == 4
        if variant.params["norm"] == "batchnorm":
            assert "running mean" in fragments.solution


def test_torch_agrees(qtype):
    torch = pytest.importorskip("torch")
    norms = {"none": lambda n: torch.nn.Identity(), "layernorm": torch.nn.LayerNorm,
             "batchnorm": torch.nn.BatchNorm1d}
    for seed in range(60):
        params = qtype.draw(seed).params
        block = torch.nn.Sequential(
            torch.nn.Linear(params["n_in"], params["n_out"], bias=params["bias"]),
            norms[params["norm"]](params["n_out"]))
        trainable = sum(p.numel() for p in block.parameters() if p.requires_grad)
        assert qtype.solve(params)["total"] == trainable


def _mistakes(qtype, params, label):
    variant = qtype.variant(0, params)
    part = next(part for part in qtype.parts(variant) if part.label == label)
    return part.answer, {m.name: m.value for m in part.mistakes}


def test_choice_mistakes_seed_000_q2b(qtype):
    # Seed 000 Q2b: 10 -> 20 with bias and BatchNorm, 260 trainable parameters.
    seed_params = {"n_in": 10, "n_out": 20, "bias": True, "norm": "batchnorm"}
    assert qtype.choice_part == "d"
    total, values = _mistakes(qtype, seed_params, "d")
    assert total == 260
    assert values["running statistics counted"] == 200 + 20 + 40 + 40  # + running mean and variance
    assert values["no bias"] == 200 + 40
    assert values["norm forgotten"] == 200 + 20
    assert values["norm over the inputs"] == 200 + 20 + 2 * 10


def test_part_mistakes_seed_000_q2b(qtype):
    seed_params = {"n_in": 10, "n_out": 20, "bias": True, "norm": "batchnorm"}
    assert _mistakes(qtype, seed_params, "a") == (200, {"sizes added": 30, "bias folded in": 220})
    assert _mistakes(qtype, seed_params, "b") == (20, {"no bias": 0, "bias per input": 10,
                                                       "one bias": 1})
    norm, values = _mistakes(qtype, seed_params, "c")
    assert norm == 40
    assert values["running statistics counted"] == 80 and values["norm over the inputs"] == 20
    _, values = _mistakes(qtype, {**seed_params, "bias": False, "norm": "none"}, "b")
    assert values["bias added"] == 20
