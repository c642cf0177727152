"""Where functions come from: defs, nested defs, lambdas, closures, globals, helpers."""
import numpy as np
import pytest

import tangent_ad as ta
from conftest import check_grad

square = lambda x: x ** 2  # noqa: E731
pair = (lambda x: x * 3.0, lambda x: x ** 3)  # two lambdas on one line


def test_lambda_bound_to_a_name(backend):
    assert ta.grad(square, backend=backend)(3.0) == pytest.approx(6.0)
    assert ta.source(ta.grad(square)).startswith("def square_grad(x):")


def test_two_lambdas_on_one_line(backend):
    assert ta.grad(pair[0], backend=backend)(2.0) == pytest.approx(3.0)
    assert ta.grad(pair[1], backend=backend)(2.0) == pytest.approx(12.0)


def test_inline_lambda(backend):
    assert ta.grad(lambda x: x**3 + 2*x**2 - 3*x + 1, backend=backend)(1.0) == pytest.approx(4.0)


def test_nested_def_and_closure(backend):
    scale = 2.5

    def f(x):
        return scale * np.sin(x)
    assert ta.grad(f, backend=backend)(0.3) == pytest.approx(2.5 * np.cos(0.3))


weights = np.array([1.0, 2.0, 3.0])


def weighted(x):
    return np.sum(weights * x ** 2)


def test_global_array_changes_are_seen(backend):
    global weights
    d = ta.grad(weighted, backend=backend)
    x = np.array([1.0, 1.0, 1.0])
    np.testing.assert_allclose(d(x), [2.0, 4.0, 6.0])
    saved = weights
    try:
        weights = np.array([10.0, 20.0, 30.0])
        np.testing.assert_allclose(d(x), [20.0, 40.0, 60.0])
    finally:
        weights = saved


def helper_with_default(x, power=2):
    return x ** power


def uses_keyword_helper(x):
    return helper_with_default(x) + helper_with_default(x, power=3)


def test_helper_keyword_and_default(backend):
    check_grad(uses_keyword_helper, (1.3,), backend=backend)


def helper_calls_helper(x):
    return uses_keyword_helper(x) * np.exp(x)


def test_helper_calls_helper(backend):
    check_grad(helper_calls_helper, (0.7,), backend=backend)


def rebinds(x):
    x = x * 2.0
    x = np.sin(x) + x
    return x * x


def test_rebinding_an_argument(backend):
    check_grad(rebinds, (0.4,), backend=backend)
    assert "x_1 = " in ta.source(ta.grad(rebinds), 0.4)


def nested_params(p, x):
    return np.sum((p["layer"][0] * x + p["layer"][1]) ** 2) + p["scale"] ** 2


def test_nested_container_argument(backend):
    p = {"layer": (np.array([1.0, 2.0]), 0.5), "scale": 3.0}
    got = check_grad(nested_params, (p, np.array([0.1, 0.2])), backend=backend)
    assert isinstance(got["layer"], tuple) and got["scale"] == pytest.approx(6.0)


def test_value_and_grad_has_aux(backend):
    def f(x):
        y = x ** 2
        return y, x * 10.0
    (value, aux), g = ta.value_and_grad(f, has_aux=True, backend=backend)(3.0)
    assert (value, aux, g) == (pytest.approx(9.0), pytest.approx(30.0), pytest.approx(6.0))
    g, aux = ta.grad(f, has_aux=True, backend=backend)(3.0)
    assert (g, aux) == (pytest.approx(6.0), pytest.approx(30.0))


def test_matrix_vector_products(backend):
    def f(W, h, b):
        return np.sum(np.tanh(W @ h + b) ** 2)
    rng = np.random.default_rng(0)
    check_grad(f, (rng.standard_normal((3, 4)), rng.standard_normal(4),
                   rng.standard_normal(3)), (0, 1, 2), backend)


def test_derivative_does_not_modify_inputs(backend):
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()
    ta.grad(lambda v: v[0] * v[1] + np.sum(v ** 2), backend=backend)(x)
    np.testing.assert_array_equal(x, before)


from collections import namedtuple  # noqa: E402

Params = namedtuple("Params", ["W", "b"])


def namedtuple_loss(p, x):
    return np.sum(np.tanh(p.W @ x + p.b) ** 2)


def test_namedtuple_argument(backend):
    p = Params(np.array([[0.1, 0.2], [0.3, -0.4]]), np.array([0.5, -0.1]))
    got = check_grad(namedtuple_loss, (p, np.array([1.0, 2.0])), backend=backend)
    assert isinstance(got, Params)
