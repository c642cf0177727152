"""Logistic regression: minus the log-likelihood of labels y under sigmoid(X w + b); gradient wrt (w, b)."""
import numpy as np
from numba import njit

from ._compat import anp, autograd_grad_of, jax_jit_grad, jnp, torch, torch_grad_of, with_numpy

ARGNUMS = (0, 1)
SIZES = [(1000, 10), (10000, 100)]
QUICK_SIZES = [(1000, 10)]
VERIFY_SIZE = (50, 5)


def label(size):
    return "n={}, p={}".format(*size)


def make_args(size, rng):
    n, p = size
    X = rng.standard_normal((n, p))
    w = rng.standard_normal(p) / np.sqrt(p)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-X @ rng.standard_normal(p)))).astype(np.float64)
    return w, 0.1, X, y  # w, b, X, y


def skip(column, size):
    return None


def user_source(w, b, X, y):
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    return -np.sum(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


numpy_primal = user_source


@njit(cache=True, error_model="numpy")
def numba_primal(w, b, X, y):
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    return -np.sum(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


@njit(cache=True, error_model="numpy")
def hand_adjoint(w, b, X, y):
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    dz = p - y  # d/dz of -[y log p + (1-y) log(1-p)] with p = sigmoid(z)
    return X.T @ dz, np.sum(dz)


jax_grad = jax_jit_grad(with_numpy(user_source, jnp), ARGNUMS)
autograd_grad = autograd_grad_of(with_numpy(user_source, anp), ARGNUMS)
torch_grad = torch_grad_of(with_numpy(user_source, torch), ARGNUMS)
