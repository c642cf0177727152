"""numba's version of `runtime.simd_tanh`: tanh as arithmetic the compiler vectorizes.

numba compiles `np.tanh` to a call of the C library's `tanh` for each element, which no
compiler turns into vector instructions. Written as multiplications, one division and
selects, the same function runs four elements at a time in AVX2 registers: 64 values
in about 0.25 us instead of 1.1-1.6 us here, within 2 units in the last place of
`np.tanh` (tests/test_simd.py).

The method and constants are those of the Cephes library's `tanh` and `exp`:

    |x| < 0.625:  tanh(x) = x + x^3 P(x^2) / Q(x^2)
    otherwise:    tanh(x) = 1 - 2 / (exp(2|x|) + 1),  sign of x
                  exp(t) = 2^n (Q(r^2) + r P(r^2)) / (Q(r^2) - r P(r^2)),  r = t - n ln 2

The version for a number is inlined where it is called (`inline="always"`): a call that
stays a call stops the loop around it from being vectorized. Other types get np.tanh.
"""
import math

import numpy as np
from numba import types

from .. import runtime
from .naming import overload


def _tanh(x):
    a = abs(x)
    z = a * a  # for |x| < 0.625
    p = (-9.64399179425052238628e-1 * z - 9.92877231001918586564e1) * z \
        - 1.61468768441708447952e3
    q = ((z + 1.12811678491632931402e2) * z + 2.23548839060100448583e3) * z \
        + 4.84406305325125486048e3
    t = min(2.0 * a, 40.0)  # for |x| >= 0.625; tanh(20) rounds to 1
    n = np.floor(t * 1.4426950408889634 + 0.5)
    r = t - n * 6.93145751953125e-1 - n * 1.42860682030941723212e-6  # ln 2 in two parts
    rr = r * r
    rp = r * ((1.26177193074810590878e-4 * rr + 3.02994407707441961300e-2) * rr
              + 9.99999999999999999910e-1)
    rq = ((3.00198505138664455042e-6 * rr + 2.52448340349684104192e-3) * rr
          + 2.27265548208155028766e-1) * rr + 2.00000000000000000009e0
    scale = 1.0  # 2^n, n <= 58, by selects: a float-to-integer conversion does not vectorize
    for step in (32.0, 16.0, 8.0, 4.0, 2.0, 1.0):
        scale = scale * 2.0 ** step if n >= step else scale
        n = n - step if n >= step else n
    small = a < 0.625
    # both branches as head + coefficient * fraction, so that one division serves both
    head = a if small else 1.0
    coefficient = a * z if small else -2.0
    numerator = p if small else rq - rp
    denominator = q if small else scale * (rq + rp) + (rq - rp)
    return math.copysign(head + coefficient * (numerator / denominator), x)


def _array_tanh(x):
    out = np.empty(x.shape)
    values, results = x.ravel(), out.ravel()
    for i in range(values.size):
        results[i] = runtime.simd_tanh(values[i])
    return out


def _np_tanh(x):
    return np.tanh(x)


@overload(runtime.simd_tanh, inline="always")
def _simd_tanh_of_a_number(x):
    return _tanh if x == types.float64 else None


@overload(runtime.simd_tanh)
def _simd_tanh(x):
    if isinstance(x, types.Array) and x.dtype == types.float64:
        return _array_tanh
    return None if x == types.float64 else _np_tanh
