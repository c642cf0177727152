"""Maximum-likelihood ICA: unmixing matrix W, sources with a logistic (sech²) density,
the log-determinant from np.linalg.slogdet."""
import numpy as np


def log_source_density(s):
    # log of 1 / (4 cosh²(s/2)), a smooth heavy-tailed density
    return -2.0 * np.logaddexp(s / 2.0, -s / 2.0)


def ica_log_likelihood(W, X):
    N = X.shape[0]
    sources = X @ W.T
    sign, logdet = np.linalg.slogdet(W)
    return N * logdet + np.sum(log_source_density(sources))


rng = np.random.default_rng(6)
S = rng.laplace(size=(8, 3))
A = rng.normal(size=(3, 3)) + 2 * np.eye(3)
X = S @ A.T
W0 = np.eye(3) + 0.1 * rng.normal(size=(3, 3))

CASES = [(ica_log_likelihood, (W0, X), 0)]
