"""The straight-line examples of the tutorials users learned AD from, with NumPy."""
import numpy as np
import pytest

import tangent_ad as ta
from conftest import assert_tree_close, check_grad


def quadratic(x):
    return 3 * x**2 + 2 * x + 1


def two_squares(x, y):
    return x**2 + y**2


def linreg_loss(w, b, x, y):
    predictions = w * x + b
    return np.mean((predictions - y) ** 2)


def sum_of_squares(arr):
    return np.sum(arr**2)


def sum_squared_errors(x, y):
    return np.sum((x - y) ** 2)


def indexed(x):
    return x[0]**2 + 3*x[1]**3


def unpacked(x):
    x, y, z = x
    return x**2 + x*y**3 + np.sin(z)


def sin_cos(x):
    return np.sin(x) * np.cos(x)


def sigmoid(x):
    return 0.5 * (np.tanh(x / 2) + 1)


def predict(W, b, inputs):
    return sigmoid(np.dot(inputs, W) + b)


inputs = np.array([[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.30],
                   [0.74, -2.49, 1.39]])
targets = np.array([True, True, False, True])


def logreg_loss(W, b):
    preds = predict(W, b, inputs)
    label_probs = preds * targets + (1 - preds) * (1 - targets)
    return -np.sum(np.log(label_probs))


def logreg_loss_dict(params):
    preds = predict(params["W"], params["b"], inputs)
    label_probs = preds * targets + (1 - preds) * (1 - targets)
    return -np.sum(np.log(label_probs))


W0 = np.array([0.3, -0.2, 0.5])
b0 = 0.1


def test_quadratic(backend):
    assert ta.grad(quadratic, backend=backend)(5.0) == pytest.approx(32.0)


def test_quadratic_decorator(backend):
    @ta.grad
    def df(x):
        return 3 * x**2 + 2 * x + 1
    assert df(5.0) == pytest.approx(32.0)


def test_int_argument_is_a_float(backend):
    assert ta.grad(quadratic, backend=backend)(5) == pytest.approx(32.0)


def test_two_squares_argnums(backend):
    assert ta.grad(two_squares, argnums=(0, 1), backend=backend)(3.0, 4.0) == (
        pytest.approx(6.0), pytest.approx(8.0))


def test_linear_regression(backend):
    x, y = np.array([1., 2., 3.]), np.array([2., 4., 6.])
    dw, db = ta.grad(linreg_loss, argnums=(0, 1), backend=backend)(0.0, 0.0, x, y)
    assert dw == pytest.approx(-56 / 3) and db == pytest.approx(-8.0)


def test_sum_of_squares(backend):
    g = ta.grad(sum_of_squares, backend=backend)(np.array([1., 2., 3., 4.]))
    np.testing.assert_allclose(g, [2., 4., 6., 8.])


def test_sum_squared_errors_both(backend):
    x, y = np.array([1., 2., 3., 4.]), np.array([1.1, 2.1, 3.1, 4.1])
    gx, gy = check_grad(sum_squared_errors, (x, y), (0, 1), backend)
    np.testing.assert_allclose(gx, -0.2 * np.ones(4), atol=1e-12)
    np.testing.assert_allclose(gy, 0.2 * np.ones(4), atol=1e-12)


def test_indexing(backend):
    np.testing.assert_allclose(ta.grad(indexed, backend=backend)(np.array([1., 2.])), [2., 36.])


def test_unpacking(backend):
    g = ta.grad(unpacked, backend=backend)(np.array([2., 2., np.pi]))
    np.testing.assert_allclose(g, [12., 24., -1.], atol=1e-12)


def test_grad_of_numpy_function(backend):
    assert ta.grad(np.tanh, backend=backend)(2.0) == pytest.approx(1 - np.tanh(2.0) ** 2)


def test_sin_cos(backend):
    assert ta.grad(sin_cos, backend=backend)(1.0) == pytest.approx(np.cos(2.0))


def test_logistic_regression_positional(backend):
    check_grad(logreg_loss, (W0, b0), (0, 1), backend)


def test_logistic_regression_dict(backend):
    params = {"W": W0, "b": b0}
    got = ta.grad(logreg_loss_dict, backend=backend)(params)
    want = ta.grad(logreg_loss, argnums=(0, 1), backend=backend)(W0, b0)
    assert set(got) == {"W", "b"}
    assert_tree_close(got, {"W": want[0], "b": want[1]})


def test_logistic_regression_value_and_grad(backend):
    value, (gW, gb) = ta.value_and_grad(logreg_loss, (0, 1), backend=backend)(W0, b0)
    assert value == pytest.approx(logreg_loss(W0, b0))
    check = ta.grad(logreg_loss, (0, 1), backend=backend)(W0, b0)
    assert_tree_close((gW, gb), check)


def test_source_is_printable():
    d = ta.grad(linreg_loss, argnums=(0, 1))
    d(0.0, 0.0, np.array([1., 2., 3.]), np.array([2., 4., 6.]))
    text = ta.source(d)
    assert text.startswith("def linreg_loss_grad(w, b, x, y):")
    assert "# predictions = w * x + b" in text
