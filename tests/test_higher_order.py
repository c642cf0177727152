"""Derivatives of derivatives: the generated code is differentiated again."""
import os
import sys

import numpy as np
import pytest

import tangent_ad as ta
from conftest import assert_tree_close
from test_seeds import W0, b0, inputs, logreg_loss, logreg_loss_dict


def cubic(x):
    return x**3 + 2*x**2 - 3*x + 1


def test_four_stacked_grads(backend):
    d, got = cubic, []
    for _ in range(4):
        d = ta.grad(d, backend=backend)
        got.append(d(1.0))
    assert got == [pytest.approx(4.0), pytest.approx(10.0), pytest.approx(6.0),
                   pytest.approx(0.0)]


def test_lambda_four_stacked_grads():
    d = lambda x: x**3 + 2*x**2 - 3*x + 1  # noqa: E731
    for _ in range(4):
        d = ta.grad(d, backend="python")
    assert d(1.0) == 0.0


def test_second_derivative_source_is_derived_from_the_gradient():
    text = ta.source(ta.grad(ta.grad(cubic)), 1.0)
    assert text.startswith("def cubic_grad_grad(x):")
    assert "# x_bar = -3.0 + 4.0 * x + 3.0 * x ** 2" in text   # quotes the generated line
    assert "6.0 * x + 4.0" in text


def test_derivative_exposes_a_parseable_python_function():
    from tangent_ad.frontend.parse import parse_function
    d = ta.grad(cubic, backend="python")
    d(1.0)
    assert parse_function(d.python).tree.name == "cubic_grad"


def test_frontend_does_not_unwrap_a_derivative_to_its_function():
    from tangent_ad.frontend.parse import parse_function
    from tangent_ad.errors import SourceNotFoundError
    with pytest.raises(SourceNotFoundError):
        parse_function(ta.grad(cubic))


def two(x, y):
    return np.sin(x) * y**2


def test_mixed_second_derivative_with_argnums():
    d2 = ta.grad(ta.grad(two, argnums=0), argnums=1, backend="python")
    assert d2(0.5, 3.0) == pytest.approx(2 * 3.0 * np.cos(0.5))


def test_hessian_vector_product_is_forward_over_reverse(backend):
    x, v = np.array([0.3, -0.7]), np.array([1.0, 2.0])
    out, hvp = ta.jvp(ta.grad(logreg_like, backend=backend), (x,), (v,), backend=backend)
    np.testing.assert_allclose(hvp, ta.hessian(logreg_like, backend=backend)(x) @ v)


SCALES = np.array([1.0, 2.0])


def logreg_like(w):
    return np.sum(np.log1p(np.exp(w * SCALES)))


def test_hessian_of_logistic_regression(backend):
    H = ta.hessian(logreg_loss, (0, 1), backend=backend)(W0, b0)
    assert H[0][0].shape == (3, 3) and H[0][1].shape == (3,) and np.shape(H[1][1]) == ()
    np.testing.assert_allclose(H[0][0], H[0][0].T, atol=1e-12)
    np.testing.assert_allclose(H[0][1], H[1][0], atol=1e-12)
    p = 1 / (1 + np.exp(-(inputs @ W0 + b0)))
    X1 = np.column_stack([inputs, np.ones(4)])
    want = X1.T @ np.diag(p * (1 - p)) @ X1  # the textbook Hessian of the log-loss
    np.testing.assert_allclose(H[0][0], want[:3, :3], rtol=1e-10)
    np.testing.assert_allclose(H[0][1], want[:3, 3], rtol=1e-10)
    assert H[1][1] == pytest.approx(want[3, 3])


def test_hessian_of_a_dict_argument_is_dict_of_dicts():
    H = ta.hessian(logreg_loss_dict, backend="python")({"W": W0, "b": b0})
    ref = ta.hessian(logreg_loss, (0, 1), backend="python")(W0, b0)
    assert set(H) == {"W", "b"} and set(H["W"]) == {"W", "b"}
    assert_tree_close(H, {"W": {"W": ref[0][0], "b": ref[0][1]},
                          "b": {"W": ref[1][0], "b": ref[1][1]}})


def unpacked(x):
    x, y = x
    return x**3 + y**2 + x*y


def test_seed_hessian_by_reverse_over_reverse(backend):
    H = ta.jacrev(ta.jacrev(unpacked, backend=backend), backend=backend)(np.array([3.0, 2.0]))
    np.testing.assert_allclose(H, [[18.0, 1.0], [1.0, 2.0]])


def test_seed_hessian(backend):
    """Forward mode over the in-place writes `x_bar[1] += y_bar` of the gradient."""
    H = ta.hessian(unpacked, backend=backend)(np.array([3.0, 2.0]))
    np.testing.assert_allclose(H, [[18.0, 1.0], [1.0, 2.0]])


def loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + np.sin(x * i)
    return s


def test_second_derivative_through_a_loop(backend):
    got = ta.grad(ta.grad(loop), backend=backend)(0.5, 3)
    assert got == pytest.approx(-(np.sin(0.5) + 4 * np.sin(1.0)))


def test_third_order_mixed_modes():
    d3 = ta.jacfwd(ta.jacrev(ta.grad(two)), backend="python")
    want = -np.cos(0.5) * 9.0  # d³/dx³ sin(x) y²
    assert d3(0.5, 3.0) == pytest.approx(want)


SCALE = 2.0


def scaled_cube(x):
    return SCALE * x**3


def test_a_global_is_read_at_every_call_of_a_second_derivative(monkeypatch):
    d2 = ta.grad(ta.grad(scaled_cube), backend="python")
    assert d2(1.5) == pytest.approx(6 * 2.0 * 1.5)
    monkeypatch.setattr(sys.modules[__name__], "SCALE", 3.0)
    assert d2(1.5) == pytest.approx(6 * 3.0 * 1.5)


# -- the control-flow corpus to second order ----------------------------------------------

# numba compiles four derivatives per function for this (seconds each): CI compiles these,
# TANGENT_AD_SLOW_TESTS=1 the whole corpus.
COMPILED = ["if_else", "for_range", "for_over_array", "nested_loops", "method_dot",
            "while_counter", "break_in_while", "triple_nested_loops", "calls_module_helper",
            "closure_over_local"]
ALL_COMPILED = os.environ.get("TANGENT_AD_SLOW_TESTS") == "1"


def _corpus_cases():
    from corpus import CORPUS
    for fn, kinds in CORPUS:
        yield pytest.param(fn, kinds, id=fn.__name__)


@pytest.mark.parametrize("fn, kinds", _corpus_cases())
def test_corpus_to_second_order(fn, kinds):
    from test_corpus import arguments
    ta.check_grads(fn, arguments(kinds), order=2, backend="python")


@pytest.mark.parametrize("fn, kinds", [c for c in _corpus_cases()
                                       if ALL_COMPILED or c.id in COMPILED])
def test_corpus_to_second_order_compiled(fn, kinds):
    from test_corpus import arguments
    ta.check_grads(fn, arguments(kinds), order=2, backend="numba")


def test_recursive_helper_derivatives_return_derivatives_only():
    """`h_jvp` returns the tangent alone, so the code that calls it is differentiated again
    like any other: forward over forward calls `h_jvp_jvp`."""
    from corpus import recursive_helper
    first = ta.source(ta.jacfwd(recursive_helper, backend="python"), 0.3, 5)
    assert "v1_dot = factorial_power_jvp(x, n, x_dot)\n" in first
    assert "return result_dot\n" in first
    second = ta.source(ta.jacfwd(ta.jacfwd(recursive_helper, backend="python"),
                                 backend="python"), 0.3, 5)
    assert "def factorial_power_jvp_jvp_wrt_x(" in second  # x_dot is a constant here


# -- list tapes: stacks whose tangents and adjoints are stacks ------------------------------

def power_by_while(x):
    i = 0
    s = x
    while i < 4:
        s = s * x
        i = i + 1
    return s


def test_second_derivative_source_of_a_list_tape_reads_like_the_first():
    text = ta.source(ta.grad(ta.grad(power_by_while)), 0.7)
    assert "s_stack.append(s)" in text and "s = s_stack.pop()" in text  # the gradient's tape
    assert "# s_stack = []\n    s_stack_bar = []" in text   # the adjoint of a stack is a stack
    assert "s_stack_bar.append(" in text    # the adjoint of a pop is a push
    assert "s_stack_bar.pop()" in text      # the adjoint of a push is a pop


def test_tangent_stack_is_pushed_and_popped_beside_the_tape():
    text = ta.source(ta.jacfwd(ta.grad(power_by_while)), 0.7)
    assert "s_stack_dot = []" in text
    assert "s_stack_dot.append(s_dot)" in text and "s_dot = s_stack_dot.pop()" in text
    assert "trips1_stack_dot" not in text   # trip counts carry no tangent


@pytest.mark.parametrize("order", [2, 3])
def test_stacked_grads_through_a_while_loop(order):
    d = power_by_while
    for _ in range(order):
        d = ta.grad(d, backend="python")
    want = {2: 20 * 0.7**3, 3: 60 * 0.7**2}[order]  # d^k/dx^k x^5
    assert d(0.7) == pytest.approx(want)


def test_fourth_order_through_a_while_loop():
    """The third derivative pushes onto stacks of adjoints of stacks, and is differentiated
    again like any other generated code."""
    d = power_by_while
    for _ in range(4):
        d = ta.grad(d, backend="python")
    assert d(0.7) == pytest.approx(120 * 0.7)


def test_third_order_through_a_while_loop_checks_in_every_mode():
    ta.check_grads(power_by_while, (0.7,), order=3, backend="python")


def rotate_until(x, limit):
    """Nested loops with a data-dependent exit: lists for every tape."""
    s = 0.0
    for i in range(3):
        j = 0
        while j < limit and s < 10.0:
            s = s + np.sin(x[i] * x[j]) + x[j] ** 2
            j = j + 1
    return s


def test_hessian_through_nested_loops_in_every_composition():
    x = np.array([0.3, -0.2, 0.5])
    H = ta.hessian(rotate_until, backend="python")(x, 3)
    np.testing.assert_allclose(H, H.T, atol=1e-12)
    for compose in (lambda f, **o: ta.jacfwd(ta.jacrev(f), **o),
                    lambda f, **o: ta.jacrev(ta.jacrev(f), **o),
                    lambda f, **o: ta.jacrev(ta.jacfwd(f), **o),
                    lambda f, **o: ta.jacfwd(ta.jacfwd(f), **o)):
        np.testing.assert_allclose(compose(rotate_until, backend="python")(x, 3), H,
                                   rtol=1e-10, atol=1e-12)
    ta.check_grads(rotate_until, (x, 3), order=2, backend="python")


def test_a_list_in_user_code_is_still_refused():
    from tangent_ad.errors import UnsupportedSyntaxError

    def collect(x):
        s = []
        s.append(x)
        return s.pop()
    with pytest.raises(UnsupportedSyntaxError, match="appending to a list"):
        ta.grad(collect)(1.0)


def test_helpers_that_numba_compiled_are_read_as_python():
    """A gradient compiled by numba holds its helpers compiled in its module; the second
    derivative reads their Python functions."""
    from corpus import recursive_helper
    d2 = ta.grad(ta.grad(recursive_helper, backend="numba"), backend="python")
    assert d2(0.3, 5) == pytest.approx(20 * 0.3**3)
