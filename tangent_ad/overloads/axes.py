"""Reductions over some axes of an array, written as loops that numba compiles quickly.

NumPy's `axis=` and `keepdims=` arguments are type-level facts for numba: the number of
reduced axes and whether they are kept fix the result's number of dimensions. The
overloads read them from the argument types (`reduced_shape`), then loop over the array
once, sending each element to the flat position of its result (`result_index`):

    x of shape (2, 3, 4), axis=(0, 2)  →  result_index[k] in range(3) for each of the 24
    elements; the result is reshaped to (3,), or to (1, 3, 1) with keepdims=True
"""
import numpy as np
from numba import types
from numba.np.unsafe.ndarray import to_fixed_tuple

from .naming import overload, register_jitable

UNKNOWN = object()


def value_of(t):
    """The Python value of an argument's numba type: a literal, an omitted default or a
    default given as the value itself; UNKNOWN when only the run time knows it."""
    if t is None or isinstance(t, (bool, int, float, str)):
        return t
    if isinstance(t, types.NoneType):
        return None
    if isinstance(t, types.Omitted):
        return t.value
    if isinstance(t, types.Literal):
        return t.literal_value
    return UNKNOWN


def count_axes(axis, ndim):
    """How many axes the `axis` argument (a numba type) names; None if it is no axis."""
    if value_of(axis) is None:
        return ndim
    if isinstance(axis, types.Integer):
        return 1
    if isinstance(axis, types.BaseTuple) and all(isinstance(a, types.Integer) for a in axis):
        return len(axis)
    return None


def axes_mask(ndim, axis):
    """mask[d] is True when axis `d` is reduced (axis: None, an int or a tuple of ints)."""
    axes = range(ndim) if axis is None else np.atleast_1d(axis)
    mask = np.zeros(ndim, np.bool_)
    for a in axes:
        mask[a % ndim] = True
    return mask


@overload(axes_mask)
def _axes_mask(ndim, axis):
    if value_of(axis) is None:
        return lambda ndim, axis: np.ones(ndim, np.bool_)
    if isinstance(axis, types.Integer):
        axis_tuple = register_jitable(lambda axis: (axis,))
    else:
        axis_tuple = register_jitable(lambda axis: axis)

    def impl(ndim, axis):
        mask = np.zeros(ndim, np.bool_)
        for a in axis_tuple(axis):
            mask[a % ndim] = True
        return mask
    return impl


@register_jitable
def result_index(shape, mask):
    """For each element of an array of `shape` (C order), the flat index of the result it
    is reduced into when the axes in `mask` are reduced. The element's index is counted
    up like an odometer: no division per element, which would cost more than the sum."""
    ndim = len(shape)
    stride = np.zeros(ndim, np.int64)  # how far the result index moves per step along d
    size, step = 1, 1
    for d in range(ndim - 1, -1, -1):
        size *= shape[d]
        if not mask[d]:
            stride[d] = step
            step *= shape[d]
    index = np.empty(size, np.int64)
    counter = np.zeros(ndim, np.int64)
    at = 0
    for k in range(size):
        index[k] = at
        at = next_position(counter, shape, stride, at)
    return index


@register_jitable
def next_position(counter, shape, stride, at):
    """Counting elements in C order like an odometer: `counter` (the current element's
    index) moves to the next element, and `at` by `stride[d]` per step along axis d."""
    d = len(shape) - 1
    while d >= 0:
        counter[d] += 1
        at += stride[d]
        if counter[d] < shape[d]:
            return at
        at -= stride[d] * shape[d]
        counter[d] = 0
        d -= 1
    return at


@register_jitable
def reduced_count(shape, mask):
    """How many elements each result of the reduction gathers."""
    count = 1
    for d in range(len(shape)):
        if mask[d]:
            count *= shape[d]
    return count


def reduced_shape(a, axis, keepdims):
    """A jitted `shape(x, mask, flat)` giving the flat results NumPy's shape for arrays of
    a's type reduced over `axis` (keepdims: a literal); None where these types do not say."""
    count = count_axes(axis, a.ndim)
    keep = value_of(keepdims)
    if count is None or keep not in (True, False):
        return None
    ndim, nout = a.ndim, (a.ndim if keep else a.ndim - count)
    if nout == 0:
        return register_jitable(lambda x, mask, flat: flat[0])

    @register_jitable
    def shape(x, mask, flat):
        dims = np.empty(nout, np.int64)
        k = 0
        for d in range(ndim):
            if keep or not mask[d]:
                dims[k] = 1 if mask[d] else x.shape[d]
                k += 1
        return flat.reshape(to_fixed_tuple(dims, nout))
    return shape


@register_jitable
def flat(x):
    return np.ascontiguousarray(x).reshape(-1)


@register_jitable
def combine(x, mask, op, start):
    """The results of reducing x over the axes in `mask` with the binary `op` from `start`."""
    index = result_index(x.shape, mask)
    values = flat(x)
    out = np.full(values.size // max(reduced_count(x.shape, mask), 1), start)
    for k in range(values.size):
        out[index[k]] = op(out[index[k]], values[k])
    return out


@register_jitable
def cube_dims(x, axis):
    """(before, along, after): the sizes of x's axes before `axis`, at it, and after it."""
    a = axis % x.ndim
    before = 1
    for d in range(a):
        before *= x.shape[d]
    along = x.shape[a]
    return before, along, x.size // max(before * along, 1)


@register_jitable
def as_cube(x, axis):
    """A C-contiguous copy of x viewed as (before, along, after) around one axis."""
    return flat(x).reshape(cube_dims(x, axis))
