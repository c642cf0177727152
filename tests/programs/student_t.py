"""Robust regression with a Student-t likelihood from scipy.stats.t.logpdf; the scale and the
degrees of freedom are fitted on the log scale."""
import numpy as np
from scipy import stats


def negative_log_likelihood(params, x, y):
    slope, intercept, log_scale, log_df = params
    residuals = y - (slope * x + intercept)
    return -np.sum(stats.t.logpdf(residuals, df=np.exp(log_df), scale=np.exp(log_scale)))


rng = np.random.default_rng(14)
x = np.linspace(-1, 1, 7)
y = 2 * x - 0.5 + 0.3 * rng.standard_t(3, size=7)
params = np.array([1.0, 0.0, -1.0, 1.0])

CASES = [(negative_log_likelihood, (params, x, y), 0)]
