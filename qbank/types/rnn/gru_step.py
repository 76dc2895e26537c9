"""One step of a GRU cell in PyTorch's convention (``torch.nn.GRUCell``).

Given the input x_t, the previous hidden state h_{t-1} and the stacked weights, asked:
the new hidden state h_t.

  r = sigma(W_ir x + b_ir + W_hr h + b_hr)    z = sigma(W_iz x + b_iz + W_hz h + b_hz)
  n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
  h_t = (1 - z) * n + z * h_{t-1}                                        (* elementwise)

The reset gate multiplies the hidden part *including* its bias b_hn, as PyTorch does
(the original paper applies r to h before the matrix product).

Params: ``x`` (input size I = 1 or 2), ``h_prev`` (hidden size H = 2), ``w_ih`` (3H x I),
``w_hh`` (3H x H), ``b_ih``, ``b_hh`` (3H each), rows stacked in the gate order r, z, n
as in PyTorch's ``weight_ih``/``weight_hh``.  Every entry is a multiple of 0.5 in
[-1, 1], so the two affine maps give exact quarter-steps.  Answer: ``h`` (H values).

Seed: 003 Q2d writes the GRU's gate equations (in another notation, without numbers).
Example: I = 1, x = (1), h_prev = (1, -1), w_ih = (1, 0, -1, 0.5, 0.5, 1)^T, w_hh rows
(0, 0.5), (1, 0), (0, 0), (0.5, 0.5), (1, 0), (0, -1), b_ih = b_hh = 0: r = sigma(0.5, 1),
z = sigma(-1, 0.5), n = tanh(0.5 + 0.6225 * 1, 1 + 0.7311 * 1), giving
h = (0.8599, -0.2679).

One part, h_t to three decimals (also the multiple-choice part); a student carrying the
gates rounded to three decimals reaches a value that also earns the marks.
"""

import math

from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.parts import Part
from qbank.puremath import sigmoid
from qbank.types.rnn.cell_math import (ANSWER_PLACES, WORK_PLACES, CellParams, affine,
                                      cell_problems, draw_cell, exact, gate_blocks, gate_parts,
                                      gate_weights, reorder_gates, rounded, rounds_apart,
                                      weight_rows)

GATES = ("r", "z", "n")
GATE_NAMES = ("reset gate", "update gate", "candidate")


class Params(CellParams):
    gates = len(GATES)


class GruStep(QuestionType):
    id = "rnn.gru_step"
    title = "One step of a GRU cell"
    topic = "recurrent networks"
    source = "003 Q2d"
    answer_space = "9cm"
    choice_part = "a"
    params_model = Params

    def sample(self, rng):
        return draw_cell(rng, len(GATES))

    def problems(self, params):
        return cell_problems(params, len(GATES), ("h_prev",))

    @staticmethod
    def _gates(params):
        """Per gate: input part, hidden part, the hidden part as used, pre-activation, value."""
        (in_r, in_z, in_n), (hid_r, hid_z, hid_n) = gate_parts(params, len(GATES))
        r = [sigmoid(a + b) for a, b in zip(in_r, hid_r)]
        z = [sigmoid(a + b) for a, b in zip(in_z, hid_z)]
        # Only the candidate's hidden part is gated by r (bias b_hn included).
        reset_hidden = [r_j * b for r_j, b in zip(r, hid_n)]
        n = [math.tanh(a + b) for a, b in zip(in_n, reset_hidden)]
        used = (hid_r, hid_z, reset_hidden)
        return [{"name": name, "long_name": long_name, "input": inp, "hidden": hid,
                 "used": use, "pre": [a + b for a, b in zip(inp, use)], "value": value}
                for name, long_name, inp, hid, use, value in zip(
                    GATES, GATE_NAMES, (in_r, in_z, in_n), (hid_r, hid_z, hid_n), used,
                    (r, z, n))]

    def solve(self, params):
        _, z, n = (gate["value"] for gate in self._gates(params))
        return {"h": [(1 - z_j) * n_j + z_j * h_j
                      for z_j, n_j, h_j in zip(z, n, params["h_prev"])]}

    def worked(self, params, answer):
        gates = self._gates(params)
        units = self.steps(params, gates, WORK_PLACES)
        for unit, value in zip(units, answer["h"]):
            unit["exact"], unit["rounds_apart"] = value, rounds_apart(unit["h"], value)
        return {"gates": gates, "units": units,
                "places": WORK_PLACES, "n_in": len(params["x"]),
                "hidden": len(params["h_prev"]), "rows": weight_rows(params, GATES),
                "weights": gate_weights(params, len(GATES))}

    @staticmethod
    def steps(params, gates, places):
        """Each unit's steps after the affine maps, as the solution prints them: every value
        rounded to ``places`` and computed from the rounded values before it.  ``h`` is the
        sum of the two printed terms, ``carried`` the same mix left unrounded."""
        r_gate, z_gate, n_gate = gates
        units = []
        for j, h_prev in enumerate(params["h_prev"]):
            r, z = rounded(r_gate["value"][j], places), rounded(z_gate["value"][j], places)
            # Sums and products of printed values are exact decimals (a half-way tie rounds up).
            pre = rounded(exact(n_gate["input"][j]) + exact(r) * exact(n_gate["hidden"][j]),
                          places)
            n = rounded(math.tanh(pre), places)
            keep = rounded(1 - exact(z), places)
            new_part = rounded(exact(keep) * exact(n), places)
            old_part = rounded(exact(z) * exact(h_prev), places)
            units.append({"index": j + 1, "r": r, "z": z, "pre": pre, "n": n, "keep": keep,
                          "h_prev": h_prev, "new_part": new_part, "old_part": old_part,
                          "h": rounded(exact(new_part) + exact(old_part), places),
                          "carried": float(exact(keep) * exact(n) + exact(z) * exact(h_prev))})
        return units

    def carried_output(self, params):
        """h_t from the gates, candidate and 1 - z rounded to the three decimals asked for:
        a student who carries those reaches this, and earns the marks."""
        return [unit["carried"] for unit in self.steps(params, self._gates(params), ANSWER_PLACES)]

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        return [Part("a", "Compute the new hidden state $\\mathbf{h}_t$, to three decimal "
                          "places.", "vector", answer["h"], places=ANSWER_PLACES,
                     symbol="\\mathbf{h}_t", mistakes=tuple(self.mistakes(params, answer)),
                     accepted=(self.carried_output(params),))]

    def mistakes(self, params, answer):
        gates = self._gates(params)
        r, z, n = (gate["value"] for gate in gates)
        in_n, hid_n = gates[2]["input"], gates[2]["hidden"]
        h_prev, b_hn = params["h_prev"], gate_blocks(params["b_hh"], len(GATES))[2]

        def with_candidate(hidden_part):
            """h_t with the candidate's hidden part replaced (everything else as it should be)."""
            candidate = [math.tanh(a + b) for a, b in zip(in_n, hidden_part)]
            return [(1 - z_j) * n_j + z_j * h_j for z_j, n_j, h_j in zip(z, candidate, h_prev)]

        # The paper's candidate: r multiplies h_{t-1} before W_hn.
        w_hn = params["w_hh"][2 * len(h_prev):]
        paper = affine(w_hn, [r_j * h_j for r_j, h_j in zip(r, h_prev)], b_hn)
        return [
            Mistake("z convention swapped", "swaps the roles of $\\mathbf{z}$ and $1 - \\mathbf{z}$, "
                    "$\\mathbf{h}_t = \\mathbf{z}\\odot\\mathbf{n} + (1 - \\mathbf{z})\\odot"
                    "\\mathbf{h}_{t-1}$",
                    [z_j * n_j + (1 - z_j) * h_j for z_j, n_j, h_j in zip(z, n, h_prev)]),
            Mistake("reset outside bias", "applies the reset gate to $W_{hn}\\mathbf{h}_{t-1}$ only "
                    "and adds $\\mathbf{b}_{hn}$ outside it",
                    with_candidate([r_j * (h - b) + b for r_j, h, b in zip(r, hid_n, b_hn)])),
            Mistake("no reset", "leaves the reset gate out of the candidate",
                    with_candidate(hid_n)),
            Mistake("gate order z, r, n", "reads the stacked rows in the order $z, r, n$ instead "
                    "of PyTorch's $r, z, n$, swapping the reset and update gates",
                    self.solve(reorder_gates(params, (1, 0, 2)))["h"]),
            Mistake("h = n", "stops at the candidate and forgets to mix it with "
                    "$\\mathbf{h}_{t-1}$, $\\mathbf{h}_t = \\mathbf{n}$", list(n)),
            Mistake("reset before W_hn", "applies the reset gate to $\\mathbf{h}_{t-1}$ before "
                    "multiplying by $W_{hn}$ (the original paper, not PyTorch)",
                    with_candidate(paper)),
            Mistake("one bias", "adds only $\\mathbf{b}_{i\\cdot}$ and forgets the second bias "
                    "$\\mathbf{b}_{h\\cdot}$ of every gate",
                    self.solve({**params, "b_hh": [0.0] * len(params["b_hh"])})["h"]),
        ]
