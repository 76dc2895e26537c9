"""The identities that the worked derivations rely on, verified with sympy.

Each solution template states an identity (p - t, the vectorised logistic
gradient, the collapse of two linear layers, the bias-variance split); here
sympy proves it in general and the rendered solution is checked to state it,
so the printed mathematics cannot drift from the mathematics.
"""

from __future__ import annotations

import sympy as sp

from qbank.registry import get_type
from qbank.render.documents import render_fragments


def _solution(type_id: str, seed: int = 0) -> str:
    return render_fragments(get_type(type_id).draw(seed)).solution


def test_softmax_cross_entropy_gradient_is_p_minus_t():
    z = sp.symbols("z0:4")
    t = sp.symbols("t0:4")
    total = sum(sp.exp(zk) for zk in z)
    p = [sp.exp(zk) / total for zk in z]
    loss = -sum(tk * sp.log(pk) for tk, pk in zip(t, p))
    for i in range(4):
        gradient = sp.diff(loss, z[i])
        # With a one-hot (or any) target summing to one: dL/dz_i = p_i - t_i.
        difference = (gradient - (p[i] - t[i])).subs(t[3], 1 - t[0] - t[1] - t[2])
        assert sp.simplify(difference) == 0
    # The softmax Jacobian the derivation uses: dp_k/dz_i = p_k (delta_ki - p_i).
    for k in range(4):
        for i in range(4):
            assert sp.simplify(sp.diff(p[k], z[i]) - p[k] * (int(k == i) - p[i])) == 0
    assert r"p_i - t_i" in _solution("losses.softmax_ce_gradient")


def test_logistic_regression_gradient_is_the_vectorised_form():
    m, n = 3, 2
    X = sp.Matrix(m, n, lambda i, j: sp.Symbol(f"x{i}{j}"))
    y = sp.Matrix(m, 1, lambda i, _: sp.Symbol(f"y{i}"))
    theta = sp.Matrix(n, 1, lambda j, _: sp.Symbol(f"theta{j}"))
    b = sp.Symbol("b")
    sigma = lambda u: 1 / (1 + sp.exp(-u))  # noqa: E731
    z = X * theta + sp.ones(m, 1) * b
    yhat = z.applyfunc(sigma)
    loss = -sum(y[i] * sp.log(yhat[i]) + (1 - y[i]) * sp.log(1 - yhat[i]) for i in range(m)) / m
    vectorised = X.T * (yhat - y) / m
    for j in range(n):
        assert sp.simplify(sp.diff(loss, theta[j]) - vectorised[j]) == 0
    assert sp.simplify(sp.diff(loss, b) - sum(yhat - y) / m) == 0
    assert r"X^\top\left(\sigma(X\boldsymbol{\theta} + b) - \mathbf{y}\right)" in \
        _solution("logreg.gradient_step")


def test_two_linear_layers_collapse_to_one():
    W1 = sp.Matrix(3, 2, lambda i, j: sp.Symbol(f"a{i}{j}"))
    W2 = sp.Matrix(2, 3, lambda i, j: sp.Symbol(f"c{i}{j}"))
    b1 = sp.Matrix(3, 1, lambda i, _: sp.Symbol(f"b{i}"))
    b2 = sp.Matrix(2, 1, lambda i, _: sp.Symbol(f"d{i}"))
    x = sp.Matrix(2, 1, lambda i, _: sp.Symbol(f"x{i}"))
    stacked = W2 * (W1 * x + b1) + b2
    single = (W2 * W1) * x + (W2 * b1 + b2)
    assert (stacked - single).applyfunc(sp.expand) == sp.zeros(2, 1)
    solution = _solution("linear.deep_linear_collapse")
    assert "W = W_2W_1" in solution and r"W_2\mathbf{b}_1 + \mathbf{b}_2" in solution


def test_expected_error_is_bias_squared_plus_variance_plus_noise():
    # Models f_1..f_4 equally likely, noise +-s with probability 1/2 each, independent.
    f = sp.symbols("f1:5")
    truth, s = sp.symbols("F s", real=True)
    mean = sum(f) / 4
    expected = sum((truth + e - fj) ** 2 for fj in f for e in (s, -s)) / 8
    bias_sq = (mean - truth) ** 2
    variance = sum((fj - mean) ** 2 for fj in f) / 4
    assert sp.expand(expected - (bias_sq + variance + s ** 2)) == 0
    assert "irreducible" in _solution("bias_variance.decomposition")
