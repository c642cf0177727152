"""Rearranging an array without changing its values: transpose, reshape, ravel."""
import numpy as np

from . import kinds_of_results as K
from .registry import adjoint_rule, primitive, tangent_rule

primitive(np.transpose, "np.transpose", K.transpose, family="shapes")
primitive(np.reshape, "np.reshape", K.reshape, family="shapes")
primitive(np.ravel, "np.ravel", K.vector, family="shapes")
primitive(np.asarray, "np.asarray", K.float_elementwise, family="shapes")


@adjoint_rule(np.asarray)
def _(z, x, dtype=None):
    x_bar += z_bar


@tangent_rule(np.asarray)
def _(z, x, dtype=None):
    z_dot = x_dot


def _no_axes(z, x, axes=None):
    return axes is None or (axes.is_constant and axes.const is None)


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


@adjoint_rule(np.reshape)
@adjoint_rule(np.ravel)
def _(z, x, shape=None):
    x_bar += np.reshape(z_bar, np.shape(x))


@tangent_rule(np.reshape)
def _(z, x, shape):
    z_dot = np.reshape(x_dot, shape)


@tangent_rule(np.ravel)
def _(z, x):
    z_dot = np.ravel(x_dot)
