"""The t-SNE objective for a handful of points: Student-t affinities from pairwise squared
distances, the diagonal blanked with np.fill_diagonal on an inactive mask."""
import numpy as np


def pairwise_sq_dists(Y):
    sq = np.sum(Y ** 2, axis=1)
    return sq[:, None] + sq[None, :] - 2 * Y @ Y.T


def kl_objective(Y, P):
    n = Y.shape[0]
    off_diagonal = np.ones((n, n))
    np.fill_diagonal(off_diagonal, 0.0)
    num = off_diagonal / (1.0 + pairwise_sq_dists(Y))
    Q = num / np.sum(num)
    return np.sum(P * np.log((P + 1e-12) / (Q + 1e-12)))


rng = np.random.default_rng(44)
n = 5
P = rng.random((n, n))
P = P + P.T
np.fill_diagonal(P, 0.0)
P = P / P.sum()

CASES = [(kl_objective, (rng.normal(size=(n, 2)), P), 0)]
