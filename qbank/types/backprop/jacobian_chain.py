"""Jacobian of two stacked layers by the chain rule, and the gradient it carries back.

A small network y = f_B(W_B f_A(W_A x)) (no biases; f_A, f_B elementwise: ReLU or the
identity) is evaluated at an integer input x.  Asked: the shape of the Jacobian dy/dx,
its entries J = J_B W_B J_A W_A (J_A = diag f_A'(W_A x), J_B = diag f_B'(W_B h)), and
dL/dx = J^T dL/dy for a given upstream gradient.

Params: ``x`` (n_x = 2 or 3 integers in [-2, 2]), ``W_A`` (n_h x n_x), ``W_B`` (n_y x n_h),
integers in [-2, 2], n_h, n_y in {2, 3}; ``f_A``, ``f_B`` ("relu" or "identity");
``upstream`` (dL/dy, n_y integers in [-2, 2]).  A ReLU's pre-activations are never 0
(its derivative is undefined there), and each ReLU layer has an active unit.
Answer: ``jacobian_shape`` ([n_y, n_x]), ``jacobian`` (n_y rows of n_x integers),
``grad_x`` (dL/dx, n_x integers).

Parts, one per sub-question: (a) the shape [n_y, n_x], (b) the Jacobian (weight 2: most
of the work), (c) dL/dx (the part a multiple-choice item offers).

Seed 002 Q2.1--3 states J_x = J_B W_B^T J_A W_A^T, dimension [len(y), len(x)], and
dL/dx = E_y J_x^T in the row-vector convention (y = x W^T); here vectors are columns, so
J = J_B W_B J_A W_A with the same shape.  Example: x = (1, 2), W_A = [[1, -1], [2, 0]],
f_A = ReLU, W_B = [[1, 1], [-1, 2]], f_B = identity, dL/dy = (1, -1): a = (-1, 2), so only
hidden unit 2 is active, J_A = diag(0, 1), J = [[2, 0], [4, 0]], shape [2, 2],
dL/dx = J^T (1, -1) = (-2, 0).
"""

from typing import Literal, get_args

from pydantic import model_validator

from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, ShapeError, Vector, nonempty_list
from qbank.parts import Part

# Every activation ``apply`` and ``slope`` know.
Activation = Literal["relu", "identity"]
ACTIVATIONS = get_args(Activation)
SIZES = (2, 3)
ENTRIES = range(-2, 3)


class Params(ParamModel):
    x: nonempty_list(Real)      # the input, n_x entries
    W_A: nonempty_list(Vector)  # n_h rows, one column per entry of x
    W_B: nonempty_list(Vector)  # n_y rows, one column per row of W_A
    f_A: Activation
    f_B: Activation
    upstream: Vector            # dL/dy, one entry per row of W_B

    @model_validator(mode="after")
    def _shapes_agree(self):
        for index, row in enumerate(self.W_A):
            if len(row) != len(self.x):
                raise ShapeError(f"W_A[{index}]", f"has {len(row)} entries but x has {len(self.x)}")
        for index, row in enumerate(self.W_B):
            if len(row) != len(self.W_A):
                raise ShapeError(f"W_B[{index}]", f"has {len(row)} entries but W_A has "
                                 f"{len(self.W_A)} rows")
        if len(self.upstream) != len(self.W_B):
            raise ShapeError("upstream", f"has {len(self.upstream)} entries but W_B has "
                             f"{len(self.W_B)} rows")
        return self


def apply(name, values):
    return [max(v, 0) for v in values] if name == "relu" else list(values)


def slope(name, values):
    """Elementwise derivative: 1 where a ReLU is active (never evaluated at 0), else 0."""
    return [int(v > 0) for v in values] if name == "relu" else [1] * len(values)


def matvec(matrix, vector):
    return [sum(w * v for w, v in zip(row, vector)) for row in matrix]


def diagonal(values):
    return [[v if i == j else 0 for j in range(len(values))] for i, v in enumerate(values)]


def _is_matrix(value, rows, cols):
    return len(value) == rows and all(len(r) == cols for r in value)


class JacobianChain(QuestionType):
    id = "backprop.jacobian_chain"
    title = "Jacobian of two layers and the backpropagated gradient"
    topic = "backpropagation"
    source = "002 Q2.1-3"
    answer_space = "8cm"
    choice_part = "c"
    params_model = Params

    def sample(self, rng):
        n_x, n_h, n_y = (int(rng.choice(SIZES)) for _ in range(3))

        def draw(*shape):
            return rng.choice(ENTRIES, size=shape).tolist()

        f_a, f_b = (str(rng.choice(ACTIVATIONS, p=(0.7, 0.3))) for _ in range(2))
        for _ in redraws(__name__):
            params = {"x": draw(n_x), "W_A": draw(n_h, n_x), "W_B": draw(n_y, n_h),
                      "f_A": f_a, "f_B": f_b, "upstream": draw(n_y)}
            if not self.problems(params) and any(self.solve(params)["grad_x"]):
                return params

    def problems(self, params):
        if params["f_A"] not in ACTIVATIONS or params["f_B"] not in ACTIVATIONS:
            return [f"f_A and f_B must be one of {', '.join(ACTIVATIONS)}"]
        x, upstream = params["x"], params["upstream"]
        if not (x and upstream):
            return ["x and upstream must be non-empty lists of numbers"]
        n_h = len(params["W_A"])
        if not _is_matrix(params["W_A"], n_h, len(x)) or n_h == 0:
            return [f"W_A must be a matrix with {len(x)} columns (one per entry of x)"]
        if not _is_matrix(params["W_B"], len(upstream), n_h):
            return [f"W_B must be {len(upstream)} x {n_h} (len(upstream) x rows of W_A)"]
        reasons = []
        pre_a = matvec(params["W_A"], x)
        pre_b = matvec(params["W_B"], apply(params["f_A"], pre_a))
        for layer, name, pre in (("A", params["f_A"], pre_a), ("B", params["f_B"], pre_b)):
            if name == "relu" and 0 in pre:
                reasons.append(f"a ReLU pre-activation of layer {layer} is 0 (no derivative)")
            elif name == "relu" and max(pre) < 0:
                reasons.append(f"every ReLU unit of layer {layer} is inactive")
        return reasons

    @staticmethod
    def _forward(params):
        pre_a = matvec(params["W_A"], params["x"])
        hidden = apply(params["f_A"], pre_a)
        pre_b = matvec(params["W_B"], hidden)
        return pre_a, hidden, pre_b, apply(params["f_B"], pre_b)

    def solve(self, params):
        pre_a, _, pre_b, _ = self._forward(params)
        d_a, d_b = slope(params["f_A"], pre_a), slope(params["f_B"], pre_b)
        gated_a = [[d * w for w in row] for d, row in zip(d_a, params["W_A"])]  # J_A W_A
        jacobian = [[d * v for v in row]                                       # J_B W_B J_A W_A
                    for d, row in zip(d_b, [matvec(list(zip(*gated_a)), w_row)
                                            for w_row in params["W_B"]])]
        grad_x = matvec(list(map(list, zip(*jacobian))), params["upstream"])
        return {"jacobian_shape": [len(jacobian), len(params["x"])],
                "jacobian": jacobian, "grad_x": grad_x}

    def worked(self, params, answer):
        pre_a, hidden, pre_b, output = self._forward(params)
        d_a, d_b = slope(params["f_A"], pre_a), slope(params["f_B"], pre_b)
        gated_a = [[d * w for w in row] for d, row in zip(d_a, params["W_A"])]
        return {"pre_a": pre_a, "hidden": hidden, "pre_b": pre_b, "output": output,
                "J_A": diagonal(d_a), "J_B": diagonal(d_b), "gated_a": gated_a,
                "through_b": [matvec(list(zip(*gated_a)), row) for row in params["W_B"]],
                "jacobian_t": [list(col) for col in zip(*answer["jacobian"])],
                "n_h": len(pre_a)}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        return [
            Part("a", "What is the shape of the Jacobian $\\partial\\mathbf{y}/\\partial\\mathbf{x}$ "
                      "(rows, columns)?", "vector", answer["jacobian_shape"],
                 symbol="\\text{shape}", mistakes=tuple(self._shape_mistakes(params))),
            Part("b", "Write $\\partial\\mathbf{y}/\\partial\\mathbf{x}$ as a product of the "
                      "layers' Jacobians (chain rule) and compute it at this $\\mathbf{x}$.",
                 "matrix", answer["jacobian"], weight=2,
                 symbol="\\partial\\mathbf{y}/\\partial\\mathbf{x}",
                 mistakes=tuple(self._jacobian_mistakes(params, answer))),
            Part("c", "Compute $\\partial L/\\partial\\mathbf{x}$.", "vector", answer["grad_x"],
                 symbol="(\\partial L/\\partial\\mathbf{x})^{\\top}",
                 mistakes=tuple(self.mistakes(params, answer))),
        ]

    @staticmethod
    def _shape_mistakes(params):
        n_x, n_h, n_y = len(params["x"]), len(params["W_A"]), len(params["upstream"])
        return [
            Mistake("transposed shape", "gives one row per input and one column per output, "
                    "the shape of $(\\partial\\mathbf{y}/\\partial\\mathbf{x})^\\top$", [n_x, n_y]),
            Mistake("hidden layer", "gives the shape of $W_A$, the Jacobian of the first layer "
                    "only", [n_h, n_x]),
            Mistake("output layer", "gives the shape of $W_B$, the Jacobian of the second layer "
                    "only", [n_y, n_h]),
        ]

    def _jacobian_mistakes(self, params, answer):
        """Slips in J = J_B W_B J_A W_A, each as the whole matrix it gives."""
        n_x, n_h, n_y = len(params["x"]), len(params["W_A"]), len(params["upstream"])
        relus = [layer for layer in ("A", "B") if params[f"f_{layer}"] == "relu"]
        pre_a, _, pre_b, _ = self._forward(params)
        slopes = {"A": slope(params["f_A"], pre_a), "B": slope(params["f_B"], pre_b)}
        ones = {"A": [1] * n_h, "B": [1] * n_y}
        relu = {"A": slope("relu", pre_a), "B": slope("relu", pre_b)}

        def product(gate_a, gate_b, W_A=params["W_A"], W_B=params["W_B"]):
            """diag(gate_b) W_B diag(gate_a) W_A."""
            gated = [[d * w for w in row] for d, row in zip(gate_a, W_A)]
            through = [matvec(list(zip(*gated)), row) for row in W_B]
            return [[d * v for v in row] for d, row in zip(gate_b, through)]

        jacobian = answer["jacobian"]
        candidates = [
            (bool(relus), "ReLU zeros ignored", "ignores the ReLU's zeros, taking $f' = 1$ "
             "everywhere: $W_BW_A$", lambda: product(ones["A"], ones["B"])),
            (True, "f not f'", "puts the activations $f(\\mathbf{a})$, $f(\\mathbf{b})$ on the "
             "diagonals instead of their derivatives",
             lambda: product(apply(params["f_A"], pre_a), apply(params["f_B"], pre_b))),
            (n_x == n_y, "J transposed", "gives $(\\partial\\mathbf{y}/\\partial\\mathbf{x})^\\top$, "
             "one row per input", lambda: [list(col) for col in zip(*jacobian)]),
            (n_h == n_x and n_y == n_h, "W transposed", "multiplies the transposed weights, "
             "$J_BW_B^\\top J_AW_A^\\top$ (the row-vector convention's matrices in the column "
             "form)", lambda: product(slopes["A"], slopes["B"],
                                      [list(c) for c in zip(*params["W_A"])],
                                      [list(c) for c in zip(*params["W_B"])])),
            (len(relus) == 2, "layer-A ReLU ignored", "forgets the zeros of the ReLU in layer $A$",
             lambda: product(ones["A"], slopes["B"])),
            (len(relus) == 2, "layer-B ReLU ignored", "forgets the zeros of the ReLU in layer $B$",
             lambda: product(slopes["A"], ones["B"])),
            ("A" not in relus, "layer A taken for a ReLU", "takes $f_A$ for a ReLU and zeroes the "
             "rows of $W_A$ where $W_A\\mathbf{x}$ is negative",
             lambda: product(relu["A"], slopes["B"])),
            ("B" not in relus, "layer B taken for a ReLU", "takes $f_B$ for a ReLU and zeroes the "
             "rows where $W_B\\mathbf{h}$ is negative", lambda: product(slopes["A"], relu["B"])),
        ]
        return [Mistake(name, explanation, value()) for fits, name, explanation, value
                in candidates if fits]

    def backward(self, params, gate_a=None, gate_b=None, back_a=None, back_b=None):
        """dL/dx layer by layer, with any step replaceable to model a slip.

        ``gate_*`` maps (pre-activations, gradient) to the gradient through f_A or f_B;
        ``back_*`` maps a gradient back through W_A or W_B (normally W^T times it).
        """
        pre_a, _, pre_b, _ = self._forward(params)

        def masked(name):
            return lambda pre, grad: [d * g for d, g in zip(slope(name, pre), grad)]

        def transposed(matrix):
            return lambda grad: matvec(list(map(list, zip(*matrix))), grad)

        gate_a, gate_b = gate_a or masked(params["f_A"]), gate_b or masked(params["f_B"])
        back_a, back_b = back_a or transposed(params["W_A"]), back_b or transposed(params["W_B"])
        return back_a(gate_a(pre_a, back_b(gate_b(pre_b, params["upstream"]))))

    def mistakes(self, params, answer):
        """The modelled slips of part (c), each as the dL/dx it leads to."""
        n_x, n_h, n_y = len(params["x"]), len(params["W_A"]), len(params["upstream"])
        relus = [layer for layer in ("A", "B") if params[f"f_{layer}"] == "relu"]

        def identity(values, grad=None):
            return list(values if grad is None else grad)

        def by_value(name):  # f(a) in place of f'(a)
            return lambda pre, grad: [v * g for v, g in zip(apply(name, pre), grad)]

        def relu_mask(pre, grad):
            return [d * g for d, g in zip(slope("relu", pre), grad)]

        def relu_on_gradient(pre, grad):
            return [max(g, 0) for g in grad]

        def at_relus(gate):
            return {f"gate_{layer.lower()}": gate for layer in relus}

        def untransposed(matrix):
            return lambda grad: matvec(matrix, grad)

        # Each slip whose shapes work out here, most common first.
        candidates = [
            (n_x == n_y, "J not transposed", "multiplies by $J$ instead of $J^\\top$, "
             "$J\\,\\partial L/\\partial\\mathbf{y}$",
             lambda: matvec(answer["jacobian"], params["upstream"])),
            (bool(relus), "ReLU zeros ignored", "ignores the ReLU's zeros, passing the gradient "
             "through inactive units as if $f' = 1$ everywhere",
             lambda: self.backward(params, **at_relus(identity))),
            (n_h == n_x, "W_A not transposed", "multiplies by $W_A$ instead of $W_A^\\top$ "
             "on the way back through the first layer",
             lambda: self.backward(params, back_a=untransposed(params["W_A"]))),
            (n_y == n_h, "W_B not transposed", "multiplies by $W_B$ instead of $W_B^\\top$ "
             "on the way back through the second layer",
             lambda: self.backward(params, back_b=untransposed(params["W_B"]))),
            (bool(relus), "ReLU on the gradient", "applies the ReLU to the backward gradient, "
             "$\\max(0, \\cdot)$, instead of masking it by the forward pre-activations",
             lambda: self.backward(params, **at_relus(relu_on_gradient))),
            (True, "f not f'", "multiplies by the activations $f(\\mathbf{a})$ instead of "
             "their derivatives $f'(\\mathbf{a})$",
             lambda: self.backward(params, gate_a=by_value(params["f_A"]),
                                   gate_b=by_value(params["f_B"]))),
            (len(relus) == 2, "layer-A ReLU ignored", "masks the gradient at layer $B$ but "
             "forgets the zeros of the ReLU in layer $A$",
             lambda: self.backward(params, gate_a=identity)),
            (len(relus) == 2, "layer-B ReLU ignored", "masks the gradient at layer $A$ but "
             "forgets the zeros of the ReLU in layer $B$",
             lambda: self.backward(params, gate_b=identity)),
            (not relus, "ReLU assumed", "takes both layers for ReLUs and zeroes the gradient "
             "wherever a pre-activation is negative",
             lambda: self.backward(params, gate_a=relu_mask, gate_b=relu_mask)),
            ("A" not in relus, "layer A taken for a ReLU", "takes $f_A$ for a ReLU and zeroes "
             "the gradient where $W_A\\mathbf{x}$ is negative",
             lambda: self.backward(params, gate_a=relu_mask)),
            ("B" not in relus, "layer B taken for a ReLU", "takes $f_B$ for a ReLU and zeroes "
             "the gradient where $W_B\\mathbf{h}$ is negative",
             lambda: self.backward(params, gate_b=relu_mask)),
            (n_h == n_y, "W_B skipped", "forgets to pass the gradient back through $W_B$",
             lambda: self.backward(params, back_b=identity)),
            (n_h == n_x, "stops at h", "stops one layer early and gives "
             "$\\partial L/\\partial\\mathbf{h}$ instead of $\\partial L/\\partial\\mathbf{x}$",
             lambda: self.backward(params, gate_a=identity, back_a=identity)),
            (True, "upstream ignored", "leaves out $\\partial L/\\partial\\mathbf{y}$ and sums "
             "the columns of $J$, i.e.\\ $J^\\top\\mathbf{1}$",
             lambda: self.backward({**params, "upstream": [1] * n_y})),
        ]
        return [Mistake(name, explanation, value()) for fits, name, explanation, value
                in candidates if fits]
