"""scipy.stats densities, scipy.special and scipy.linalg in small programs as people write
them, on both backends, in reverse and forward mode, against finite differences."""
import numpy as np
import pytest
import scipy.special
from scipy import stats
from scipy.linalg import cho_factor, cho_solve, solve_triangular
from scipy.special import betaln, digamma, erf, expit, gammaln, logsumexp
from scipy.stats import multivariate_normal, norm

import tangent_ad as ta

from conftest import check_grad, check_jvp

X = np.array([0.3, -0.4, 1.1])
POS = np.array([0.4, 1.3, 2.2])
UNIT = np.array([0.2, 0.45, 0.7])


def gaussian_nll(x, mu, sigma):
    return -np.sum(norm.logpdf(x, mu, sigma))


def norm_family(x, mu, sigma):
    return (np.sum(norm.logpdf(x, loc=mu, scale=sigma)) + np.sum(norm.pdf(x, mu, sigma))
            + np.sum(norm.cdf(x, mu, sigma)) + np.sum(norm.logcdf(x, mu)))


def student_t(x, df, scale):
    return np.sum(stats.t.logpdf(x, df, 0.2, scale)) + np.sum(stats.t.pdf(x, df))


def gamma_model(x, a, scale):
    return np.sum(stats.gamma.logpdf(x, a, scale=scale)) + np.sum(stats.gamma.pdf(x, a))


def beta_model(x, a, b):
    return np.sum(stats.beta.logpdf(x, a, b)) + np.sum(stats.beta.pdf(x, a, b)) + betaln(a, b)


def poisson_model(mu, k):
    return np.sum(stats.poisson.logpmf(k, mu)) + np.sum(stats.poisson.pmf(k, mu))


def dirichlet_model(alpha):
    x = np.array([0.2, 0.3, 0.5])
    xs = np.array([[0.2, 0.3], [0.3, 0.3], [0.5, 0.4]])
    return stats.dirichlet.logpdf(x, alpha) + np.sum(stats.dirichlet.logpdf(xs, alpha))


def special_functions(x, a):
    return (np.sum(gammaln(a) + digamma(a) + expit(x) + erf(x)) + betaln(a[0], a[1])
            + np.sum(scipy.special.betaln(a, 2.0)))


PROGRAMS = [
    (gaussian_nll, (X, 0.2, 1.3)),
    (norm_family, (X, 0.2, 1.3)),
    (student_t, (X, 3.5, 1.3)),
    (gamma_model, (POS, 2.5, 1.3)),
    (beta_model, (UNIT, 2.5, 1.3)),
    (poisson_model, (2.5, np.array([0.0, 1.0, 4.0]))),
    (dirichlet_model, (np.array([1.5, 2.0, 3.0]),)),
    (special_functions, (X, POS)),
]


@pytest.mark.parametrize("f, args", PROGRAMS, ids=lambda p: getattr(p, "__name__", ""))
def test_distributions(f, args, backend):
    argnums = tuple(range(len(args) - (f is poisson_model)))
    check_grad(f, args, argnums=argnums, backend=backend)
    if f is not poisson_model:
        check_jvp(f, args, backend=backend)


def test_values_match_scipy():
    got = ta.value_and_grad(norm_family, backend="python")(X, 0.2, 1.3)[0]
    assert np.isclose(got, norm_family(X, 0.2, 1.3))
    assert np.isclose(ta.value_and_grad(dirichlet_model, backend="python")(
        np.array([1.5, 2.0, 3.0]))[0], dirichlet_model(np.array([1.5, 2.0, 3.0])))


def gp_marginal_likelihood(log_ell, log_sf, x, y):
    # a Gaussian process: squared-exponential kernel, y ~ N(0, K)
    n = x.shape[0]
    d2 = (x[:, None] - x[None, :]) ** 2
    K = np.exp(2.0 * log_sf) * np.exp(-0.5 * d2 / np.exp(2.0 * log_ell)) + 0.1 * np.eye(n)
    return multivariate_normal.logpdf(y, np.zeros(n), K)


def gp_with_cholesky(log_ell, x, y):
    n = x.shape[0]
    K = np.exp(-0.5 * (x[:, None] - x[None, :]) ** 2 / np.exp(2.0 * log_ell)) + 0.1 * np.eye(n)
    c, lower = cho_factor(K, lower=True)
    alpha = cho_solve((c, lower), y)
    return -0.5 * np.sum(y * alpha) - np.sum(np.log(np.diag(c)))


def whitened(B, b):
    L = np.tril(B) + 2.0 * np.eye(3)
    return (np.sum(solve_triangular(L, b, lower=True) ** 2)
            + np.sum(solve_triangular(L.T, b, trans="T") ** 2))


def mvn_points(Y, mean, B):
    K = B @ B.T + np.eye(3)
    return np.sum(multivariate_normal.logpdf(Y, mean, K)) + multivariate_normal.pdf(Y[0], mean, K)


GX = np.array([0.1, 0.5, 1.2, 2.0])
GY = np.array([0.3, -0.1, 0.4, 0.8])
B = np.array([[1.0, 0.3, 0.1], [0.2, 0.9, 0.4], [0.1, 0.2, 1.1]])


@pytest.mark.parametrize("f, args, argnums", [
    (gp_marginal_likelihood, (0.1, -0.2, GX, GY), (0, 1, 3)),
    (gp_with_cholesky, (0.1, GX, GY), (0, 2)),
    (whitened, (B, np.array([0.2, 0.3, 0.5])), (0, 1)),
    (mvn_points, (np.arange(6.0).reshape(2, 3) / 5.0, np.array([0.1, 0.2, 0.3]), B), (0, 1, 2)),
], ids=["gp", "cholesky", "triangular", "mvn"])
def test_linear_algebra_programs(f, args, argnums, backend):
    check_grad(f, args, argnums=argnums, backend=backend)
    check_jvp(f, args, backend=backend)


def test_gp_value_matches_scipy():
    value = ta.value_and_grad(gp_marginal_likelihood, backend="python")(0.1, -0.2, GX, GY)[0]
    assert np.isclose(value, gp_marginal_likelihood(0.1, -0.2, GX, GY))


def gmm_log_likelihood(means, log_weights, x):
    # a one-dimensional Gaussian mixture: log sum_k w_k N(x | m_k, 1), normalised weights
    log_w = log_weights - logsumexp(log_weights)
    log_p = norm.logpdf(x[:, None], means[None, :], 1.0) + log_w[None, :]
    return np.sum(logsumexp(log_p, axis=1))


def weighted_lse(a, b):
    return (np.sum(logsumexp(a, axis=1, b=b) ** 2) + logsumexp(a, b=b)
            + np.sum(logsumexp(a, axis=0, b=b, keepdims=True) * a))


@pytest.mark.parametrize("f, args", [
    (gmm_log_likelihood, (np.array([-1.0, 0.5, 2.0]), np.array([0.1, -0.3, 0.2]), X)),
    (weighted_lse, (np.array([[0.1, 0.5, -0.3], [0.2, 0.9, 0.4]]),
                    np.array([[1.0, 2.0, 0.5], [0.3, 0.7, 1.2]]))),
], ids=["gmm", "weighted"])
def test_logsumexp_programs(f, args, backend):
    check_grad(f, args, argnums=tuple(range(len(args))), backend=backend)
    check_jvp(f, args, backend=backend)


def test_second_order_of_a_density():
    h = ta.hessian(gaussian_nll, argnums=1, backend="python")(X, 0.2, 1.3)
    assert np.isclose(h, X.size / 1.3 ** 2)
