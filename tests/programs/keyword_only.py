"""A loss with keyword-only options and **kwargs passed down to a helper."""
import numpy as np


def penalty(w, *, kind="l2", scale=1.0):
    if kind == "l2":
        return scale * np.sum(w ** 2)
    return scale * np.sum(np.sqrt(w ** 2 + 1e-3))


def loss(w, X, y, *, reg=0.1, **penalty_options):
    residual = X @ w - y
    return np.mean(residual ** 2) + reg * penalty(w, **penalty_options)


def smooth_l1_loss(w, X, y):
    return loss(w, X, y, reg=0.05, kind="smooth-l1", scale=2.0)


rng = np.random.default_rng(34)
X = rng.normal(size=(6, 3))
y = rng.normal(size=6)

CASES = [(loss, (rng.normal(size=3), X, y), 0), (smooth_l1_loss, (rng.normal(size=3), X, y), 0)]
