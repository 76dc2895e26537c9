"""cnn.stacked_vs_large_kernel: weight tensors' sizes and a brute-force receptive field."""

from fractions import Fraction

import numpy as np
import pytest

from qbank.choice import option_tex
from qbank.render.documents import render_fragments
from qbank.render.filters import num

ID = "cnn.stacked_vs_large_kernel"
SEEDS = range(300)


def test_seed_003_q6_seven_by_seven(qtype):
    # 3x3 vs 7x7 (VGG): three 3x3 layers, 27C^2 against 49C^2 weights.
    answer = qtype.solve({"kernel": 7, "channels": 64, "bias": False})
    assert answer["n_layers"] == 3 and answer["receptive_field"] == 7
    assert answer["large_params"] == 200704 and answer["stack_params"] == 110592
    assert answer["saving_factor"] == pytest.approx(49 / 27)
    with_bias = qtype.solve({"kernel": 7, "channels": 64, "bias": True})
    assert (with_bias["large_params"], with_bias["stack_params"]) == (200768, 110784)


def _tensor_sizes(kernel, channels, bias):
    """Parameters of one conv layer, counted as the sizes of its weight/bias arrays."""
    weight = np.empty((channels, channels, kernel, kernel))
    return weight.size + (np.empty(channels).size if bias else 0)


def _receptive_field(layers):
    """Width of the input region that reaches one output after ``layers`` 3x3 convs.

    Run the stack backwards from a single output pixel: each layer spreads a mark to
    the 3x3 neighbourhood that fed it.
    """
    size = 2 * layers + 5
    reach = np.zeros((size, size), dtype=bool)
    reach[size // 2, size // 2] = True
    for _ in range(layers):
        grown = reach.copy()
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                grown |= np.roll(np.roll(reach, dr, axis=0), dc, axis=1)
        reach = grown
    rows = np.flatnonzero(reach.any(axis=1))
    return int(rows[-1] - rows[0] + 1)


def test_array_sizes_and_brute_force_field(qtype, variants):
    for v in variants:
        p, a = v.params, v.answer
        k, c, bias = p["kernel"], p["channels"], p["bias"]
        large = _tensor_sizes(k, c, bias)
        layers = 0
        while _receptive_field(layers) < k:
            layers += 1
        stack = layers * _tensor_sizes(3, c, bias)
        assert (a["n_layers"], a["receptive_field"]) == (layers, _receptive_field(layers))
        assert (a["large_params"], a["stack_params"]) == (large, stack)
        assert a["saving_factor"] == float(Fraction(large, stack))
        assert a["saving_factor"] > 1
        layers_part, large_part, stack_part, factor_part, reasons = qtype.parts(v)
        assert (layers_part.answer, large_part.answer, stack_part.answer) == (layers, large, stack)
        assert factor_part.answer == float(Fraction(large, stack)) and factor_part.places == 2
        assert reasons.kind == "free"


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == [] and set(p) == {"kernel", "channels", "bias"}
        assert p["kernel"] in (5, 7, 9, 11) and p["channels"] % 8 == 0
        assert isinstance(p["bias"], bool)
    assert {v.params["kernel"] for v in variants} == {5, 7, 9, 11}
    assert {v.params["bias"] for v in variants} == {True, False}
    assert len({str(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("bad, reason", [
    ({"kernel": 6, "channels": 64, "bias": True}, "odd"),
    ({"kernel": 1, "channels": 64, "bias": True}, "kernel must be"),
    ({"kernel": 7, "channels": 0, "bias": True}, "channels must be"),
    ({"kernel": 7, "channels": 64, "bias": "yes"}, "bias must be true or false"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:60]:
        f = render_fragments(v)
        for key in ("large_params", "stack_params"):
            assert num(v.answer[key]) in f.solution and num(v.answer[key]) not in f.question
        assert "non-linearities" in f.solution


def test_parts_and_mistakes_seed_003_q6(qtype):
    # C = 64, no bias, 7x7 vs three 3x3: 200,704 / 110,592 = 49/27.
    layers, large, stack, factor, reasons = qtype.parts(
        qtype.variant(0, {"kernel": 7, "channels": 64, "bias": False}))
    assert qtype.choice_part == factor.label == "d"
    assert [(p.kind, p.weight, p.places) for p in (layers, large, stack, factor, reasons)] == [
        ("number", 1, None), ("number", 1, None), ("number", 1, None), ("number", 1, 2),
        ("free", 2, None)]
    assert {m.name: m.value for m in layers.mistakes} \
        == {"k - 2 layers": 5, "one layer too many": 4, "areas matched": 6}   # 49/9 -> 6
    assert {m.name: m.value for m in large.mistakes} == {
        "bias added": 200704 + 64, "input channels dropped": 7 * 7 * 64,
        "kernel not squared": 7 * 64 * 64}
    one = 3 * 3 * 64 * 64
    assert {m.name: m.value for m in stack.mistakes} == {
        "one 3x3 layer": one, "bias added": 3 * one + 3 * 64, "k - 2 layers": 5 * one,
        "one layer too many": 4 * one}
    values = {m.name: m.value for m in factor.mistakes}
    assert option_tex(factor, factor.answer) == num(1.81, 2)
    assert values["one 3x3 layer"] == pytest.approx(49 / 9)
    assert values["ratio inverted"] == pytest.approx(27 / 49)
    assert values["k - 2 layers"] == pytest.approx(49 / 45)
    assert option_tex(factor, values["one 3x3 layer"]) == r"\num{5.44}"
    assert len(reasons.rubric) == 2 and sum(line.points for line in reasons.rubric) == reasons.weight
