"""Loops along one axis of an array, for reductions and their adjoints with an integer `axis`.

An array is seen as a cube (before, along, after) around the axis, in flat C order::

    x of shape (N, K), axis=1  →  (N, K, 1): N rows of K values, reduced row by row
    x of shape (N, K), axis=0  →  (1, N, K): N rows of K values, summed into one row

The loops index flat arrays and put the longest contiguous run innermost. numba compiles
`out[p, q] += cube[p, i, q]` with short inner loops to code several times slower than
`a * a` over the same elements; these loops run at about the speed of one elementwise pass.
"""
import numpy as np

from .axes import cube_dims
from .naming import register_jitable


@register_jitable
def add(a, b):
    return a + b


@register_jitable
def reduce_along(x, axis, op, start):
    """The flat (before * after) results of reducing x along `axis` with `op` from `start`."""
    before, along, after = cube_dims(x, axis)
    v = np.ascontiguousarray(x).reshape(-1)
    out = np.full(before * after, start)
    if after == 1:  # each result gathers one contiguous run
        for p in range(before):
            acc = start
            for i in range(along):
                acc = op(acc, v[p * along + i])
            out[p] = acc
        return out
    for p in range(before):
        for i in range(along):
            base = (p * along + i) * after
            for q in range(after):
                out[p * after + q] = op(out[p * after + q], v[base + q])
    return out


@register_jitable
def expand_along(g, x, axis):
    """A flat array of x's size: the flat values of g (before * after of them) repeated
    along `axis` of x."""
    before, along, after = cube_dims(x, axis)
    out = np.empty(x.size)
    if after == 1:  # one value fills each contiguous run
        for p in range(before):
            out[p * along:(p + 1) * along] = g[p]
        return out
    for p in range(before):
        row = g[p * after:(p + 1) * after]
        for i in range(along):
            base = (p * along + i) * after
            out[base:base + after] = row
    return out


@register_jitable
def _ties_in_runs(v, z, before, along):
    out = np.empty(v.size)
    for p in range(before):
        extreme, count = z[p], 0
        for i in range(along):
            count += v[p * along + i] == extreme
        for i in range(along):
            out[p * along + i] = 1.0 / count if v[p * along + i] == extreme else 0.0
    return out


@register_jitable
def ties_along(x, z, axis):
    """`tie_weights` along one axis, flat: 1/count where x equals its extreme z (flat,
    one value per result), 0 elsewhere."""
    before, along, after = cube_dims(x, axis)
    v = np.ascontiguousarray(x).reshape(-1)
    if after == 1:  # numba runs an innermost loop of length 1 slowly: one run per result
        return _ties_in_runs(v, z, before, along)
    count = np.zeros(before * after)
    for p in range(before):
        for i in range(along):
            base = (p * along + i) * after
            for q in range(after):
                count[p * after + q] += v[base + q] == z[p * after + q]
    out = np.empty(x.size)
    for p in range(before):
        for i in range(along):
            base = (p * along + i) * after
            for q in range(after):
                r = p * after + q
                out[base + q] = 1.0 / count[r] if v[base + q] == z[r] else 0.0
    return out
