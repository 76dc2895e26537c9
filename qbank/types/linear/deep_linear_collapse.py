"""Two linear layers without an activation collapse into one linear layer.

h = W1 x + b1 and y = W2 h + b2 give y = W2 W1 x + (W2 b1 + b2); asked: show this and
compute the single equivalent layer W, b for the given small integer weights.

Params: ``W1`` (hidden x 2; hidden 2 or 3), ``b1`` (hidden), ``W2`` (out x hidden; out 1
or 2), ``b2`` (out); integers, weights in -3..3, biases in -2..2; no all-zero row in W1 and
at least two nonzero weights in each row of W2.
Matrices are lists of rows.  Answer: ``W`` = W2 W1 (out x 2) and ``b`` = W2 b1 + b2.

Example (seeds 001 Q2 and 004 Q2 argue it symbolically; f1(f2(x)) is one linear map):
W1 = [[1, 2], [0, -1]], b1 = (1, 1), W2 = [[2, 1]], b2 = (-1,) gives
W = [[2, 3]] and b = (2,).
"""

from qbank.checks import is_number
from qbank.model import QuestionType

INPUTS = 2
HIDDEN = (2, 3)
OUTPUTS = (1, 2)
WEIGHTS = range(-3, 4)
BIASES = range(-2, 3)
LIMIT_SIZE = 6


def matrix_problems(name, matrix, rows=None, columns=None):
    """Reasons ``matrix`` is not a non-empty rectangular list of rows of numbers."""
    if (not isinstance(matrix, list) or not 1 <= len(matrix) <= LIMIT_SIZE
            or not all(isinstance(row, list) and 1 <= len(row) <= LIMIT_SIZE for row in matrix)):
        return [f"{name} must be a list of 1 to {LIMIT_SIZE} rows of 1 to {LIMIT_SIZE} numbers"]
    if len({len(row) for row in matrix}) != 1 or not all(is_number(v) for row in matrix for v in row):
        return [f"{name} must have rows of equal length holding finite numbers"]
    if rows is not None and len(matrix) != rows:
        return [f"{name} must have {rows} rows, got {len(matrix)}"]
    if columns is not None and len(matrix[0]) != columns:
        return [f"{name} must have {columns} columns, got {len(matrix[0])}"]
    return []


class DeepLinearCollapse(QuestionType):
    id = "linear.deep_linear_collapse"
    title = "Two linear layers without activation are one linear layer"
    topic = "linear models"
    source = "001 Q2, 004 Q2"

    @staticmethod
    def _matrix(rng, rows, columns, nonzero):
        # Rows with at least ``nonzero`` nonzero weights, so every product mixes terms.
        while True:
            matrix = [[int(v) for v in rng.choice(WEIGHTS, size=columns)] for _ in range(rows)]
            if all(sum(v != 0 for v in row) >= nonzero for row in matrix):
                return matrix

    def sample(self, rng):
        hidden, outputs = int(rng.choice(HIDDEN)), int(rng.choice(OUTPUTS))
        return {"W1": self._matrix(rng, hidden, INPUTS, nonzero=1),
                "b1": [int(v) for v in rng.choice(BIASES, size=hidden)],
                "W2": self._matrix(rng, outputs, hidden, nonzero=2),
                "b2": [int(v) for v in rng.choice(BIASES, size=outputs)]}

    def problems(self, params):
        first = matrix_problems("W1", params["W1"])
        if first:
            return first
        hidden = len(params["W1"])
        second = matrix_problems("W2", params["W2"], columns=hidden)
        if second:
            return second
        reasons = []
        for name, length in (("b1", hidden), ("b2", len(params["W2"]))):
            bias = params[name]
            if not (isinstance(bias, list) and len(bias) == length and all(map(is_number, bias))):
                reasons.append(f"{name} must be a list of {length} finite numbers")
        return reasons

    def solve(self, params):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        W = [[sum(row[k] * W1[k][j] for k in range(len(W1))) for j in range(len(W1[0]))]
             for row in W2]
        b = [sum(row[k] * b1[k] for k in range(len(b1))) + bias for row, bias in zip(W2, b2)]
        return {"W": W, "b": b}

    def worked(self, params, answer):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        # Each entry of W2 W1 as its list of products (W2[i][k], W1[k][j]).
        w_entries = [[{"terms": [(row[k], W1[k][j]) for k in range(len(W1))], "value": answer["W"][i][j]}
                      for j in range(len(W1[0]))] for i, row in enumerate(W2)]
        b_entries = [{"terms": [(row[k], b1[k]) for k in range(len(b1))], "bias": b2[i],
                      "value": answer["b"][i]} for i, row in enumerate(W2)]
        # A check at x = (1, ..., 1): through both layers, and through the single layer.
        hidden = [sum(row) + bias for row, bias in zip(W1, b1)]
        through_layers = [sum(w * h for w, h in zip(row, hidden)) + bias for row, bias in zip(W2, b2)]
        through_single = [sum(row) + bias for row, bias in zip(answer["W"], answer["b"])]
        return {"w_entries": w_entries, "b_entries": b_entries, "ones": [1] * len(W1[0]),
                "check_hidden": hidden, "check_layers": through_layers,
                "check_single": through_single}
