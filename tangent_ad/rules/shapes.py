"""Rearranging an array without changing its values: transposes, reshapes, flips, rolls,
padding, tiling, diagonals. Each adjoint puts the values back where they came from
(the inverse rearrangement), adding up the copies where the function made several."""
import numpy as np

from . import kinds_of_results as K
from . import kinds_of_shapes as S
from ..codegen.templates import Template
from .registry import adjoint_rule, primitive, rule_for, tangent_rule

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


def linear(func, params, adjoint):
    """`func(params)` is linear in its first parameter (here, a rearrangement of it): the
    tangent is the same call on the tangent, and the adjoint is the expression `adjoint`
    of `z_bar` and the parameters. `linear(np.flip, "m, axis=None", "np.flip(z_bar,
    axis=axis)")` registers `m_bar += np.flip(z_bar, axis=axis)` and
    `z_dot = np.flip(m_dot, axis=axis)`."""
    rule = rule_for(func)
    first, *rest = [p.strip() for p in params.split(",")]
    passed = [p.split("=")[0] + "=" + p.split("=")[0] if "=" in p else p for p in rest]
    head = f"def _(z, {params}):\n"
    rule.adjoints.append((None, Template(source=f"{head}    {first}_bar += {adjoint}\n")))
    call = f"{rule.name}({', '.join([first + '_dot'] + passed)})"
    rule.tangents.append((None, Template(source=f"{head}    z_dot = {call}\n")))


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


# -- the same values in another order, shape or number: the adjoint puts them back -------

for _f, _params, _adjoint in [
        (np.swapaxes, "x, axis1, axis2", "np.swapaxes(z_bar, axis1, axis2)"),
        (np.moveaxis, "x, source, destination", "np.moveaxis(z_bar, destination, source)"),
        (np.flip, "m, axis=None", "np.flip(z_bar, axis=axis)"),
        (np.fliplr, "m", "np.fliplr(z_bar)"),
        (np.flipud, "m", "np.flipud(z_bar)"),
        (np.roll, "a, shift, axis=None", "np.roll(z_bar, -shift, axis=axis)"),
        (np.rot90, "m, k=1", "np.rot90(z_bar, -k)"),
        (np.reshape, "a, shape", "np.reshape(z_bar, np.shape(a))"),
        (np.ravel, "a", "np.reshape(z_bar, np.shape(a))"),
        (np.squeeze, "a, axis=None", "np.reshape(z_bar, np.shape(a))"),
        (np.expand_dims, "a, axis", "np.reshape(z_bar, np.shape(a))"),
        (np.atleast_1d, "a", "np.reshape(z_bar, np.shape(a))"),
        (np.atleast_2d, "a", "np.reshape(z_bar, np.shape(a))"),
        (np.atleast_3d, "a", "np.reshape(z_bar, np.shape(a))"),
        # copies of the values: the adjoint adds the copies up
        (np.broadcast_to, "array, shape", "unbroadcast(z_bar, array)"),
        (np.tile, "A, reps", "untile(z_bar, A)"),
        (np.repeat, "a, repeats, axis=None", "unrepeat(z_bar, a, repeats, axis)"),
        # some of the values, or the values among zeros: the adjoint takes them back
        (np.pad, "array, pad_width", "unpad(z_bar, pad_width)"),
        (np.triu, "m, k=0", "np.triu(z_bar, k)"),
        (np.tril, "m, k=0", "np.tril(z_bar, k)"),
        (np.diagonal, "a, offset=0", "undiagonal(z_bar, a, offset)")]:
    linear(_f, _params, _adjoint)


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
