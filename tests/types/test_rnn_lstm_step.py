"""rnn.lstm_step: a hand-checked example, gate-order probes, and a numpy route over 300 seeds."""

import math

import numpy as np
import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed

ID = "rnn.lstm_step"
SEEDS = range(300)
HIDDEN = 2


def _cell(n_in, **overrides):
    params = {"x": [1.0] * n_in, "h_prev": [0.5, -1.0], "c_prev": [1.0, -2.0],
              "w_ih": [[0.0] * n_in for _ in range(8)], "w_hh": [[0.0, 0.0] for _ in range(8)],
              "b_ih": [0.0] * 8, "b_hh": [0.0] * 8}
    params.update(overrides)
    return params


def test_docstring_example_checked_by_hand(qtype):
    # The seeds (003 Q1d, 002 Q4) have no numbers; this example was worked on paper:
    # pre-activations i (1, -0.5), f (1, -1), g (0.25, 2), o (-1.5, 1).
    params = {"x": [1.0], "h_prev": [0.5, -1.0], "c_prev": [1.0, 0.0],
              "w_ih": [[0.5], [0.0], [1.0], [-0.5], [0.0], [1.0], [-1.0], [0.5]],
              "w_hh": [[1.0, 0.0], [0.0, 0.5], [0.0, 0.0], [-1.0, 0.0], [0.5, 0.0], [0.0, -1.0],
                       [0.0, 0.5], [1.0, 0.0]],
              "b_ih": [0.0] * 8, "b_hh": [0.0] * 8}
    answer = qtype.variant(0, params).answer
    assert answer["c"] == pytest.approx([0.9101, 0.3640], abs=5e-5)
    assert answer["h"] == pytest.approx([0.1316, 0.2549], abs=5e-5)


def test_zero_weights_give_half_gates(qtype):
    # Every gate is sigma(0) = 1/2 and the candidate tanh(0) = 0: c = c_prev / 2.
    answer = qtype.solve(_cell(2))
    assert answer["c"] == [0.5, -1.0]
    assert answer["h"] == pytest.approx([0.5 * math.tanh(0.5), 0.5 * math.tanh(-1.0)])


def test_gate_order_is_i_f_g_o(qtype):
    # Forget gate open (rows 2-3), input gate shut (rows 0-1): the cell state is kept.
    keep = qtype.solve(_cell(1, b_ih=[-40.0, -40.0, 40.0, 40.0, 0.0, 0.0, 40.0, 40.0]))
    assert keep["c"] == pytest.approx([1.0, -2.0])
    assert keep["h"] == pytest.approx([math.tanh(1.0), math.tanh(-2.0)])
    # Forget gate shut, input gate open, candidate rows 4-5 saturated at +1: c = 1.
    write = qtype.solve(_cell(1, b_ih=[40.0, 40.0, -40.0, -40.0, 40.0, 40.0, -40.0, -40.0]))
    assert write["c"] == pytest.approx([1.0, 1.0])
    assert write["h"] == pytest.approx([0.0, 0.0], abs=1e-12)  # output gate shut


def _numpy_step(p):
    """Stacked matrix form; sigma through tanh: sigma(z) = (1 + tanh(z / 2)) / 2."""
    z = (np.array(p["w_ih"]) @ np.array(p["x"]) + np.array(p["b_ih"])
         + np.array(p["w_hh"]) @ np.array(p["h_prev"]) + np.array(p["b_hh"]))
    i, f, g, o = z.reshape(4, HIDDEN)
    gate = lambda v: (1 + np.tanh(v / 2)) / 2  # noqa: E731
    c = gate(f) * np.array(p["c_prev"]) + gate(i) * np.tanh(g)
    return gate(o) * np.tanh(c), c


def test_numpy_route(variants):
    for v in variants:
        h, c = _numpy_step(v.params)
        assert v.answer["h"] == pytest.approx(h.tolist(), rel=1e-12, abs=1e-14)
        assert v.answer["c"] == pytest.approx(c.tolist(), rel=1e-12, abs=1e-14)


def test_well_posed_and_varied(qtype, variants):
    halves = {-1.0, -0.5, 0.0, 0.5, 1.0}
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        assert set(p) == {"x", "h_prev", "c_prev", "w_ih", "w_hh", "b_ih", "b_hh"}
        assert set(v.answer) == {"h", "c"}
        n_in = len(p["x"])
        assert n_in in (1, 2) and len(p["h_prev"]) == len(p["c_prev"]) == HIDDEN
        assert np.shape(p["w_ih"]) == (8, n_in) and np.shape(p["w_hh"]) == (8, HIDDEN)
        values = [*p["x"], *p["h_prev"], *p["c_prev"], *p["b_ih"], *p["b_hh"],
                  *(w for row in p["w_ih"] + p["w_hh"] for w in row)]
        assert all(type(w) is float and w in halves for w in values)
        assert any(p["x"]) and any(p["h_prev"])
        # Pre-activations are exact quarter steps, so the gate table is hand-checkable.
        assert all((4 * a).is_integer() for gate in v.work["gates"] for a in gate["pre"])
        assert all(abs(h) < 1 for h in v.answer["h"])
    assert len({str(v.params) for v in variants[:200]}) >= 150
    assert {len(v.params["x"]) for v in variants} == {1, 2}


@pytest.mark.parametrize("change, reason", [
    ({"w_ih": [[0.0]] * 8}, "w_ih must be a 8 x 2"),
    ({"w_hh": [[0.0, 0.0]] * 6}, "w_hh must be a 8 x 2"),
    ({"c_prev": [1.0]}, "c_prev must have the length"),
    ({"b_hh": [0.0] * 7}, "b_hh must be a list of 8"),
    ({"x": [float("nan"), 1.0]}, "x must be a non-empty list"),
    ({"h_prev": [True, 0.0]}, "h_prev must be a non-empty list"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    found = qtype.problems(_cell(2, **change))
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        shown = [fixed(value, 3) for value in v.answer["h"] + v.answer["c"]]
        assert not all(s in f.question for s in shown)
        assert all(s in f.solution for s in shown)
        assert "i, f, g, o" in f.question


def _numpy_variant(p, order="ifgo", forget=True, output=True):
    """The cell with the stacked blocks read in ``order`` and gates optionally left out."""
    z = (np.array(p["w_ih"]) @ np.array(p["x"]) + np.array(p["b_ih"])
         + np.array(p["w_hh"]) @ np.array(p["h_prev"]) + np.array(p["b_hh"]))
    blocks = dict(zip(order, z.reshape(4, HIDDEN)))
    gate = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    c = (gate(blocks["f"]) * np.array(p["c_prev"]) if forget else 0) + gate(blocks["i"]) * np.tanh(blocks["g"])
    return ((gate(blocks["o"]) if output else 1) * np.tanh(c)).tolist()


def test_choice_mistakes_are_the_modelled_slips(qtype):
    params = {"x": [1.0], "h_prev": [0.5, -1.0], "c_prev": [1.0, 0.0],
              "w_ih": [[0.5], [0.0], [1.0], [-0.5], [0.0], [1.0], [-1.0], [0.5]],
              "w_hh": [[1.0, 0.0], [0.0, 0.5], [0.0, 0.0], [-1.0, 0.0], [0.5, 0.0], [0.0, -1.0],
                       [0.0, 0.5], [1.0, 0.0]],
              "b_ih": [0.0] * 8, "b_hh": [0.5] * 8}
    v = qtype.variant(0, params)
    parts = {part.label: part for part in qtype.parts(v)}
    assert qtype.choice_part == "b" and parts["b"].answer == v.answer["h"]
    values = {m.name: m.value for m in parts["b"].mistakes}
    assert values["gate order i, f, o, g"] == pytest.approx(_numpy_variant(params, order="ifog"))
    assert values["no forget gate"] == pytest.approx(_numpy_variant(params, forget=False))
    assert values["no output gate"] == pytest.approx(_numpy_variant(params, output=False))
    assert values["one bias"] == pytest.approx(_numpy_variant({**params, "b_hh": [0.0] * 8}))

    cells = {m.name: m.value for m in parts["a"].mistakes}
    assert cells["gate order i, f, o, g"] == pytest.approx(_numpy_cell(params, order="ifog"))
    assert cells["no forget gate"] == pytest.approx(_numpy_cell(params, forget=False))
    assert cells["no input gate"] == pytest.approx(_numpy_cell(params, input_gate=False))
    assert cells["one bias"] == pytest.approx(_numpy_cell({**params, "b_hh": [0.0] * 8}))


def _numpy_cell(p, order="ifgo", forget=True, input_gate=True):
    """c_t with the stacked blocks read in ``order`` and a gate optionally left out."""
    z = (np.array(p["w_ih"]) @ np.array(p["x"]) + np.array(p["b_ih"])
         + np.array(p["w_hh"]) @ np.array(p["h_prev"]) + np.array(p["b_hh"]))
    blocks = dict(zip(order, z.reshape(4, HIDDEN)))
    gate = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    kept = gate(blocks["f"]) * np.array(p["c_prev"]) if forget else 0
    return (kept + (gate(blocks["i"]) if input_gate else 1) * np.tanh(blocks["g"])).tolist()


def test_both_parts_by_the_numpy_route(qtype, variants):
    for v in variants:
        h, c = _numpy_step(v.params)
        parts = {part.label: part for part in qtype.parts(v)}
        assert parts["a"].answer == pytest.approx(c.tolist(), rel=1e-12, abs=1e-14)
        assert parts["b"].answer == pytest.approx(h.tolist(), rel=1e-12, abs=1e-14)
        assert [(p.kind, p.places) for p in parts.values()] == [("vector", 3), ("vector", 3)]


def _half_up(values, places):
    """numpy values rounded half up (away from zero), as the solution prints them."""
    scale = 10.0 ** places
    return np.sign(values) * np.floor(np.abs(values) * scale + 0.5 + 1e-9) / scale


def test_accepted_values_carry_the_gates_at_three_decimals(qtype, variants):
    # By numpy: the gates rounded to 3 decimals; c_t from them, reported to 3 decimals,
    # then tanh(c_t) rounded to 3 decimals for h_t.
    for v in variants[:100]:
        p = v.params
        z = (np.array(p["w_ih"]) @ np.array(p["x"]) + np.array(p["b_ih"])
             + np.array(p["w_hh"]) @ np.array(p["h_prev"]) + np.array(p["b_hh"]))
        a_i, a_f, a_g, a_o = z.reshape(4, HIDDEN)
        sigma = lambda a: _half_up(1 / (1 + np.exp(-a)), 3)  # noqa: E731
        i, f, g, o = sigma(a_i), sigma(a_f), _half_up(np.tanh(a_g), 3), sigma(a_o)
        c = f * np.array(p["c_prev"]) + i * g
        h = o * _half_up(np.tanh(_half_up(c, 3)), 3)
        parts = {part.label: part for part in qtype.parts(v)}
        assert parts["a"].accepted[0] == pytest.approx(c.tolist(), abs=1e-12)
        assert parts["b"].accepted[0] == pytest.approx(h.tolist(), abs=1e-12)
        assert np.abs(h - np.array(v.answer["h"])).max() < 0.003


def test_worked_steps_round_to_the_answers(variants):
    for v in variants:
        for unit, c, h in zip(v.work["units"], v.answer["c"], v.answer["h"]):
            assert abs(unit["c"] - c) < 5e-5 and abs(unit["h"] - h) < 5e-5
            assert unit["c_apart"] == (fixed(unit["c"], 3) != fixed(c, 3))
            assert unit["h_apart"] == (fixed(unit["h"], 3) != fixed(h, 3))
