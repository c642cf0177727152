"""vjp and jvp shaped like JAX's, and their messages for bad input."""
import numpy as np
import pytest

import tangent_ad as ta
from conftest import assert_tree_close

X = np.array([0.5, -1.0, 2.0])


def scaled_sin(x):
    return np.sin(x) * 2.0


def square_sum(x):
    return np.sum(x * x)


def test_vjp_of_an_array_output(backend):
    out, vjp_fn = ta.vjp(scaled_sin, X, backend=backend)
    np.testing.assert_allclose(out, scaled_sin(X))
    v = np.array([1.0, 0.0, -2.0])
    (got,) = vjp_fn(v)
    np.testing.assert_allclose(got, 2 * np.cos(X) * v)


def test_vjp_of_a_scalar_output_is_the_gradient(backend):
    out, vjp_fn = ta.vjp(square_sum, X, backend=backend)
    assert out == pytest.approx(np.sum(X * X))
    np.testing.assert_allclose(vjp_fn(1.0)[0], 2 * X)
    np.testing.assert_allclose(vjp_fn(0.5)[0], X)


def affine(params, x):
    return params["W"] @ x + params["b"]


def test_vjp_has_one_entry_per_primal_shaped_like_it():
    params = {"W": np.ones((2, 3)), "b": np.zeros(2)}
    out, vjp_fn = ta.vjp(affine, params, X, backend="python")
    g_params, g_x = vjp_fn(np.array([1.0, 2.0]))
    assert set(g_params) == {"W", "b"}
    assert_tree_close(g_params, {"W": np.outer([1.0, 2.0], X), "b": np.array([1.0, 2.0])})
    np.testing.assert_allclose(g_x, params["W"].T @ [1.0, 2.0])


def two_outputs(x):
    return x * 2.0, np.sum(x)


def test_vjp_of_a_tuple_output_takes_a_tuple_cotangent():
    out, vjp_fn = ta.vjp(two_outputs, X, backend="python")
    (got,) = vjp_fn((np.ones(3), 3.0))
    np.testing.assert_allclose(got, np.full(3, 5.0))


def with_aux(x):
    return np.sum(x ** 2), x[0]


def test_vjp_has_aux():
    out, vjp_fn, aux = ta.vjp(with_aux, X, has_aux=True, backend="python")
    assert (out, aux) == (pytest.approx(np.sum(X ** 2)), 0.5)
    np.testing.assert_allclose(vjp_fn(1.0)[0], 2 * X)


def test_jvp_has_aux():
    out, out_dot, aux = ta.jvp(with_aux, (X,), (np.ones(3),), has_aux=True, backend="python")
    assert (out, out_dot, aux) == (pytest.approx(np.sum(X ** 2)), pytest.approx(np.sum(2 * X)),
                                   0.5)


def test_vjp_of_a_derivative():
    out, vjp_fn = ta.vjp(ta.grad(square_sum), X, backend="python")
    np.testing.assert_allclose(vjp_fn(np.ones(3))[0], np.full(3, 2.0))


def test_vjp_cotangent_of_the_wrong_shape():
    _, vjp_fn = ta.vjp(scaled_sin, X, backend="python")
    with pytest.raises(ValueError, match=r"expected a cotangent of shape \(3,\) .*got shape "
                                         r"\(2,\)"):
        vjp_fn(np.ones(2))


def test_vjp_cotangent_of_the_wrong_structure():
    _, vjp_fn = ta.vjp(two_outputs, X, backend="python")
    with pytest.raises(TypeError, match=r"shaped like two_outputs's output, "
                                        r"\(float\[3\], float\), got float\[3\]"):
        vjp_fn(np.ones(3))


def not_a_pair(x):
    return x * 2.0


@pytest.mark.parametrize("call", [
    lambda: ta.vjp(not_a_pair, 1.0, has_aux=True),
    lambda: ta.jvp(not_a_pair, (1.0,), (1.0,), has_aux=True),
    lambda: ta.value_and_grad(not_a_pair, has_aux=True)(1.0),
], ids=["vjp", "jvp", "value_and_grad"])
def test_has_aux_on_a_function_that_returns_one_value(call):
    with pytest.raises(TypeError, match=r"has_aux=True requires not_a_pair to return a pair "
                                        r"\(output, aux\), but it returns 1 value"):
        call()


def power(x, y):
    return x ** y


def test_forward_mode_of_power_gives_both_partials(backend):
    assert ta.jvp(power, (2.0, 3.0), (1.0, 0.0), backend=backend)[1] == pytest.approx(12.0)
    assert ta.jvp(power, (2.0, 3.0), (0.0, 1.0), backend=backend)[1] == \
        pytest.approx(8.0 * np.log(2.0))


def test_jvp_of_a_tuple_output_and_a_dict_primal():
    params = {"W": np.ones((2, 3)), "b": np.zeros(2)}
    tangent = {"W": np.zeros((2, 3)), "b": np.ones(2)}
    out, out_dot = ta.jvp(affine, (params, X), (tangent, np.zeros(3)), backend="python")
    np.testing.assert_allclose(out_dot, np.ones(2))
    _, (dot_a, dot_b) = ta.jvp(two_outputs, (X,), (np.ones(3),), backend="python")
    np.testing.assert_allclose(dot_a, np.full(3, 2.0))
    assert dot_b == pytest.approx(3.0)


@pytest.mark.parametrize("primals, tangents, error, message", [
    (1.0, (1.0,), TypeError, r"jvp expects primals and tangents as tuples, e\.g\. "
                             r"jvp\(f, \(x,\), \(v,\)\); got float and tuple"),
    ((1.0, 2.0), (1.0,), TypeError, r"jvp got 2 primals but 1 tangents"),
    ((X, 1.0), (np.ones(2), 1.0), ValueError, r"primal 0 has shape \(3,\) but its tangent "
                                              r"has shape \(2,\)"),
    (({"a": 1.0}, 1.0), (1.0, 1.0), TypeError, r"primal 0 and its tangent have different "
                                               r"structures: \{a: float\} and float"),
])
def test_jvp_bad_input(primals, tangents, error, message):
    with pytest.raises(error, match=message):
        ta.jvp(power, primals, tangents)


def test_vjp_without_primals():
    with pytest.raises(TypeError, match="vjp needs at least one primal"):
        ta.vjp(square_sum)


def test_source_and_python_of_a_derivative():
    d = ta.grad(square_sum, backend="python")
    with pytest.raises(TypeError, match="has not been generated yet"):
        d.source
    d(X)
    assert d.python.__name__ == "square_sum_grad"
    assert d.source.startswith("def square_sum_grad(x):")
