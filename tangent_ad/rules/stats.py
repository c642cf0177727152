"""scipy.stats densities and scipy.linalg solves, written as the NumPy code they compute.

A call such as `norm.logpdf(x, m, s)` is inlined as the body of `norm_logpdf` below, so
the derivative reads as NumPy and every operation in it has a rule already (both modes,
numba, higher order):

    lp = norm.logpdf(x, m, s)   →   v1 = x - m; v2 = v1 / s; v3 = v2 * v2; ...

The densities take the arguments SciPy takes, points inside the support (`x > 0` for
`gamma`, `0 < x < 1` for `beta`, integer counts `k >= 0` for `poisson`).
`multivariate_normal` takes a point (d,) or points (n, d), a mean (d,) and a covariance
matrix (d, d). `ALIASES` maps each SciPy function to its NumPy version.
"""
import numpy as np
import scipy.linalg
import scipy.special
import scipy.stats
from scipy.special import gammaln, ndtr, xlog1py, xlogy

def norm_logpdf(x, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return -np.log(scale) - 0.5 * z * z - 0.5 * np.log(2.0 * np.pi)


def norm_pdf(x, loc=0.0, scale=1.0):
    return np.exp(norm_logpdf(x, loc, scale))


def norm_cdf(x, loc=0.0, scale=1.0):
    return ndtr((x - loc) / scale)


def norm_logcdf(x, loc=0.0, scale=1.0):
    return np.log(ndtr((x - loc) / scale))


def t_logpdf(x, df, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    half = 0.5 * (df + 1.0)
    return (gammaln(half) - gammaln(0.5 * df) - 0.5 * np.log(df * np.pi) - np.log(scale)
            - half * np.log1p(z * z / df))


def t_pdf(x, df, loc=0.0, scale=1.0):
    return np.exp(t_logpdf(x, df, loc, scale))


def gamma_logpdf(x, a, loc=0.0, scale=1.0):
    y = (x - loc) / scale
    return xlogy(a - 1.0, y) - y - gammaln(a) - np.log(scale)


def gamma_pdf(x, a, loc=0.0, scale=1.0):
    return np.exp(gamma_logpdf(x, a, loc, scale))


def betaln(a, b):
    return gammaln(a) + gammaln(b) - gammaln(a + b)


def beta_logpdf(x, a, b, loc=0.0, scale=1.0):
    y = (x - loc) / scale
    return xlogy(a - 1.0, y) + xlog1py(b - 1.0, -y) - betaln(a, b) - np.log(scale)


def beta_pdf(x, a, b, loc=0.0, scale=1.0):
    return np.exp(beta_logpdf(x, a, b, loc, scale))


def poisson_logpmf(k, mu, loc=0):
    n = k - loc
    return xlogy(n, mu) - mu - gammaln(n + 1.0)


def poisson_pmf(k, mu, loc=0):
    return np.exp(poisson_logpmf(k, mu, loc))


def dirichlet_logpdf(x, alpha):
    # x is (K,) or (K, n), alpha (K,): the transposes line alpha up with x's first axis
    terms = xlogy(alpha - 1.0, x.T).T
    return np.sum(terms, axis=0) + gammaln(np.sum(alpha)) - np.sum(gammaln(alpha))


def dirichlet_pdf(x, alpha):
    return np.exp(dirichlet_logpdf(x, alpha))


def multivariate_normal_logpdf(x, mean, cov):
    chol = np.linalg.cholesky(cov)
    r = np.linalg.solve(chol, (x - mean).T)  # whitened residuals, (d,) or (d, n)
    d = cov.shape[0]
    return (-0.5 * np.sum(r * r, axis=0) - np.sum(np.log(np.diag(chol)))
            - 0.5 * d * np.log(2.0 * np.pi))


def multivariate_normal_pdf(x, mean, cov):
    return np.exp(multivariate_normal_logpdf(x, mean, cov))




def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False):
    t = np.tril(a) if lower else np.triu(a)  # the other triangle is never read
    if unit_diagonal:
        t = t - np.diag(np.diag(t)) + np.eye(t.shape[0])
    if trans != 0:
        if trans != "N":  # 1, 2, "T", "C": the transpose (of a real matrix)
            t = t.T
    return np.linalg.solve(t, b)


def cho_factor(a, lower=False):
    chol = np.linalg.cholesky(a)
    return (chol if lower else chol.T), lower


def cho_solve(c_and_lower, b):
    c, lower = c_and_lower
    chol = np.tril(c) if lower else np.triu(c).T  # the other triangle is never read
    return np.linalg.solve(chol.T, np.linalg.solve(chol, b))


ALIASES = {
    scipy.stats.norm.logpdf: norm_logpdf, scipy.stats.norm.pdf: norm_pdf,
    scipy.stats.norm.cdf: norm_cdf, scipy.stats.norm.logcdf: norm_logcdf,
    scipy.stats.t.logpdf: t_logpdf, scipy.stats.t.pdf: t_pdf,
    scipy.stats.gamma.logpdf: gamma_logpdf, scipy.stats.gamma.pdf: gamma_pdf,
    scipy.stats.beta.logpdf: beta_logpdf, scipy.stats.beta.pdf: beta_pdf,
    scipy.stats.poisson.logpmf: poisson_logpmf, scipy.stats.poisson.pmf: poisson_pmf,
    scipy.stats.dirichlet.logpdf: dirichlet_logpdf, scipy.stats.dirichlet.pdf: dirichlet_pdf,
    scipy.stats.multivariate_normal.logpdf: multivariate_normal_logpdf,
    scipy.stats.multivariate_normal.pdf: multivariate_normal_pdf,
    scipy.special.betaln: betaln, scipy.linalg.solve_triangular: solve_triangular,
    scipy.linalg.cho_factor: cho_factor, scipy.linalg.cho_solve: cho_solve,
}
