"""One step of an LSTM cell in PyTorch's convention (``torch.nn.LSTMCell``).

Given the input x_t, the previous hidden state h_{t-1} and cell state c_{t-1}, and the
stacked weights, asked: the new cell state c_t and hidden state h_t.

  i = sigma(W_ii x + b_ii + W_hi h + b_hi)    f = sigma(W_if x + b_if + W_hf h + b_hf)
  g = tanh(W_ig x + b_ig + W_hg h + b_hg)     o = sigma(W_io x + b_io + W_ho h + b_ho)
  c_t = f * c_{t-1} + i * g                   h_t = o * tanh(c_t)        (* elementwise)

Params: ``x`` (input size I = 1 or 2), ``h_prev``, ``c_prev`` (hidden size H = 2),
``w_ih`` (4H x I), ``w_hh`` (4H x H), ``b_ih``, ``b_hh`` (4H each), rows stacked in the
gate order i, f, g, o as in PyTorch's ``weight_ih``/``weight_hh``.  Every entry is a
multiple of 0.5 in [-1, 1], so each pre-activation is an exact quarter-step and the
step can be done with a basic calculator.  Answer: ``h``, ``c`` (H values each).

Seed: 003 Q1d names the gates and 002 Q4 explains why the cell state carries gradients
over long spans; neither has numbers.  Example: I = 1, x = (1), h_prev = (0.5, -1),
c_prev = (1, 0), w_ih = (0.5, 0, 1, -0.5, 0, 1, -1, 0.5)^T, w_hh rows
(1, 0), (0, 0.5), (0, 0), (-1, 0), (0.5, 0), (0, -1), (0, 0.5), (1, 0), b_ih = b_hh = 0:
pre-activations i (1, -0.5), f (1, -1), g (0.25, 2), o (-1.5, 1), giving
c = (0.9101, 0.3640) and h = (0.1316, 0.2549).

Parts: (a) c_t and (b) h_t, to three decimals; (b) is the multiple-choice part.  A student
carrying the gates (and c_t) rounded to three decimals reaches values that also earn the
marks.
"""

import math

from pydantic import model_validator

from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import Vector, check_same_length
from qbank.parts import Part
from qbank.puremath import sigmoid
from qbank.types.rnn.cell_math import (ANSWER_PLACES, HIDDEN_SIZE, WORK_PLACES, CellParams,
                                      cell_problems, draw_cell, draw_vector, exact, gate_parts,
                                      gate_weights, reorder_gates, rounded, rounds_apart,
                                      weight_rows)

GATES = ("i", "f", "g", "o")
GATE_NAMES = ("input gate", "forget gate", "cell candidate", "output gate")
ACTIVATIONS = (sigmoid, sigmoid, math.tanh, sigmoid)


class Params(CellParams):
    gates = len(GATES)
    c_prev: Vector   # the previous cell state, one value per hidden unit

    @model_validator(mode="after")
    def _cell_state_fits(self):
        check_same_length(self, "h_prev", "c_prev")
        return self


class LstmStep(QuestionType):
    id = "rnn.lstm_step"
    title = "One step of an LSTM cell"
    topic = "recurrent networks"
    source = "003 Q1d, 002 Q4"
    answer_space = "10cm"
    choice_part = "b"
    params_model = Params

    def sample(self, rng):
        cell = draw_cell(rng, len(GATES))
        return {"x": cell["x"], "h_prev": cell["h_prev"], "c_prev": draw_vector(rng, HIDDEN_SIZE),
                "w_ih": cell["w_ih"], "w_hh": cell["w_hh"],
                "b_ih": cell["b_ih"], "b_hh": cell["b_hh"]}

    def problems(self, params):
        return cell_problems(params, len(GATES), ("h_prev", "c_prev"))

    @staticmethod
    def _gates(params):
        """Per gate: input part, hidden part, pre-activation and activation, per unit."""
        from_input, from_hidden = gate_parts(params, len(GATES))
        gates = []
        for name, activation, inp, hid in zip(GATES, ACTIVATIONS, from_input, from_hidden):
            pre = [a + b for a, b in zip(inp, hid)]
            gates.append({"name": name, "input": inp, "hidden": hid, "pre": pre,
                          "value": [activation(z) for z in pre]})
        return gates

    def solve(self, params):
        i, f, g, o = (gate["value"] for gate in self._gates(params))
        c = [f_j * c_j + i_j * g_j for f_j, c_j, i_j, g_j in zip(f, params["c_prev"], i, g)]
        h = [o_j * math.tanh(c_j) for o_j, c_j in zip(o, c)]
        return {"h": h, "c": c}

    def worked(self, params, answer):
        gates = self._gates(params)
        hidden = len(params["h_prev"])
        for gate, long_name in zip(gates, GATE_NAMES):
            gate["long_name"] = long_name
        units = self.steps(params, gates, WORK_PLACES)
        for unit, c, h in zip(units, answer["c"], answer["h"]):
            unit.update(exact_c=c, exact_h=h, c_apart=rounds_apart(unit["c"], c),
                        h_apart=rounds_apart(unit["h"], h))
        return {"gates": gates, "units": units, "places": WORK_PLACES,
                "n_in": len(params["x"]), "hidden": hidden,
                "rows": weight_rows(params, GATES),
                "weights": gate_weights(params, len(GATES))}

    @staticmethod
    def steps(params, gates, places):
        """Each unit's steps after the gates, as the solution prints them: every value rounded
        to ``places`` and computed from the rounded values before it.  ``carried_c`` and
        ``carried_h`` are the results left unrounded, h from c rounded as it is reported."""
        i, f, g, o = ([rounded(value, places) for value in gate["value"]] for gate in gates)
        units = []
        for j, c_prev in enumerate(params["c_prev"]):
            # Sums and products of printed values are exact decimals (a half-way tie rounds up).
            kept = rounded(exact(f[j]) * exact(c_prev), places)
            written = rounded(exact(i[j]) * exact(g[j]), places)
            carried_c = float(exact(f[j]) * exact(c_prev) + exact(i[j]) * exact(g[j]))
            c = rounded(exact(kept) + exact(written), places)
            tanh_c = rounded(math.tanh(c), places)
            units.append({"index": j + 1, "i": i[j], "f": f[j], "g": g[j], "o": o[j],
                          "c_prev": c_prev, "kept": kept, "written": written, "c": c,
                          "tanh_c": tanh_c, "h": rounded(exact(o[j]) * exact(tanh_c), places),
                          "carried_c": carried_c,
                          "carried_h": float(exact(o[j]) * exact(rounded(
                              math.tanh(rounded(carried_c, places)), places)))})
        return units

    def carried(self, params):
        """c_t and h_t from the gates (and c_t) rounded to the three decimals asked for: a
        student who carries those reaches these, and earns the marks."""
        units = self.steps(params, self._gates(params), ANSWER_PLACES)
        return [u["carried_c"] for u in units], [u["carried_h"] for u in units]

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        carried_c, carried_h = self.carried(params)
        return [
            Part("a", "the new cell state $\\mathbf{c}_t$;", "vector", answer["c"],
                 places=ANSWER_PLACES, symbol="\\mathbf{c}_t",
                 mistakes=tuple(self._cell_mistakes(params, answer)), accepted=(carried_c,)),
            Part("b", "the new hidden state $\\mathbf{h}_t$.", "vector", answer["h"],
                 places=ANSWER_PLACES, symbol="\\mathbf{h}_t",
                 mistakes=tuple(self.mistakes(params, answer)), accepted=(carried_h,)),
        ]

    def _cell_mistakes(self, params, answer):
        """The slips that already change the cell state, as the c_t they lead to."""
        i, f, g, _ = (gate["value"] for gate in self._gates(params))
        c_prev = params["c_prev"]
        return [
            Mistake("gate order i, f, o, g", "reads the stacked rows in the order $i, f, o, g$ "
                    "instead of PyTorch's $i, f, g, o$, swapping the cell candidate and the "
                    "output gate", self.solve(reorder_gates(params, (0, 1, 3, 2)))["c"]),
            Mistake("no forget gate", "drops the old cell state, $\\mathbf{c}_t = "
                    "\\mathbf{i}\\odot\\mathbf{g}$", [i_j * g_j for i_j, g_j in zip(i, g)]),
            Mistake("no input gate", "adds the candidate without the input gate, "
                    "$\\mathbf{c}_t = \\mathbf{f}\\odot\\mathbf{c}_{t-1} + \\mathbf{g}$",
                    [f_j * p_j + g_j for f_j, p_j, g_j in zip(f, c_prev, g)]),
            Mistake("one bias", "adds only $\\mathbf{b}_{i\\cdot}$ and forgets the second bias "
                    "$\\mathbf{b}_{h\\cdot}$ of every gate",
                    self.solve({**params, "b_hh": [0.0] * len(params["b_hh"])})["c"]),
            Mistake("i and f swapped", "swaps the roles of the input and forget gates, "
                    "$\\mathbf{c}_t = \\mathbf{i}\\odot\\mathbf{c}_{t-1} + "
                    "\\mathbf{f}\\odot\\mathbf{g}$",
                    [i_j * p_j + f_j * g_j for i_j, p_j, f_j, g_j in zip(i, c_prev, f, g)]),
        ]

    def mistakes(self, params, answer):
        i, f, g, o = (gate["value"] for gate in self._gates(params))
        c_prev, c = params["c_prev"], answer["c"]

        def hidden(i, f, g, o):
            return [o_j * math.tanh(f_j * p_j + i_j * g_j)
                    for i_j, f_j, g_j, o_j, p_j in zip(i, f, g, o, c_prev)]

        return [
            Mistake("gate order i, f, o, g", "reads the stacked rows in the order $i, f, o, g$ "
                    "instead of PyTorch's $i, f, g, o$, swapping the cell candidate and the "
                    "output gate", self.solve(reorder_gates(params, (0, 1, 3, 2)))["h"]),
            Mistake("no forget gate", "drops the old cell state, $\\mathbf{c}_t = "
                    "\\mathbf{i}\\odot\\mathbf{g}$", hidden(i, [0.0] * len(f), g, o)),
            Mistake("no output gate", "forgets the output gate, "
                    "$\\mathbf{h}_t = \\tanh(\\mathbf{c}_t)$", [math.tanh(c_j) for c_j in c]),
            Mistake("no tanh", "forgets the $\\tanh$ on the cell state, $\\mathbf{h}_t = "
                    "\\mathbf{o}\\odot\\mathbf{c}_t$", [o_j * c_j for o_j, c_j in zip(o, c)]),
            Mistake("one bias", "adds only $\\mathbf{b}_{i\\cdot}$ and forgets the second bias "
                    "$\\mathbf{b}_{h\\cdot}$ of every gate",
                    self.solve({**params, "b_hh": [0.0] * len(params["b_hh"])})["h"]),
            Mistake("i and f swapped", "swaps the roles of the input and forget gates, "
                    "$\\mathbf{c}_t = \\mathbf{i}\\odot\\mathbf{c}_{t-1} + "
                    "\\mathbf{f}\\odot\\mathbf{g}$", hidden(f, i, g, o)),
            Mistake("old cell state", "squashes the previous cell state, $\\mathbf{h}_t = "
                    "\\mathbf{o}\\odot\\tanh(\\mathbf{c}_{t-1})$",
                    [o_j * math.tanh(p_j) for o_j, p_j in zip(o, c_prev)]),
        ]
