"""Result kinds of primitives, from the operands' kinds (see `tangent_ad.kinds`)."""
from ..kinds import INT, SCALAR, Kind, array, broadcast, dimension, shape_of, tuple_of


def elementwise(*operands, **keywords):
    return broadcast(*(o.kind for o in operands))


def float_elementwise(*operands, **keywords):
    return broadcast(*(o.kind for o in operands))._replace(dtype="f")


def scalar(*operands, **keywords):
    return SCALAR


def integer(*operands, **keywords):
    return INT


def integers_like(x, *operands, **keywords):
    return x.kind._replace(dtype="i")


def boolean(*operands, **keywords):
    return broadcast(*(o.kind for o in operands))._replace(dtype="b")


def same_as_first(x, *operands, **keywords):
    return x.kind


def _axis_tuple(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(a % ndim for a in axes)


def reduction(x, axis=None, *rest, keepdims=None, **keywords):
    """np.sum(x, axis=..., keepdims=...): the kind with the reduced axes removed (or 1)."""
    axis_value = axis.const if axis is not None and axis.is_constant else None
    if axis is not None and not axis.is_constant:
        return array(None)
    keep = keepdims is not None and keepdims.is_constant and keepdims.const
    if axis_value is None and not keep:
        return SCALAR
    if x.ndim is None:
        return Kind(None, None, "f")
    axes = _axis_tuple(axis_value, x.ndim)
    if not keep and axis_value is None:
        return SCALAR
    shape = x.shape or (None,) * x.ndim
    if keep:
        dims = tuple(1 if i in axes else d for i, d in enumerate(shape))
    else:
        dims = tuple(d for i, d in enumerate(shape) if i not in axes)
    return Kind(len(dims), dims, "f")


def dot(x, y, **keywords):
    """np.dot / @ for scalars, vectors and matrices."""
    if x.ndim == 0:
        return y.kind
    if y.ndim == 0:
        return x.kind
    if x.ndim is None or y.ndim is None:
        return Kind(None, None, "f")
    xs = x.shape or (None,) * x.ndim
    ys = y.shape or (None,) * y.ndim
    if y.ndim == 1:
        dims = xs[:-1]
    else:
        dims = xs[:-1] + ys[:-2] + ys[-1:]
    return Kind(len(dims), tuple(dims), "f")


def transpose(x, axes=None, **keywords):
    if x.ndim is None:
        return x.kind
    shape = x.shape or (None,) * x.ndim
    return Kind(x.ndim, tuple(reversed(shape)), x.dtype)


def outer(x, y, **keywords):
    xs = x.shape[0] if x.ndim == 1 and x.shape else None
    ys = y.shape[0] if y.ndim == 1 and y.shape else None
    return Kind(2, (xs, ys), "f")


def unknown_array(*operands, **keywords):
    return array(None)


def _size(n):
    """The dimension an integer operand gives: a literal 1, the symbol of the array
    dimension it equals, `len n` for another named integer, else unknown."""
    if n.is_constant:
        return 1 if n.const == 1 else None
    if n.kind.size is not None:
        return n.kind.size
    return f"len {n.name}" if getattr(n, "name", None) else None


def from_shape(shape, *operands, **keywords):
    """np.zeros(3), np.ones((N, K)), np.full(x.shape, v): the dimensions of the shape
    argument, where its integers tell them."""
    if shape.is_constant:
        return array(len(shape.const) if isinstance(shape.const, tuple) else 1)
    if shape.kind.items is not None:  # x.shape
        return Kind(len(shape.kind.items), tuple(k.size for k in shape.kind.items), "f")
    if shape.elements is not None:  # a tuple of integers
        return Kind(len(shape.elements), tuple(_size(e) for e in shape.elements), "f")
    if shape.kind.ndim == 0 and shape.kind.dtype == "i":  # np.zeros(n): n long
        return Kind(1, (_size(shape),), "f")
    return array(None)


def shape(x, **keywords):
    """x.shape, np.shape(x): a tuple of integers that know their dimensions."""
    return shape_of(x.kind)


def length(x, **keywords):
    """len(x): the first dimension."""
    return dimension(x.shape[0]) if x.ndim and x.shape else INT


def vector(*operands, **keywords):
    return array(1)


def matrix(*operands, **keywords):
    return array(2)


def like_first(x, *operands, **keywords):
    return x.kind._replace(dtype="f")


def reshape(x, shape=None, **keywords):
    return from_shape(shape) if shape is not None else array(None)


def cumulative(x, axis=None, **keywords):
    """np.cumsum, np.cumprod: x's kind along an axis; a vector when x is flattened."""
    if axis is None or axis.const is None:
        return x.kind._replace(dtype="f") if x.ndim == 1 else array(1)
    return x.kind._replace(dtype="f")


def norm(x, ord=None, axis=None, keepdims=None, **keywords):
    """np.linalg.norm: a scalar, or the vector norms along an axis."""
    return reduction(x, axis, keepdims=keepdims)


def reduction_with(x, axis=None, *rest, keepdims=None, **keywords):
    """Reductions whose later parameters are not dtype/out: logsumexp, average."""
    return reduction(x, axis, keepdims=keepdims)


def matmul(x, y, **keywords):
    """x @ y: np.dot's kind for vectors and matrices; stacks broadcast their leading axes."""
    if x.ndim is None or y.ndim is None or min(x.ndim, y.ndim) < 2 or max(x.ndim, y.ndim) < 3:
        return dot(x, y)
    xs, ys = x.shape or (None,) * x.ndim, y.shape or (None,) * y.ndim
    batch = broadcast(Kind(x.ndim - 2, xs[:-2]), Kind(y.ndim - 2, ys[:-2]))
    return Kind(batch.ndim + 2, tuple(batch.shape) + (xs[-2], ys[-1]), "f")


def inner(a, b, **keywords):
    """np.inner sums over the last axes: the other axes of a, then those of b."""
    if a.ndim is None or b.ndim is None:
        return Kind(None, None, "f")
    if a.ndim == 0 or b.ndim == 0:
        return broadcast(a.kind, b.kind)._replace(dtype="f")
    return array(a.ndim + b.ndim - 2)


def kron(a, b, **keywords):
    return array(max(a.ndim, b.ndim)) if a.ndim is not None and b.ndim is not None \
        else array(None)


def einsum(subscripts, *operands, **keywords):
    """np.einsum: as many dimensions as the output has letters."""
    spec = subscripts.const if subscripts.is_constant else None
    if not isinstance(spec, str) or "..." in spec:
        return array(None)
    if "->" in spec:
        return array(len(spec.split("->")[1].strip()))
    letters = spec.replace(",", "").replace(" ", "")
    return array(sum(1 for c in set(letters) if letters.count(c) == 1))


def tensordot(a, b, axes=None, **keywords):
    """np.tensordot: the free axes of a, then those of b."""
    count = 2 if axes is None else axes.const if axes.is_constant else \
        len(axes.elements[0].const) if axes.elements and axes.elements[0].is_constant \
        and isinstance(axes.elements[0].const, tuple) else 1
    if a.ndim is None or b.ndim is None or not isinstance(count, int):
        return array(None)
    return array(a.ndim + b.ndim - 2 * count)


def solve(a, b, **keywords):
    return b.kind._replace(dtype="f")


def slogdet(a, **keywords):
    return tuple_of(SCALAR, SCALAR)


def eigh(a, *operands, **keywords):
    return tuple_of(array(1), a.kind._replace(dtype="f"))


def qr(a, *operands, **keywords):
    return tuple_of(array(2), array(2))


def lstsq(a, b, *operands, **keywords):
    return tuple_of(b.kind._replace(dtype="f"), array(1), INT, array(1))
