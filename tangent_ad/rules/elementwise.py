"""Elementwise functions, one line each: the function and its derivative `dz/dx`,
written in terms of the argument `x` and the result `z`.

`derivative(np.tanh, "1.0 - z * z")` registers the adjoint `x_bar += z_bar * (1.0 - z * z)`
and the tangent `z_dot = x_dot * (1.0 - z * z)`.
"""
import math

import numpy as np

from ..codegen.templates import Template
from . import kinds_of_results as K
from .registry import primitive


def derivative(func, dz_dx, name=None, family="elementwise"):
    """Register an elementwise `func` whose derivative is the expression `dz_dx`."""
    name = name or _name_of(func)
    rule = primitive(func, name, K.float_elementwise, family=family)
    rule.adjoints.append((None, Template(source=f"def _(z, x):\n    x_bar += z_bar * ({dz_dx})\n")))
    rule.tangents.append((None, Template(source=f"def _(z, x):\n    z_dot = x_dot * ({dz_dx})\n")))
    return rule


def _name_of(func):
    module = "math" if getattr(math, func.__name__, None) is func else "np"
    return f"{module}.{func.__name__}"

NUMPY = [
    (np.sin, "np.cos(x)"),
    (np.cos, "-np.sin(x)"),
    (np.tan, "1.0 + z * z"),
    (np.exp, "z"),
    (np.log, "1.0 / x"),
    (np.log1p, "1.0 / (1.0 + x)"),
    (np.expm1, "z + 1.0"),
    (np.sqrt, "0.5 / z"),
    (np.square, "2.0 * x"),
    (np.tanh, "1.0 - z * z"),
    (np.sinh, "np.cosh(x)"),
    (np.cosh, "np.sinh(x)"),
    (np.arcsin, "1.0 / np.sqrt(1.0 - x * x)"),
    (np.arccos, "-1.0 / np.sqrt(1.0 - x * x)"),
    (np.arctan, "1.0 / (1.0 + x * x)"),
    (np.abs, "np.sign(x)", "np.abs"),
]

MATH = [
    (math.sin, "math.cos(x)"),
    (math.cos, "-math.sin(x)"),
    (math.tan, "1.0 + z * z"),
    (math.exp, "z"),
    (math.log, "1.0 / x"),
    (math.log1p, "1.0 / (1.0 + x)"),
    (math.expm1, "z + 1.0"),
    (math.sqrt, "0.5 / z"),
    (math.tanh, "1.0 - z * z"),
    (math.sinh, "math.cosh(x)"),
    (math.cosh, "math.sinh(x)"),
    (math.asin, "1.0 / math.sqrt(1.0 - x * x)"),
    (math.acos, "-1.0 / math.sqrt(1.0 - x * x)"),
    (math.atan, "1.0 / (1.0 + x * x)"),
    (math.fabs, "math.copysign(1.0, x)"),
]

for _func, _dz, *_name in NUMPY:
    derivative(_func, _dz, *_name)
for _func, _dz in MATH:
    derivative(_func, _dz, family="math")
derivative(float, "1.0", name="float")
_copy = primitive(np.copy, "np.copy", K.float_elementwise, family="elementwise")
# the tangent is a copy too: generated code copies an array before writing into its source
_copy.adjoints.append((None, Template(source="def _(z, x):\n    x_bar += z_bar\n")))
_copy.tangents.append((lambda z, x: x.ndim == 0, Template(source="def _(z, x):\n    z_dot = x_dot\n")))
_copy.tangents.append((None, Template(source="def _(z, x):\n    z_dot = np.copy(x_dot)\n")))
