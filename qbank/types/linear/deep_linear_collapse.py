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

from pydantic import model_validator

from qbank.checks import is_number
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, ShapeError, Vector, fixed_list, nonempty_list

INPUTS = 2
HIDDEN = (2, 3)
OUTPUTS = (1, 2)
WEIGHTS = range(-3, 4)
BIASES = range(-2, 3)
LIMIT_SIZE = 6


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class Params(ParamModel):
    # hidden x 2: the question, its choice prompt and its mistakes are about x in R^2.
    W1: nonempty_list(fixed_list(Real, INPUTS))
    b1: Vector                                # one bias per hidden unit (row of W1)
    W2: nonempty_list(nonempty_list(Real))    # out x hidden
    b2: Vector                                # one bias per output (row of W2)

    @model_validator(mode="after")
    def _layers_fit(self):
        hidden = len(self.W1)
        for index, row in enumerate(self.W2):
            if len(row) != hidden:
                raise ShapeError(f"W2[{index}]", f"has {_count(len(row), 'weight')} but W1 has "
                                 f"{_count(hidden, 'row')} (one per hidden unit)")
        for key, length, rows in (("b1", hidden, "W1"), ("b2", len(self.W2), "W2")):
            bias = getattr(self, key)
            if len(bias) != length:
                raise ShapeError(key, f"has {_count(len(bias), 'value')} but {rows} has "
                                 f"{_count(length, 'row')}")
        return self


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
    choice_prompt = ("Which is the first row of the single equivalent layer, "
                     "$(W_{11}, W_{12}, b_1)$?")
    params_model = Params

    @staticmethod
    def _matrix(rng, rows, columns, nonzero):
        # Rows with at least ``nonzero`` nonzero weights, so every product mixes terms.
        for _ in redraws(__name__):
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

    def choice_value(self, answer):
        return [*answer["W"][0], answer["b"][0]]

    def mistakes(self, params, answer):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        hidden, outputs = len(W1), len(W2)
        row, w_row, b_1 = W2[0], answer["W"][0], answer["b"][0]
        w2_b1 = sum(w * v for w, v in zip(row, b1))
        found = [Mistake("bias b2 only", "forgets that $\\mathbf{b}_1$ passes through $W_2$ too "
                         "and takes $\\mathbf{b} = \\mathbf{b}_2$ instead of "
                         "$W_2\\mathbf{b}_1 + \\mathbf{b}_2$", [*w_row, b2[0]])]
        if hidden == outputs == INPUTS:
            # Only with every layer 2 wide does the reversed composition have the shape of W.
            reversed_w = [sum(W1[0][k] * W2[k][j] for k in range(hidden)) for j in range(INPUTS)]
            reversed_b = sum(w * v for w, v in zip(W1[0], b2)) + b1[0]
            found.append(Mistake("W1 W2", "composes the layers in the wrong order, "
                                 "$W = W_1W_2$ and $\\mathbf{b} = W_1\\mathbf{b}_2 + \\mathbf{b}_1$",
                                 [*reversed_w, reversed_b]))
        if hidden == outputs:
            found.append(Mistake("b1 + b2", "adds the two biases, $\\mathbf{b} = \\mathbf{b}_1 + "
                                 "\\mathbf{b}_2$, without passing $\\mathbf{b}_1$ through $W_2$",
                                 [*w_row, b1[0] + b2[0]]))
        if outputs == INPUTS:
            # W square: the row-vector convention (x^T W1^T W2^T) gives W^T, read row by row.
            found.append(Mistake("W transposed", "computes $W_1^\\top W_2^\\top = W^\\top$ "
                                 "(the row-vector convention) and reads its first row, which is "
                                 "the first column of $W$",
                                 [answer["W"][0][0], answer["W"][1][0], b_1]))
        if hidden == INPUTS:
            # A square W1 read column by column (as if stored transposed) still fits.
            transposed = [sum(row[k] * W1[j][k] for k in range(hidden)) for j in range(INPUTS)]
            found.append(Mistake("W1 transposed", "multiplies the rows of $W_2$ with the rows "
                                 "of $W_1$, i.e.\\ computes $W_2W_1^\\top$", [*transposed, b_1]))
        found += [
            Mistake("no b2", "forgets the second layer's own bias and takes "
                    "$\\mathbf{b} = W_2\\mathbf{b}_1$", [*w_row, w2_b1]),
            Mistake("b1 unweighted", "adds up $\\mathbf{b}_1$ without the weights of $W_2$: "
                    "$b_1 = \\sum_k b_{1,k} + b_{2,1}$", [*w_row, sum(b1) + b2[0]]),
            Mistake("first hidden unit only", "keeps only the path through hidden unit 1 "
                    "instead of summing over all hidden units",
                    [row[0] * W1[0][0], row[0] * W1[0][1], row[0] * b1[0] + b2[0]]),
            Mistake("no bias", "collapses the layers to the purely linear map $W_2W_1\\mathbf{x}$ "
                    "and drops both biases", [*w_row, 0]),
        ]
        return found
