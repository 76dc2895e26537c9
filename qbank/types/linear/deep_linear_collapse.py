"""Two linear layers without an activation collapse into one linear layer.

h = W1 x + b1 and y = W2 h + b2 give y = W2 W1 x + (W2 b1 + b2); asked: show this and
compute the single equivalent layer W, b for the given small integer weights.

Params: ``W1`` (hidden x 2; hidden 2 or 3), ``b1`` (hidden), ``W2`` (out x hidden; out 1
or 2), ``b2`` (out); integers, weights in -3..3, biases in -2..2; no all-zero row in W1 and
at least two nonzero weights in each row of W2.
Matrices are lists of rows.  Answer: ``W`` = W2 W1 (out x 2) and ``b`` = W2 b1 + b2.

Parts: (a) the argument, W and b in symbols (marked by hand); (b) W and b for the given
weights as one matrix [W | b], a row (W_i1, W_i2, b_i) per output (weight 2; the part a
multiple-choice item offers: W and b share their rows, and b alone, a few small integers,
would too often leave fewer than three distinct options); (c) what this says about depth
without activations (marked by hand).

Example (seeds 001 Q2 and 004 Q2 argue it symbolically; f1(f2(x)) is one linear map):
W1 = [[1, 2], [0, -1]], b1 = (1, 1), W2 = [[2, 1]], b2 = (-1,) gives
W = [[2, 3]] and b = (2,).
"""

from pydantic import model_validator

from qbank.checks import is_number
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, ShapeError, Vector, fixed_list, nonempty_list
from qbank.parts import Part, RubricLine

INPUTS = 2
HIDDEN = (2, 3)
OUTPUTS = (1, 2)
WEIGHTS = range(-3, 4)
BIASES = range(-2, 3)
LIMIT_SIZE = 6
# The slips, most common first (the first three distinct ones are a choice item's options).
MISTAKE_ORDER = ("bias b2 only", "W1 W2", "b1 + b2", "W transposed", "W1 transposed", "no b2",
                 "b1 unweighted", "first hidden unit only", "no bias")
COLLAPSE_ANSWER = (
    "Substituting $\\mathbf{h}$: $\\hat{\\mathbf{y}} = W_2(W_1\\mathbf{x} + \\mathbf{b}_1) + "
    "\\mathbf{b}_2 = (W_2W_1)\\mathbf{x} + (W_2\\mathbf{b}_1 + \\mathbf{b}_2)$, one linear layer "
    "with $W = W_2W_1$ and $\\mathbf{b} = W_2\\mathbf{b}_1 + \\mathbf{b}_2$.")
COLLAPSE_RUBRIC = (
    RubricLine(0.5, "substitutes the first layer into the second and multiplies out"),
    RubricLine(0.5, "$W = W_2W_1$ (in this order) and $\\mathbf{b} = W_2\\mathbf{b}_1 + "
                    "\\mathbf{b}_2$"),
)
DEPTH_ANSWER = (
    "Any stack of linear layers collapses to one linear (affine) layer, so extra depth without "
    "non-linear activations adds parameters but no expressive power: the network still "
    "represents only affine functions of $\\mathbf{x}$.")
DEPTH_RUBRIC = (
    RubricLine(0.5, "a stack of linear layers is still a single affine map, however deep"),
    RubricLine(0.5, "so depth adds no expressive power (e.g.\\ no XOR); non-linear activations "
                    "are what make depth useful"),
)


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
    choice_part = "b"
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

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        return [
            Part("a", "Show that the network computes the same function as a single linear "
                      "layer $\\hat{\\mathbf{y}} = W\\mathbf{x} + \\mathbf{b}$, and express $W$ "
                      "and $\\mathbf{b}$ in terms of $W_1, \\mathbf{b}_1, W_2, \\mathbf{b}_2$.",
                 "free", None, model_answer=COLLAPSE_ANSWER, rubric=COLLAPSE_RUBRIC),
            Part("b", "Compute $W$ and $\\mathbf{b}$ for the weights above. Give them as one "
                      "matrix $[W \\mid \\mathbf{b}]$, a row $(W_{i1}, W_{i2}, b_i)$ per output.",
                 "matrix", augmented(answer["W"], answer["b"]), weight=2,
                 symbol="[W \\mid \\mathbf{b}]", mistakes=tuple(self.mistakes(params, answer))),
            Part("c", "What does this tell you about making a network deeper without "
                      "non-linear activations?", "free", None, model_answer=DEPTH_ANSWER,
                 rubric=DEPTH_RUBRIC),
        ]

    def mistakes(self, params, answer):
        """The modelled slips, each as the whole [W | b] it gives: a slip in W alone keeps the
        right b, one in b alone the right W; a slip found in both lists changes both."""
        in_w = {m.name: m for m in self._weight_mistakes(params, answer)}
        in_b = {m.name: m for m in self._bias_mistakes(params)}
        found = []
        for name in [name for name in MISTAKE_ORDER if name in in_w or name in in_b]:
            # The bias list words a joint slip in full (W = W1 W2 and b = W1 b2 + b1).
            explanation = (in_b.get(name) or in_w[name]).explanation
            value = augmented(in_w[name].value if name in in_w else answer["W"],
                              in_b[name].value if name in in_b else answer["b"])
            found.append(Mistake(name, explanation, value))
        return found

    @staticmethod
    def _weight_mistakes(params, answer):
        """Slips in W = W2 W1, each as the whole matrix it gives (where its shape fits)."""
        W1, W2 = params["W1"], params["W2"]
        hidden, outputs = len(W1), len(W2)

        def times(A, B):
            return [[sum(a * b for a, b in zip(row, column)) for column in zip(*B)] for row in A]

        def transposed(A):
            return [list(column) for column in zip(*A)]

        found = []
        if hidden == outputs == INPUTS:
            found.append(Mistake("W1 W2", "composes the layers in the wrong order, $W = W_1W_2$",
                                 times(W1, W2)))
        if outputs == INPUTS:
            found.append(Mistake("W transposed", "computes $W_1^\\top W_2^\\top = W^\\top$ "
                                 "(the row-vector convention) and gives it as $W$",
                                 transposed(answer["W"])))
        if hidden == INPUTS:
            found.append(Mistake("W1 transposed", "multiplies the rows of $W_2$ with the rows "
                                 "of $W_1$, i.e.\\ computes $W_2W_1^\\top$",
                                 times(W2, transposed(W1))))
        found += [
            Mistake("first hidden unit only", "keeps only the path through hidden unit 1 "
                    "instead of summing over all hidden units",
                    [[row[0] * w for w in W1[0]] for row in W2]),
        ]
        return found

    @staticmethod
    def _bias_mistakes(params):
        """Slips in b = W2 b1 + b2, each as the whole vector it gives (where its shape fits)."""
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        hidden, outputs = len(W1), len(W2)
        through = [sum(w * v for w, v in zip(row, b1)) for row in W2]   # W2 b1
        found = [Mistake("bias b2 only", "forgets that $\\mathbf{b}_1$ passes through $W_2$ too "
                         "and takes $\\mathbf{b} = \\mathbf{b}_2$ instead of "
                         "$W_2\\mathbf{b}_1 + \\mathbf{b}_2$", list(b2))]
        if hidden == outputs == INPUTS:
            found.append(Mistake("W1 W2", "composes the layers in the wrong order, "
                                 "$W = W_1W_2$ and $\\mathbf{b} = W_1\\mathbf{b}_2 + \\mathbf{b}_1$",
                                 [sum(w * v for w, v in zip(row, b2)) + bias
                                  for row, bias in zip(W1, b1)]))
        if hidden == outputs:
            found.append(Mistake("b1 + b2", "adds the two biases, $\\mathbf{b} = \\mathbf{b}_1 + "
                                 "\\mathbf{b}_2$, without passing $\\mathbf{b}_1$ through $W_2$",
                                 [u + v for u, v in zip(b1, b2)]))
        found += [
            Mistake("no b2", "forgets the second layer's own bias and takes "
                    "$\\mathbf{b} = W_2\\mathbf{b}_1$", through),
            Mistake("b1 unweighted", "adds up $\\mathbf{b}_1$ without the weights of $W_2$: "
                    "$b_i = \\sum_k b_{1,k} + b_{2,i}$", [sum(b1) + bias for bias in b2]),
            Mistake("first hidden unit only", "keeps only the path through hidden unit 1 "
                    "instead of summing over all hidden units",
                    [row[0] * b1[0] + bias for row, bias in zip(W2, b2)]),
            Mistake("no bias", "collapses the layers to the purely linear map $W_2W_1\\mathbf{x}$ "
                    "and drops both biases", [0] * outputs),
        ]
        return found


def augmented(W, b):
    """[W | b]: each row of W followed by its bias."""
    return [[*row, bias] for row, bias in zip(W, b)]
