"""numba versions of NumPy reductions for the arguments numba lacks: `axis=` on mean, prod,
max, min, var, std and norm, `keepdims=` everywhere, `np.cumprod(x, axis)`, `np.average`
along an axis, `np.linalg.norm(x, 'fro')`, and `scipy.special.logsumexp`."""
import numpy as np
import scipy.special
from numba import types

from .along import add, reduce_along
from .axes import (as_cube, axes_mask, combine, flat, reduced_count,
                   reduced_shape, result_index, value_of)
from .naming import overload, register_jitable


@register_jitable
def _mul(a, b):
    return a * b


@register_jitable
def _max(a, b):
    return a if a >= b else b


@register_jitable
def _min(a, b):
    return a if a <= b else b


def _plain(*arguments):
    """True when the arguments that must keep their defaults (dtype, out) are None."""
    return all(value_of(a) is None for a in arguments)


def _numba_has(axis, keepdims, any_axis=False):
    """True where numba's own reduction applies: no axis (`any_axis`: or one int axis, as
    np.sum takes) and keepdims=False. There it is left to numba: its result has NumPy's
    dtype (an int sum stays int), and its compilation is cheaper than the loops here."""
    one_axis = any_axis and isinstance(axis, types.Integer)
    return (value_of(axis) is None or one_axis) and value_of(keepdims) is False


def _reducer(a, axis, keepdims, op, start, divide=False):
    """A jitted `reduce(a, axis)` for arrays of a's type, or None where types do not say."""
    shape = reduced_shape(a, axis, keepdims) if isinstance(a, types.Array) else None
    if shape is None:
        return None

    if isinstance(axis, types.Integer):
        @register_jitable
        def reduce_one(a, axis):
            out = reduce_along(a, axis, op, start)
            if divide:
                out = out / a.shape[axis % a.ndim]
            return shape(a, axes_mask(a.ndim, axis), out)
        return reduce_one

    @register_jitable
    def reduce(a, axis):
        mask = axes_mask(a.ndim, axis)
        out = combine(a, mask, op, start)
        if divide:
            out = out / reduced_count(a.shape, mask)
        return shape(a, mask, out)
    return reduce


def _register(func, op, start, divide=False):
    """Overload `func(a, axis=None, dtype=None, out=None, keepdims=False)` (sum, mean, prod)."""
    @overload(func)
    def _(a, axis=None, dtype=None, out=None, keepdims=False):
        # along one axis of a float array, `reduce_along` is 4x faster than numba's np.sum
        floats = isinstance(a, types.Array) and a.dtype == types.float64
        if _numba_has(axis, keepdims, any_axis=func is np.sum and not floats):
            return None
        reduce = _reducer(a, axis, keepdims, op, start, divide)
        if reduce is not None and _plain(dtype, out):
            return lambda a, axis=None, dtype=None, out=None, keepdims=False: reduce(a, axis)


def _register_extreme(func, op, start):
    """Overload `func(a, axis=None, out=None, keepdims=False)` (max, min, amax, amin)."""
    @overload(func)
    def _(a, axis=None, out=None, keepdims=False):
        if _numba_has(axis, keepdims):
            return None
        reduce = _reducer(a, axis, keepdims, op, start)
        if reduce is not None and _plain(out):
            return lambda a, axis=None, out=None, keepdims=False: reduce(a, axis)


_register(np.sum, add, 0.0)
_register(np.mean, add, 0.0, divide=True)
_register(np.prod, _mul, 1.0)
for _func, _op, _start in [(np.max, _max, -np.inf), (np.amax, _max, -np.inf),
                           (np.min, _min, np.inf), (np.amin, _min, np.inf)]:
    _register_extreme(_func, _op, _start)


@register_jitable
def _variance(a, axis, ddof):
    """(the variances over `axis`, the mask of reduced axes)."""
    mask = axes_mask(a.ndim, axis)
    n = reduced_count(a.shape, mask)
    mean = combine(a, mask, add, 0.0) / n
    index, values = result_index(a.shape, mask), flat(a)
    squares = np.zeros(mean.size)
    for k in range(values.size):
        squares[index[k]] += (values[k] - mean[index[k]]) ** 2
    return squares / (n - ddof), mask


def _register_spread(func, finish):
    @overload(func)
    def _(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        if _numba_has(axis, keepdims) and value_of(ddof) == 0:
            return None
        shape = reduced_shape(a, axis, keepdims) if isinstance(a, types.Array) else None
        if shape is None or not _plain(dtype, out):
            return None

        def impl(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
            variance, mask = _variance(a, axis, ddof)
            return shape(a, mask, finish(variance))
        return impl


_register_spread(np.var, register_jitable(lambda v: v))
_register_spread(np.std, register_jitable(lambda v: np.sqrt(v)))


@overload(np.cumprod)
def _cumprod(a, axis=None, dtype=None, out=None):
    if not (isinstance(a, types.Array) and isinstance(axis, types.Integer)):
        return None

    def impl(a, axis=None, dtype=None, out=None):
        cube = as_cube(a, axis).astype(np.float64)
        for p in range(cube.shape[0]):
            for i in range(1, cube.shape[1]):
                for q in range(cube.shape[2]):
                    cube[p, i, q] *= cube[p, i - 1, q]
        return cube.reshape(a.shape)
    return impl


@register_jitable
def _vector_norms(x, axis, order):
    """The `order`-norms (2, 1, inf, -inf or p) of the vectors of x along axis."""
    mask = axes_mask(x.ndim, axis)
    index, values = result_index(x.shape, mask), flat(x)
    start = np.inf if order == -np.inf else 0.0
    out = np.full(values.size // max(reduced_count(x.shape, mask), 1), start)
    for k in range(values.size):
        m = abs(values[k])
        if order == np.inf:
            out[index[k]] = max(out[index[k]], m)
        elif order == -np.inf:
            out[index[k]] = min(out[index[k]], m)
        else:
            out[index[k]] += m ** order
    if order == np.inf or order == -np.inf:
        return out, mask
    return out ** (1.0 / order), mask


@overload(np.linalg.norm)
def _norm(x, ord=None, axis=None, keepdims=False):
    if not isinstance(x, types.Array):
        return None
    if value_of(ord) in ("fro", "f") and value_of(axis) is None:
        def fro(x, ord=None, axis=None, keepdims=False):
            total = 0.0
            for v in flat(x):
                total += v * v
            return np.sqrt(total)
        return fro
    shape = reduced_shape(x, axis, keepdims)
    if shape is None or not isinstance(axis, types.Integer) or isinstance(
            ord, (types.UnicodeType, types.StringLiteral)):
        return None
    order = register_jitable(lambda ord: 2.0 if ord is None else float(ord))

    def along(x, ord=None, axis=None, keepdims=False):
        norms, mask = _vector_norms(x, axis, order(ord))
        return shape(x, mask, norms)
    return along


@overload(np.average)
def _average(a, axis=None, weights=None, returned=False):
    shape = reduced_shape(a, axis, False) if isinstance(a, types.Array) else None
    if shape is None or value_of(returned) is not False or value_of(axis) is None:
        return None
    if value_of(weights) is None:
        return lambda a, axis=None, weights=None, returned=False: np.mean(a, axis=axis)

    def weighted(a, axis=None, weights=None, returned=False):
        mask = axes_mask(a.ndim, axis)
        index, values, w = result_index(a.shape, mask), flat(a), flat(weights)
        size = values.size // max(reduced_count(a.shape, mask), 1)
        total, weight = np.zeros(size), np.zeros(size)
        for k in range(values.size):
            total[index[k]] += w[k] * values[k]
            weight[index[k]] += w[k]
        return shape(a, mask, total / weight)
    return weighted


@overload(scipy.special.logsumexp)
def _logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    if isinstance(a, types.Number):
        return lambda a, axis=None, b=None, keepdims=False, return_sign=False: float(a)
    shape = reduced_shape(a, axis, keepdims) if isinstance(a, types.Array) else None
    weighted = isinstance(b, (types.Array, types.Number))
    if shape is None or not (weighted or _plain(b)) or value_of(return_sign) is not False:
        return None

    def impl(a, axis=None, b=None, keepdims=False, return_sign=False):
        mask = axes_mask(a.ndim, axis)
        top = combine(a, mask, _max, -np.inf)
        top[~np.isfinite(top)] = 0.0  # all -inf: log(0) = -inf, not nan
        index, values = result_index(a.shape, mask), flat(a)
        weights = _weights(b, a)
        total = np.zeros(top.size)
        for k in range(values.size):
            total[index[k]] += weights[k] * np.exp(values[k] - top[index[k]])
        return shape(a, mask, np.log(total) + top)
    return impl


def _weights(b, a):
    """The weights `b` of logsumexp, one for each element of `a` (1 without `b`)."""


@overload(_weights)
def _weights_overload(b, a):
    if isinstance(b, types.Array):
        return lambda b, a: flat(np.broadcast_to(b, a.shape).copy())
    if isinstance(b, types.Number):
        return lambda b, a: np.full(a.size, b)
    return lambda b, a: np.ones(a.size)
