"""PyTorch cross-checks (float64) of GELU, linear-layer collapse, ridge, logistic regression
and the bias-variance decomposition, over many seeds of each contract type."""

import math

import pytest

from qbank.registry import get_type

torch = pytest.importorskip("torch")
F = torch.nn.functional

SEEDS = range(150)
F64 = torch.float64


def tensor(values):
    return torch.tensor(values, dtype=F64)


def assert_close(actual, expected):
    torch.testing.assert_close(tensor(actual), expected.detach().to(F64), rtol=1e-9, atol=1e-12)


def variants(type_id):
    qtype = get_type(type_id)
    return [qtype.draw(seed) for seed in SEEDS]


def test_gelu_matches_torch():
    for v in variants("activations.gelu"):
        x = tensor(v.params["x"])
        assert_close(v.answer["value"], F.gelu(x, approximate="none"))
        # The tanh approximation shown in the worked solution is torch's approximate='tanh'.
        assert_close([row["approx"] for row in v.work["rows"]], F.gelu(x, approximate="tanh"))


def test_deep_linear_collapse_matches_two_nn_linear_layers():
    generator = torch.Generator().manual_seed(0)
    for v in variants("linear.deep_linear_collapse"):
        W1, b1, W2, b2 = (tensor(v.params[k]) for k in ("W1", "b1", "W2", "b2"))
        first = torch.nn.Linear(W1.shape[1], W1.shape[0], dtype=F64)
        second = torch.nn.Linear(W2.shape[1], W2.shape[0], dtype=F64)
        single = torch.nn.Linear(W1.shape[1], W2.shape[0], dtype=F64)
        loaded = ((first, W1, b1), (second, W2, b2),
                  (single, tensor(v.answer["W"]), tensor(v.answer["b"])))
        with torch.no_grad():
            for layer, weight, bias in loaded:
                layer.weight.copy_(weight)
                layer.bias.copy_(bias)
            x = torch.randn(8, W1.shape[1], dtype=F64, generator=generator)
            torch.testing.assert_close(single(x), second(first(x)), rtol=1e-9, atol=1e-12)
        assert_close(v.answer["W"], W2 @ W1)
        assert_close(v.answer["b"], W2 @ b1 + b2)


def ridge_loss(X, y, theta, lam):
    return 0.5 * F.mse_loss(X @ theta, y, reduction="mean") + lam / 2 * theta.pow(2).sum()


def test_ridge_matches_linalg_solve_and_autograd():
    for v in variants("regression.ridge_closed_form"):
        X, y, lam = tensor(v.params["X"]), tensor(v.params["y"]), v.params["lam"]
        n = X.shape[0]
        system = X.T @ X / n + lam * torch.eye(2, dtype=F64)
        assert_close(v.answer["theta_star"], torch.linalg.solve(system, X.T @ y / n))
        zero = torch.zeros(2, dtype=F64, requires_grad=True)
        ridge_loss(X, y, zero, lam).backward()
        assert_close(v.answer["gradient_at_zero"], zero.grad)
        optimum = tensor(v.answer["theta_star"]).requires_grad_()
        ridge_loss(X, y, optimum, lam).backward()
        torch.testing.assert_close(optimum.grad, torch.zeros(2, dtype=F64), rtol=0, atol=1e-12)


def test_logreg_gradient_step_matches_autograd_bce():
    for v in variants("logreg.gradient_step"):
        X, y = tensor(v.params["X"]), tensor(v.params["y"])
        theta = tensor(v.params["theta"]).requires_grad_()
        b = torch.tensor(v.params["b"], dtype=F64, requires_grad=True)
        F.binary_cross_entropy_with_logits(X @ theta + b, y, reduction="mean").backward()
        assert_close(v.answer["gradient_theta"], theta.grad)
        assert_close(v.answer["gradient_b"], b.grad)
        optimizer = torch.optim.SGD([theta, b], lr=v.params["lr"])
        optimizer.step()
        assert_close(v.answer["theta_next"], theta)
        assert_close(v.answer["b_next"], b)


def test_bias_variance_matches_torch_moments():
    for v in variants("bias_variance.decomposition"):
        predictions = tensor(v.params["predictions"])
        mean = predictions.mean()
        variance = torch.var(predictions, correction=0)
        bias_sq = (mean - v.params["f_true"]) ** 2
        assert_close(v.answer["variance"], variance)
        assert_close(v.answer["bias_sq"], bias_sq)
        assert_close(v.answer["expected_error"], bias_sq + variance + v.params["noise_var"])
        # Monte Carlo-free check of the expectation itself: every model with noise +-sigma.
        sigma = math.sqrt(v.params["noise_var"])
        y = v.params["f_true"] + tensor([sigma, -sigma])
        errors = (y[None, :] - predictions[:, None]) ** 2
        assert_close(v.answer["expected_error"], errors.mean())
