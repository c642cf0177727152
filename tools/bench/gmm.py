"""GMM log-posterior in the GradBench form; gradient wrt (alpha, mu, q, l).

Q_k is lower triangular with exp(q_k) on the diagonal and l_k filling the strict lower part
column by column.  Data: alpha, q, l, x ~ N(0, 1), mu ~ U(0, 1), gamma = 1, m = 0.
"""
import math

import numpy as np
from numba import njit

from ._compat import anp, autograd_grad_of, jax_jit_grad, jnp, torch, torch_grad_of

ARGNUMS = (0, 1, 2, 3)
SIZES = [(2, 5, 1000), (10, 10, 1000), (10, 10, 10000)]
QUICK_SIZES = [(2, 3, 100), (10, 5, 1000)]
VERIFY_SIZE = (3, 4, 20)


def label(size):
    return "D={}, K={}, N={}".format(*size)


def make_args(size, rng):
    D, K, N = size
    alpha = rng.standard_normal(K)
    mu = rng.random((K, D))
    q = rng.standard_normal((K, D))
    l = rng.standard_normal((K, D * (D - 1) // 2))
    x = rng.standard_normal((N, D))
    return alpha, mu, q, l, x, 1.0, 0.0  # ..., gamma, m


def skip(column, size):
    return None


def user_source(alpha, mu, q, l, x, gamma, m):
    N, D = x.shape
    K = alpha.shape[0]
    inner = np.zeros((N, K))
    for k in range(K):
        Q = np.diag(np.exp(q[k]))
        idx = 0
        for j in range(D):
            for i in range(j + 1, D):
                Q[i, j] = l[k, idx]
                idx += 1
        z = (x - mu[k]) @ Q.T
        inner[:, k] = alpha[k] + np.sum(q[k]) - 0.5 * np.sum(z * z, axis=1)
    mx = np.max(inner, axis=1)
    lse = mx + np.log(np.sum(np.exp(inner - mx[:, None]), axis=1))
    amax = np.max(alpha)
    lse_alpha = amax + np.log(np.sum(np.exp(alpha - amax)))
    n_w = D + m + 1
    log_gamma_D = 0.25 * D * (D - 1) * np.log(np.pi)
    for j in range(1, D + 1):
        log_gamma_D += math.lgamma(0.5 * n_w + 0.5 * (1 - j))
    const = K * (n_w * D * np.log(gamma / np.sqrt(2.0)) - log_gamma_D)
    prior = 0.5 * gamma**2 * (np.sum(np.exp(q) ** 2) + np.sum(l**2)) - m * np.sum(q)
    return np.sum(lse) - N * (0.5 * D * np.log(2.0 * np.pi) + lse_alpha) + const - prior


numpy_primal = user_source


@njit(cache=True)
def _log_wishart_const(D, K, gamma, m):
    n_w = D + m + 1
    log_gamma_D = 0.25 * D * (D - 1) * math.log(math.pi)
    for j in range(1, D + 1):
        log_gamma_D += math.lgamma(0.5 * n_w + 0.5 * (1 - j))
    return K * (n_w * D * math.log(gamma / math.sqrt(2.0)) - log_gamma_D)


@njit(cache=True)
def _build_Q(q, l):
    K, D = q.shape
    Qs = np.zeros((K, D, D))
    for k in range(K):
        idx = 0
        for j in range(D):
            Qs[k, j, j] = math.exp(q[k, j])
            for i in range(j + 1, D):
                Qs[k, i, j] = l[k, idx]
                idx += 1
    return Qs


@njit(cache=True)
def _logsumexp(v):
    mx = np.max(v)
    return mx + math.log(np.sum(np.exp(v - mx)))


@njit(cache=True, error_model="numpy")
def numba_primal(alpha, mu, q, l, x, gamma, m):
    N, D = x.shape
    K = alpha.shape[0]
    Qs = _build_Q(q, l)
    sum_q = np.sum(q, axis=1)
    inner = np.empty(K)
    total = 0.0
    for i in range(N):
        for k in range(K):
            sq = 0.0
            for r in range(D):
                s = 0.0
                for c in range(r + 1):
                    s += Qs[k, r, c] * (x[i, c] - mu[k, c])
                sq += s * s
            inner[k] = alpha[k] + sum_q[k] - 0.5 * sq
        total += _logsumexp(inner)
    prior = 0.5 * gamma**2 * (np.sum(np.exp(q) ** 2) + np.sum(l**2)) - m * np.sum(q)
    total -= N * (0.5 * D * math.log(2.0 * math.pi) + _logsumexp(alpha))
    return total + _log_wishart_const(D, K, gamma, m) - prior


@njit(cache=True, error_model="numpy")
def hand_adjoint(alpha, mu, q, l, x, gamma, m):
    N, D = x.shape
    K = alpha.shape[0]
    Qs = _build_Q(q, l)
    sum_q = np.sum(q, axis=1)
    diff = np.empty((K, D))
    z = np.empty((K, D))
    inner = np.empty(K)
    dalpha = np.zeros(K)
    dmu = np.zeros((K, D))
    dQ = np.zeros((K, D, D))
    for i in range(N):
        for k in range(K):  # forward, keeping x_i - mu_k and z = Q_k (x_i - mu_k)
            sq = 0.0
            for r in range(D):
                diff[k, r] = x[i, r] - mu[k, r]
            for r in range(D):
                s = 0.0
                for c in range(r + 1):
                    s += Qs[k, r, c] * diff[k, c]
                z[k, r] = s
                sq += s * s
            inner[k] = alpha[k] + sum_q[k] - 0.5 * sq
        lse = _logsumexp(inner)
        for k in range(K):  # reverse: d lse / d inner_k = softmax weight w
            w = math.exp(inner[k] - lse)
            dalpha[k] += w
            for r in range(D):
                gz = -w * z[k, r]
                for c in range(r + 1):
                    dQ[k, r, c] += gz * diff[k, c]
                    dmu[k, c] -= gz * Qs[k, r, c]
    dsum_q = dalpha.copy()  # the sum_q_k term has the same adjoint as alpha_k
    ea = np.exp(alpha - np.max(alpha))
    dalpha -= N * ea / np.sum(ea)
    dq = np.empty((K, D))
    dl = np.empty_like(l)
    for k in range(K):
        idx = 0
        for j in range(D):
            eq = math.exp(q[k, j])
            dq[k, j] = dsum_q[k] + dQ[k, j, j] * eq - gamma**2 * eq * eq + m
            for i in range(j + 1, D):
                dl[k, idx] = dQ[k, i, j] - gamma**2 * l[k, idx]
                idx += 1
    return dalpha, dmu, dq, dl


def _functional_loss(xp, alpha, mu, q, l, x, gamma, m):
    """The same function without in-place writes, vectorized over k (for JAX and autograd)."""
    N, D = x.shape
    K = alpha.shape[0]
    cols, rows = np.triu_indices(D, 1)  # strict lower part, column by column
    scatter = np.zeros((len(rows), D * D))
    scatter[np.arange(len(rows)), rows * D + cols] = 1.0
    Q = xp.reshape(l @ scatter, (K, D, D)) + xp.exp(q)[:, :, None] * np.eye(D)
    z = (x[None, :, :] - mu[:, None, :]) @ xp.transpose(Q, (0, 2, 1))  # (K, N, D)
    inner = (alpha + xp.sum(q, axis=1))[:, None] - 0.5 * xp.sum(z * z, axis=2)
    mx = xp.max(inner, axis=0)
    lse = mx + xp.log(xp.sum(xp.exp(inner - mx), axis=0))
    amax = xp.max(alpha)
    lse_alpha = amax + xp.log(xp.sum(xp.exp(alpha - amax)))
    prior = 0.5 * gamma**2 * (xp.sum(xp.exp(q) ** 2) + xp.sum(l**2)) - m * xp.sum(q)
    const = _log_wishart_const(D, K, gamma, m)
    return xp.sum(lse) - N * (0.5 * D * np.log(2.0 * np.pi) + lse_alpha) + const - prior


def _jax_loss(*args):
    return _functional_loss(jnp, *args)


def _autograd_loss(*args):
    return _functional_loss(anp, *args)


def _torch_loss(alpha, mu, q, l, x, gamma, m):
    """`_functional_loss` in PyTorch's spelling (dim= for axis=, permute, values of max)."""
    N, D = x.shape
    K = alpha.shape[0]
    cols, rows = np.triu_indices(D, 1)
    scatter = torch.zeros((len(rows), D * D), dtype=torch.float64)
    scatter[np.arange(len(rows)), rows * D + cols] = 1.0
    eye = torch.eye(D, dtype=torch.float64)
    Q = torch.reshape(l @ scatter, (K, D, D)) + torch.exp(q)[:, :, None] * eye
    z = (x[None, :, :] - mu[:, None, :]) @ torch.permute(Q, (0, 2, 1))
    inner = (alpha + torch.sum(q, dim=1))[:, None] - 0.5 * torch.sum(z * z, dim=2)
    mx = torch.max(inner, dim=0).values
    lse = mx + torch.log(torch.sum(torch.exp(inner - mx), dim=0))
    amax = torch.max(alpha)
    lse_alpha = amax + torch.log(torch.sum(torch.exp(alpha - amax)))
    prior = 0.5 * gamma**2 * (torch.sum(torch.exp(q) ** 2) + torch.sum(l**2)) - m * torch.sum(q)
    const = _log_wishart_const(D, K, gamma, m)
    return torch.sum(lse) - N * (0.5 * D * np.log(2.0 * np.pi) + lse_alpha) + const - prior


jax_grad = jax_jit_grad(_jax_loss, ARGNUMS, static_argnums=(5, 6))
torch_grad = torch_grad_of(_torch_loss, ARGNUMS)
autograd_grad = autograd_grad_of(_autograd_loss, ARGNUMS)
