"""numba versions of the NumPy shape functions, for the arguments numba lacks: an `axis`
for flip, roll and repeat; squeeze; a tuple of axes for expand_dims; tile; pad; diagonal;
atleast_1d of a number; reshape of a non-contiguous view."""
import numpy as np
from numba import types
from numba.np.unsafe.ndarray import to_fixed_tuple

from .axes import as_cube, axes_mask, count_axes, flat, reduced_shape, value_of
from .naming import overload, register_jitable


@overload(np.reshape)
def _reshape(a, newshape):
    if isinstance(a, types.Array) and a.layout == "A":  # a view: copy it first
        return lambda a, newshape: np.ascontiguousarray(a).reshape(newshape)


@register_jitable
def _moved_along(a, axis, shift, reverse):
    """a with its elements along `axis` reversed, or shifted by `shift` (cyclically)."""
    cube = as_cube(a, axis)
    out = np.empty_like(cube)
    n = cube.shape[1]
    for p in range(cube.shape[0]):
        for i in range(n):
            j = n - 1 - i if reverse else (i + shift) % n
            for q in range(cube.shape[2]):
                out[p, j, q] = cube[p, i, q]
    return out.reshape(a.shape)


@overload(np.flip)
def _flip(m, axis=None):
    if isinstance(m, types.Array) and isinstance(axis, types.Integer):
        return lambda m, axis=None: _moved_along(m, axis, 0, True)


@overload(np.roll)
def _roll(a, shift, axis=None):
    if isinstance(a, types.Array) and isinstance(axis, types.Integer):
        return lambda a, shift, axis=None: _moved_along(a, axis, shift, False)


@overload(np.repeat)
def _repeat(a, repeats, axis=None):
    if not (isinstance(a, types.Array) and isinstance(axis, types.Integer)
            and isinstance(repeats, types.Integer)):
        return None
    shape = shape_maker(a.ndim)

    def impl(a, repeats, axis=None):
        cube = as_cube(a, axis)
        out = np.empty((cube.shape[0], cube.shape[1] * repeats, cube.shape[2]), cube.dtype)
        for p in range(cube.shape[0]):
            for i in range(cube.shape[1] * repeats):
                for q in range(cube.shape[2]):
                    out[p, i, q] = cube[p, i // repeats, q]
        dims = np.array(a.shape)
        dims[axis % a.ndim] *= repeats
        return out.reshape(shape(dims))
    return impl


def shape_maker(ndim):
    """A jitted function turning an array of `ndim` sizes into a shape tuple."""
    return register_jitable(lambda dims: to_fixed_tuple(dims, ndim))


@overload(np.squeeze)
def _squeeze(a, axis=None):
    shape = reduced_shape(a, axis, False) if isinstance(a, types.Array) else None
    if shape is None or value_of(axis) is None:
        return None  # without axes the result's ndim depends on the sizes

    def impl(a, axis=None):
        return shape(a, axes_mask(a.ndim, axis), flat(a))
    return impl


@overload(np.expand_dims)
def _expand_dims(a, axis):
    count = count_axes(axis, 0) if isinstance(a, types.Array) else None
    if not isinstance(axis, types.BaseTuple) or count is None:
        return None
    ndim = a.ndim + count
    shape = shape_maker(ndim)

    def impl(a, axis):
        mask = axes_mask(ndim, axis)
        dims = np.ones(ndim, np.int64)
        k = 0
        for d in range(ndim):
            if not mask[d]:
                dims[d] = a.shape[k]
                k += 1
        return flat(a).reshape(shape(dims))
    return impl


@overload(np.atleast_1d)
def _atleast_1d(a):
    if isinstance(a, types.Number):
        return lambda a: np.full(1, a)


@overload(np.diagonal)
def _diagonal(a, offset=0, axis1=0, axis2=1):
    if isinstance(a, types.Array) and a.ndim == 2 and value_of(axis1) == 0 \
            and value_of(axis2) == 1:
        return lambda a, offset=0, axis1=0, axis2=1: np.diag(a, offset)


@register_jitable
def size_of(dims):
    size = 1
    for n in dims:
        size *= n
    return size


@register_jitable
def index_in(k, out_shape, in_shape, before):
    """The flat index in an array of `in_shape` of element k of `out_shape`, where the
    input sits at offsets `before` (pad), or repeats over the output (tile: before None)."""
    rest, at, stride = k, 0, 1
    for d in range(len(out_shape) - 1, -1, -1):
        i = rest % out_shape[d]
        rest //= out_shape[d]
        e = d - (len(out_shape) - len(in_shape))
        if e < 0:
            continue
        j = i % in_shape[e] if before is None else i - before[e]
        if j < 0 or j >= in_shape[e]:
            return -1
        at += j * stride
        stride *= in_shape[e]
    return at


@overload(np.tile)
def _tile(A, reps):
    if not isinstance(A, types.Array):
        return None
    count = 1 if isinstance(reps, types.Integer) else len(reps)
    ndim = max(A.ndim, count)
    shape = shape_maker(ndim)

    def impl(A, reps):
        r = np.atleast_1d(np.array(reps))
        dims = np.ones(ndim, np.int64)
        for d in range(ndim):
            e, f = d - (ndim - A.ndim), d - (ndim - r.size)
            dims[d] = (A.shape[e] if e >= 0 else 1) * (r[f] if f >= 0 else 1)
        out = np.empty(size_of(dims))
        values = flat(A)
        for k in range(out.size):
            out[k] = values[index_in(k, dims, A.shape, None)]
        return out.reshape(shape(dims))
    return impl


@register_jitable
def pad_widths(pad_width, ndim):
    """NumPy's pad_width (n, (n,), (b, a) or ((b1, a1), ...)) as an (ndim, 2) array."""
    given = np.array(pad_width).reshape(-1)
    widths = np.empty((ndim, 2), np.int64)
    for d in range(ndim):
        for side in range(2):
            widths[d, side] = given[(2 * d + side) % given.size] if given.size > 2 \
                else given[side % given.size]
    return widths


@overload(np.pad)
def _pad(array, pad_width, mode="constant", constant_values=0):
    if not isinstance(array, types.Array) or value_of(mode) != "constant":
        return None
    shape = shape_maker(array.ndim)

    def impl(array, pad_width, mode="constant", constant_values=0):
        widths = pad_widths(pad_width, array.ndim)
        dims = np.array(array.shape) + widths[:, 0] + widths[:, 1]
        out = np.empty(size_of(dims))
        values = flat(array)
        before = widths[:, 0].copy()
        for k in range(out.size):
            at = index_in(k, dims, array.shape, before)
            out[k] = constant_values if at < 0 else values[at]
        return out.reshape(shape(dims))
    return impl
