"""Derivatives pickle by reference to their function and run in multiprocessing workers."""
import multiprocessing
import pickle

import numpy as np
import pytest

import tangent_ad as ta
from pickle_functions import loss, recurrence, wave


def roundtrip(obj):
    return pickle.loads(pickle.dumps(obj))


def test_grad_pickles_before_and_after_a_call():
    d = ta.grad(wave)
    fresh = roundtrip(d)
    assert fresh(1.5) == pytest.approx(d(1.5))
    assert roundtrip(d)(0.5) == pytest.approx(d(0.5))  # `d` now holds generated code


def test_pickled_derivative_keeps_its_options():
    d = roundtrip(ta.value_and_grad(loss, argnums=(0, 2), backend="python"))
    assert d.argnums == (0, 2) and d.backend == "python" and not d.single
    value, (gw, gy) = d(np.ones(2), np.array([1.0, 2.0]), 1.0)
    assert value == pytest.approx(4.0)
    np.testing.assert_allclose(gw, [4.0, 8.0])
    assert gy == pytest.approx(-4.0)


def test_derivative_of_a_derivative_pickles():
    h = roundtrip(ta.grad(ta.grad(wave)))
    x = 0.7
    want = 2 * np.sin(x) + 4 * x * np.cos(x) - x ** 2 * np.sin(x)
    assert h(x) == pytest.approx(want)


def test_vmapped_derivative_pickles():
    v = roundtrip(ta.vmap(ta.grad(wave)))
    xs = np.linspace(-1, 1, 5)
    np.testing.assert_allclose(v(xs), [ta.grad(wave)(x) for x in xs])


def test_lambda_cannot_be_pickled_and_the_error_says_why():
    with pytest.raises(pickle.PicklingError, match="top level of an importable module"):
        pickle.dumps(ta.grad(lambda x: x * x))


@pytest.mark.parametrize("method", [None, "spawn"])
def test_derivative_runs_in_a_pool_of_two_workers(method):
    context = multiprocessing.get_context(method)
    xs = [0.25, 0.5, 1.0, 2.0]
    with context.Pool(2) as pool:
        got = pool.map(ta.grad(recurrence), xs)
    np.testing.assert_allclose(got, [ta.grad(recurrence)(x) for x in xs])
