"""Code that is not differentiated never blocks: calls whose arguments do not depend on the
differentiated inputs run as they are, without a rule (rules/opaque.py); `print` and
logging are left out of the derivative; where such a call would need a derivative, the
error points at its line."""
import logging

import numpy as np
import pytest

import tangent_ad as ta
from tangent_ad.errors import MissingRuleError, UnsupportedSyntaxError

from conftest import check_grad, check_jvp

logger = logging.getLogger("tangent_ad.tests.inactive")


def upper_pairs(x):
    d = x.shape[0]
    iu = np.triu_indices(d, 1)
    return np.sum(x[iu] ** 2)


def sorted_weights(x, w):
    order = np.argsort(w)
    ranks = np.arange(w.shape[0]).astype(float)
    return np.sum(x[order] * ranks)


def bucketed(x, edges, t):
    k = np.searchsorted(edges, t)
    return x[k] ** 2 + np.sum(x)


def sliced(x):
    n = x.shape[0]
    s = slice(1, n - 1)
    return np.sum(x[s] ** 3)


def integer_cast(x, scale):
    idx = (scale * 2.0).astype(int)
    return np.sum(x[idx] ** 2)


PROGRAMS = [
    (upper_pairs, (np.arange(9.0).reshape(3, 3) / 9.0,)),
    (sorted_weights, (np.array([0.3, -0.2, 0.5]), np.array([2.0, 0.5, 1.0]))),
    (bucketed, (np.array([0.3, -0.2, 0.5]), np.array([0.0, 1.0, 2.0]), 0.5)),
    (sliced, (np.array([0.3, -0.2, 0.5, 0.7]),)),
    (integer_cast, (np.array([0.3, -0.2, 0.5]), np.array([0.2, 0.6, 0.9]))),
]


@pytest.mark.parametrize("f, args", PROGRAMS, ids=lambda p: getattr(p, "__name__", ""))
def test_inactive_calls_run_as_they_are(f, args, backend):
    check_grad(f, args, argnums=0, backend=backend)
    _, out_dot = ta.jvp(f, args, (np.ones_like(args[0]),) + tuple(
        np.zeros_like(a) for a in args[1:]), backend=backend)
    want = ta.grad(f, backend="python")(*args)
    np.testing.assert_allclose(out_dot, np.sum(want), rtol=1e-6)


def grid_energy(x, n):
    gx, gy = np.meshgrid(np.arange(n), np.arange(n))
    return np.sum(x * (gx + 2.0 * gy))


def test_call_numba_cannot_compile_falls_back_with_its_warning():
    from tangent_ad.backends.numba_cpu import NumbaFallbackWarning, runs_compiled
    x = np.arange(9.0).reshape(3, 3)
    check_grad(grid_energy, (x, 3), argnums=0, backend="python")
    d = ta.grad(grid_energy)
    with pytest.warns(NumbaFallbackWarning):
        d(x, 3)  # at once in Python while numba compiles (backends/tiers.py), which fails
        runs_compiled(d.last.call)
        got = d(x, 3)
    np.testing.assert_allclose(got, ta.grad(grid_energy, backend="python")(x, 3))


def active_sort(x):
    y = np.sort(x)
    return np.sum(y * np.arange(3.0))


def active_cast(x):
    k = x.astype(int)
    return np.sum(k * x)


def test_an_active_call_without_a_rule_is_refused_at_its_line():
    with pytest.raises(MissingRuleError, match=r"test_inactive.py:\d+:\d+: no derivative "
                                               r"rule for `numpy.sort`") as info:
        ta.grad(active_sort)(np.array([0.3, -0.2, 0.5]))
    assert "y = np.sort(x)" in str(info.value)
    with pytest.raises(UnsupportedSyntaxError, match="astype` to integers"):
        ta.grad(active_cast)(np.array([0.3, -0.2, 0.5]))


def active_result_unused(x):
    order = np.sort(x)  # depends on x, but the output does not depend on it
    return np.sum(x ** 2) + 0.0 * order.shape[0]


def test_a_call_whose_result_is_not_used_runs(backend):
    check_grad(active_result_unused, (np.array([0.3, -0.2, 0.5]),), backend=backend)


def noisy(x):
    print("x =", x)
    logging.info("evaluating")
    logger.debug("x has %d elements", x.shape[0])
    s = np.sum(np.sin(x))
    logger.info("s = %s", s)
    return s * s


def test_print_and_logging_are_left_out_of_the_derivative(backend, capsys):
    x = np.array([0.3, -0.2, 0.5])
    check_grad(noisy, (x,), backend=backend)
    check_jvp(noisy, (x,), backend=backend)
    source = ta.source(ta.grad(noisy, backend=backend), x)
    assert "print" not in str(source) and "logg" not in str(source)


def checked(x):
    assert x.shape[0] == 3, "three coordinates"
    return np.sum(x ** 3)


def test_assert_does_not_block(backend):
    check_grad(checked, (np.array([0.3, -0.2, 0.5]),), backend=backend)


def fills_diagonal(x):
    K = np.zeros((3, 3))
    done = np.fill_diagonal(K, x)
    return np.sum(K * K)


def test_a_call_that_writes_into_its_arguments_is_refused():
    with pytest.raises(UnsupportedSyntaxError, match="fill_diagonal` writes into its "
                                                     "arguments") as info:
        ta.grad(fills_diagonal)(np.array([0.3, -0.2, 0.5]))
    assert "test_inactive.py:" in str(info.value)
