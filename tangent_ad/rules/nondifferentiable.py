"""Functions whose results carry no derivative: shapes, comparisons, integer parts,
constructors of constant arrays. Their results are never active."""
import numpy as np

from . import kinds_of_results as K
from .registry import nondifferentiable

for _f, _n, _kind in [(np.shape, "np.shape", K.shape), (np.ndim, "np.ndim", K.integer),
                      (np.size, "np.size", K.integer), (len, "len", K.length),
                      (int, "int", K.integer), (range, "range", K.integer)]:
    nondifferentiable(_f, _n, _kind, family="shapes")

for _f, _n in [(np.less, "np.less"), (np.less_equal, "np.less_equal"),
               (np.greater, "np.greater"), (np.greater_equal, "np.greater_equal"),
               (np.equal, "np.equal"), (np.not_equal, "np.not_equal"),
               (np.logical_not, "np.logical_not"), (np.isnan, "np.isnan"),
               (np.isfinite, "np.isfinite"), (np.isinf, "np.isinf"),
               (np.signbit, "np.signbit"), (np.logical_and, "np.logical_and"),
               (np.logical_or, "np.logical_or"), (np.logical_xor, "np.logical_xor")]:
    nondifferentiable(_f, _n, K.boolean, family="comparisons")

for _f, _n in [(np.sign, "np.sign"), (np.floor, "np.floor"), (np.ceil, "np.ceil"),
               (np.round, "np.round"), (np.rint, "np.rint"), (np.trunc, "np.trunc"),
               (np.fix, "np.fix"), (np.floor_divide, "np.floor_divide"),
               (np.heaviside, "np.heaviside")]:
    nondifferentiable(_f, _n, K.elementwise, family="piecewise constant")
for _f, _n in [(np.argmax, "np.argmax"), (np.argmin, "np.argmin")]:
    nondifferentiable(_f, _n, K.integer, family="piecewise constant")
nondifferentiable(np.argsort, "np.argsort", K.integers_like, family="piecewise constant")

for _f, _n, _kind in [(np.zeros, "np.zeros", K.from_shape), (np.ones, "np.ones", K.from_shape),
                      (np.empty, "np.empty", K.from_shape),
                      (np.eye, "np.eye", K.matrix), (np.identity, "np.identity", K.matrix),
                      (np.arange, "np.arange", K.vector),
                      (np.linspace, "np.linspace", K.vector),
                      (np.zeros_like, "np.zeros_like", K.like_first),
                      (np.ones_like, "np.ones_like", K.like_first)]:
    nondifferentiable(_f, _n, _kind, family="constructors")
