"""Elman RNN without inputs: T steps of h <- tanh(W h + b); loss sum(h_T**2); gradient wrt (W, b)."""
import numpy as np
from numba import njit

from ._compat import (anp, autograd_grad_of, jax_jit_grad, jnp, lax, torch, torch_grad_of,
                      with_numpy)

ARGNUMS = (0, 1)
SIZES = [(32, 100), (64, 100), (64, 1000)]
QUICK_SIZES = [(16, 20), (32, 100)]
VERIFY_SIZE = (4, 12)


def label(size):
    return "H={}, T={}".format(*size)


def make_args(size, rng):
    H, T = size
    W = rng.standard_normal((H, H)) * (0.9 / np.sqrt(H))  # contracting: gradients stay O(1)
    b = 0.1 * rng.standard_normal(H)
    h0 = rng.standard_normal(H)
    return W, b, h0, T


def skip(column, size):
    return None


def user_source(W, b, h0, T):
    h = h0
    for t in range(T):
        h = np.tanh(W @ h + b)
    return np.sum(h**2)


numpy_primal = user_source


@njit(cache=True, error_model="numpy")
def numba_primal(W, b, h0, T):
    h = h0
    for t in range(T):
        h = np.tanh(W @ h + b)
    return np.sum(h**2)


@njit(cache=True, error_model="numpy")
def hand_adjoint(W, b, h0, T):
    H = h0.shape[0]
    hs = np.empty((T + 1, H))
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = np.tanh(W @ hs[t] + b)
    WT = np.ascontiguousarray(W.T)
    dzs = np.empty((T, H))  # adjoints of the pre-activations W h_t + b
    dh = 2.0 * hs[T]
    for t in range(T - 1, -1, -1):
        dz = dh * (1.0 - hs[t + 1] ** 2)
        dzs[t] = dz
        dh = WT @ dz
    # sum over t of outer(dz_t, h_t), as one matrix product
    return np.ascontiguousarray(dzs.T) @ hs[:T], np.sum(dzs, axis=0)


def _jax_loss(W, b, h0, T):
    h = lax.fori_loop(0, T, lambda t, h: jnp.tanh(W @ h + b), h0)
    return jnp.sum(h**2)


jax_grad = jax_jit_grad(_jax_loss, ARGNUMS, static_argnums=(3,))
autograd_grad = autograd_grad_of(with_numpy(user_source, anp), ARGNUMS)
torch_grad = torch_grad_of(with_numpy(user_source, torch), ARGNUMS)
