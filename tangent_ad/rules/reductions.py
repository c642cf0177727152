"""Reductions — sums, means, products, extremes, spreads and their cumulative forms — over
the whole array, or along `axis` (an int, negative, a tuple of ints, or None) with or
without `keepdims`.

The adjoint of a reduction spreads the result's adjoint back over the reduced axes:
`expand_to(z_bar, x, axis)` repeats it into an array shaped like `x`. Where the whole
array was reduced to a scalar, the templates say so more plainly (`np.full_like`).
"""
import numpy as np

from . import kinds_of_results as K
from .registry import adjoint_rule, primitive, tangent_rule

for _f, _name in [(np.sum, "np.sum"), (np.mean, "np.mean"), (np.prod, "np.prod"),
                  (np.max, "np.max"), (np.amax, "np.amax"), (np.min, "np.min"),
                  (np.amin, "np.amin"), (np.var, "np.var"), (np.std, "np.std")]:
    primitive(_f, _name, K.reduction, family="reductions")
primitive(np.cumsum, "np.cumsum", K.cumulative, family="reductions")
primitive(np.cumprod, "np.cumprod", K.cumulative, family="reductions")


def _whole(z, x, axis=None, *rest, **keywords):
    """The whole array was reduced to a scalar (and no positional dtype/out was given)."""
    return z.ndim == 0 and not rest


def _along(z, x, axis=None, *rest, **keywords):
    return not rest


def _flattened(z, x, axis=None, **keywords):
    """np.cumsum(x) without an axis works on the flattened array."""
    return axis is None or axis.const is None


# -- sum and mean ------------------------------------------------------------------------

@adjoint_rule(np.sum, when=_whole)
def _(z, x, axis=None, keepdims=False):
    x_bar += np.full_like(x, z_bar)


@adjoint_rule(np.sum, when=_along)
def _(z, x, axis=None, keepdims=False):
    x_bar += expand_to(z_bar, x, axis)


@tangent_rule(np.sum, when=_along)
def _(z, x, axis=None, keepdims=False):
    z_dot = np.sum(x_dot, axis=axis, keepdims=keepdims)


def _of_scalar(z, x, axis=None, *rest, **keywords):
    """The mean of one number: that number."""
    return x.is_scalar and not rest


@adjoint_rule(np.mean, when=_of_scalar)
def _(z, x, axis=None, keepdims=False):
    x_bar += z_bar


@adjoint_rule(np.mean, when=_whole)
def _(z, x, axis=None, keepdims=False):
    x_bar += np.full_like(x, z_bar / x.size)


@adjoint_rule(np.mean, when=_along)
def _(z, x, axis=None, keepdims=False):
    x_bar += expand_to(z_bar, x, axis) / reduced_size(x, axis)


@tangent_rule(np.mean, when=_along)
def _(z, x, axis=None, keepdims=False):
    z_dot = np.mean(x_dot, axis=axis, keepdims=keepdims)


# -- product: each element's derivative is the product of the others, z / x (x ≠ 0) -----

@adjoint_rule(np.prod, when=_whole)
def _(z, x, axis=None, keepdims=False):
    x_bar += z_bar * z / x


@tangent_rule(np.prod, when=_whole)
def _(z, x, axis=None, keepdims=False):
    z_dot = z * np.sum(x_dot / x)


@adjoint_rule(np.prod, when=_along)
def _(z, x, axis=None, keepdims=False):
    x_bar += expand_to(z_bar * z, x, axis) / x


@tangent_rule(np.prod, when=_along)
def _(z, x, axis=None, keepdims=False):
    z_dot = np.sum(x_dot / x * expand_to(z, x, axis), axis=axis, keepdims=keepdims)


# -- extremes: the derivative goes to the elements that attain them, shared among ties --

@adjoint_rule(np.max, when=_whole)
@adjoint_rule(np.amax, when=_whole)
@adjoint_rule(np.min, when=_whole)
@adjoint_rule(np.amin, when=_whole)
def _(z, x, axis=None, keepdims=False):
    x_bar += z_bar * tie_weights(x, z)


@adjoint_rule(np.max, when=_along)
@adjoint_rule(np.amax, when=_along)
@adjoint_rule(np.min, when=_along)
@adjoint_rule(np.amin, when=_along)
def _(z, x, axis=None, keepdims=False):
    x_bar += expand_to(z_bar, x, axis) * tie_weights(x, z, axis)


@tangent_rule(np.max, when=_along)
@tangent_rule(np.amax, when=_along)
@tangent_rule(np.min, when=_along)
@tangent_rule(np.amin, when=_along)
def _(z, x, axis=None, keepdims=False):
    z_dot = np.sum(x_dot * tie_weights(x, z, axis), axis=axis, keepdims=keepdims)


# -- variance and standard deviation ---------------------------------------------------

@adjoint_rule(np.var, when=_whole)
def _(z, x, axis=None, ddof=0, keepdims=False):
    x_bar += z_bar * 2.0 * (x - np.mean(x)) / (x.size - ddof)


@adjoint_rule(np.var, when=_along)
def _(z, x, axis=None, ddof=0, keepdims=False):
    deviation = x - np.mean(x, axis=axis, keepdims=True)
    x_bar += expand_to(z_bar, x, axis) * 2.0 * deviation / (reduced_size(x, axis) - ddof)


@tangent_rule(np.var, when=_along)
def _(z, x, axis=None, ddof=0, keepdims=False):
    deviation = x - np.mean(x, axis=axis, keepdims=True)
    z_dot = np.sum(2.0 * deviation * x_dot, axis=axis, keepdims=keepdims) / (
        reduced_size(x, axis) - ddof)


@adjoint_rule(np.std, when=_whole)
def _(z, x, axis=None, ddof=0, keepdims=False):
    x_bar += z_bar / z * (x - np.mean(x)) / (x.size - ddof)


@adjoint_rule(np.std, when=_along)
def _(z, x, axis=None, ddof=0, keepdims=False):
    deviation = x - np.mean(x, axis=axis, keepdims=True)
    x_bar += expand_to(z_bar / z, x, axis) * deviation / (reduced_size(x, axis) - ddof)


@tangent_rule(np.std, when=_along)
def _(z, x, axis=None, ddof=0, keepdims=False):
    deviation = x - np.mean(x, axis=axis, keepdims=True)
    z_dot = np.sum(deviation * x_dot, axis=axis, keepdims=keepdims) / (
        (reduced_size(x, axis) - ddof) * z)


# -- cumulative sums and products: the adjoint sums from the end -------------------------

@adjoint_rule(np.cumsum, when=_flattened)
def _(z, x, axis=None):
    x_bar += np.reshape(np.flip(np.cumsum(np.flip(z_bar))), np.shape(x))


@adjoint_rule(np.cumsum)
def _(z, x, axis):
    x_bar += np.flip(np.cumsum(np.flip(z_bar, axis), axis), axis)


@tangent_rule(np.cumsum)
def _(z, x, axis=None):
    z_dot = np.cumsum(x_dot, axis=axis)


@adjoint_rule(np.cumprod, when=_flattened)
def _(z, x, axis=None):
    x_bar += np.reshape(np.flip(np.cumsum(np.flip(z_bar * z))), np.shape(x)) / x


@adjoint_rule(np.cumprod)
def _(z, x, axis):
    x_bar += np.flip(np.cumsum(np.flip(z_bar * z, axis), axis), axis) / x


@tangent_rule(np.cumprod)
def _(z, x, axis=None):
    z_dot = z * np.cumsum(x_dot / x, axis=axis)
