"""A bilinear interaction model written with np.einsum."""
import numpy as np


def scores(W, U, V):
    return np.einsum("ui,ij,vj->uv", U, W, V)


def loss(W, U, V, target):
    return np.mean((np.tanh(scores(W, U, V)) - target) ** 2)


rng = np.random.default_rng(39)
U, V = rng.normal(size=(4, 3)), rng.normal(size=(5, 3))
target = rng.uniform(-1, 1, size=(4, 5))

CASES = [(loss, (0.2 * rng.normal(size=(3, 3)), U, V, target), (0, 1))]
