"""vmap: a derivative over a batch equals the derivative at each point, on cpu and parallel."""
import numpy as np
import pytest

import tangent_ad as ta
from conftest import assert_tree_close

TARGETS = ["cpu", "parallel"]


def wave(x):
    return np.sin(x) * x ** 2


def recurrence(x):
    y = x
    for _ in range(4):
        y = np.sin(y) * x
    return y


def loss(w, x, y):
    return (np.dot(w, x) - y) ** 2


def scalar_loss(w, x, y):
    return (w * x - y) ** 2


def per_point(d, *batches):
    return np.array([d(*row) for row in zip(*batches)])


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("f", [wave, recurrence])
def test_gradient_at_many_points(f, target):
    xs = np.linspace(-2.0, 2.0, 9)
    got = ta.vmap(ta.grad(f), target=target)(xs)
    np.testing.assert_allclose(got, per_point(ta.grad(f), xs), rtol=1e-12)


@pytest.mark.parametrize("target", TARGETS)
def test_per_sample_gradients_of_vector_inputs(target):
    rng = np.random.default_rng(0)
    w, X, Y = rng.standard_normal(3), rng.standard_normal((6, 3)), rng.standard_normal(6)
    got = ta.vmap(ta.grad(loss), in_axes=(None, 0, 0), target=target)(w, X, Y)
    want = np.array([ta.grad(loss)(w, x, y) for x, y in zip(X, Y)])
    assert got.shape == (6, 3)
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_per_sample_gradients_of_scalar_inputs():
    xs, ys = np.linspace(0, 1, 5), np.linspace(1, 2, 5)
    got = ta.vmap(ta.grad(scalar_loss), in_axes=(None, 0, 0))(0.5, xs, ys)
    np.testing.assert_allclose(got, [ta.grad(scalar_loss)(0.5, x, y) for x, y in zip(xs, ys)])


def test_value_and_grad_keeps_the_output_structure():
    xs, ys = np.linspace(0, 1, 4), np.linspace(1, 2, 4)
    value, (gw, gy) = ta.vmap(ta.value_and_grad(scalar_loss, argnums=(0, 2)),
                              in_axes=(None, 0, 0))(0.5, xs, ys)
    want = [ta.value_and_grad(scalar_loss, argnums=(0, 2))(0.5, x, y) for x, y in zip(xs, ys)]
    assert_tree_close((value, (gw, gy)),
                      (np.array([v for v, _ in want]),
                       (np.array([g[0] for _, g in want]), np.array([g[1] for _, g in want]))))


def test_in_axes_and_out_axes_move_the_batch_axis():
    rng = np.random.default_rng(1)
    w, X, Y = rng.standard_normal(3), rng.standard_normal((3, 5)), rng.standard_normal(5)
    got = ta.vmap(ta.grad(loss), in_axes=(None, 1, 0), out_axes=1)(w, X, Y)
    want = np.array([ta.grad(loss)(w, column, y) for column, y in zip(X.T.copy(), Y)]).T
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_python_backend_and_integer_batches():
    got = ta.vmap(ta.grad(wave, backend="python"))(np.arange(4))
    np.testing.assert_allclose(got, [ta.grad(wave)(float(x)) for x in range(4)])


@pytest.mark.parametrize("call, error, match", [
    (lambda v: v(np.ones(3), np.ones((4, 3)), np.ones(5)), ValueError, "different batch sizes"),
    (lambda v: v(np.ones(3), np.ones((4, 3)), 1.0), ValueError, "no axis 0"),
])
def test_errors_for_batches(call, error, match):
    with pytest.raises(error, match=match):
        call(ta.vmap(ta.grad(loss), in_axes=(None, 0, 0)))


@pytest.mark.parametrize("kwargs, args, error, match", [
    ({"in_axes": "rows"}, (np.ones(2),), TypeError, "in_axes must be"),
    ({"in_axes": (0, 0)}, (np.ones(2),), ValueError, "one axis"),
    ({"in_axes": (None,)}, (np.ones(2),), ValueError, "maps no argument"),
    ({"in_axes": 2}, (np.ones(2),), ValueError, "no axis 2"),
])
def test_errors_for_in_axes(kwargs, args, error, match):
    with pytest.raises(error, match=match):
        ta.vmap(ta.grad(wave), **kwargs)(*args)


def test_errors_for_construction():
    with pytest.raises(ValueError, match="target must be one of"):
        ta.vmap(ta.grad(wave), target="tpu")
    with pytest.raises(TypeError, match="out_axes must be an int"):
        ta.vmap(ta.grad(wave), out_axes=None)
    with pytest.raises(TypeError, match="maps a derivative made by ta.grad"):
        ta.vmap(wave)


def wave_with_aux(x):
    return np.sin(x) * x ** 2, 2.0 * x


def test_second_derivative_aux_and_dict_arguments():
    xs = np.linspace(-1.0, 1.0, 5)
    second = ta.grad(ta.grad(wave))
    np.testing.assert_allclose(ta.vmap(second)(xs), per_point(second, xs), rtol=1e-12)
    grads, aux = ta.vmap(ta.grad(wave_with_aux, has_aux=True))(xs)
    np.testing.assert_allclose(grads, per_point(ta.grad(wave), xs), rtol=1e-12)
    np.testing.assert_allclose(aux, 2.0 * xs)
    got = ta.vmap(ta.grad(lambda p: p["a"] * np.sin(p["b"])))({"a": xs, "b": xs})
    np.testing.assert_allclose(got["a"], np.sin(xs))
    np.testing.assert_allclose(got["b"], xs * np.cos(xs))
