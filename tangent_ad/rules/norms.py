"""Reductions that weigh their elements: vector and matrix norms, log-sum-exp, weighted
averages and the trace."""
import numpy as np
import scipy.special

from . import kinds_of_results as K
from .registry import adjoint_rule, primitive, tangent_rule

primitive(np.linalg.norm, "np.linalg.norm", K.norm, family="reductions")
primitive(scipy.special.logsumexp, "scipy.special.logsumexp", K.reduction_with,
          family="reductions")
primitive(np.average, "np.average", K.reduction_with, family="reductions")
primitive(np.trace, "np.trace", K.scalar, family="reductions")


def _order(*orders, matrix=False):
    """A norm of these orders, of a vector (or of the vectors along an axis), or a matrix."""
    def when(z, x, ord=None, axis=None, keepdims=None):
        order = None if ord is None else ord.const
        along = axis is not None and axis.const is not None
        return order in orders and (x.ndim == 2 and not along) == matrix
    return when


# -- vector norms, also of the vectors along an axis ---------------------------------------

@adjoint_rule(np.linalg.norm, when=_order(None, 2))
def _(z, x, ord=None, axis=None, keepdims=False):
    x_bar += expand_to(z_bar / z, x, axis) * x


@tangent_rule(np.linalg.norm, when=_order(None, 2))
def _(z, x, ord=None, axis=None, keepdims=False):
    z_dot = np.sum(x * x_dot, axis=axis, keepdims=keepdims) / z


@adjoint_rule(np.linalg.norm, when=_order(np.inf, -np.inf))
def _(z, x, ord=None, axis=None, keepdims=False):
    x_bar += expand_to(z_bar, x, axis) * np.sign(x) * tie_weights(np.abs(x), z, axis)


@tangent_rule(np.linalg.norm, when=_order(np.inf, -np.inf))
def _(z, x, ord=None, axis=None, keepdims=False):
    z_dot = np.sum(np.sign(x) * x_dot * tie_weights(np.abs(x), z, axis), axis=axis,
                   keepdims=keepdims)


def _p_norm(z, x, ord=None, axis=None, keepdims=None):
    return ord is not None and ord.const not in (None, "fro", "nuc", 0) and (
        x.ndim == 1 or axis is not None and axis.const is not None)


@adjoint_rule(np.linalg.norm, when=_p_norm)
def _(z, x, ord, axis=None, keepdims=False):
    x_bar += expand_to(z_bar / z ** (ord - 1), x, axis) * np.sign(x) * np.abs(x) ** (ord - 1)


@tangent_rule(np.linalg.norm, when=_p_norm)
def _(z, x, ord, axis=None, keepdims=False):
    z_dot = np.sum(np.sign(x) * np.abs(x) ** (ord - 1) * x_dot, axis=axis,
                   keepdims=keepdims) / z ** (ord - 1)


# -- matrix norms --------------------------------------------------------------------------

@adjoint_rule(np.linalg.norm, when=_order(None, "fro", matrix=True))
def _(z, x, ord=None):
    x_bar += z_bar / z * x


@tangent_rule(np.linalg.norm, when=_order(None, "fro", matrix=True))
def _(z, x, ord=None):
    z_dot = np.sum(x * x_dot) / z


@adjoint_rule(np.linalg.norm, when=_order(1, matrix=True))
def _(z, x, ord):
    x_bar += z_bar * np.sign(x) * tie_weights(np.sum(np.abs(x), axis=0), z)


@tangent_rule(np.linalg.norm, when=_order(1, matrix=True))
def _(z, x, ord):
    z_dot = np.sum(np.sign(x) * x_dot * tie_weights(np.sum(np.abs(x), axis=0), z))


@adjoint_rule(np.linalg.norm, when=_order(np.inf, matrix=True))
def _(z, x, ord):
    x_bar += z_bar * np.sign(x) * tie_weights(np.sum(np.abs(x), axis=1), z)[:, None]


@tangent_rule(np.linalg.norm, when=_order(np.inf, matrix=True))
def _(z, x, ord):
    z_dot = np.sum(np.sign(x) * x_dot * tie_weights(np.sum(np.abs(x), axis=1), z)[:, None])


@adjoint_rule(np.linalg.norm, when=_order(2, matrix=True))
def _(z, x, ord):
    usv = np.linalg.svd(x)  # the largest singular value's vectors
    x_bar += z_bar * np.outer(usv[0][:, 0], usv[2][0])


@tangent_rule(np.linalg.norm, when=_order(2, matrix=True))
def _(z, x, ord):
    usv = np.linalg.svd(x)
    z_dot = usv[0][:, 0] @ x_dot @ usv[2][0]


# -- log-sum-exp: the adjoint is softmax ---------------------------------------------------

def _weighted_lse(z, a, axis=None, b=None, keepdims=None):
    return b is not None and b.const is not None  # b given, not as a literal None


@adjoint_rule(scipy.special.logsumexp, when=_weighted_lse)
def _(z, a, axis=None, b=None, keepdims=False):
    # z = log sum b exp(a): the weights of the softmax are exp(a - z), times b for a
    e = expand_to(z_bar, a, axis) * np.exp(a - expand_to(z, a, axis))
    a_bar += e * b
    b_bar += unbroadcast(e, b)


@tangent_rule(scipy.special.logsumexp, when=_weighted_lse)
def _(z, a, axis=None, b=None, keepdims=False):
    z_dot = np.sum((a_dot * b + b_dot) * np.exp(a - expand_to(z, a, axis)), axis=axis,
                   keepdims=keepdims)


@adjoint_rule(scipy.special.logsumexp)
def _(z, a, axis=None, keepdims=False):
    a_bar += expand_to(z_bar, a, axis) * np.exp(a - expand_to(z, a, axis))


@tangent_rule(scipy.special.logsumexp)
def _(z, a, axis=None, keepdims=False):
    z_dot = np.sum(a_dot * np.exp(a - expand_to(z, a, axis)), axis=axis, keepdims=keepdims)


# -- averages, weighted or not ---------------------------------------------------------------

def _unweighted(z, a, axis=None, weights=None):
    return weights is None or weights.const is None


@adjoint_rule(np.average, when=_unweighted)
def _(z, a, axis=None):
    a_bar += expand_to(z_bar, a, axis) / reduced_size(a, axis)


@tangent_rule(np.average, when=_unweighted)
def _(z, a, axis=None):
    z_dot = np.average(a_dot, axis=axis)


@adjoint_rule(np.average)
def _(z, a, axis=None, weights=None):
    share = expand_to(z_bar / np.sum(weights, axis=axis), a, axis)
    a_bar += share * weights
    weights_bar += share * (a - expand_to(z, a, axis))


@tangent_rule(np.average)
def _(z, a, axis=None, weights=None):
    z_dot = np.sum(a_dot * weights + weights_dot * (a - expand_to(z, a, axis)),
                   axis=axis) / np.sum(weights, axis=axis)


# -- trace -------------------------------------------------------------------------------

@adjoint_rule(np.trace)
def _(z, x):
    x_bar += z_bar * np.eye(x.shape[0], x.shape[1])


@tangent_rule(np.trace)
def _(z, x):
    z_dot = np.trace(x_dot)
