"""Rearranging an array without changing its values: transposes, reshapes, flips, rolls,
padding, tiling, diagonals. Each adjoint puts the values back where they came from
(the inverse rearrangement), adding up the copies where the function made several."""
import numpy as np

from . import kinds_of_results as K
from . import kinds_of_shapes as S
from .registry import adjoint_rule, primitive, tangent_rule

for _f, _name, _kind in [
        (np.transpose, "np.transpose", S.transpose), (np.reshape, "np.reshape", K.reshape),
        (np.ravel, "np.ravel", K.vector), (np.swapaxes, "np.swapaxes", S.swapaxes),
        (np.moveaxis, "np.moveaxis", S.moveaxis), (np.squeeze, "np.squeeze", S.squeeze),
        (np.expand_dims, "np.expand_dims", S.expand_dims),
        (np.broadcast_to, "np.broadcast_to", S.broadcast_to),
        (np.atleast_1d, "np.atleast_1d", S.at_least(1)),
        (np.atleast_2d, "np.atleast_2d", S.at_least(2)),
        (np.atleast_3d, "np.atleast_3d", S.at_least(3)),
        (np.flip, "np.flip", S.same_shape), (np.fliplr, "np.fliplr", S.same_shape),
        (np.flipud, "np.flipud", S.same_shape), (np.roll, "np.roll", S.same_shape),
        (np.rot90, "np.rot90", S.rot90), (np.tile, "np.tile", S.tile),
        (np.repeat, "np.repeat", S.repeat), (np.pad, "np.pad", S.same_ndim),
        (np.diag, "np.diag", S.diag), (np.diagonal, "np.diagonal", S.diagonal),
        (np.triu, "np.triu", S.same_shape), (np.tril, "np.tril", S.same_shape)]:
    primitive(_f, _name, _kind, family="shapes")


def _no_axes(z, x, axes=None):
    return axes is None or (axes.is_constant and axes.const is None)


# -- the same values in another order: the adjoint undoes the order ----------------------

@adjoint_rule(np.transpose, when=_no_axes)
def _(z, x):
    x_bar += np.transpose(z_bar)


@tangent_rule(np.transpose, when=_no_axes)
def _(z, x):
    z_dot = np.transpose(x_dot)


@adjoint_rule(np.transpose)
def _(z, x, axes):
    x_bar += np.transpose(z_bar, np.argsort(axes))


@tangent_rule(np.transpose)
def _(z, x, axes):
    z_dot = np.transpose(x_dot, axes)


@adjoint_rule(np.swapaxes)
def _(z, x, axis1, axis2):
    x_bar += np.swapaxes(z_bar, axis1, axis2)


@tangent_rule(np.swapaxes)
def _(z, x, axis1, axis2):
    z_dot = np.swapaxes(x_dot, axis1, axis2)


@adjoint_rule(np.moveaxis)
def _(z, x, source, destination):
    x_bar += np.moveaxis(z_bar, destination, source)


@tangent_rule(np.moveaxis)
def _(z, x, source, destination):
    z_dot = np.moveaxis(x_dot, source, destination)


@adjoint_rule(np.flip)
def _(z, m, axis=None):
    m_bar += np.flip(z_bar, axis=axis)


@tangent_rule(np.flip)
def _(z, m, axis=None):
    z_dot = np.flip(m_dot, axis=axis)


@adjoint_rule(np.fliplr)
def _(z, m):
    m_bar += np.fliplr(z_bar)


@tangent_rule(np.fliplr)
def _(z, m):
    z_dot = np.fliplr(m_dot)


@adjoint_rule(np.flipud)
def _(z, m):
    m_bar += np.flipud(z_bar)


@tangent_rule(np.flipud)
def _(z, m):
    z_dot = np.flipud(m_dot)


@adjoint_rule(np.roll)
def _(z, a, shift, axis=None):
    a_bar += np.roll(z_bar, -shift, axis=axis)


@tangent_rule(np.roll)
def _(z, a, shift, axis=None):
    z_dot = np.roll(a_dot, shift, axis=axis)


@adjoint_rule(np.rot90)
def _(z, m, k=1):
    m_bar += np.rot90(z_bar, -k)


@tangent_rule(np.rot90)
def _(z, m, k=1):
    z_dot = np.rot90(m_dot, k)


# -- the same values in another shape: the adjoint takes back x's shape -----------------

@adjoint_rule(np.reshape)
@adjoint_rule(np.ravel)
@adjoint_rule(np.squeeze)
@adjoint_rule(np.expand_dims)
@adjoint_rule(np.atleast_1d)
@adjoint_rule(np.atleast_2d)
@adjoint_rule(np.atleast_3d)
def _(z, a, shape=None, axis=None):
    a_bar += np.reshape(z_bar, np.shape(a))


@tangent_rule(np.reshape)
def _(z, a, shape):
    z_dot = np.reshape(a_dot, shape)


@tangent_rule(np.ravel)
def _(z, a):
    z_dot = np.ravel(a_dot)


@tangent_rule(np.squeeze)
def _(z, a, axis=None):
    z_dot = np.squeeze(a_dot, axis=axis)


@tangent_rule(np.expand_dims)
def _(z, a, axis):
    z_dot = np.expand_dims(a_dot, axis)


@tangent_rule(np.atleast_1d)
@tangent_rule(np.atleast_2d)
@tangent_rule(np.atleast_3d)
def _(z, a):
    z_dot = np.reshape(a_dot, np.shape(z))


# -- copies of the values: the adjoint adds the copies up --------------------------------

@adjoint_rule(np.broadcast_to)
def _(z, array, shape):
    array_bar += unbroadcast(z_bar, array)


@tangent_rule(np.broadcast_to)
def _(z, array, shape):
    z_dot = np.broadcast_to(array_dot, shape)


@adjoint_rule(np.tile)
def _(z, A, reps):
    A_bar += untile(z_bar, A)


@tangent_rule(np.tile)
def _(z, A, reps):
    z_dot = np.tile(A_dot, reps)


@adjoint_rule(np.repeat)
def _(z, a, repeats, axis=None):
    a_bar += unrepeat(z_bar, a, repeats, axis)


@tangent_rule(np.repeat)
def _(z, a, repeats, axis=None):
    z_dot = np.repeat(a_dot, repeats, axis=axis)


# -- some of the values, or the values among constants -----------------------------------

@adjoint_rule(np.pad)
def _(z, array, pad_width):
    array_bar += unpad(z_bar, pad_width)


@tangent_rule(np.pad)
def _(z, array, pad_width):
    z_dot = np.pad(array_dot, pad_width)


@adjoint_rule(np.triu)
def _(z, m, k=0):
    m_bar += np.triu(z_bar, k)


@tangent_rule(np.triu)
def _(z, m, k=0):
    z_dot = np.triu(m_dot, k)


@adjoint_rule(np.tril)
def _(z, m, k=0):
    m_bar += np.tril(z_bar, k)


@tangent_rule(np.tril)
def _(z, m, k=0):
    z_dot = np.tril(m_dot, k)


def _of_vector(z, v, k=None):
    return v.ndim == 1


@adjoint_rule(np.diag, when=_of_vector)
def _(z, v, k=0):
    v_bar += np.diag(z_bar, k)


@adjoint_rule(np.diag)
def _(z, v, k=0):
    v_bar += undiagonal(z_bar, v, k)


@tangent_rule(np.diag)
def _(z, v, k=0):
    z_dot = np.diag(v_dot, k)


@adjoint_rule(np.diagonal)
def _(z, a, offset=0):
    a_bar += undiagonal(z_bar, a, offset)


@tangent_rule(np.diagonal)
def _(z, a, offset=0):
    z_dot = np.diagonal(a_dot, offset)
