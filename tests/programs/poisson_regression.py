"""Poisson regression with a log link; the log(y!) term from gammaln does not depend on the
parameters."""
import numpy as np
from scipy.special import gammaln


def poisson_log_likelihood(beta, X, y):
    eta = X @ beta
    return np.sum(y * eta - np.exp(eta) - gammaln(y + 1))


def neg_log_posterior(beta, X, y, prior_scale=2.0):
    return -poisson_log_likelihood(beta, X, y) + 0.5 * np.sum(beta ** 2) / prior_scale ** 2


rng = np.random.default_rng(13)
X = np.column_stack([np.ones(8), rng.normal(size=(8, 2))])
true_beta = np.array([0.5, -0.3, 0.2])
y = rng.poisson(np.exp(X @ true_beta)).astype(float)

CASES = [(neg_log_posterior, (0.1 * np.ones(3), X, y), 0)]
