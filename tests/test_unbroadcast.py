"""unbroadcast(g, x) is the adjoint of broadcasting x to g's shape, for every pair of
broadcast-compatible shapes: the NumPy version and the numba version, against a sum over
the broadcast axes computed independently."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from tangent_ad.runtime import unbroadcast


@st.composite
def broadcast_pairs(draw):
    """(shape of x, shape it is broadcast to): x's dimensions are 1 or the target's, and x
    may have fewer dimensions (or be a scalar, shape ())."""
    target = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=4)))
    ndim = draw(st.integers(0, len(target)))
    x = tuple(draw(st.sampled_from([1, n])) for n in target[len(target) - ndim:])
    return x, target


def expected(g, x_shape):
    """The sum of g over the axes that broadcasting added or stretched."""
    lead = g.ndim - len(x_shape)
    total = g.sum(axis=tuple(range(lead))) if lead else g
    for axis, n in enumerate(x_shape):
        if n == 1:
            total = total.sum(axis=axis, keepdims=True)
    return total.reshape(x_shape) if x_shape else float(total)


def _numba_unbroadcast():
    import numba
    return numba.njit(lambda g, x: unbroadcast(g, x))


@pytest.fixture(scope="module")
def compiled():
    return _numba_unbroadcast()


@settings(max_examples=60, deadline=None)
@given(broadcast_pairs(), st.integers(0, 2 ** 16))
def test_unbroadcast_numpy(shapes, seed):
    x_shape, target = shapes
    rng = np.random.default_rng(seed)
    g = rng.standard_normal(target)
    x = rng.standard_normal(x_shape) if x_shape else 0.5
    got = unbroadcast(g, x)
    assert np.shape(got) == x_shape
    np.testing.assert_allclose(got, expected(g, x_shape), rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(broadcast_pairs(), st.integers(0, 2 ** 16))
def test_unbroadcast_numba(compiled, shapes, seed):
    x_shape, target = shapes
    rng = np.random.default_rng(seed)
    g = rng.standard_normal(target) if target else float(rng.standard_normal())
    x = rng.standard_normal(x_shape) if x_shape else 0.5
    got = compiled(g, x)
    assert np.shape(got) == x_shape
    np.testing.assert_allclose(got, expected(np.asarray(g), x_shape), rtol=1e-12,
                               atol=1e-12)
