"""Pure-Python arithmetic, drawing and checks shared by the LSTM and GRU step types.

Weights are in PyTorch layout: ``w_ih`` is (gates * H) x I and ``w_hh`` is (gates * H) x H,
rows stacked gate by gate, so rows ``g*H`` to ``g*H + H - 1`` belong to gate ``g``.
Everything is computed on Python floats with ``math`` so answers are bit-identical on
every machine.

The worked solutions print their intermediates to ``WORK_PLACES`` decimals and compute
each printed value from the printed values before it (``rounded``), so every printed step
adds up as printed; with five decimals the rounding stays far below the third decimal the
question asks for.  The same steps carried at ``ANSWER_PLACES`` give the values a student
reaches by carrying the rounded intermediates, which also earn the marks.
"""

from decimal import Decimal
from typing import ClassVar

from pydantic import model_validator

from qbank.checks import is_number
from qbank.param_models import Matrix, ParamModel, Real, ShapeError, Vector, nonempty_list
from qbank.model import redraws
from qbank.render.numbers import fixed

HIDDEN_SIZE = 2
INPUT_SIZES = (1, 2)
# Entries are multiples of 0.5 in [-1, 1]: exact in binary, so every pre-activation is
# an exact quarter-step a student can check; zero is a little more likely, which
# shortens the hand computation.
HALVES = (-1.0, -0.5, 0.0, 0.5, 1.0)
HALF_WEIGHTS = (0.175, 0.175, 0.3, 0.175, 0.175)
ANSWER_PLACES = 3   # "to three decimal places"
WORK_PLACES = 5     # the worked solution's intermediates


def rounds_apart(shown: float, exact: float) -> bool:
    """True when a printed working value would round to another answer than the exact value
    does (rare: the exact value lies within the working's rounding of a half-way point)."""
    return fixed(shown, ANSWER_PLACES) != fixed(exact, ANSWER_PLACES)


def exact(value) -> Decimal:
    """A printed (or exact quarter-step) number as the decimal it reads, for arithmetic on
    printed values without binary error: 0.269 x 1.5 is 0.4035, a tie rounded up."""
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def rounded(value, places: int | None) -> float:
    """``value`` (a float, or an exact Decimal) as printed to ``places`` decimals, half up
    as the templates print; None leaves it unrounded."""
    return float(value) if places is None else float(fixed(value, places))


def entries_text(count: int, noun: str = "entry", nouns: str = "entries") -> str:
    return f"{count} {noun if count == 1 else nouns}"


class CellParams(ParamModel):
    """The parameters of one cell step with ``gates`` gates (a subclass sets it).

    The input size I is the length of ``x`` and the hidden size H that of ``h_prev``;
    the weights and biases are checked against them: ``w_ih`` (gates * H) x I,
    ``w_hh`` (gates * H) x H, ``b_ih`` and ``b_hh`` gates * H each.
    """

    gates: ClassVar[int]

    x: nonempty_list(Real)
    h_prev: nonempty_list(Real)
    w_ih: Matrix
    w_hh: Matrix
    b_ih: Vector
    b_hh: Vector

    @model_validator(mode="after")
    def _weights_fit_the_cell(self):
        hidden = len(self.h_prev)
        rows = self.gates * hidden
        need = (f"{self.gates} gates of {entries_text(hidden, 'unit', 'units')} (the length "
                f"of h_prev) need {rows}")
        for key, partner, cols in (("w_ih", "x", len(self.x)), ("w_hh", "h_prev", hidden)):
            matrix = getattr(self, key)
            if len(matrix) != rows:
                raise ShapeError(key, f"has {entries_text(len(matrix), 'row', 'rows')} but {need}")
            for index, row in enumerate(matrix):
                if len(row) != cols:
                    raise ShapeError(f"{key}[{index}]", f"has {entries_text(len(row))} but "
                                     f"{partner} has {cols}")
        for key in ("b_ih", "b_hh"):
            if len(getattr(self, key)) != rows:
                raise ShapeError(key, f"has {entries_text(len(getattr(self, key)))} but {need}")
        return self


def draw_vector(rng, size, nonzero=False):
    """``size`` half-steps in [-1, 1]; ``nonzero`` redraws an all-zero vector."""
    for _ in redraws(__name__):
        values = [float(v) for v in rng.choice(HALVES, size=size, p=HALF_WEIGHTS)]
        if not nonzero or any(values):
            return values


def draw_matrix(rng, rows, cols):
    return [draw_vector(rng, cols) for _ in range(rows)]


def draw_cell(rng, gates):
    """Input, previous hidden state and stacked weights of a cell with ``gates`` gates."""
    n_in = int(rng.choice(INPUT_SIZES))
    rows = gates * HIDDEN_SIZE
    return {"x": draw_vector(rng, n_in, nonzero=True),
            "h_prev": draw_vector(rng, HIDDEN_SIZE, nonzero=True),
            "w_ih": draw_matrix(rng, rows, n_in), "w_hh": draw_matrix(rng, rows, HIDDEN_SIZE),
            "b_ih": draw_vector(rng, rows), "b_hh": draw_vector(rng, rows)}


def affine(matrix, vector, bias):
    """matrix @ vector + bias, row by row."""
    return [sum(w * v for w, v in zip(row, vector)) + b for row, b in zip(matrix, bias)]


def gate_blocks(values, gates):
    """Split a stacked (gates * H) vector into one H-vector per gate."""
    hidden = len(values) // gates
    return [values[g * hidden:(g + 1) * hidden] for g in range(gates)]


def _is_vector(value, length=None):
    return (isinstance(value, list) and len(value) >= 1 and all(is_number(v) for v in value)
            and (length is None or len(value) == length))


def _is_matrix(value, rows, cols):
    return (isinstance(value, list) and len(value) == rows
            and all(_is_vector(row, cols) for row in value))


def cell_problems(params, gates, state_keys):
    """Reasons the input, states, weights and biases do not fit one cell of ``gates`` gates."""
    bad = [f"{key} must be a non-empty list of numbers"
           for key in ("x", *state_keys) if not _is_vector(params[key])]
    if bad:
        return bad
    n_in, hidden = len(params["x"]), len(params["h_prev"])
    rows = gates * hidden
    reasons = [f"{key} must have the length of h_prev ({hidden})"
               for key in state_keys if len(params[key]) != hidden]
    reasons += [f"{key} must be a {rows} x {cols} matrix of numbers ({gates} gates of "
                f"{hidden} rows, PyTorch layout)"
                for key, cols in (("w_ih", n_in), ("w_hh", hidden))
                if not _is_matrix(params[key], rows, cols)]
    reasons += [f"{key} must be a list of {rows} numbers"
                for key in ("b_ih", "b_hh") if not _is_vector(params[key], rows)]
    return reasons


def gate_parts(params, gates):
    """Per gate, the input part W_i x + b_i and the hidden part W_h h + b_h."""
    from_input = affine(params["w_ih"], params["x"], params["b_ih"])
    from_hidden = affine(params["w_hh"], params["h_prev"], params["b_hh"])
    return gate_blocks(from_input, gates), gate_blocks(from_hidden, gates)


def weight_rows(params, gate_names):
    """The stacked parameters row by row, labelled with their gate and unit, for a table."""
    hidden = len(params["h_prev"])
    return [{"gate": gate_names[r // hidden], "unit": r % hidden + 1, "w_ih": params["w_ih"][r],
             "b_ih": params["b_ih"][r], "w_hh": params["w_hh"][r], "b_hh": params["b_hh"][r],
             "last_of_gate": r % hidden == hidden - 1}
            for r in range(len(params["b_ih"]))]


def gate_weights(params, gate_count):
    """Per gate, its block of rows of w_ih, b_ih, w_hh and b_hh."""
    keys = ("w_ih", "b_ih", "w_hh", "b_hh")
    blocks = {key: gate_blocks(params[key], gate_count) for key in keys}
    return [{key: blocks[key][g] for key in keys} for g in range(gate_count)]


def reorder_gates(params, order):
    """The parameters with the gate blocks of every weight and bias stacked in ``order``."""
    reordered = dict(params)
    for key in ("w_ih", "w_hh", "b_ih", "b_hh"):
        blocks = gate_blocks(params[key], len(order))
        reordered[key] = [row for index in order for row in blocks[index]]
    return reordered
