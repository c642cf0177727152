"""Writes through aliases and views: a right derivative, or a located error; never silence.

Every program refused here got a wrong derivative, silently, before the check in
`frontend/aliases.py` (`y = x; y[0] = 5.0; return np.sum(x ** 2)` got 2x, as if the write
never happened, instead of [0, 2 x1, 2 x2]).
"""
import inspect

import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.errors import UnsupportedSyntaxError

from conftest import assert_tree_close
from tangent_ad.checking import numerical_grad

X3 = np.array([1.0, 2.0, 3.0])
X4 = np.array([1.0, 2.0, 3.0, 4.0])
A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])


def line_of(f, text):
    """The line number of the first line of `f` that contains `text`."""
    lines, first = inspect.getsourcelines(f)
    return first + next(i for i, line in enumerate(lines) if text in line)


# -- refused: the write changes another name that is read ------------------------------

def rebinding(x):
    y = x
    y[0] = 5.0
    return np.sum(x ** 2)


def strided_augmented(x):
    v = x[::2]
    v *= 2.0
    return np.sum(x ** 2)


def reshape_method(x):
    v = x.reshape(2, 2)
    v[0, 0] = 0.0
    return np.sum(x ** 2)


def base_while_view_read(x):
    v = x[::2]
    x[0] = 5.0
    return np.sum(v ** 2)


def reshape_function(x):
    v = np.reshape(x, (2, 2))
    v[1, 1] = 0.0
    return np.sum(x * x)


def transposed(a):
    t = a.T
    t[0, 1] = 0.0
    return np.sum(a ** 2)


def raveled(a):
    r = a.ravel()
    r[0] = 0.0
    return np.sum(a * a)


def row_in_loop(a):
    for i in range(a.shape[0]):
        r = a[i]
        r[0] = 0.5 * r[1]
    return np.sum(a ** 2)


def _set_first(p):
    p[0] = 5.0
    return np.sum(p)


def view_into_helper(x):
    s = _set_first(x[1:])
    return s + np.sum(x ** 2)


def _bump(p):
    p += 1.0
    return np.sum(p)


def helper_augments_argument(x):
    s = _bump(x)
    return s * np.sum(x * x)


def through_tuple(x):
    t = (x, 2.0)
    a = t[0]
    a[0] = 5.0
    return np.sum(x ** 2)


def read_before_write(x):
    w = np.sum(x * x)
    y = x
    y[0] = 5.0
    return w + np.sum(y)


def view_remade_each_iteration(x):
    s = 0.0
    for i in range(3):
        y = x[::2]
        s = s + np.sum(y * y)
        y[0] = y[0] * 2.0
    return s


def asarray_alias(x):
    y = np.asarray(x)
    y[0] = 1.0
    return np.sum(x * x)


def augmented_rebinding(x):
    y = x
    y += 1.0
    return np.sum(x * y)


def view_read_before_base_write(x):
    s = np.sum(x[::2] ** 2)
    x[0] = 5.0
    return s + np.sum(x)


def same_row_read_then_written(w, x):
    H = np.zeros((4, 3))
    H[0] = x
    for t in range(1, 4):
        v = H[t - 1]
        H[t] = np.tanh(w * v)
        H[t - 1] = v * v
    return np.sum(H ** 2)


def overwritten_in_a_loop(x):
    s = 0.0
    for i in range(3):
        s = s + np.sum(x * x)
        x[i] = 2.0 * x[i]
    return s


REFUSED = [  # (function, argument, the write's text (or (helper, text)), names, line that shared)
    (rebinding, X3, "y[0] = 5.0", ("y", "x"), "y = x"),
    (strided_augmented, X3, "v *= 2.0", ("v", "x"), "v = x[::2]"),
    (reshape_method, X4, "v[0, 0] = 0.0", ("v", "x"), "v = x.reshape"),
    (base_while_view_read, X3, "x[0] = 5.0", ("x", "v"), "v = x[::2]"),
    (reshape_function, X4, "v[1, 1] = 0.0", ("v", "x"), "v = np.reshape"),
    (transposed, A, "t[0, 1] = 0.0", ("t", "a"), "t = a.T"),
    (raveled, A, "r[0] = 0.0", ("r", "a"), "r = a.ravel()"),
    (row_in_loop, A, "r[0] = 0.5", ("r", "a"), "r = a[i]"),
    (view_into_helper, X3, (_set_first, "p[0] = 5.0"), (), None),
    (helper_augments_argument, X3, (_bump, "p += 1.0"), ("x",), None),
    (through_tuple, X3, "a[0] = 5.0", ("a", "x"), None),
    (read_before_write, X3, "y[0] = 5.0", ("y", "x"), "y = x"),
    (view_remade_each_iteration, X3, "y[0] = y[0]", ("y", "x"), "y = x[::2]"),
    (asarray_alias, X3, "y[0] = 1.0", ("y", "x"), "y = np.asarray"),
    (augmented_rebinding, X3, "y += 1.0", ("y", "x"), "y = x"),
    (view_read_before_base_write, X3, "x[0] = 5.0", ("x",), "s = np.sum(x[::2]"),
    (overwritten_in_a_loop, X3, "x[i] = 2.0 * x[i]", ("x",), None),
]


def _check_refusal(error, f, write, names, shared):
    message = str(error.value)
    target, write = write if isinstance(write, tuple) else (f, write)
    where = f"{inspect.getsourcefile(target)}:{line_of(target, write)}:"
    assert message.startswith(where), message
    for n in names:
        assert f"`{n}`" in message, message
    if shared is not None:
        assert f"since line {line_of(f, shared)}" in message, message
    assert "\nhint: " in message and ".copy()" in message, message


@pytest.mark.parametrize("f, x, write, names, shared", REFUSED,
                         ids=[case[0].__name__ for case in REFUSED])
def test_refused_in_reverse_mode(f, x, write, names, shared, backend):
    with pytest.raises(UnsupportedSyntaxError) as error:
        ta.grad(f, backend=backend)(x.copy())
    _check_refusal(error, f, write, names, shared)


@pytest.mark.parametrize("f, x, write, names, shared", REFUSED[:3] + REFUSED[7:8],
                         ids=[case[0].__name__ for case in REFUSED[:3] + REFUSED[7:8]])
def test_refused_in_forward_mode(f, x, write, names, shared, backend):
    with pytest.raises(UnsupportedSyntaxError) as error:
        ta.jvp(f, (x.copy(),), (np.ones_like(x),), backend=backend)
    _check_refusal(error, f, write, names, shared)


def test_a_row_written_after_its_value_was_used(backend):
    with pytest.raises(UnsupportedSyntaxError) as error:
        ta.grad(same_row_read_then_written, backend=backend)(0.5, X3.copy())
    _check_refusal(error, same_row_read_then_written, "H[t - 1] = v * v", ("H", "v"),
                   "v = H[t - 1]")


@pytest.mark.parametrize("f", [read_before_write, overwritten_in_a_loop])
def test_forward_mode_needs_no_value_from_before_a_write(f, backend):
    """Refused in reverse mode for the backward sweep; forward mode has none."""
    out, out_dot = ta.jvp(f, (X3.copy(),), (np.ones(3),), backend=backend)
    assert_tree_close(out_dot, np.sum(numerical_grad(f, (X3.copy(),))), rtol=1e-5, atol=1e-5)


def test_the_hint_names_the_copy_to_make():
    with pytest.raises(UnsupportedSyntaxError) as error:
        ta.grad(strided_augmented)(X3.copy())
    assert "hint: write `v = x[::2].copy()` at line" in str(error.value)
    with pytest.raises(UnsupportedSyntaxError) as error:
        ta.grad(base_while_view_read)(X3.copy())
    assert "if `v` should keep its values, or make `v` after this write" in str(error.value)


# -- accepted: no other name that shares the memory is read -----------------------------

def fill_new_array(x):
    out = np.zeros(3)
    for i in range(3):
        out[i] = x[i] * x[(i + 1) % 3]
    return np.sum(out ** 2)


def write_into_argument(x):
    s = np.sum(x ** 3)
    x[0] = 1.0
    return s + np.sum(x ** 2)


def write_into_copy(x):
    x = x.copy()
    x[0] = 1.0
    return np.sum(x ** 2)


def write_into_product(x):
    y = x * 2.0
    y[0] = 1.0
    return np.sum(y ** 2) + np.sum(x)


def scalar_augmented_after_rebinding(x):
    s = x[0]
    t = s
    t += 1.0
    return t * s * x[1]


def scalar_rows_augmented(a):
    s = 0.0
    for i in range(a.shape[0]):
        t = a[i, 0]
        t += a[i, 1]
        s = s + t * t
    return s


def fill_rows(x):
    H = np.zeros((3, 3))
    h = x
    for t in range(3):
        h = np.tanh(h * 0.5 + 0.1)
        H[t] = h
    return np.sum(H ** 2)


def fresh_each_iteration(x):
    prev = x * 1.0
    for t in range(3):
        s = np.sum(prev)
        cur = np.zeros(3)
        for i in range(3):
            cur[i] = prev[i] * 0.5 + x[i] * s
        prev = cur
    return np.sum(prev ** 2)


def write_through_rebinding_only(x):
    y = x
    y[0] = 5.0
    return np.sum(y ** 2)


def read_only_views(x):
    v = x[::2]
    w = x.reshape(2, 2).T
    return np.sum(v ** 2) + np.sum(w[0] * w[1])


def view_of_unread_base(x):
    y = x * 1.0
    v = y[1:]
    v *= 2.0
    return np.sum(v ** 2)


def rows_from_the_row_before(x):
    H = np.zeros((4, 3))
    H[0] = np.tanh(x)
    for t in range(1, 4):
        H[t] = np.tanh(0.5 * H[t - 1] + x)
    return np.sum(H ** 2)


def named_row_before(x):
    H = np.zeros((4, 3))
    H[0] = x
    for t in range(1, 4):
        h = H[t - 1]
        H[t] = np.sin(h * x)
    return np.sum(H ** 2)


def rows_counting_down(x):
    H = np.zeros((4, 3))
    H[3] = x
    for t in range(3, 0, -1):
        H[t - 1] = np.tanh(x * H[t])
    return np.sum(H ** 2)


def rows_accumulated(x):
    G = np.ones((3, 3))
    for i in range(3):
        G[i] += x * x[i]
    return np.sum(G ** 2)


def element_read_before_write_through_alias(x):
    y = x
    a = x[0]
    s = a * a
    y[0] = 7.0
    return s + np.sum(y)


ACCEPTED = [(fill_new_array, X3), (write_into_argument, X3), (write_into_copy, X3),
            (write_into_product, X3), (scalar_augmented_after_rebinding, X3),
            (scalar_rows_augmented, A), (fill_rows, X3), (fresh_each_iteration, X3),
            (write_through_rebinding_only, X3), (read_only_views, X4),
            (view_of_unread_base, X3), (rows_from_the_row_before, X3),
            (named_row_before, X3), (rows_counting_down, X3), (rows_accumulated, X3),
            (element_read_before_write_through_alias, X3)]


@pytest.mark.parametrize("f, x", ACCEPTED, ids=[case[0].__name__ for case in ACCEPTED])
def test_accepted_gives_finite_differences(f, x, backend):
    got = ta.grad(f, backend=backend)(x.copy())
    assert_tree_close(got, numerical_grad(f, (x.copy(),)), rtol=1e-5, atol=1e-6)
    out, out_dot = ta.jvp(f, (x.copy(),), (np.ones_like(x),), backend=backend)
    assert_tree_close(out_dot, np.sum(numerical_grad(f, (x.copy(),))), rtol=1e-5, atol=1e-5)


# -- container arguments: a leaf read under another name ---------------------------------

def leaf_alias_then_leaf_read(params, x):
    W = params[0][0]
    W[0, 0] = 0.0
    return np.sum(params[0][0] @ x) + np.sum(params[0][1])


def leaf_alias_only(params, x):
    W = params[0][0]
    W[0, 0] = 0.0
    return np.sum(W @ x) + np.sum(params[0][1] * x)


def _params():
    return [(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, -1.0]))]


def test_leaf_of_a_container_argument_refused(backend):
    with pytest.raises(UnsupportedSyntaxError) as error:
        ta.grad(leaf_alias_then_leaf_read, backend=backend)(_params(), X3[:2].copy())
    _check_refusal(error, leaf_alias_then_leaf_read, "W[0, 0] = 0.0", ("W", "params[0][0]"),
                   "W = params[0][0]")


def test_leaf_of_a_container_argument_accepted(backend):
    x = X3[:2].copy()
    got = ta.grad(leaf_alias_only, backend=backend)(_params(), x)
    assert_tree_close(got, numerical_grad(leaf_alias_only, (_params(), x)))
