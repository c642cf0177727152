"""Kinds: what the transform knows about a value before it runs — scalar or array, its
number of dimensions, and which dimensions are equal.

Array dimensions are symbols: two dimensions share a symbol when they had the same size in
the call that fixed the kinds, and a dimension of size 1 is the literal 1 (it broadcasts).
Knowing that `x` and `z` have the same shape lets the generated adjoint of `z = x * y` read
`x_bar = z_bar * y` instead of `x_bar = unbroadcast(z_bar * y, x)`.

>>> kinds = kinds_of_values([np.zeros(3), np.zeros(3), np.zeros((1, 3)), 2.0])
>>> [str(k) for k in kinds]
['array[d0]', 'array[d0]', 'array[1,d0]', 'float']
>>> str(broadcast(kinds[0], kinds[2]))
'array[1,d0]'

The integers of a shape carry their dimension's symbol, so that an array built from them
has known dimensions (`N, D = x.shape` ... `np.zeros((N, D))` is shaped like `x`):

>>> shape_of(kinds[2]).items[1].size
'd0'
"""
from typing import NamedTuple

import numpy as np

from .errors import TangentADError


class ComplexValueError(TangentADError, TypeError):
    """A complex number where tangent_ad differentiates real functions of real numbers."""


def is_complex(value):
    """Whether `value` is a complex number or an array of them (containers are not looked
    into: flatten them first)."""
    if isinstance(value, np.ndarray):
        return np.issubdtype(value.dtype, np.complexfloating)
    return isinstance(value, (complex, np.complexfloating))


class Kind(NamedTuple):
    ndim: object            # int, or None when unknown
    shape: object           # tuple of dimension symbols (str, 1, or None), or None
    dtype: str = "f"        # 'f' float, 'i' integer, 'b' bool, 't' tuple, 'l' stack,
    #                         'o' other
    size: object = None     # an integer that is an array's dimension: its symbol

    @property
    def is_scalar(self):
        return self.ndim == 0

    @property
    def is_array(self):
        return self.ndim != 0

    @property
    def items(self):
        """The kinds of a tuple's items (`tuple_of`), else None."""
        return self.shape if self.dtype == "t" else None

    def __str__(self):
        if self.dtype == "t":
            return "tuple(" + ", ".join(str(k) for k in self.shape) + ")"
        if self.dtype == "l":  # a list tape of generated code (frontend/stacks.py)
            return f"stack({self.shape[0]})"
        if self.ndim == 0:
            return {"f": "float", "i": "int", "b": "bool"}.get(self.dtype, "object")
        if self.shape is None:
            return f"array[ndim={self.ndim}]"
        return "array[" + ",".join("?" if d is None else str(d) for d in self.shape) + "]"


SCALAR = Kind(0, (), "f")
INT = Kind(0, (), "i")
BOOL = Kind(0, (), "b")
OTHER = Kind(0, (), "o")
UNKNOWN = Kind(None, None, "f")


def tuple_of(*items):
    """The kind of a tuple of values, such as the (eigenvalues, eigenvectors) of eigh."""
    return Kind(None, tuple(items), "t")


def dimension(symbol):
    """The kind of an integer known to equal the dimension `symbol` of some array."""
    return INT if symbol is None else Kind(0, (), "i", symbol)


def shape_of(kind):
    """The kind of `x.shape`: a tuple of integers, each its dimension's symbol."""
    if kind.ndim is None or kind.dtype in "tl":
        return INT  # unknown: indexing it gives an integer, as before kinds knew shapes
    return tuple_of(*(dimension(d) for d in kind.shape or (None,) * kind.ndim))


def array(ndim, dtype="f"):
    """An array of `ndim` dimensions whose sizes are unknown."""
    return Kind(ndim, (None,) * ndim if ndim is not None else None, dtype)


def _dtype_char(dtype):
    if np.issubdtype(dtype, np.bool_):
        return "b"
    if np.issubdtype(dtype, np.integer):
        return "i"
    if np.issubdtype(dtype, np.floating):
        return "f"
    if np.issubdtype(dtype, np.complexfloating):
        raise ComplexValueError("complex values cannot be differentiated.")
    return "o"


def kinds_of_values(values):
    """The kinds of concrete values, with equal dimension sizes sharing a symbol."""
    symbols = {}
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_)):
            out.append(BOOL)
        elif isinstance(v, (int, np.integer)):
            out.append(INT)
        elif isinstance(v, (float, np.floating)):
            out.append(SCALAR)
        elif isinstance(v, (complex, np.complexfloating)):
            raise ComplexValueError("complex values cannot be differentiated.")
        elif isinstance(v, np.ndarray):
            if v.ndim == 0:
                out.append(Kind(0, (), _dtype_char(v.dtype)))
                continue
            dims = tuple(1 if n == 1 else symbols.setdefault(n, f"d{len(symbols)}")
                         for n in v.shape)
            out.append(Kind(v.ndim, dims, _dtype_char(v.dtype)))
        else:
            out.append(OTHER)
    return out


def _merge_dim(a, b):
    if a == 1:
        return b
    if b == 1 or a == b:
        return a
    return None


def result_dtype(*kinds):
    chars = {k.dtype for k in kinds}
    for c in ("o", "f", "i"):
        if c in chars:
            return c
    return "b" if chars else "f"


def broadcast(*kinds):
    """The kind of an elementwise result of operands of these kinds (NumPy broadcasting)."""
    dtype = result_dtype(*kinds)
    if any(k.ndim is None for k in kinds):
        return Kind(None, None, dtype)
    ndim = max((k.ndim for k in kinds), default=0)
    if any(k.shape is None for k in kinds if k.ndim):
        return Kind(ndim, (None,) * ndim, dtype)
    shape = [1] * ndim
    for k in kinds:
        padded = (1,) * (ndim - k.ndim) + tuple(k.shape)
        shape = [_merge_dim(a, b) for a, b in zip(shape, padded)]
    return Kind(ndim, tuple(shape), dtype)


def same_shape(a, b):
    """True when `a` and `b` certainly have the same shape."""
    if a.ndim == 0 and b.ndim == 0:
        return True
    if a.shape is None or b.shape is None or a.ndim != b.ndim:
        return False
    return all(x is not None and x == y for x, y in zip(a.shape, b.shape))


def as_float(kind):
    return kind._replace(dtype="f") if kind.dtype in "ib" else kind


class Operand:
    """What rules see of one operand: its kind, and its value when it is a literal."""

    NOT_CONSTANT = object()

    def __init__(self, kind, const=NOT_CONSTANT, elements=None):
        self.kind = kind
        self.const = const
        self.elements = elements   # the operands of a tuple or list literal, else None

    @property
    def is_constant(self):
        return self.const is not Operand.NOT_CONSTANT

    def __getattr__(self, attr):  # ndim, shape, is_scalar, is_array, dtype
        return getattr(self.kind, attr)

    def __repr__(self):
        return f"Operand({self.kind}{', ' + repr(self.const) if self.is_constant else ''})"
