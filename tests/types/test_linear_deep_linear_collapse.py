"""linear.deep_linear_collapse: seeds 001 Q2 / 004 Q2, checked by probing the two-layer network."""

import numpy as np
import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import grouped

ID = "linear.deep_linear_collapse"
SEEDS = range(300)


def network(params, x):
    """The two layers applied in turn, the way the question describes them."""
    hidden = [sum(w * xi for w, xi in zip(row, x)) + b for row, b in zip(params["W1"], params["b1"])]
    return [sum(w * h for w, h in zip(row, hidden)) + b for row, b in zip(params["W2"], params["b2"])]


def test_docstring_example(qtype):
    # The seeds argue symbolically (f1(f2(x)) is one linear map); a hand-worked instance:
    # W = [[2*1 + 1*0, 2*2 + 1*(-1)]] = [[2, 3]], b = 2*1 + 1*1 - 1 = 2.
    answer = qtype.solve({"W1": [[1, 2], [0, -1]], "b1": [1, 1], "W2": [[2, 1]], "b2": [-1]})
    assert answer == {"W": [[2, 3]], "b": [2]}


def test_probing_the_network_recovers_w_and_b(variants):
    # b is the output at x = 0, column j of W is output(e_j) - output(0): no matrix product needed.
    for v in variants:
        n_in = len(v.params["W1"][0])
        at_zero = network(v.params, [0] * n_in)
        columns = [[o - z for o, z in zip(network(v.params, [int(i == j) for i in range(n_in)]), at_zero)]
                   for j in range(n_in)]
        assert v.answer["b"] == at_zero
        assert v.answer["W"] == [list(row) for row in zip(*columns)]


def test_single_layer_matches_network_on_random_inputs(variants):
    rng = np.random.default_rng(0)
    for v in variants:
        W, b = np.array(v.answer["W"], float), np.array(v.answer["b"], float)
        for x in rng.normal(size=(5, 2)):
            assert np.allclose(W @ x + b, network(v.params, list(x)), rtol=1e-12, atol=1e-12)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == [] and set(p) == {"W1", "b1", "W2", "b2"}
        hidden, outputs = len(p["W1"]), len(p["W2"])
        assert hidden in (2, 3) and outputs in (1, 2)
        assert all(len(row) == 2 for row in p["W1"]) and all(len(row) == hidden for row in p["W2"])
        assert len(p["b1"]) == hidden and len(p["b2"]) == outputs
        values = [x for row in p["W1"] + p["W2"] for x in row] + p["b1"] + p["b2"]
        assert all(type(x) is int and -3 <= x <= 3 for x in values)
        assert all(any(row) for row in p["W1"]) and all(sum(x != 0 for x in row) >= 2 for row in p["W2"])
        assert np.array(v.answer["W"]).shape == (outputs, 2) and len(v.answer["b"]) == outputs
    assert len({str(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("change, reason", [
    ({"W1": [[1, 2], [3]]}, "equal length"),
    ({"W1": []}, "W1 must be"),
    ({"W2": [[1, 2, 3]]}, "2 columns"),
    ({"b1": [1]}, "b1 must be a list of 2"),
    ({"b2": [1, 2, 3]}, "b2 must be a list of 1"),
    ({"W1": [[1, float("nan")], [0, 1]]}, "finite"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    params = {"W1": [[1, 2], [0, -1]], "b1": [1, 1], "W2": [[2, 1]], "b2": [-1]}
    assert qtype.problems(params) == []
    found = qtype.problems({**params, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        first_row = [*v.answer["W"][0], v.answer["b"][0]]
        answer_matrix = r"[W \mid \mathbf{b}] = \begin{bmatrix} " + " & ".join(
            rf"\num{{{grouped(str(x))}}}" for x in first_row)
        assert answer_matrix in f.solution
        assert r"\mathbf{b}] = \begin" not in f.question


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_parts_and_the_layer_part_by_probing(qtype, variants):
    for v in variants:
        parts = _parts(qtype, v)
        assert [(p.label, p.kind, p.weight) for p in parts.values()] == [
            ("a", "free", 1), ("b", "matrix", 2), ("c", "free", 1)]
        # [W | b] from the network itself: columns output(e_j) - output(0), then output(0).
        at_zero = np.array(network(v.params, [0, 0]))
        columns = [np.array(network(v.params, e)) - at_zero for e in ([1, 0], [0, 1])]
        assert parts["b"].answer == np.column_stack([*columns, at_zero]).astype(int).tolist()
        for mistake in parts["b"].mistakes:
            assert np.array(mistake.value).shape == np.array(parts["b"].answer).shape, mistake.name


def test_choice_mistakes_are_the_modelled_slips(qtype):
    # Docstring example: W = [[2, 3]], b = (2,); the options are [W | b] = [[2, 3, 2]].
    params = {"W1": [[1, 2], [0, -1]], "b1": [1, 1], "W2": [[2, 1]], "b2": [-1]}
    v = qtype.variant(0, params)
    part = _parts(qtype, v)[qtype.choice_part]
    assert part.label == "b" and part.answer == [[2, 3, 2]]
    values = {m.name: m.value for m in part.mistakes}
    assert values["bias b2 only"] == [[2, 3, -1]]
    assert values["no b2"] == [[2, 3, 2 * 1 + 1 * 1]]
    # Rows of W2 times rows of W1: (2*1 + 1*2, 2*0 + 1*(-1)); b is right.
    assert values["W1 transposed"] == [[4, -1, 2]]
    # Only hidden unit 1: 2 * (1, 2) and 2 * 1 - 1.
    assert values["first hidden unit only"] == [[2, 4, 1]]
    # Every layer 2 wide: the reversed composition W1 W2, b = W1 b2 + b1, whole.
    params = {"W1": [[1, 2], [0, -1]], "b1": [1, 1], "W2": [[2, 1], [1, 1]], "b2": [-1, 0]}
    v = qtype.variant(0, params)
    W1, W2 = np.array(params["W1"]), np.array(params["W2"])
    reversed_w = W1 @ W2
    reversed_b = W1 @ np.array(params["b2"]) + np.array(params["b1"])
    values = {m.name: m.value for m in _parts(qtype, v)["b"].mistakes}
    assert values["W1 W2"] == np.column_stack([reversed_w, reversed_b]).tolist() == [[4, 3, 0], [-1, -1, 1]]
    b = W2 @ np.array(params["b1"]) + np.array(params["b2"])
    assert values["W transposed"] == np.column_stack([(W2 @ W1).T, b]).tolist()
