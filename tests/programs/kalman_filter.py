"""The log-likelihood of a 1-D local-level model by the Kalman filter, the noise variances
on the log scale."""
import numpy as np


def kalman_log_likelihood(log_q, log_r, observations, m0=0.0, p0=1.0):
    q, r = np.exp(log_q), np.exp(log_r)
    m, p = m0, p0
    ll = 0.0
    for y in observations:
        p = p + q                    # predict
        s = p + r                    # innovation variance
        ll = ll - 0.5 * (np.log(2 * np.pi * s) + (y - m) ** 2 / s)
        k = p / s                    # update
        m = m + k * (y - m)
        p = (1 - k) * p
    return ll


observations = np.cumsum(np.random.default_rng(35).normal(size=7))

CASES = [(kalman_log_likelihood, (-1.0, 0.5, observations), (0, 1))]
