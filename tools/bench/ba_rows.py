"""Bundle adjustment again, with tangent_ad's Jacobian built from per-sample gradients.

`ba.py` times `vmap(jacfwd(residual))`, the way a user writes the batched Jacobian. This
problem builds the same (obs, 2, 15) Jacobian from two mapped gradients, one per residual
component (`vmap(grad(residual_0))`, `vmap(grad(residual_1))`): reverse mode per component
next to forward mode with all 15 directions. The peers are timed in the `ba` rows.
"""
import numpy as np

from .ba import (ARGNUMS, QUICK_SIZES, SIZES, VERIFY_SIZE, hand_adjoint, label,  # noqa: F401
                 make_args, numba_primal, numpy_primal, residual)
from . import ba

KIND = "jacobian"
jax_grad = autograd_grad = torch_grad = None


def skip(column, size):
    if column in ("jax", "autograd", "torch"):
        return "peers are timed in the ba rows (the same Jacobian)"
    return ba.skip(column, size)


def residual_0(cam, X, w, feat):
    return residual(cam, X, w, feat)[0]


def residual_1(cam, X, w, feat):
    return residual(cam, X, w, feat)[1]


def tangent_ad_fn(ta, backend):
    rows = [ta.vmap(ta.grad(f, argnums=ARGNUMS, backend=backend)) for f in (residual_0, residual_1)]

    def jacobian(cams, X, w, feat):
        g0, g1 = (row(cams, X, w, feat) for row in rows)
        return tuple(np.stack([a, b], axis=1) for a, b in zip(g0, g1))

    return jacobian
