"""numba versions of the scipy.special functions that have rules, and of the NumPy
elementwise functions numba lacks (np.heaviside, np.fix, np.clip of a number).

Each is a scalar kernel made a ufunc with `numba.vectorize`, so it broadcasts like the
original and takes numbers and arrays alike.
"""
import math

import numpy as np
import scipy.special
from numba import types

from .naming import overload, register_jitable, vectorize


# Bernoulli numbers B2, B4, ..., B14: the asymptotic series of the polygamma functions
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)


@register_jitable
def _digamma(x):
    if x <= 0.0 and x == math.floor(x):
        return math.nan
    result = 0.0
    if x < 0.0:  # reflection: psi(x) = psi(1 - x) - pi / tan(pi x)
        result = -math.pi / math.tan(math.pi * x)
        x = 1.0 - x
    while x < 10.0:  # psi(x) = psi(x + 1) - 1 / x, up to where the series converges
        result -= 1.0 / x
        x += 1.0
    series, power = 0.0, 1.0
    for k in range(len(_BERNOULLI)):
        power /= x * x
        series += _BERNOULLI[k] / (2 * (k + 1)) * power
    return result + math.log(x) - 0.5 / x - series


@register_jitable
def _polygamma(n, x):
    """psi^(n)(x) = (-1)^(n+1) n! sum_k 1 / (x + k)^(n+1), for n >= 1 and x > 0."""
    if n == 0:
        return _digamma(x)
    if x <= 0.0:
        return math.nan
    factorial = math.gamma(n + 1.0)
    sign = 1.0 if n % 2 == 1 else -1.0
    total = 0.0
    while x < 20.0:
        total += 1.0 / x ** (n + 1)
        x += 1.0
    tail = math.gamma(n) / x ** n + factorial / (2.0 * x ** (n + 1))
    for k in range(len(_BERNOULLI)):
        j = 2 * (k + 1)
        tail += _BERNOULLI[k] * math.gamma(j + n) / (math.gamma(j + 1.0) * x ** (j + n))
    return sign * (factorial * total + tail)


@register_jitable
def _erfinv(y):
    if y <= -1.0 or y >= 1.0:
        return math.copysign(math.inf, y) if abs(y) == 1.0 else math.nan
    w = -math.log((1.0 - y) * (1.0 + y))  # Giles' approximation, then Newton steps
    if w < 5.0:
        w -= 2.5
        p = 2.81022636e-08
        for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                  -0.00125372503, -0.00417768164, 0.246640727, 1.50140941):
            p = c + p * w
    else:
        w = math.sqrt(w) - 3.0
        p = -0.000200214257
        for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                  -0.0076224613, 0.00943887047, 1.00167406, 2.83297682):
            p = c + p * w
    x = p * y
    for _ in range(3):
        x -= (math.erf(x) - y) / (2.0 / math.sqrt(math.pi) * math.exp(-x * x))
    return x


@register_jitable
def _expit(x):
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


KERNELS = {
    scipy.special.gammaln: lambda x: math.lgamma(x),
    scipy.special.gamma: lambda x: math.gamma(x),
    scipy.special.digamma: lambda x: _digamma(x),
    scipy.special.erf: lambda x: math.erf(x),
    scipy.special.erfc: lambda x: math.erfc(x),
    scipy.special.erfinv: lambda x: _erfinv(x),
    scipy.special.expit: lambda x: _expit(x),
    scipy.special.logit: lambda x: math.log(x / (1.0 - x)),
    scipy.special.log_expit: lambda x: -math.log1p(math.exp(-x)) if x >= 0.0
    else x - math.log1p(math.exp(x)),
    scipy.special.ndtr: lambda x: 0.5 * math.erfc(-x / math.sqrt(2.0)),
    scipy.special.ndtri: lambda p: math.sqrt(2.0) * _erfinv(2.0 * p - 1.0),
    scipy.special.xlogy: lambda x, y: 0.0 if x == 0.0 else x * math.log(y),
    scipy.special.xlog1py: lambda x, y: 0.0 if x == 0.0 else x * math.log1p(y),
    np.heaviside: lambda x, h: 1.0 if x > 0.0 else 0.0 if x < 0.0 else h,
    np.fix: lambda x: math.trunc(x) * 1.0,
}


def _register(func, kernel):
    ufunc = vectorize(kernel)
    if kernel.__code__.co_argcount == 1:
        overload(func)(lambda x: lambda x: ufunc(x))
    else:
        overload(func)(lambda x, y: lambda x, y: ufunc(x, y))


for _func, _kernel in KERNELS.items():
    _register(_func, _kernel)


_polygamma_ufunc = vectorize(lambda n, x: _polygamma(n, x))


@overload(scipy.special.polygamma)
def _polygamma_overload(n, x):
    return lambda n, x: _polygamma_ufunc(n, x)


@overload(np.clip)
def _clip(a, a_min, a_max):
    if isinstance(a, types.Number):
        return lambda a, a_min, a_max: min(max(a, a_min), a_max)
