"""Helpers that generated code calls. Each is plain NumPy, with a numba overload that does
the same by type, so the generated text is identical with and without numba.

>>> unbroadcast(np.ones((2, 3)), np.zeros(3))
array([2., 2., 2.])
>>> unbroadcast(np.ones((2, 3)), 0.0)
6.0
>>> zeros_like_ad(2.0), zeros_like_ad(np.ones(2))
(0.0, array([0., 0.]))
"""
import numpy as np


def unbroadcast(g, x):
    """Sum `g` down to the shape of `x`: the adjoint of broadcasting `x` to `g`'s shape."""
    if np.ndim(x) == 0:
        return float(np.sum(g))
    x_shape = np.shape(x)
    g = np.asarray(g)
    if g.shape == x_shape:
        return g
    extra = g.ndim - len(x_shape)
    g = np.sum(g, axis=tuple(range(extra))) if extra > 0 else g
    axes = tuple(i for i, n in enumerate(x_shape) if n == 1 and g.shape[i] != 1)
    return np.sum(g, axis=axes, keepdims=True) if axes else g


def zeros_like_ad(x):
    """A zero adjoint for `x`: `0.0` for a scalar, a float array of zeros for an array."""
    if np.ndim(x) == 0:
        return 0.0
    return np.zeros(np.shape(x))


def _register_numba_overloads():
    from numba import types
    from numba.extending import overload

    @overload(unbroadcast)
    def _unbroadcast(g, x):
        if isinstance(x, types.Number):
            if isinstance(g, types.Number):
                return lambda g, x: float(g)
            return lambda g, x: np.sum(g)
        if isinstance(g, types.Number):
            return lambda g, x: np.full(x.shape, g)
        offset = g.ndim - x.ndim

        def impl(g, x):
            out = np.zeros(x.shape)
            flat = out.reshape(-1)
            gc = np.ascontiguousarray(g).reshape(-1)
            for k in range(gc.size):
                rest = k
                index = 0
                stride = 1
                for d in range(g.ndim - 1, -1, -1):
                    i = rest % g.shape[d]
                    rest //= g.shape[d]
                    if d >= offset:
                        n = x.shape[d - offset]
                        if n != 1:
                            index += i * stride
                        stride *= n
                flat[index] += gc[k]
            return out
        return impl

    @overload(zeros_like_ad)
    def _zeros_like_ad(x):
        if isinstance(x, types.Number):
            return lambda x: 0.0
        return lambda x: np.zeros(x.shape)


try:
    _register_numba_overloads()
except ImportError:  # numba is optional for the generated text; the Python backend runs it
    pass

HELPERS = (unbroadcast, zeros_like_ad)
