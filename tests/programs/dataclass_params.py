"""Parameters in a @dataclass, read by attribute."""
from dataclasses import dataclass

import numpy as np


@dataclass
class Params:
    W: np.ndarray
    b: np.ndarray
    log_noise: float


def negative_log_likelihood(params: Params, X, y):
    mean = X @ params.W + params.b
    var = np.exp(2 * params.log_noise)
    return 0.5 * np.sum((y - mean) ** 2) / var + len(y) * params.log_noise


rng = np.random.default_rng(18)
X = rng.normal(size=(7, 2))
y = X @ np.array([1.0, -2.0]) + 0.3
params = Params(W=rng.normal(size=2), b=np.zeros(1), log_noise=0.0)

CASES = [(negative_log_likelihood, (params, X, y), 0)]
