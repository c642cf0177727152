"""Elementwise functions of two arguments (beside the arithmetic operators), np.where and
np.clip. Each operand's adjoint is summed back to its shape with `unbroadcast` where
broadcasting may have happened (the transform drops it where the kinds show it did not).
"""
import math

import numpy as np
import scipy.special

from . import kinds_of_results as K
from .registry import adjoint_rule, primitive, tangent_rule

for _f, _name in [(np.maximum, "np.maximum"), (np.minimum, "np.minimum"),
                  (np.fmax, "np.fmax"), (np.fmin, "np.fmin"), (np.hypot, "np.hypot"),
                  (np.arctan2, "np.arctan2"), (np.logaddexp, "np.logaddexp"),
                  (np.logaddexp2, "np.logaddexp2"), (np.float_power, "np.float_power"),
                  (np.fmod, "np.fmod"), (np.copysign, "np.copysign"),
                  (np.where, "np.where"), (np.clip, "np.clip"),
                  (math.pow, "math.pow"), (math.atan2, "math.atan2"),
                  (math.hypot, "math.hypot"), (math.copysign, "math.copysign"),
                  (scipy.special.xlogy, "scipy.special.xlogy"),
                  (scipy.special.xlog1py, "scipy.special.xlog1py"),
                  (scipy.special.polygamma, "scipy.special.polygamma")]:
    primitive(_f, _name, K.float_elementwise, family="binary")


# -- the larger or smaller of two: the derivative follows the one chosen ------------------

@adjoint_rule(np.maximum)
@adjoint_rule(np.fmax)
def _(z, x, y):
    x_bar += unbroadcast(z_bar * (x >= y), x)
    y_bar += unbroadcast(z_bar * (x < y), y)


@tangent_rule(np.maximum)
@tangent_rule(np.fmax)
def _(z, x, y):
    z_dot = x_dot * (x >= y) + y_dot * (x < y)


@adjoint_rule(np.minimum)
@adjoint_rule(np.fmin)
def _(z, x, y):
    x_bar += unbroadcast(z_bar * (x <= y), x)
    y_bar += unbroadcast(z_bar * (x > y), y)


@tangent_rule(np.minimum)
@tangent_rule(np.fmin)
def _(z, x, y):
    z_dot = x_dot * (x <= y) + y_dot * (x > y)


# -- smooth functions of two arguments -----------------------------------------------------

@adjoint_rule(np.hypot)
@adjoint_rule(math.hypot)
def _(z, x, y):
    x_bar += unbroadcast(z_bar * x / z, x)
    y_bar += unbroadcast(z_bar * y / z, y)


@tangent_rule(np.hypot)
@tangent_rule(math.hypot)
def _(z, x, y):
    z_dot = (x * x_dot + y * y_dot) / z


@adjoint_rule(np.arctan2)
@adjoint_rule(math.atan2)
def _(z, y, x):
    y_bar += unbroadcast(z_bar * x / (x * x + y * y), y)
    x_bar += unbroadcast(-z_bar * y / (x * x + y * y), x)


@tangent_rule(np.arctan2)
@tangent_rule(math.atan2)
def _(z, y, x):
    z_dot = (x * y_dot - y * x_dot) / (x * x + y * y)


@adjoint_rule(np.logaddexp)
def _(z, x, y):
    x_bar += unbroadcast(z_bar * np.exp(x - z), x)
    y_bar += unbroadcast(z_bar * np.exp(y - z), y)


@tangent_rule(np.logaddexp)
def _(z, x, y):
    z_dot = x_dot * np.exp(x - z) + y_dot * np.exp(y - z)


@adjoint_rule(np.logaddexp2)
def _(z, x, y):
    x_bar += unbroadcast(z_bar * np.exp2(x - z), x)
    y_bar += unbroadcast(z_bar * np.exp2(y - z), y)


@tangent_rule(np.logaddexp2)
def _(z, x, y):
    z_dot = x_dot * np.exp2(x - z) + y_dot * np.exp2(y - z)


@adjoint_rule(np.float_power)
@adjoint_rule(math.pow)
def _(z, x, y):
    x_bar += unbroadcast(z_bar * y * x ** (y - 1.0), x)
    y_bar += unbroadcast(z_bar * z * np.log(x), y)


@tangent_rule(np.float_power)
@tangent_rule(math.pow)
def _(z, x, y):
    z_dot = y * x ** (y - 1.0) * x_dot + z * np.log(x) * y_dot


# -- remainders and signs: piecewise linear --------------------------------------------------

@adjoint_rule(np.fmod)
def _(z, x, y):
    x_bar += unbroadcast(z_bar, x)
    y_bar -= unbroadcast(z_bar * np.trunc(x / y), y)


@tangent_rule(np.fmod)
def _(z, x, y):
    z_dot = x_dot - np.trunc(x / y) * y_dot


@adjoint_rule(np.copysign)
@adjoint_rule(math.copysign)
def _(z, x, y):
    x_bar += unbroadcast(z_bar * np.sign(x) * np.sign(z), x)


@tangent_rule(np.copysign)
@tangent_rule(math.copysign)
def _(z, x, y):
    z_dot = x_dot * np.sign(x) * np.sign(z)


# -- choosing and limiting -------------------------------------------------------------------

@adjoint_rule(np.where)
def _(z, condition, x, y):
    x_bar += unbroadcast(np.where(condition, z_bar, 0.0), x)
    y_bar += unbroadcast(np.where(condition, 0.0, z_bar), y)


@tangent_rule(np.where)
def _(z, condition, x, y):
    z_dot = np.where(condition, x_dot, y_dot)


@adjoint_rule(np.clip)
def _(z, a, a_min, a_max):
    a_bar += unbroadcast(z_bar * ((a >= a_min) & (a <= a_max)), a)
    a_min_bar += unbroadcast(z_bar * (a < a_min), a_min)
    a_max_bar += unbroadcast(z_bar * (a > a_max), a_max)


@tangent_rule(np.clip)
def _(z, a, a_min, a_max):
    z_dot = a_dot * ((a >= a_min) & (a <= a_max)) + a_min_dot * (a < a_min) + a_max_dot * (
        a > a_max)


# -- scipy.special functions of two arguments ---------------------------------------------

@adjoint_rule(scipy.special.xlogy)
def _(z, x, y):
    x_bar += unbroadcast(z_bar * np.log(y), x)
    y_bar += unbroadcast(z_bar * x / y, y)


@tangent_rule(scipy.special.xlogy)
def _(z, x, y):
    z_dot = x_dot * np.log(y) + x * y_dot / y


@adjoint_rule(scipy.special.xlog1py)
def _(z, x, y):
    x_bar += unbroadcast(z_bar * np.log1p(y), x)
    y_bar += unbroadcast(z_bar * x / (1.0 + y), y)


@tangent_rule(scipy.special.xlog1py)
def _(z, x, y):
    z_dot = x_dot * np.log1p(y) + x * y_dot / (1.0 + y)


@adjoint_rule(scipy.special.polygamma)
def _(z, n, x):
    x_bar += z_bar * scipy.special.polygamma(n + 1, x)


@tangent_rule(scipy.special.polygamma)
def _(z, n, x):
    z_dot = x_dot * scipy.special.polygamma(n + 1, x)
