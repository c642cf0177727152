"""The public entry points at their boundary: the caller's arrays are never written, int
primals of jvp, complex numbers refused, defaults and keyword arguments, np.mean of a
number, float16, and vmap of an empty batch. Derivatives are checked against central
differences (of a twin of the function that does not write into its argument)."""
import functools
import warnings

import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.backends.numba_cpu import NumbaCompileError, NumbaFallbackWarning
from tangent_ad.checking import numerical_grad
from tangent_ad.kinds import ComplexValueError

from conftest import assert_tree_close


def fd_jacobian(f, x, eps=1e-6):
    """d f / d x by central differences, shaped `f(x).shape + x.shape`."""
    x = np.asarray(x, dtype=float)
    columns = []
    for index in np.ndindex(*x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        columns.append((np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2 * eps))
    out = np.stack(columns, axis=-1)
    return out.reshape(np.shape(f(x)) + x.shape)


# -- 3: every entry point runs the user's function on copies -----------------------------

def writes(x):  # sum((x + 1)²), computed in the argument's own memory
    x += 1.0
    x *= x
    return np.sum(x)


def writes_pure(x):
    return np.sum((x + 1.0) ** 2)


def writes_vector(x):  # (4 x1², x1², x2²)
    x[0] = 2.0 * x[1]
    return x * x


def writes_vector_pure(x):
    return np.array([4.0 * x[1] ** 2, x[1] ** 2, x[2] ** 2])


def writes_mixed(x):  # x0² x1² + x1³ + x2³
    y = x * x
    x[0] = y[1]
    return np.sum(x * y)


def writes_mixed_pure(x):
    return x[0] ** 2 * x[1] ** 2 + x[1] ** 3 + x[2] ** 3


def writes_aux(x):  # (sum((2x)²), 2x)
    x *= 2.0
    return np.sum(x * x), x


def writes_aux_pure(x):
    return np.sum((2.0 * x) ** 2)


X = np.array([1.0, 2.0, 3.0])
XS = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])


def _grad(x, xs, backend):
    return ta.grad(writes, backend=backend)(x), numerical_grad(writes_pure, (X,))


def _value_and_grad(x, xs, backend):
    got = ta.value_and_grad(writes, backend=backend)(x)
    return got, (writes_pure(X), numerical_grad(writes_pure, (X,)))


def _jvp(x, xs, backend):
    v = np.array([0.5, -1.0, 2.0])
    got = ta.jvp(writes, (x,), (v,), backend=backend)
    return got, (writes_pure(X), numerical_grad(writes_pure, (X,)) @ v)


def _vjp(x, xs, backend):
    out, vjp_fn = ta.vjp(writes_vector, x, backend=backend)
    ct = np.array([1.0, -2.0, 0.5])
    want = ct @ fd_jacobian(writes_vector_pure, X)
    return (out, vjp_fn(ct)), (writes_vector_pure(X), (want,))


def _jacfwd(x, xs, backend):
    return ta.jacfwd(writes_vector, backend=backend)(x), fd_jacobian(writes_vector_pure, X)


def _jacrev(x, xs, backend):
    return ta.jacrev(writes_vector, backend=backend)(x), fd_jacobian(writes_vector_pure, X)


def _jacobian(x, xs, backend):
    got = ta.jacobian(writes_mixed, backend=backend)(x)
    return got, numerical_grad(writes_mixed_pure, (X,))


def _hessian(x, xs, backend):
    grad_pure = lambda x: numerical_grad(writes_mixed_pure, (x,), eps=1e-4)  # noqa: E731
    return ta.hessian(writes_mixed, backend=backend)(x), fd_jacobian(grad_pure, X, 1e-4)


def _vmap(x, xs, backend):
    got = (ta.vmap(ta.grad(writes, backend=backend))(xs),
           ta.vmap(ta.value_and_grad(writes, backend=backend))(xs)[1],
           ta.vmap(ta.jacfwd(writes_vector, backend=backend))(xs),
           ta.vmap(ta.jacrev(writes_vector, backend=backend))(xs),
           ta.vmap(ta.hessian(writes_mixed, backend=backend))(xs[:1]),
           ta.vmap(writes_vector)(xs))
    grad_pure = lambda x: numerical_grad(writes_mixed_pure, (x,), eps=1e-4)  # noqa: E731
    want = (np.array([numerical_grad(writes_pure, (x,)) for x in XS]),
            np.array([numerical_grad(writes_pure, (x,)) for x in XS]),
            np.array([fd_jacobian(writes_vector_pure, x) for x in XS]),
            np.array([fd_jacobian(writes_vector_pure, x) for x in XS]),
            fd_jacobian(grad_pure, XS[0], 1e-4)[None],
            np.array([writes_vector_pure(x) for x in XS]))
    return got, want


def _check_grads(x, xs, backend):
    for f in (writes, writes_vector, writes_mixed):
        ta.check_grads(f, (x,), order=2, modes=("fwd", "rev"), backend=backend)
        ta.check_grads(f, (x,), modes=("rev",), backend=backend)
    return 0.0, 0.0


def _source(x, xs, backend):
    derivative = ta.grad(writes, backend=backend)
    text = ta.source(derivative, x)
    assert "def writes_grad(x)" in text
    return derivative(x), numerical_grad(writes_pure, (X,))


WALK = {"grad": _grad, "value_and_grad": _value_and_grad, "jvp": _jvp, "vjp": _vjp,
        "jacfwd": _jacfwd, "jacrev": _jacrev, "jacobian": _jacobian, "hessian": _hessian,
        "vmap": _vmap, "check_grads": _check_grads, "source": _source}
NOT_ENTRY_POINTS = {"stop_gradient", "adjoint_rule", "tangent_rule", "TangentADError",
                    "UnsupportedSyntaxError", "MissingRuleError"}


def test_the_walk_covers_every_entry_point():
    assert set(ta.__all__) - NOT_ENTRY_POINTS == set(WALK)


@pytest.mark.parametrize("name", sorted(WALK))
def test_entry_point_leaves_the_callers_arrays_alone(name, backend):
    x, xs = X.copy(), XS.copy()
    got, want = WALK[name](x, xs, backend)
    np.testing.assert_array_equal(x, X)
    np.testing.assert_array_equal(xs, XS)
    assert_tree_close(got, want, rtol=1e-5, atol=1e-5)


def test_has_aux_paths_leave_the_callers_arrays_alone(backend):
    x = X.copy()
    g, aux = ta.grad(writes_aux, has_aux=True, backend=backend)(x)
    (value, aux2), g2 = ta.value_and_grad(writes_aux, has_aux=True, backend=backend)(x)
    out, out_dot, aux3 = ta.jvp(writes_aux, (x,), (np.ones(3),), has_aux=True,
                                backend=backend)
    out4, vjp_fn, aux4 = ta.vjp(writes_aux, x, has_aux=True, backend=backend)
    np.testing.assert_array_equal(x, X)
    want = numerical_grad(writes_aux_pure, (X,))
    for a in (aux, aux2, aux3, aux4):
        np.testing.assert_allclose(a, 2.0 * X)
    assert_tree_close((g, g2, out_dot, vjp_fn(1.0)[0]), (want, want, np.sum(want), want))
    np.testing.assert_allclose((value, out, out4), [writes_aux_pure(X)] * 3)


def returns_its_leaf(p):
    return np.sum(p["w"] ** 2 * p["b"]), p["w"]


def test_containers_of_arrays_are_copied(backend):
    p = {"w": np.array([1.0, 2.0]), "b": np.array([3.0, -1.0])}
    g, aux = ta.grad(returns_its_leaf, has_aux=True, backend=backend)(p)
    assert not np.shares_memory(aux, p["w"])  # the function saw a copy
    want = numerical_grad(lambda q: returns_its_leaf(q)[0], (p,))
    assert_tree_close(g, want)


def test_derivative_of_a_derivative_leaves_the_callers_arrays_alone(backend):
    x = X.copy()
    got = ta.jacfwd(ta.jacrev(writes_mixed, backend=backend), backend=backend)(x)
    np.testing.assert_array_equal(x, X)
    grad_pure = lambda y: numerical_grad(writes_mixed_pure, (y,), eps=1e-4)  # noqa: E731
    np.testing.assert_allclose(got, fd_jacobian(grad_pure, X, 1e-4), rtol=1e-5, atol=1e-5)


# -- 4: int primals of jvp -----------------------------------------------------------------

def square(x):
    return x * x


def repeat_add(x, n):
    s = 0.0
    for _ in range(n):
        s = s + x
    return s


def test_jvp_of_int_primals_with_float_tangents(backend):
    out, out_dot = ta.jvp(square, (3,), (1.0,), backend=backend)
    assert (out, out_dot) == (9.0, 6.0)
    out, out_dot = ta.jvp(square, (np.array([3, 4]),), (np.array([1.0, 0.5]),),
                          backend=backend)
    np.testing.assert_allclose(out, [9.0, 16.0])
    np.testing.assert_allclose(out_dot, [6.0, 4.0])
    # an int with a zero or an int tangent stays an int (a loop count)
    assert ta.jvp(repeat_add, (2.0, 3), (1.0, 0.0), backend=backend) == (6.0, 3.0)
    assert ta.jvp(repeat_add, (2.0, 3), (1.0, 3), backend=backend) == (6.0, 3.0)


# -- 5: complex numbers --------------------------------------------------------------------

def sum_squares(x):
    return np.sum(x * x)


def through_complex(x):
    return np.sum(np.real(np.exp(1j * x)))


def through_complex_call(x):
    return np.real(complex(x, 1.0))


def through_complex_dtype(x):
    return np.sum(np.real(x * np.ones(2, dtype=np.complex128)))


def through_complex_dtype_name(x):
    return np.sum(np.real(x * np.ones(2, dtype="complex64")))


def cube_root(x):
    return x ** (1.0 / 3.0)


def imaginary_part(x):
    return np.imag(x ** 0.5)  # Python's (-4.0) ** 0.5 is 2j: the derivative is not 0


def angle(x):
    return np.angle(x)


def imag_attribute(x):
    return np.sum(x.imag)


C = 1.0 + 2.0j


def reads_complex_global(x):
    return np.real(C * x)


def test_complex_arguments_are_refused_by_name(backend):
    z = np.array([1.0 + 1.0j, 2.0])
    for call in (lambda: ta.grad(sum_squares, backend=backend)(z),
                 lambda: ta.jacfwd(sum_squares, backend=backend)(z),
                 lambda: ta.vjp(sum_squares, z, backend=backend),
                 lambda: ta.grad(sum_squares, backend=backend)(1j)):
        with pytest.raises(ComplexValueError, match="`x` of sum_squares is complex"):
            call()
    with pytest.raises(TypeError, match="complex"):
        ta.jvp(sum_squares, (np.ones(2),), (np.ones(2) * 1j,), backend=backend)
    with pytest.raises(ComplexValueError, match="`C` of reads_complex_global is complex"):
        ta.grad(reads_complex_global, backend=backend)(1.0)


@pytest.mark.parametrize("fun, line", [(through_complex, "1j * x"),
                                       (through_complex_call, "complex(x, 1.0)"),
                                       (through_complex_dtype, "np.complex128"),
                                       (through_complex_dtype_name, '"complex64"'),
                                       (imaginary_part, "np.imag"), (angle, "np.angle"),
                                       (imag_attribute, "x.imag")])
def test_complex_values_made_inside_are_located(fun, line, backend):
    with pytest.raises(ta.UnsupportedSyntaxError, match="complex numbers") as info:
        ta.grad(fun, backend=backend)(np.array([1.0, 2.0]))
    assert f"test_entry_points.py:{fun.__code__.co_firstlineno + 1}:" in str(info.value)
    assert line in str(info.value)


def test_a_complex_result_of_python_code_is_refused():
    with pytest.raises(ComplexValueError, match="complex number"):
        ta.grad(cube_root, backend="python")(-8.0)
    np.testing.assert_allclose(ta.grad(cube_root, backend="python")(8.0), 1.0 / 12.0)


# -- 9: defaults, keyword arguments, keyword-only parameters, *args, **kwargs -----------

def scaled(x, k=3.0):
    return k * x ** 2


def keyword_only(x, *, k):
    return k * x ** 2


def starred(x, *args):
    return x ** 2 * args[0]


def only_starred(*args):
    return args[0] * args[1] ** 2


def array_and_starred(x, *rest):
    return np.sum(x * rest[0]) * rest[1] ** 2


def keywords(x, **kw):
    return x ** 2 * kw["k"]


def everything(x, /, y=2.0, *rest, k=1.0, **kw):
    return x ** 2 * y * k * rest[0] * kw["s"]


def scaled_sum(x, k=3.0):
    return k * np.sum(x ** 3)


def test_defaults_and_keyword_arguments(backend):
    grad = functools.partial(ta.grad, backend=backend)
    assert grad(scaled)(2.0) == pytest.approx(12.0)
    assert grad(scaled)(2.0, k=5.0) == pytest.approx(20.0)
    assert grad(scaled)(2.0, 5.0) == pytest.approx(20.0)
    assert grad(scaled, argnums=1)(2.0, 5.0) == pytest.approx(4.0)
    assert grad(keyword_only)(2.0, k=4.0) == pytest.approx(16.0)
    assert grad(starred)(2.0, 5.0) == pytest.approx(20.0)
    assert grad(starred, argnums=1)(2.0, 5.0) == pytest.approx(4.0)
    assert grad(only_starred, argnums=(0, 1))(2.0, 3.0) == pytest.approx((9.0, 12.0))
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    got = grad(array_and_starred, argnums=(0, 1, 2))(x, y, 2.0)
    want = numerical_grad(array_and_starred, (x, y, 2.0), argnums=(0, 1, 2))
    assert_tree_close(got, want)
    assert grad(keywords)(2.0, k=3.0) == pytest.approx(12.0)
    want = numerical_grad(lambda x: everything(x, 3.0, 5.0, k=7.0, s=11.0), (2.0,))
    assert grad(everything)(2.0, 3.0, 5.0, k=7.0, s=11.0) == pytest.approx(want)
    with pytest.raises(TypeError, match="positional arguments to be passed"):
        grad(scaled, argnums=1)(2.0, k=5.0)  # keyword arguments are not differentiated
    with pytest.raises(TypeError, match="missing a required argument: 'k'"):
        grad(keyword_only)(2.0)


def test_keyword_arguments_at_every_entry_point(backend):
    x, k = np.array([1.0, 2.0]), 4.0
    pure = lambda y: k * np.sum(y ** 3)  # noqa: E731
    gradient = numerical_grad(pure, (x,))
    hessian = fd_jacobian(lambda y: numerical_grad(pure, (y,), eps=1e-4), x, 1e-4)
    assert_tree_close(ta.grad(scaled_sum, backend=backend)(x, k=k), gradient)
    assert_tree_close(ta.value_and_grad(scaled_sum, backend=backend)(x, k=k),
                      (pure(x), gradient))
    assert_tree_close(ta.jacfwd(scaled_sum, backend=backend)(x, k=k), gradient)
    assert_tree_close(ta.jacrev(scaled_sum, backend=backend)(x, k=k), gradient)
    assert_tree_close(ta.hessian(scaled_sum, backend=backend)(x, k=k), hessian, atol=1e-4)
    assert_tree_close(ta.grad(ta.grad(keyword_only, backend=backend))(2.0, k=k), 2.0 * k)
    closed = functools.partial(scaled_sum, k=k)  # jvp, vjp, check_grads: as in JAX
    assert_tree_close(ta.jvp(closed, (x,), (np.ones(2),), backend=backend),
                      (pure(x), np.sum(gradient)))
    assert_tree_close(ta.vjp(closed, x, backend=backend)[1](1.0), (gradient,))
    ta.check_grads(closed, (x,), order=2, backend=backend)
    ta.check_grads(scaled_sum, (x,), backend=backend)  # with its default
    ta.check_grads(array_and_starred, (x, x + 1.0, 2.0), order=2, backend=backend)
    assert_tree_close(ta.jvp(only_starred, (2.0, 3.0), (1.0, 1.0), backend=backend),
                      (18.0, 21.0))
    assert_tree_close(ta.vjp(only_starred, 2.0, 3.0, backend=backend)[1](1.0), (9.0, 12.0))
    assert "def scaled_sum_grad(x, k)" in ta.source(ta.grad(scaled_sum), x, k=k)
    assert "def scaled_sum_grad(x, k)" in ta.source(ta.grad(scaled_sum))  # at its default
    # vmap maps keyword arguments over their first axis, as in JAX; defaults stay whole
    xs, ks = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([2.0, 5.0])
    assert_tree_close(ta.vmap(ta.grad(scaled_sum, backend=backend))(xs, k=ks),
                      3.0 * ks[:, None] * xs ** 2)
    assert_tree_close(ta.vmap(ta.grad(scaled_sum, backend=backend))(xs), 9.0 * xs ** 2)
    assert_tree_close(ta.vmap(keyword_only)(xs[:, 0], k=ks), ks * xs[:, 0] ** 2)


# -- 9: np.mean of a number, float16, an empty batch ---------------------------------------

def mean_of_number(x):
    return np.mean(x * 2.0)


def test_mean_of_a_number(backend):
    assert ta.grad(mean_of_number, backend=backend)(2.0) == pytest.approx(2.0)
    assert ta.hessian(mean_of_number, backend=backend)(2.0) == pytest.approx(0.0)
    assert ta.jvp(mean_of_number, (2.0,), (1.0,), backend=backend)[1] == pytest.approx(2.0)


def test_float16():
    x = np.array([1.0, 2.0], dtype=np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NumbaFallbackWarning)
        for backend in (None, "python"):
            got = ta.grad(sum_squares, backend=backend)(x)
            assert got.dtype == np.float16  # as JAX gives it
            np.testing.assert_allclose(got, [2.0, 4.0])
    with pytest.raises(NumbaCompileError, match="float16"):
        ta.grad(sum_squares, backend="numba")(x)


def test_vmap_of_an_empty_batch(backend):
    out = ta.vmap(ta.grad(square, backend=backend))(np.zeros(0))
    assert out.shape == (0,)
    assert ta.vmap(ta.grad(writes, backend=backend))(np.zeros((0, 3))).shape == (0, 3)
    assert ta.vmap(ta.jacfwd(writes_vector, backend=backend))(np.zeros((0, 3))).shape == \
        (0, 3, 3)
    assert ta.vmap(writes_vector, out_axes=1)(np.zeros((0, 3))).shape == (3, 0)
    value, gradient = ta.vmap(ta.value_and_grad(writes, backend=backend))(np.zeros((0, 3)))
    assert value.shape == (0,) and gradient.shape == (0, 3)
    np.testing.assert_allclose(ta.vmap(ta.grad(square, backend=backend))(np.ones(2)), [2, 2])
