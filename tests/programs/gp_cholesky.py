"""The GP log marginal likelihood written out with a Cholesky factor and triangular solves,
as in Rasmussen and Williams' Algorithm 2.1."""
import numpy as np
from scipy.linalg import solve_triangular


def sq_exp_kernel(x1, x2, log_ell, log_sf):
    d2 = (x1[:, None] - x2[None, :]) ** 2
    return np.exp(2 * log_sf) * np.exp(-0.5 * d2 / np.exp(2 * log_ell))


def log_marginal_likelihood(hyp, x, y):
    log_ell, log_sf, log_sn = hyp
    K = sq_exp_kernel(x, x, log_ell, log_sf) + np.exp(2 * log_sn) * np.eye(len(x))
    L = np.linalg.cholesky(K)
    alpha = solve_triangular(L.T, solve_triangular(L, y, lower=True), lower=False)
    return -0.5 * y @ alpha - np.sum(np.log(np.diag(L))) - 0.5 * len(x) * np.log(2 * np.pi)


rng = np.random.default_rng(38)
x = np.sort(rng.uniform(-2, 2, size=6))
y = np.sin(2 * x) + 0.1 * rng.normal(size=6)

CASES = [(log_marginal_likelihood, (np.array([-0.5, 0.0, -1.5]), x, y), 0)]
