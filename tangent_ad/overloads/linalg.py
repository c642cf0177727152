"""numba versions of np.linalg calls numba lacks: singular values alone
(`compute_uv=False`) and least squares with NumPy's default `rcond=None`."""
import numpy as np
from numba import types

from .axes import value_of
from .naming import overload


@overload(np.linalg.svd)
def _singular_values(a, full_matrices=True, compute_uv=True):
    if isinstance(a, types.Array) and value_of(compute_uv) is False:
        return lambda a, full_matrices=True, compute_uv=True: np.linalg.svd(a, False)[1]


@overload(np.linalg.lstsq)
def _lstsq(a, b, rcond=None):
    if value_of(rcond) is None:  # numba's rcond=-1 is NumPy's rcond=None
        return lambda a, b, rcond=None: np.linalg.lstsq(a, b, -1.0)
