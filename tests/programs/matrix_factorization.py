"""Low-rank matrix factorization of a partly observed ratings matrix, with a mask and L2."""
import numpy as np


def predict(U, V, user_bias, item_bias):
    return U @ V.T + user_bias[:, None] + item_bias[None, :]


def objective(U, V, user_bias, item_bias, ratings, mask, lam=0.1):
    err = (predict(U, V, user_bias, item_bias) - ratings) * mask
    reg = lam * (np.sum(U ** 2) + np.sum(V ** 2))
    return 0.5 * np.sum(err ** 2) + reg


rng = np.random.default_rng(12)
n_users, n_items, rank = 5, 4, 2
ratings = rng.integers(1, 6, size=(n_users, n_items)).astype(float)
mask = (rng.random((n_users, n_items)) < 0.7).astype(float)
U = 0.5 * rng.normal(size=(n_users, rank))
V = 0.5 * rng.normal(size=(n_items, rank))

CASES = [(objective, (U, V, np.zeros(n_users), np.zeros(n_items), ratings, mask), (0, 1, 2, 3))]
