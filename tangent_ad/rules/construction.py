"""Building arrays from other values: np.array of numbers, joining arrays (concatenate,
stack, hstack, vstack, column_stack), splitting them (split, array_split), np.full.

A tuple or list operand `xs = (a, b)` has one adjoint per element: a template line
`xs_bar += e` gives `a_bar += e[0]` and `b_bar += e[1]`.
"""
import numpy as np

from . import kinds_of_results as K
from . import kinds_of_shapes as S
from .registry import adjoint_rule, primitive, tangent_rule
from .shapes import linear

for _f, _name, _kind in [
        (np.array, "np.array", S.array_of), (np.asarray, "np.asarray", S.array_of),
        (np.concatenate, "np.concatenate", S.concatenate), (np.stack, "np.stack", S.stack),
        (np.hstack, "np.hstack", S.hstack), (np.vstack, "np.vstack", S.vstack),
        (np.column_stack, "np.column_stack", S.column_stack),
        (np.split, "np.split", S.split), (np.array_split, "np.array_split", S.split),
        (np.full, "np.full", K.from_shape)]:
    primitive(_f, _name, _kind, family="construction")


# -- arrays of numbers, and copies of arrays ----------------------------------------------

@adjoint_rule(np.array)
@adjoint_rule(np.asarray)
def _(z, object, dtype=None):
    object_bar += z_bar


@tangent_rule(np.array, when=lambda z, object, dtype=None: not object.elements
              and object.ndim != 0)
def _(z, object, dtype=None):
    z_dot = np.copy(object_dot)  # numba's np.array does not copy an array


@tangent_rule(np.array)
def _(z, object, dtype=None):
    z_dot = np.array(object_dot)


@tangent_rule(np.asarray)
def _(z, object, dtype=None):
    z_dot = np.asarray(object_dot, np.float64)


# Linear in their first parameter (see `shapes.linear`); a tuple or list operand's adjoint
# is a sequence with one item per element.
for _f, _params, _adjoint in [
        (np.concatenate, "arrays, axis=0", "split_like(z_bar, arrays, axis)"),
        (np.stack, "arrays, axis=0", "split_like(z_bar, arrays, axis)"),
        (np.vstack, "tup", "split_like(z_bar, tup, 0)"),
        (np.column_stack, "tup", "split_like(z_bar, tup, 1)"),
        (np.split, "ary, indices_or_sections, axis=0", "np.concatenate(z_bar, axis=axis)"),
        (np.array_split, "ary, indices_or_sections, axis=0",
         "np.concatenate(z_bar, axis=axis)")]:
    linear(_f, _params, _adjoint)


def _of_vectors(z, tup):
    """np.hstack joins vectors end to end, and matrices side by side."""
    return tup.elements[0].ndim == 1


@adjoint_rule(np.hstack, when=_of_vectors)
def _(z, tup):
    tup_bar += split_like(z_bar, tup, 0)


@adjoint_rule(np.hstack)
def _(z, tup):
    tup_bar += split_like(z_bar, tup, 1)


@tangent_rule(np.hstack)
def _(z, tup):
    z_dot = np.hstack(tup_dot)


@adjoint_rule(np.full)
def _(z, shape, fill_value):
    fill_value_bar += np.sum(z_bar)


@tangent_rule(np.full)
def _(z, shape, fill_value):
    z_dot = np.full(shape, fill_value_dot)
