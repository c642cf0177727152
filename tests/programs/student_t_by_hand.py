"""A Student-t log-likelihood written out with gammaln, the way a statistician derives it."""
import numpy as np
from scipy.special import gammaln


def t_logpdf(x, nu, mu, sigma):
    z = (x - mu) / sigma
    return (gammaln((nu + 1) / 2) - gammaln(nu / 2) - 0.5 * np.log(nu * np.pi) - np.log(sigma)
            - (nu + 1) / 2 * np.log1p(z ** 2 / nu))


def loss(theta, data):
    mu, log_sigma, log_nu = theta[0], theta[1], theta[2]
    return -np.sum(t_logpdf(data, np.exp(log_nu), mu, np.exp(log_sigma)))


data = np.random.default_rng(15).standard_t(4, size=9)

CASES = [(loss, (np.array([0.1, 0.2, 1.5]), data), 0)]
