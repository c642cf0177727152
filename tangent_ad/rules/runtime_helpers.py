"""Rules for what generated code calls, so that generated code can be differentiated again
(`grad(grad(f))`, `hessian`): `np.full_like`, `np.outer`, the runtime helpers
`unbroadcast` and `zeros_like_ad`, and `stop_gradient`, whose result is a constant.

`unbroadcast(g, x)` sums `g` down to the shape of `x`: it is linear in `g`, and its
adjoint broadcasts back. `x` gives only a shape, as in `np.full_like(x, c)`.
"""
import numpy as np

from .. import runtime
from ..custom import stop_gradient
from . import kinds_of_results as K
from .registry import adjoint_rule, nondifferentiable, primitive, tangent_rule


def like_second(g, x, **keywords):
    return x.kind._replace(dtype="f")


def _vectors(z, x, y):
    return x.ndim == 1 and y.ndim == 1


def _scalar_g(z, g, x):
    return g.ndim == 0


primitive(np.full_like, "np.full_like", K.like_first, family="constructors")
primitive(np.outer, "np.outer", K.outer, family="products")
primitive(runtime.unbroadcast, "unbroadcast", like_second, family="runtime")
nondifferentiable(runtime.zeros_like_ad, "zeros_like_ad", K.like_first, family="runtime")
nondifferentiable(stop_gradient, "stop_gradient", K.same_as_first, family="runtime")


@adjoint_rule(np.full_like)
def _(z, x, c):
    c_bar += unbroadcast(z_bar, c)


@tangent_rule(np.full_like)
def _(z, x, c):
    z_dot = np.full_like(x, c_dot)


@adjoint_rule(np.outer, when=_vectors)
def _(z, x, y):
    x_bar += z_bar @ y
    y_bar += x @ z_bar


@tangent_rule(np.outer, when=_vectors)
def _(z, x, y):
    z_dot = np.outer(x_dot, y) + np.outer(x, y_dot)


@adjoint_rule(runtime.unbroadcast, when=_scalar_g)
def _(z, g, x):
    g_bar += unbroadcast(z_bar, g)


@adjoint_rule(runtime.unbroadcast)
def _(z, g, x):
    g_bar += z_bar + np.zeros_like(g)


@tangent_rule(runtime.unbroadcast)
def _(z, g, x):
    z_dot = unbroadcast(g_dot, x)
