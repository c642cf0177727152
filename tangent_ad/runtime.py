"""Helpers that generated code calls. Each is plain NumPy, with a numba overload that does
the same by type (in `tangent_ad.overloads.helpers`), so the generated text is identical
with and without numba.

>>> unbroadcast(np.ones((2, 3)), np.zeros(3))
array([2., 2., 2.])
>>> unbroadcast(np.ones((2, 3)), 0.0)
6.0
>>> zeros_like_ad(2.0), zeros_like_ad(np.ones(2))
(0.0, array([0., 0.]))
>>> expand_to(np.array([1.0, 2.0]), np.zeros((2, 3)), 1)
array([[1., 1., 1.],
       [2., 2., 2.]])
>>> tie_weights(np.array([3.0, 1.0, 3.0]), 3.0)
array([0.5, 0. , 0.5])
>>> add_at(np.zeros(3), np.array([0, 2, 2]), np.ones(3))
array([1., 0., 2.])
>>> w = np.zeros((2, 2)); add_outer(w, np.array([1.0, 2.0]), np.array([3.0, 4.0])); w
array([[3., 4.],
       [6., 8.]])
>>> [piece.shape for piece in split_like(np.ones((2, 5)), (np.ones((2, 2)), np.ones((2, 3))), 1)]
[(2, 2), (2, 3)]
"""
import importlib.util

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


def expand_to(g, x, axis=None):
    """`g`, the result of reducing `x` over `axis` (kept dimensions or not), repeated along
    the reduced axes into a new array shaped like `x`: the adjoint of a sum."""
    if axis is not None and np.ndim(g) < np.ndim(x):
        g = np.expand_dims(g, axis)
    return np.broadcast_to(g, np.shape(x)).copy()


def reduced_size(x, axis=None):
    """How many elements of `x` each result of a reduction over `axis` gathers."""
    if axis is None:
        return np.size(x)
    return int(np.prod([np.shape(x)[a] for a in np.atleast_1d(axis)]))


def tie_weights(x, z, axis=None):
    """Where `x` attains its maximum (or minimum) `z` over `axis`: 1/count at each such
    element, 0 elsewhere. Ties share the derivative, as the average of one-sided ones."""
    at = x == expand_to(z, x, axis)
    return at / expand_to(np.sum(at, axis=axis, keepdims=True), x, axis)


def add_at(a, index, values):
    """`np.add.at(a, index, values)`, returning `a`: values at a repeated index accumulate
    (`a[index] += values` would keep only the last)."""
    np.add.at(a, index, values)
    return a


def add_outer(out, a, b):
    """`out += np.outer(a, b)`, in place and without the temporary matrix (the adjoint of
    `A @ x` adds one such product to `A_bar` per step of a loop)."""
    out += np.outer(a, b)


def add_along(a, indices, values, axis):
    """`np.add.at` at `indices` along `axis` (the adjoint of np.take), returning `a`."""
    np.add.at(a, (slice(None),) * (axis % np.ndim(a)) + (indices,), values)
    return a


def add_along_axis(a, indices, values, axis):
    """The adjoint of np.take_along_axis: `values` added into `a` where they were taken
    (np.put_along_axis, but accumulating repeated indices). Returns `a`."""
    axis = axis % np.ndim(a)
    grid = np.indices(np.shape(indices), sparse=True)
    index = tuple(indices if d == axis else grid[d] for d in range(np.ndim(a)))
    np.add.at(a, index, values)
    return a


def split_like(g, xs, axis):
    """The adjoints of the arrays `xs` that were joined along `axis` into `g` (by
    concatenate, stack, hstack, ...): consecutive pieces of `g`, each shaped like its x."""
    other = g.size // g.shape[axis] if g.size else 1
    bounds = np.cumsum([np.size(x) // other for x in xs])[:-1]
    return [np.reshape(piece, np.shape(x))
            for piece, x in zip(np.split(g, bounds, axis), xs)]


def untile(g, x):
    """The adjoint of np.tile(x, reps): the sum of the tiles of `g`, shaped like `x`."""
    shape = (1,) * (np.ndim(g) - np.ndim(x)) + np.shape(x)
    pairs = [n for size, tile in zip(np.shape(g), shape) for n in (size // tile, tile)]
    summed = np.sum(np.reshape(g, pairs), axis=tuple(range(0, len(pairs), 2)))
    return np.reshape(summed, np.shape(x))


def unrepeat(g, x, repeats, axis=None):
    """The adjoint of np.repeat(x, repeats, axis): the sum of each element's copies."""
    if axis is None:
        return np.reshape(np.sum(np.reshape(g, (-1, repeats)), axis=1), np.shape(x))
    a = axis % np.ndim(g)
    shape = np.shape(g)[:a] + (np.shape(g)[a] // repeats, repeats) + np.shape(g)[a + 1:]
    return np.sum(np.reshape(g, shape), axis=a + 1)


def unpad(g, pad_width):
    """The adjoint of np.pad(x, pad_width): the middle of `g`, where x's values went."""
    widths = np.broadcast_to(np.asarray(pad_width).reshape(-1, 2)
                             if np.size(pad_width) > 1 else pad_width, (np.ndim(g), 2))
    return g[tuple(slice(b, n - a) for (b, a), n in zip(widths, np.shape(g)))]


def undiagonal(g, x, offset=0):
    """The adjoint of np.diagonal(x, offset) (or np.diag of a matrix): `g` on that
    diagonal of an array of zeros shaped like `x`."""
    out = np.zeros(np.shape(x))
    rows = np.arange(len(g)) + max(-offset, 0)
    out[rows, rows + offset] = g
    return out


def simd_exp(x):
    """`np.exp(x)`. The copy of a derivative that numba compiles (codegen/fuse.py) calls
    this and `simd_tanh` instead of NumPy's: numba's versions (overloads/simd.py) are
    arithmetic that runs on several elements at once, where numba's np.exp and np.tanh
    call the C library once per element."""
    return np.exp(x)


def simd_tanh(x):
    """`np.tanh(x)`; see `simd_exp`."""
    return np.tanh(x)


HELPERS = (unbroadcast, zeros_like_ad, expand_to, reduced_size, tie_weights, add_at,
           add_outer, add_along, add_along_axis, split_like, untile, unrepeat, unpad, undiagonal,
           simd_exp, simd_tanh)

if importlib.util.find_spec("numba"):  # the Python backend runs without numba
    from . import overloads  # noqa: F401  (the numba versions of these helpers, and more)
