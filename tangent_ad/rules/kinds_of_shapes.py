"""Result kinds of the functions that rearrange, join and split arrays: which dimensions
the result has, and which of them are known to equal the operands' (see `tangent_ad.kinds`).
Where the kinds cannot tell, the result is an array whose sizes are unknown."""
from ..kinds import Kind, array, result_dtype, tuple_of


def _const(operand, default=None):
    """The literal value of an operand (or the default when it was not given)."""
    if operand is None:
        return default
    if not hasattr(operand, "is_constant"):  # a kind function's own default
        return operand
    return operand.const if operand.is_constant else operand


def _dims(x):
    return list(x.shape or (None,) * x.ndim)


def _known(x):
    return x.ndim is not None


def _floats(dims):
    return Kind(len(dims), tuple(dims), "f")


def transpose(x, axes=None, **keywords):
    """np.transpose(x) reverses the axes; np.transpose(x, axes) permutes them."""
    if not _known(x):
        return x.kind
    order = _const(axes)
    dims = _dims(x)
    if isinstance(order, tuple):
        return x.kind._replace(shape=tuple(dims[a] for a in order))
    return x.kind._replace(shape=tuple(reversed(dims)))


def swapaxes(x, axis1, axis2, **keywords):
    a, b = _const(axis1), _const(axis2)
    if not (_known(x) and isinstance(a, int) and isinstance(b, int)):
        return array(x.ndim)
    dims = _dims(x)
    dims[a], dims[b] = dims[b], dims[a]
    return _floats(dims)


def moveaxis(x, source, destination, **keywords):
    s, d = _const(source), _const(destination)
    if not (_known(x) and isinstance(s, int) and isinstance(d, int)):
        return array(x.ndim)
    dims = _dims(x)
    dims.insert(d % x.ndim, dims.pop(s % x.ndim))
    return _floats(dims)


def squeeze(x, axis=None, **keywords):
    """Without an axis, the dimensions the kinds know to be 1 are removed."""
    if not _known(x):
        return array(None)
    dims, axes = _dims(x), _const(axis)
    if axes is None:
        if None in dims:
            return array(None)
        return _floats([d for d in dims if d != 1])
    if not isinstance(axes, (int, tuple)):
        return array(None)
    axes = {a % x.ndim for a in (axes if isinstance(axes, tuple) else (axes,))}
    return _floats([d for i, d in enumerate(dims) if i not in axes])


def expand_dims(x, axis, **keywords):
    axes = _const(axis)
    if not (_known(x) and isinstance(axes, (int, tuple))):
        return array(None)
    axes = axes if isinstance(axes, tuple) else (axes,)
    ndim = x.ndim + len(axes)
    axes = {a % ndim for a in axes}
    rest = iter(_dims(x))
    return _floats([1 if i in axes else next(rest) for i in range(ndim)])


def same_shape(x, *operands, **keywords):
    """flip, roll, triu, ...: the operand's shape, as floats."""
    return x.kind._replace(dtype="f") if _known(x) else array(None)


def same_ndim(x, *operands, **keywords):
    """pad, tile of a matrix by a pair, rot90: as many dimensions, other sizes."""
    return array(x.ndim)


def rot90(m, k=1, axes=(0, 1), **keywords):
    turns = _const(k, 1)
    if _known(m) and isinstance(turns, int) and turns % 2 == 0:
        return same_shape(m)
    return array(m.ndim)


def tile(x, reps, **keywords):
    count = _const(reps)
    count = len(count) if isinstance(count, tuple) else 1
    return array(max(x.ndim, count)) if _known(x) else array(None)


def repeat(x, repeats, axis=None, **keywords):
    return array(1) if _const(axis) is None else array(x.ndim)


def broadcast_to(x, shape, **keywords):
    size = _const(shape)
    if isinstance(size, tuple):
        return array(len(size))
    if isinstance(size, int):
        return array(1)
    return array(getattr(shape, "length", None))


def at_least(ndim):
    """np.atleast_1d/2d/3d: at least `ndim` dimensions."""
    def kind(x, **keywords):
        if not _known(x):
            return array(None)
        return x.kind._replace(dtype="f") if x.ndim >= ndim else array(ndim)
    return kind


def diag(v, k=0, **keywords):
    """np.diag: a vector's diagonal matrix, or a matrix's diagonal. The matrix of a
    vector of n elements on the main diagonal is n by n."""
    if v.ndim == 1 and _const(k, 0) == 0 and v.shape and v.shape[0] is not None:
        return _floats([v.shape[0]] * 2)
    return array(2 if v.ndim == 1 else 1)


def diagonal(a, *operands, **keywords):
    return array(a.ndim - 1) if _known(a) else array(None)


# -- joining and splitting -------------------------------------------------------------

def _elements(sequence):
    return sequence.elements or []


def concatenate(sequence, axis=0, **keywords):
    """Joined along an existing axis (a vector when axis=None)."""
    elements = _elements(sequence)
    if not elements or not _known(elements[0].kind):
        return array(None)
    along = _const(axis, 0)
    if along is None:
        return array(1)
    return array(elements[0].ndim)


def stack(sequence, axis=0, **keywords):
    elements = _elements(sequence)
    if not elements or not _known(elements[0].kind):
        return array(None)
    return array(elements[0].ndim + 1)


def hstack(sequence, **keywords):
    elements = _elements(sequence)
    if not elements or not _known(elements[0].kind):
        return array(None)
    return array(max(elements[0].ndim, 1))


def vstack(sequence, **keywords):
    elements = _elements(sequence)
    if not elements or not _known(elements[0].kind):
        return array(None)
    return array(max(elements[0].ndim, 2))


def column_stack(sequence, **keywords):
    return array(2)


def split(x, indices_or_sections, axis=0, **keywords):
    """np.split, np.array_split: a tuple of as many arrays as the sections say."""
    sections = _const(indices_or_sections)
    if isinstance(sections, int):
        count = sections
    elif isinstance(sections, tuple):
        count = len(sections) + 1
    else:
        return array(None)
    return tuple_of(*[array(x.ndim)] * count)


def _leaves(operand):
    if not operand.elements:
        return [operand.kind]
    return [k for e in operand.elements for k in _leaves(e)]


def array_of(obj, *operands, **keywords):
    """np.array of numbers (nested tuples or lists of them), or a copy of an array."""
    depth, inner = 0, obj
    while inner.elements:
        depth, inner = depth + 1, inner.elements[0]
    if not _known(inner.kind):
        return array(None)
    dtype = result_dtype(*_leaves(obj))
    if depth == 0:
        return inner.kind
    return array(depth + inner.ndim, dtype)
