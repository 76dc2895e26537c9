"""rnn.gru_step: a hand-checked example, gate-order and reset-convention probes, numpy route."""

import math

import numpy as np
import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed

ID = "rnn.gru_step"
SEEDS = range(300)
HIDDEN = 2


def _cell(n_in, **overrides):
    params = {"x": [1.0] * n_in, "h_prev": [0.5, -1.0],
              "w_ih": [[0.0] * n_in for _ in range(6)], "w_hh": [[0.0, 0.0] for _ in range(6)],
              "b_ih": [0.0] * 6, "b_hh": [0.0] * 6}
    params.update(overrides)
    return params


def test_docstring_example_checked_by_hand(qtype):
    # Seed 003 Q2d writes the GRU equations without numbers; worked on paper:
    # r = sigma(0.5, 1), z = sigma(-1, 0.5), n = tanh(0.5 + r1 * 1, 1 + r2 * 1).
    params = {"x": [1.0], "h_prev": [1.0, -1.0],
              "w_ih": [[1.0], [0.0], [-1.0], [0.5], [0.5], [1.0]],
              "w_hh": [[0.0, 0.5], [1.0, 0.0], [0.0, 0.0], [0.5, 0.5], [1.0, 0.0], [0.0, -1.0]],
              "b_ih": [0.0] * 6, "b_hh": [0.0] * 6}
    assert qtype.variant(0, params).answer["h"] == pytest.approx([0.8599, -0.2679], abs=5e-5)


def test_zero_weights_halve_the_state(qtype):
    # z = sigma(0) = 1/2 and n = tanh(0) = 0, so h = h_prev / 2.
    assert qtype.solve(_cell(2))["h"] == [0.25, -0.5]


def test_gate_order_is_r_z_n(qtype):
    # Update gate (rows 2-3) open: the old state is copied.
    copied = qtype.solve(_cell(1, b_ih=[0.0, 0.0, 40.0, 40.0, 1.0, 1.0]))["h"]
    assert copied == pytest.approx([0.5, -1.0])
    # Update gate shut: h = n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), here tanh(1 + 1/2 * 0).
    assert qtype.solve(_cell(1, b_ih=[0.0, 0.0, -40.0, -40.0, 1.0, 1.0]))["h"] == pytest.approx(
        [math.tanh(1.0)] * 2)


def test_reset_gate_scales_b_hn_as_pytorch_does(qtype):
    # Reset gate shut (r ~ 0) and update gate shut: PyTorch drops b_hn along with W_hn h
    # (the paper's W(r * h) + b would keep it), so h = tanh(b_in) = tanh(0.5).
    h = qtype.solve(_cell(1, b_ih=[-40.0, -40.0, -40.0, -40.0, 0.5, 0.5],
                          b_hh=[0.0, 0.0, 0.0, 0.0, 2.0, 2.0]))["h"]
    assert h == pytest.approx([math.tanh(0.5)] * 2)
    # Reset gate open: b_hn counts in full, tanh(0.5 + 2).
    h = qtype.solve(_cell(1, b_ih=[40.0, 40.0, -40.0, -40.0, 0.5, 0.5],
                          b_hh=[0.0, 0.0, 0.0, 0.0, 2.0, 2.0]))["h"]
    assert h == pytest.approx([math.tanh(2.5)] * 2)


def _numpy_step(p):
    """Stacked matrix form; sigma through tanh: sigma(z) = (1 + tanh(z / 2)) / 2."""
    gi = np.array(p["w_ih"]) @ np.array(p["x"]) + np.array(p["b_ih"])
    gh = np.array(p["w_hh"]) @ np.array(p["h_prev"]) + np.array(p["b_hh"])
    (i_r, i_z, i_n), (h_r, h_z, h_n) = gi.reshape(3, HIDDEN), gh.reshape(3, HIDDEN)
    gate = lambda v: (1 + np.tanh(v / 2)) / 2  # noqa: E731
    r, z = gate(i_r + h_r), gate(i_z + h_z)
    n = np.tanh(i_n + r * h_n)
    return n + z * (np.array(p["h_prev"]) - n)  # (1 - z) n + z h, rearranged


def test_numpy_route(variants):
    for v in variants:
        assert v.answer["h"] == pytest.approx(_numpy_step(v.params).tolist(), rel=1e-12, abs=1e-14)


def test_well_posed_and_varied(qtype, variants):
    halves = {-1.0, -0.5, 0.0, 0.5, 1.0}
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        assert set(p) == {"x", "h_prev", "w_ih", "w_hh", "b_ih", "b_hh"}
        assert set(v.answer) == {"h"}
        n_in = len(p["x"])
        assert n_in in (1, 2) and len(p["h_prev"]) == HIDDEN
        assert np.shape(p["w_ih"]) == (6, n_in) and np.shape(p["w_hh"]) == (6, HIDDEN)
        values = [*p["x"], *p["h_prev"], *p["b_ih"], *p["b_hh"],
                  *(w for row in p["w_ih"] + p["w_hh"] for w in row)]
        assert all(type(w) is float and w in halves for w in values)
        assert any(p["x"]) and any(p["h_prev"])
        # The two affine parts are exact quarter steps.
        assert all((4 * a).is_integer() for gate in v.work["gates"]
                   for a in gate["input"] + gate["hidden"])
    assert len({str(v.params) for v in variants[:200]}) >= 150
    assert {len(v.params["x"]) for v in variants} == {1, 2}


@pytest.mark.parametrize("change, reason", [
    ({"w_ih": [[0.0, 0.0]] * 8}, "w_ih must be a 6 x 2"),
    ({"w_hh": [[0.0]] * 6}, "w_hh must be a 6 x 2"),
    ({"b_ih": [0.0] * 8}, "b_ih must be a list of 6"),
    ({"x": []}, "x must be a non-empty list"),
    ({"h_prev": "0.5"}, "h_prev must be a non-empty list"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    found = qtype.problems(_cell(2, **change))
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        shown = [fixed(value, 3) for value in v.answer["h"]]
        assert not all(s in f.question for s in shown)
        assert all(s in f.solution for s in shown)
        assert "r, z, n" in f.question


def _numpy_variant(p, order="rzn", swap_z=False, reset="pytorch"):
    """The cell with blocks read in ``order``, the z convention and the reset placement varied."""
    w_hh, b_hh = np.array(p["w_hh"]), np.array(p["b_hh"])
    gi = dict(zip(order, (np.array(p["w_ih"]) @ np.array(p["x"]) + np.array(p["b_ih"])).reshape(3, HIDDEN)))
    gh = dict(zip(order, (w_hh @ np.array(p["h_prev"]) + b_hh).reshape(3, HIDDEN)))
    gate = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    r, z = gate(gi["r"] + gh["r"]), gate(gi["z"] + gh["z"])
    b_hn = b_hh[2 * HIDDEN:]
    hidden = {"pytorch": r * gh["n"], "outside": r * (gh["n"] - b_hn) + b_hn, "none": gh["n"]}[reset]
    n, h = np.tanh(gi["n"] + hidden), np.array(p["h_prev"])
    return (z * n + (1 - z) * h if swap_z else (1 - z) * n + z * h).tolist()


def test_choice_mistakes_are_the_modelled_slips(qtype):
    params = {"x": [1.0], "h_prev": [1.0, -1.0],
              "w_ih": [[1.0], [0.0], [-1.0], [0.5], [0.5], [1.0]],
              "w_hh": [[0.0, 0.5], [1.0, 0.0], [0.0, 0.0], [0.5, 0.5], [1.0, 0.0], [0.0, -1.0]],
              "b_ih": [0.0] * 6, "b_hh": [0.0, 0.0, 0.0, 0.0, 0.5, -0.5]}
    v = qtype.variant(0, params)
    assert v.answer["h"] == pytest.approx(_numpy_variant(params))
    (part,) = qtype.parts(v)
    assert qtype.choice_part == part.label == "a" and part.answer == v.answer["h"]
    values = {m.name: m.value for m in part.mistakes}
    assert values["z convention swapped"] == pytest.approx(_numpy_variant(params, swap_z=True))
    assert values["reset outside bias"] == pytest.approx(_numpy_variant(params, reset="outside"))
    assert values["no reset"] == pytest.approx(_numpy_variant(params, reset="none"))
    assert values["gate order z, r, n"] == pytest.approx(_numpy_variant(params, order="zrn"))


def _half_up(values, places):
    """numpy values rounded half up (away from zero), as the solution prints them."""
    scale = 10.0 ** places
    return np.sign(values) * np.floor(np.abs(values) * scale + 0.5 + 1e-9) / scale


def test_accepted_value_carries_the_gates_at_three_decimals(qtype, variants):
    # By numpy: r, z, the candidate's pre-activation, n and 1 - z rounded to 3 decimals.
    for v in variants[:100]:
        p = v.params
        gi = np.array(p["w_ih"]) @ np.array(p["x"]) + np.array(p["b_ih"])
        gh = np.array(p["w_hh"]) @ np.array(p["h_prev"]) + np.array(p["b_hh"])
        (i_r, i_z, i_n), (h_r, h_z, h_n) = gi.reshape(3, HIDDEN), gh.reshape(3, HIDDEN)
        r, z = (_half_up(1 / (1 + np.exp(-(a + b))), 3) for a, b in ((i_r, h_r), (i_z, h_z)))
        n = _half_up(np.tanh(_half_up(i_n + r * h_n, 3)), 3)
        carried = (1 - z) * n + z * np.array(p["h_prev"])
        (part,) = qtype.parts(v)
        assert part.accepted[0] == pytest.approx(carried.tolist(), abs=1e-12)
        # Carrying the rounded gates moves h by less than the working's own rounding allows.
        assert np.abs(carried - np.array(v.answer["h"])).max() < 0.002


def test_worked_steps_add_up_and_round_to_the_answer(qtype, variants):
    for v in variants:
        for unit, exact in zip(v.work["units"], v.answer["h"]):
            assert abs(unit["h"] - exact) < 5e-5
            assert unit["rounds_apart"] == (fixed(unit["h"], 3) != fixed(exact, 3))
