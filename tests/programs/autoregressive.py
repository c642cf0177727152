"""The exact Gaussian log-likelihood of an AR(2) time series, conditioned on the first two
values, with a while loop over time."""
import numpy as np


def ar2_log_likelihood(phi, log_sigma, series):
    sigma2 = np.exp(2 * log_sigma)
    ll = 0.0
    t = 2
    while t < len(series):
        pred = phi[0] * series[t - 1] + phi[1] * series[t - 2]
        ll += -0.5 * (np.log(2 * np.pi * sigma2) + (series[t] - pred) ** 2 / sigma2)
        t += 1
    return ll


rng = np.random.default_rng(29)
series = np.zeros(10)
for t in range(2, 10):
    series[t] = 0.5 * series[t - 1] - 0.2 * series[t - 2] + rng.normal()

CASES = [(ar2_log_likelihood, (np.array([0.3, 0.1]), 0.2, series), (0, 1))]
