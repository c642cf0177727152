"""numba versions of the helpers in `tangent_ad.runtime`, chosen by argument type. Each
is a loop over flat indices: numba compiles loops quickly, and they need no copies."""
import numpy as np
from numba import types

from .. import runtime
from .along import add, expand_along, reduce_along, ties_along
from .axes import as_cube, axes_mask, flat, next_position, reduced_count, result_index
from .naming import overload, register_jitable
from .shapes import index_in, pad_widths, shape_maker, size_of


@overload(runtime.unbroadcast)
def _unbroadcast(g, x):
    if isinstance(x, types.Number):
        if isinstance(g, types.Number):
            return lambda g, x: float(g)
        return lambda g, x: np.sum(g)
    if isinstance(g, types.Number):
        return lambda g, x: np.full(x.shape, g)
    if g.ndim == x.ndim and g.dtype == types.float64:
        def same_rank(g, x):
            if g.shape == x.shape:  # nothing was broadcast: NumPy's version returns g too
                return np.ascontiguousarray(g)
            return _sum_to(g, x)
        return same_rank
    return lambda g, x: _sum_to(g, x)


@register_jitable
def _sum_to(g, x):
    """g summed over its leading axes and over the axes where x has length 1."""
    axis = _only_summed_axis(g, x)
    if axis >= 0:
        return reduce_along(g, axis, add, 0.0).reshape(x.shape)
    offset = g.ndim - x.ndim
    stride = np.zeros(g.ndim, np.int64)  # where a step along each axis of g lands in x
    step = 1
    for d in range(g.ndim - 1, offset - 1, -1):
        n = x.shape[d - offset]
        if n != 1:
            stride[d] = step
        step *= n
    out = np.zeros(x.shape)
    total, values = out.reshape(-1), flat(g)
    trailing = True
    for d in range(x.ndim):
        trailing = trailing and g.shape[offset + d] == x.shape[d]
    if trailing:  # only leading axes are summed: add up the rows
        n = total.size
        for r in range(values.size // max(n, 1)):
            for j in range(n):
                total[j] += values[r * n + j]
        return out
    counter = np.zeros(g.ndim, np.int64)
    at = 0
    for k in range(values.size):
        total[at] += values[k]
        at = next_position(counter, g.shape, stride, at)
    return out


@register_jitable
def _only_summed_axis(g, x):
    """The axis summed when g and x have one rank and differ only there (x has length
    1 on it); -1 otherwise."""
    if g.ndim != x.ndim:
        return -1
    axis = -1
    for d in range(g.ndim):
        if g.shape[d] != x.shape[d]:
            if axis >= 0:
                return -1
            axis = d
    return axis


@overload(runtime.zeros_like_ad)
def _zeros_like_ad(x):
    if isinstance(x, types.Number):
        return lambda x: 0.0
    return lambda x: np.zeros(x.shape)


@register_jitable
def _as_flat(v):
    return flat(v)


@overload(_as_flat)
def _as_flat_number(v):
    if isinstance(v, types.Number):
        return lambda v: np.full(1, v)


@overload(runtime.expand_to)
def _expand_to(g, x, axis=None):
    if isinstance(axis, types.Integer) and isinstance(x, types.Array):
        def along(g, x, axis=None):  # one axis: each result value repeated along it
            return expand_along(_as_flat(g), x, axis).reshape(x.shape)
        return along

    def impl(g, x, axis=None):
        index = result_index(x.shape, axes_mask(x.ndim, axis))
        values = _as_flat(g)
        out = np.empty(index.size)
        for k in range(index.size):
            out[k] = values[index[k]]
        return out.reshape(x.shape)
    return impl


@overload(runtime.reduced_size)
def _reduced_size(x, axis=None):
    return lambda x, axis=None: reduced_count(x.shape, axes_mask(x.ndim, axis))


@overload(runtime.tie_weights)
def _tie_weights(x, z, axis=None):
    if isinstance(axis, types.Integer) and isinstance(x, types.Array):
        return lambda x, z, axis=None: ties_along(x, _as_flat(z), axis).reshape(x.shape)

    def impl(x, z, axis=None):
        index = result_index(x.shape, axes_mask(x.ndim, axis))
        values, extreme = flat(x), _as_flat(z)
        count = np.zeros(extreme.size)
        for k in range(values.size):
            count[index[k]] += values[k] == extreme[index[k]]
        out = np.empty(values.size)
        for k in range(values.size):
            out[k] = (values[k] == extreme[index[k]]) / count[index[k]]
        return out.reshape(x.shape)
    return impl


@register_jitable
def _add_rows(a, rows, values):
    """a viewed as (len, rest) rows: a[rows[j]] += the j-th `rest` values, for each j."""
    table = a.reshape((a.shape[0], a.size // max(a.shape[0], 1)))
    width = table.shape[1]
    for j in range(rows.size):
        for w in range(width):
            table[rows[j], w] += values[j * width + w]


@overload(runtime.add_at)
def _add_at(a, index, values):
    if isinstance(index, types.Integer):
        def impl(a, index, values):
            _add_rows(a, np.full(1, index % a.shape[0]), _as_flat(values))
            return a
        return impl
    if isinstance(index, types.Array) and isinstance(index.dtype, types.Boolean):
        def impl(a, index, values):
            leading = a.reshape((index.size, a.size // max(index.size, 1)))
            _add_rows(leading, np.nonzero(flat(index))[0], _as_flat(values))
            return a
        return impl
    if isinstance(index, types.Array):
        def impl(a, index, values):
            _add_rows(a, flat(index) % a.shape[0], _as_flat(values))
            return a
        return impl
    if isinstance(index, types.SliceType):  # a slice object (`s = slice(1, n)`; `x[s]`)
        def impl(a, index, values):
            a[index] += values  # the elements of a slice are distinct: nothing accumulates
            return a
        return impl
    if isinstance(index, types.BaseTuple) and all(isinstance(i, types.Array) for i in index):
        return _add_at_points(len(index))
    arrays = [k for k, i in enumerate(index) if isinstance(i, types.Array)] \
        if isinstance(index, types.BaseTuple) else []
    if len(arrays) == 1 and all(isinstance(i, types.SliceType) or k == arrays[0]
                                for k, i in enumerate(index)):
        before = arrays[0]
        return lambda a, index, values: _add_along(a, index[before], values, before)
    return None


@overload(runtime.add_outer)
def _add_outer(out, a, b):
    if isinstance(a, types.Array) and isinstance(b, types.Array) and a.ndim == b.ndim == 1:
        def impl(out, a, b):  # a rank-one update, row by row
            for i in range(a.shape[0]):
                ai = a[i]
                for j in range(b.shape[0]):
                    out[i, j] += ai * b[j]
        return impl
    return lambda out, a, b: _add_outer_copy(out, np.outer(a, b))


@register_jitable
def _add_outer_copy(out, product):
    out += product


def _add_at_points(count):
    """`x[i, j] += v` pointwise, for integer arrays i, j of one shape (accumulating)."""
    def impl(a, index, values):
        rows = np.zeros(index[0].size, np.int64)
        for d in range(count):
            rows = rows * a.shape[d] + flat(index[d]) % a.shape[d]
        leading = 1
        for d in range(count):
            leading *= a.shape[d]
        _add_rows(a.reshape((leading, a.size // max(leading, 1))), rows, _as_flat(values))
        return a
    return impl


@register_jitable
def _add_along(a, indices, values, axis):
    """a[:, ..., indices[j], ...] += values[:, ..., j, ...] along `axis`, for each j."""
    columns = flat(indices)
    cube = as_cube(a, axis)
    n, v = cube.shape[1], _as_flat(values)
    for p in range(cube.shape[0]):
        for j in range(columns.size):
            for q in range(cube.shape[2]):
                cube[p, columns[j] % n, q] += v[(p * columns.size + j) * cube.shape[2] + q]
    return cube.reshape(a.shape)


@overload(runtime.add_along)
def _add_along_overload(a, indices, values, axis):
    return lambda a, indices, values, axis: _add_along(a, indices, values, axis)


@overload(runtime.add_along_axis)
def _add_along_axis(a, indices, values, axis):
    def impl(a, indices, values, axis):
        cube, where = as_cube(a, axis), as_cube(indices, axis)
        v = as_cube(values, axis)
        n = cube.shape[1]
        for p in range(where.shape[0]):
            for j in range(where.shape[1]):
                for q in range(where.shape[2]):
                    cube[p, where[p, j, q] % n, q] += v[p, j, q]
        return cube.reshape(a.shape)
    return impl


@overload(runtime.split_like)
def _split_like(g, xs, axis):
    def impl(g, xs, axis):
        cube = as_cube(g, axis)
        outer, inner = cube.shape[0], cube.shape[2]
        pieces = []
        start = 0
        for x in xs:
            length = x.size // max(outer * inner, 1)
            pieces.append(cube[:, start:start + length, :].copy().reshape(x.shape))
            start += length
        return pieces
    return impl


@overload(runtime.untile)
def _untile(g, x):
    def impl(g, x):
        out = np.zeros(x.size)
        values = flat(g)
        for k in range(values.size):
            out[index_in(k, g.shape, x.shape, None)] += values[k]
        return out.reshape(x.shape)
    return impl


@overload(runtime.unrepeat)
def _unrepeat(g, x, repeats, axis=None):
    if isinstance(axis, types.Integer):
        def along(g, x, repeats, axis=None):
            cube = as_cube(g, axis)
            out = np.zeros((cube.shape[0], cube.shape[1] // repeats, cube.shape[2]))
            for p in range(cube.shape[0]):
                for i in range(cube.shape[1]):
                    for q in range(cube.shape[2]):
                        out[p, i // repeats, q] += cube[p, i, q]
            return out.reshape(x.shape)
        return along

    def flattened(g, x, repeats, axis=None):
        out = np.zeros(x.size)
        values = flat(g)
        for k in range(values.size):
            out[k // repeats] += values[k]
        return out.reshape(x.shape)
    return flattened


@overload(runtime.unpad)
def _unpad(g, pad_width):
    shape = shape_maker(g.ndim)

    def impl(g, pad_width):
        widths = pad_widths(pad_width, g.ndim)
        dims = np.array(g.shape) - widths[:, 0] - widths[:, 1]
        out = np.empty(size_of(dims))
        values, before = flat(g), widths[:, 0].copy()
        for k in range(values.size):
            at = index_in(k, g.shape, dims, before)
            if at >= 0:
                out[at] = values[k]
        return out.reshape(shape(dims))
    return impl


@overload(runtime.undiagonal)
def _undiagonal(g, x, offset=0):
    def impl(g, x, offset=0):
        out = np.zeros(x.shape)
        first = max(-offset, 0)
        for i in range(g.size):
            out[first + i, first + i + offset] = g[i]
        return out
    return impl
