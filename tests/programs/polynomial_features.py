"""Polynomial regression with features from np.vander on the data, and a smoothness
penalty built with np.diff."""
import numpy as np


def design(x, degree=4):
    return np.vander(x, degree + 1, increasing=True)


def loss(coef, x, y, lam=0.01):
    residual = design(x) @ coef - y
    return np.sum(residual ** 2) + lam * np.sum(np.diff(coef) ** 2)


rng = np.random.default_rng(43)
x = np.linspace(-1, 1, 9)
y = np.cos(2 * x) + 0.05 * rng.normal(size=9)

CASES = [(loss, (0.1 * rng.normal(size=5), x, y), 0)]
