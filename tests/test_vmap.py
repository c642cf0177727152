"""vmap: a derivative over a batch equals the derivative at each point, on cpu and parallel."""
import sys

import numpy as np
import pytest

import tangent_ad as ta
from conftest import assert_tree_close
from tangent_ad.checking import numerical_grad

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
    with pytest.raises(TypeError, match="maps a function or a derivative"):
        ta.vmap(3.0)


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


# -- Jacobians, Hessians and plain functions -------------------------------------------

def rotate(x, a):
    """A straight-line vector function: its rows trace to scalar code."""
    c = np.cos(a * x[2])
    return np.array([x[0] * c - x[1] * np.sin(x[2]), x[0] * x[1] + c, np.exp(x[1]) * a])


def energy(x, a):
    return np.sum(np.sin(x) * x) * a + x[0] * x[1] ** 2


def branchy(x, a):
    """A branch on a value: rows call the generated code instead of tracing it."""
    if x[0] > 0.0:
        return x * a
    return x * x[1]


def per_row(d, xs, *rest):
    rows = [d(x, *rest) for x in xs]
    if isinstance(rows[0], tuple):
        return tuple(np.array(r) for r in zip(*rows))
    return np.array(rows)


def loop_kind(v):
    (_, loops), = v._rows.values()
    return type(next(iter(loops.values()))).__name__


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("make, f", [(ta.jacfwd, rotate), (ta.jacrev, rotate),
                                     (ta.hessian, energy)])
def test_jacobians_at_many_points(make, f, target):
    xs = np.random.default_rng(2).standard_normal((7, 3))
    d = make(f)
    v = ta.vmap(d, in_axes=(0, None), target=target)
    got = v(xs, 0.7)
    np.testing.assert_allclose(got, per_row(d, xs, 0.7), rtol=1e-12, atol=1e-14)
    assert got.shape == (7, 3, 3)
    assert loop_kind(v) == "TracedLoop"
    fd = np.array([numerical_grad(lambda x: f(x, 0.7)[1], (x,), 0)
                   if make is not ta.hessian else
                   numerical_grad(lambda x: ta.grad(f)(x, 0.7)[1], (x,), 0)
                   for x in xs])
    np.testing.assert_allclose(got[:, 1], fd, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("target", TARGETS)
def test_argnums_tuples_and_broadcast_arguments(target):
    rng = np.random.default_rng(3)
    xs, A, ys = rng.standard_normal((5, 3)), rng.standard_normal((2, 3)), rng.random(5)

    def g(x, A, y):
        return np.tanh(A @ x) * y + A[0, 1] * x[0:2]
    d = ta.jacfwd(g, argnums=(0, 2))
    jx, jy = ta.vmap(d, in_axes=(0, None, 0), target=target)(xs, A, ys)
    want = [d(x, A, y) for x, y in zip(xs, ys)]
    np.testing.assert_allclose(jx, [w[0] for w in want], rtol=1e-12)
    np.testing.assert_allclose(jy, [w[1] for w in want], rtol=1e-12)
    assert jx.shape == (5, 2, 3) and jy.shape == (5, 2)
    jA = ta.vmap(ta.jacrev(g, argnums=1), in_axes=(0, None, 0), target=target)(xs, 2 * A, ys)
    np.testing.assert_allclose(jA, [ta.jacrev(g, argnums=1)(x, 2 * A, y)
                                    for x, y in zip(xs, ys)], rtol=1e-12)


def test_branches_call_the_generated_code():
    xs = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0], [0.5, -2.0, 1.0]])
    v = ta.vmap(ta.jacfwd(branchy), in_axes=(0, None))
    np.testing.assert_allclose(v(xs, 1.5), per_row(ta.jacfwd(branchy), xs, 1.5))
    assert loop_kind(v) == "RowsLoop"
    with pytest.raises(ta.TangentADError, match=r"cannot map jacfwd\(branchy\).*branch"):
        ta.vmap(ta.jacfwd(branchy), in_axes=(0, None), target="cuda")(xs, 1.5)


def test_plain_functions_dicts_out_axes_and_the_python_backend():
    xs = np.random.default_rng(4).standard_normal((4, 3))
    np.testing.assert_allclose(ta.vmap(rotate, in_axes=(0, None))(xs, 0.3),
                               per_row(rotate, xs, 0.3), rtol=1e-14)
    two = ta.vmap(lambda x: (x * 2.0, np.sum(x)))(xs)
    np.testing.assert_allclose(two[0], 2 * xs)
    np.testing.assert_allclose(two[1], xs.sum(axis=1))

    def h(p):
        return p["a"] * np.sin(p["b"])
    got = ta.vmap(ta.jacfwd(h), out_axes=1)({"a": xs, "b": xs})
    want = [ta.jacfwd(h)({"a": x, "b": x}) for x in xs]
    np.testing.assert_allclose(got["b"], np.stack([w["b"] for w in want], axis=1))
    got = ta.vmap(ta.jacrev(rotate, backend="python"), in_axes=(0, None))(xs, 0.3)
    np.testing.assert_allclose(got, per_row(ta.jacrev(rotate), xs, 0.3), rtol=1e-12)


SCALE = np.array([1.0, 2.0, 3.0])


def scaled(x):
    return SCALE * np.sin(x)


def test_a_global_bound_to_a_new_array_is_seen():
    global SCALE
    xs = np.random.default_rng(5).standard_normal((3, 3))
    v = ta.vmap(ta.jacfwd(scaled))
    first = v(xs)
    SCALE = np.array([-1.0, 0.5, 4.0])
    try:
        np.testing.assert_allclose(v(xs), per_row(ta.jacfwd(scaled), xs), rtol=1e-12)
        assert not np.allclose(v(xs), first)
    finally:
        SCALE = np.array([1.0, 2.0, 3.0])


def bump(t):
    return t * np.exp(-t * t)


def calls_bump(x):  # bump stays a function of the generated module: a compiled helper
    return bump(x[0]) * x[1] + bump(x[1])


def test_tracing_in_many_threads_leaves_the_compiled_helpers_in_place():
    import threading

    from tangent_ad.vmap_trace import trace_body
    xs = np.random.default_rng(7).standard_normal((6, 2))
    v = ta.vmap(ta.jacfwd(calls_bump))
    np.testing.assert_allclose(v(xs), per_row(ta.jacfwd(calls_bump), xs), rtol=1e-12)
    (rows, _), = v._rows.values()
    swapped = [(g.module, name) for g, *_ in rows.calls
               for name in getattr(g.call, "helpers", {})]
    assert swapped, "calls_bump's derivative should call a compiled helper"
    before = {key: getattr(*key) for key in swapped}

    def trace_often():
        for _ in range(20):
            trace_body(rows, [True])
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often, inside the swap too
    try:
        threads = [threading.Thread(target=trace_often) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert {key: getattr(*key) for key in swapped} == before


WEIGHT = 2.0


def weighted_steps(x, a, n):
    y = x
    for _ in range(n):
        y = WEIGHT * np.sin(y) * a
    return y


def test_repeated_calls_of_plain_arguments_see_new_sizes_counts_and_globals():
    global WEIGHT
    d = ta.grad(weighted_steps, argnums=(0, 1))
    v = ta.vmap(d, in_axes=(0, None, None))
    xs = np.linspace(-1.0, 1.0, 7)

    def check(xs, a, n):
        got = v(xs, a, n)
        want = [d(x, a, n) for x in xs]
        np.testing.assert_allclose(got[0], [w[0] for w in want], rtol=1e-12)
        np.testing.assert_allclose(got[1], [w[1] for w in want], rtol=1e-12)
    check(xs, 0.7, 3)
    assert len(v._quick) == 1  # the second call on the same kinds takes the quick path
    check(xs[:4], 0.7, 3)  # another batch size
    check(xs, 1, 5)  # an int where a float was: another kind, planned again
    check(xs, 0.2, 2)  # new values of the broadcast arguments
    try:
        WEIGHT = 0.5  # a global rebound: seen at the next call
        check(xs, 0.7, 3)
    finally:
        WEIGHT = 2.0
    both = ta.vmap(d, in_axes=(0, 0, None))
    both(xs, xs, 3)
    with pytest.raises(ValueError, match="different batch sizes"):
        both(xs, xs[:3], 3)
