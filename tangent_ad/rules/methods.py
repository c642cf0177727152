"""Array methods and attributes, rewritten as the NumPy calls they stand for.

`x.sum()` → `np.sum(x)`, `x.reshape(2, 3)` → `np.reshape(x, (2, 3))`, `x.T` → `np.transpose(x)`.
Each entry maps (receiver, args, keywords) to (function, args, keywords).
"""
import gast
import numpy as np
import scipy.stats

from . import stats


def _plain(func):
    return lambda x, args, kw: (func, [x] + args, kw)


def _shape_args(func):
    """x.reshape(2, 3) and x.reshape((2, 3)) both mean np.reshape(x, (2, 3))."""
    def rewrite(x, args, kw):
        if len(args) > 1:
            args = [gast.Tuple(elts=list(args), ctx=gast.Load())]
        return func, [x] + args, kw
    return rewrite


def _astype(x, args, kw):
    return np.asarray, [x] + args, kw


METHODS = {
    "sum": _plain(np.sum), "mean": _plain(np.mean), "prod": _plain(np.prod),
    "max": _plain(np.max), "min": _plain(np.min), "std": _plain(np.std),
    "var": _plain(np.var), "cumsum": _plain(np.cumsum), "cumprod": _plain(np.cumprod),
    "dot": _plain(np.dot), "ravel": _plain(np.ravel), "flatten": _plain(np.ravel),
    "copy": _plain(np.copy), "squeeze": _plain(np.squeeze), "trace": _plain(np.trace),
    "clip": _plain(np.clip), "diagonal": _plain(np.diagonal),
    "reshape": _shape_args(np.reshape), "transpose": _shape_args(np.transpose),
    "astype": _astype, "argmax": _plain(np.argmax), "argmin": _plain(np.argmin),
}

# builtins that stand for a NumPy function (numba's `abs` does not take arrays)
ALIASES = {abs: np.abs, **stats.ALIASES}

# objects whose attributes resolve statically, like a module's: `norm.logpdf` is a function
STATIC_OBJECTS = (scipy.stats.rv_continuous, scipy.stats.rv_discrete,
                  type(scipy.stats.multivariate_normal).__base__)

ATTRIBUTES = {
    "T": np.transpose, "shape": np.shape, "ndim": np.ndim, "size": np.size,
    "real": np.real,
}
