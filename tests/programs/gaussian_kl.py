"""The KL divergence between two diagonal Gaussians, each a (mean, log_std) tuple."""
import numpy as np


def kl_diag_gaussians(q, p):
    mu_q, log_std_q = q
    mu_p, log_std_p = p
    var_q, var_p = np.exp(2 * log_std_q), np.exp(2 * log_std_p)
    return np.sum(log_std_p - log_std_q + (var_q + (mu_q - mu_p) ** 2) / (2 * var_p) - 0.5)


rng = np.random.default_rng(27)
q = (rng.normal(size=3), 0.3 * rng.normal(size=3))
p = (np.zeros(3), np.zeros(3))

CASES = [(kl_diag_gaussians, (q, p), (0, 1))]
