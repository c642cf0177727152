"""check_grads compares generated derivatives with central differences, like JAX's."""
import re

import numpy as np
import pytest

import tangent_ad as ta
from test_seeds import W0, b0, logreg_loss


def test_logistic_regression_to_second_order():
    ta.check_grads(logreg_loss, (W0, b0), order=2, backend="python")


def test_logistic_regression_compiled():
    ta.check_grads(logreg_loss, (W0, b0), modes=("rev",), backend="numba")


def mixed(p, x):
    return np.sin(p["a"] * x) * p["b"], np.sum(x ** 3)


def test_pytree_arguments_and_tuple_outputs():
    ta.check_grads(mixed, ({"a": 0.7, "b": np.array([1.0, -2.0])}, np.array([0.3, 0.4])),
                   order=2, backend="python")


def wrong(x):
    return np.sin(x)


@ta.adjoint_rule(wrong)
def _(z, x):
    x_bar += z_bar * 2.0 * np.cos(x)


@ta.tangent_rule(wrong)
def _(z, x):
    z_dot = x_dot * np.cos(x)


def uses_wrong(y, x):
    return y * np.sum(wrong(x))


def test_a_wrong_first_derivative_is_named():
    x = np.array([0.1, 0.9, 0.4])
    ta.check_grads(uses_wrong, (1.5, x), modes=("fwd",), backend="python")
    with pytest.raises(AssertionError) as info:
        ta.check_grads(uses_wrong, (1.5, x), backend="python")
    text = str(info.value)
    assert "the reverse-mode derivative of uses_wrong" in text
    assert "in argument 1 (x)" in text
    want = 1.5 * np.cos(0.1)
    assert re.search(rf"worst entry d out / d x\[0\] at index \(0,\): expected "
                     rf"{want:.6f}\d*, got {2 * want:.6f}", text), text


def twice(x):
    return 2.0 * x


@ta.adjoint_rule(twice)
def _(z, x):
    x_bar += 3.0 * z_bar     # wrong: the derivative is 2


@ta.tangent_rule(twice)
def _(z, x):
    z_dot = 3.0 * x_dot


def square(x):
    return x * x


@ta.adjoint_rule(square)
def _(z, x):
    x_bar += z_bar * twice(x)


@ta.tangent_rule(square)
def _(z, x):
    z_dot = x_dot * twice(x)


def test_a_wrong_second_derivative_is_named_with_its_modes():
    ta.check_grads(square, (0.8,), order=1, backend="python")
    with pytest.raises(AssertionError, match=r"the order-2 derivative of square \(the "
                                             r"forward-mode derivative of the forward-mode "
                                             r"derivative\) .* worst entry d J\[0\] / d x: "
                                             r"expected 2, got 3 .* J is the forward-mode "
                                             r"derivative of square"):
        ta.check_grads(square, (0.8,), order=2, backend="python")


@pytest.mark.parametrize("kwargs, error, message", [
    ({"modes": ("back",)}, ValueError, r"modes must be a non-empty tuple of 'fwd' and 'rev'"),
    ({"args": 1.0}, TypeError, r"check_grads expects args as a tuple"),
])
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        ta.check_grads(square, **{"args": (1.0,), **kwargs})


def test_an_empty_argument_has_an_empty_gradient():
    from tangent_ad.checking import numerical_grad

    def total(x, w):
        return np.sum(x) * w

    empty = np.zeros((0, 3))
    got = numerical_grad(total, (empty, 2.0), (0, 1))
    assert got[0].shape == (0, 3) and got[1] == 0.0
    ta.check_grads(total, (empty, 2.0), order=1)
    grads = ta.grad(total, argnums=(0, 1), backend="python")(empty, 2.0)
    assert grads[0].shape == (0, 3) and grads[1] == 0.0
