"""numba versions of the products numba lacks: np.einsum, np.tensordot, np.inner, np.vdot
of arrays, and `@` on stacks of matrices.

An einsum becomes a loop nest written for its subscripts (output indices outside, summed
indices inside), compiled once per subscripts and operand types:

    "ij,jk->ik"  →  for i: for k: total = 0.0; for j: total += x0[i, j] * x1[j, k]
"""
import functools
import operator
import string

import numpy as np
from numba import types

from ..rules.einsum import parse, tensordot_subscripts
from .axes import flat, value_of
from .naming import overload, register_jitable


def _loops(inputs, output):
    """Python source of an einsum over operands x0, x1, ... as loops."""
    names = [f"x{k}" for k in range(len(inputs))]
    sizes = {}
    for name, sub in zip(names, inputs):
        for d, c in enumerate(sub):
            sizes.setdefault(c, f"{name}.shape[{d}]")
    summed = [c for c in sizes if c not in output]
    lines = [f"def kernel({', '.join(names)}):"]
    for name, sub in zip(names, inputs):  # no broadcasting: each index has one size
        for d, c in enumerate(sub):
            if sizes[c] != f"{name}.shape[{d}]":
                lines.append(f"    if {name}.shape[{d}] != {sizes[c]}:")
                lines.append("        raise ValueError('einsum: operands do not match')")
    shape = "".join(f"{sizes[c]}, " for c in output)
    lines.append(f"    out = np.zeros(({shape}))" if output else "    out = np.zeros(1)")
    indent = "    "
    for c in output + "".join(summed):
        lines.append(f"{indent}for i_{c} in range({sizes[c]}):")
        indent += "    "
    product = " * ".join(f"{n}[{', '.join('i_' + c for c in sub)}]" if sub else n
                         for n, sub in zip(names, inputs))
    target = f"out[{', '.join('i_' + c for c in output)}]" if output else "out[0]"
    lines.append(f"{indent}{target} += {product}")
    lines.append("    return out" if output else "    return out[0]")
    return "\n".join(lines) + "\n"


@functools.lru_cache(maxsize=None)
def einsum_kernel(subscripts, count):
    """A jitted kernel(*operands) computing np.einsum(subscripts, ...), or None."""
    parsed = parse(subscripts, count)
    if parsed is None:
        return None
    namespace = {"np": np, "__name__": __name__}  # numba names it after this module
    exec(compile(_loops(*parsed), f"<einsum {subscripts}>", "exec"), namespace)
    return register_jitable(namespace["kernel"])


@overload(np.einsum)
def _einsum(subscripts, *operands):
    spec = value_of(subscripts)
    kernel = einsum_kernel(spec, len(operands)) if isinstance(spec, str) else None
    if kernel is None:
        return None
    return lambda subscripts, *operands: kernel(*operands)


def _tensordot_axes(axes):
    """The Python value of tensordot's axes argument (an int or a pair), or None."""
    value = value_of(axes)
    if isinstance(value, int):
        return value
    if not (isinstance(axes, types.BaseTuple) and len(axes) == 2):
        return None
    pair = tuple(tuple(value_of(e) for e in part) if isinstance(part, types.BaseTuple)
                 else value_of(part) for part in axes)
    flat_pair = [v for part in pair for v in (part if isinstance(part, tuple) else (part,))]
    return None if any(not isinstance(v, int) for v in flat_pair) else pair


@overload(np.tensordot)
def _tensordot(a, b, axes=2):
    spec = _tensordot_axes(axes)
    if spec is None or not (isinstance(a, types.Array) and isinstance(b, types.Array)):
        return None
    kernel = einsum_kernel(tensordot_subscripts(a.ndim, b.ndim, spec), 2)
    return lambda a, b, axes=2: kernel(a, b)


@overload(np.inner)
def _inner(a, b):
    if isinstance(a, types.Number) or isinstance(b, types.Number):
        return lambda a, b: a * b
    letters = string.ascii_lowercase
    a_sub = letters[:a.ndim - 1] + "z"
    b_sub = letters[a.ndim - 1:a.ndim + b.ndim - 2] + "z"
    kernel = einsum_kernel(f"{a_sub},{b_sub}->{a_sub[:-1]}{b_sub[:-1]}", 2)
    return lambda a, b: kernel(a, b)


@register_jitable
def _flat_dot(a, b):
    total = 0.0
    for x, y in zip(flat(a), flat(b)):
        total += x * y
    return total


@overload(np.vdot)
def _vdot(a, b):
    if isinstance(a, types.Array) and isinstance(b, types.Array) and a.ndim + b.ndim > 2:
        return lambda a, b: _flat_dot(a, b)


def _matmul_subscripts(a_ndim, b_ndim):
    """a @ b as einsum subscripts, the leading (stack) axes of both aligned from the right."""
    batch = "abcdef"[:max(a_ndim, b_ndim) - 2]
    a_sub = batch[len(batch) - (a_ndim - 2):] + "ij" if a_ndim > 1 else "j"
    b_sub = batch[len(batch) - (b_ndim - 2):] + "jk" if b_ndim > 1 else "j"
    out = batch + ("i" if a_ndim > 1 else "") + ("k" if b_ndim > 1 else "")
    return f"{a_sub},{b_sub}->{out}"


@overload(operator.matmul)
def _stacked_matmul(a, b):
    if isinstance(a, types.Array) and isinstance(b, types.Array) and max(a.ndim, b.ndim) > 2:
        kernel = einsum_kernel(_matmul_subscripts(a.ndim, b.ndim), 2)
        return lambda a, b: kernel(a, b)
