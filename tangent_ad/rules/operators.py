"""Arithmetic operators and their NumPy names: `a + b` is `np.add(a, b)`, and so on.

`unbroadcast(g, x)` sums an adjoint back to the shape of `x`; the transform drops it
where the kinds show that no broadcasting happened.
"""
import numpy as np

from . import kinds_of_results as K
from .registry import adjoint_rule, primitive, tangent_rule

IDENTITY = "identity"   # `z = x`: a copy

for _f, _name in [(np.add, "np.add"), (np.subtract, "np.subtract"),
                  (np.multiply, "np.multiply"), (np.power, "np.power"),
                  (np.negative, "np.negative"), (np.positive, "np.positive")]:
    primitive(_f, _name, K.elementwise, family="operators")  # int op int stays int
primitive(np.true_divide, "np.true_divide", K.float_elementwise, family="operators")
primitive(np.divide, "np.divide", K.float_elementwise, family="operators")
primitive(np.mod, "np.mod", K.elementwise, family="operators")
primitive(IDENTITY, "identity", K.same_as_first, family="operators")


@adjoint_rule(IDENTITY)
def _(z, x):
    x_bar += z_bar


@tangent_rule(IDENTITY)
def _(z, x):
    z_dot = x_dot


@adjoint_rule(np.add)
def _(z, x, y):
    x_bar += unbroadcast(z_bar, x)
    y_bar += unbroadcast(z_bar, y)


@tangent_rule(np.add)
def _(z, x, y):
    z_dot = x_dot + y_dot


@adjoint_rule(np.subtract)
def _(z, x, y):
    x_bar += unbroadcast(z_bar, x)
    y_bar -= unbroadcast(z_bar, y)


@tangent_rule(np.subtract)
def _(z, x, y):
    z_dot = x_dot - y_dot


@adjoint_rule(np.multiply)
def _(z, x, y):
    x_bar += unbroadcast(z_bar * y, x)
    y_bar += unbroadcast(z_bar * x, y)


@tangent_rule(np.multiply)
def _(z, x, y):
    z_dot = x_dot * y + x * y_dot


def _reciprocal(z, x, y):
    return x.is_constant and x.const == 1.0


def _quotient(z, x, y):
    return not _reciprocal(z, x, y)


# The general template comes first: its operands are those that can carry a derivative.
@adjoint_rule(np.true_divide, when=_quotient)
@adjoint_rule(np.divide, when=_quotient)
def _(z, x, y):
    x_bar += unbroadcast(z_bar / y, x)
    y_bar -= unbroadcast(z_bar * z / y, y)


@adjoint_rule(np.true_divide, when=_reciprocal)
@adjoint_rule(np.divide, when=_reciprocal)
def _(z, x, y):
    y_bar -= unbroadcast(z_bar * z * z, y)  # d(1/y)/dy = -1/y**2 = -z*z: no division


@tangent_rule(np.true_divide)
@tangent_rule(np.divide)
def _(z, x, y):
    z_dot = x_dot / y - z * y_dot / y


@adjoint_rule(np.power)
def _(z, x, y):
    x_bar += unbroadcast(z_bar * y * x ** (y - 1), x)
    y_bar += unbroadcast(z_bar * z * np.log(x), y)


@tangent_rule(np.power)
def _(z, x, y):
    z_dot = y * x ** (y - 1) * x_dot + z * np.log(x) * y_dot


@adjoint_rule(np.mod)
def _(z, x, y):
    x_bar += unbroadcast(z_bar, x)
    y_bar -= unbroadcast(z_bar * np.floor(x / y), y)


@tangent_rule(np.mod)
def _(z, x, y):
    z_dot = x_dot - np.floor(x / y) * y_dot


primitive(max, "max", K.elementwise, family="operators")
primitive(min, "min", K.elementwise, family="operators")


@adjoint_rule(max)
def _(z, x, y):
    x_bar += z_bar * (x >= y)
    y_bar += z_bar * (x < y)


@tangent_rule(max)
def _(z, x, y):
    z_dot = x_dot * (x >= y) + y_dot * (x < y)


@adjoint_rule(min)
def _(z, x, y):
    x_bar += z_bar * (x <= y)
    y_bar += z_bar * (x > y)


@tangent_rule(min)
def _(z, x, y):
    z_dot = x_dot * (x <= y) + y_dot * (x > y)


@adjoint_rule(np.negative)
def _(z, x):
    x_bar -= z_bar


@tangent_rule(np.negative)
def _(z, x):
    z_dot = -x_dot


@adjoint_rule(np.positive)
def _(z, x):
    x_bar += z_bar


@tangent_rule(np.positive)
def _(z, x):
    z_dot = x_dot
