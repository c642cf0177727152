"""Reading elements: `z = x[i]` by ints, slices (with steps, negative), None; by integer
arrays (fancy indexing) and boolean masks; np.take, np.take_along_axis, np.extract.

The adjoint of a read writes into an array of zeros shaped like x. A basic index reads
each element once, so `x_bar[i] += z_bar` is exact; an integer array may repeat an
index, so its adjoint accumulates with `add_at` (`x_bar[i] += z_bar` would keep only
the last of the repeated contributions).
"""
import operator

import numpy as np

from ..kinds import Kind
from .kinds_of_results import unknown_array
from .registry import adjoint_rule, primitive, tangent_rule

GETITEM = operator.getitem


def _index_kind(x, index):
    """The kind of x[index]; `index` is the normalized index node (see kinds inference)."""
    return Kind(None, None, x.dtype)


primitive(GETITEM, "getitem", _index_kind, family="indexing")
for _f, _name in [(np.take, "np.take"), (np.take_along_axis, "np.take_along_axis"),
                  (np.extract, "np.extract")]:
    primitive(_f, _name, unknown_array, family="indexing")


def _parts(index):
    return index.elements if index.elements is not None else [index]


def _fancy(z, x, i):
    """An integer array or a boolean mask among the index's parts."""
    return any(part.ndim != 0 for part in _parts(i))


@adjoint_rule(GETITEM, when=_fancy)
def _(z, x, i):
    x_bar += add_at(np.zeros_like(x), i, z_bar)


@adjoint_rule(GETITEM)
def _(z, x, i):
    x_bar[i] += z_bar


@tangent_rule(GETITEM)
def _(z, x, i):
    z_dot = x_dot[i]


def _flattened(z, a, indices, axis=None, **keywords):
    return axis is None or axis.const is None


@adjoint_rule(np.take, when=_flattened)
def _(z, a, indices):
    a_bar += np.reshape(add_along(np.zeros(a.size), indices, z_bar, 0), np.shape(a))


@adjoint_rule(np.take)
def _(z, a, indices, axis):
    a_bar += add_along(np.zeros_like(a), indices, z_bar, axis)


@tangent_rule(np.take)
def _(z, a, indices, axis=None):
    z_dot = np.take(a_dot, indices, axis=axis)


@adjoint_rule(np.take_along_axis)
def _(z, arr, indices, axis):
    arr_bar += add_along_axis(np.zeros_like(arr), indices, z_bar, axis)


@tangent_rule(np.take_along_axis)
def _(z, arr, indices, axis):
    z_dot = np.take_along_axis(arr_dot, indices, axis)


@adjoint_rule(np.extract)
def _(z, condition, arr):
    arr_bar += add_at(np.zeros_like(arr), condition, z_bar)


@tangent_rule(np.extract)
def _(z, condition, arr):
    z_dot = np.extract(condition, arr_dot)
