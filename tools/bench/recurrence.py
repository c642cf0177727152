"""Scalar recurrence x <- x + dt * sin(x) * a, n steps; gradient of the final x wrt (x0, a)."""
import math

import numpy as np
from numba import njit

from ._compat import (anp, autograd_grad_of, jax_jit_grad, jnp, lax, torch, torch_grad_of,
                      with_numpy)

ARGNUMS = (0, 1)
SIZES = [10**4, 10**6]
QUICK_SIZES = [10**3, 10**4]
VERIFY_SIZE = 200


def label(n):
    return f"n={n:.0e}".replace("e+0", "e")


def make_args(n, rng):
    return 0.5 + 0.1 * rng.random(), 1.3, 1.0 / n, n  # x0, a, dt, n


def skip(column, n):
    if column in ("autograd", "torch") and n > 10**5:
        return f"{column} skipped for n > 1e5 (a Python loop of n steps: minutes per call)"
    return None


def user_source(x0, a, dt, n):
    x = x0
    for _ in range(n):
        x = x + dt * np.sin(x) * a
    return x


numpy_primal = user_source


@njit(cache=True, error_model="numpy")
def numba_primal(x0, a, dt, n):
    x = x0
    for _ in range(n):
        x = x + dt * np.sin(x) * a
    return x


@njit(cache=True, error_model="numpy")
def hand_adjoint(x0, a, dt, n):
    xs = np.empty(n)
    x = x0
    for i in range(n):
        xs[i] = x
        x = x + dt * math.sin(x) * a
    dx, da = 1.0, 0.0
    for i in range(n - 1, -1, -1):
        xi = xs[i]
        da += dx * dt * math.sin(xi)
        dx = dx * (1.0 + dt * a * math.cos(xi))
    return dx, da


def _jax_loss(x0, a, dt, n):
    return lax.fori_loop(0, n, lambda _, x: x + dt * jnp.sin(x) * a, x0)


jax_grad = jax_jit_grad(_jax_loss, ARGNUMS, static_argnums=(3,))
autograd_grad = autograd_grad_of(with_numpy(user_source, anp), ARGNUMS)
torch_grad = torch_grad_of(with_numpy(user_source, torch), ARGNUMS)
