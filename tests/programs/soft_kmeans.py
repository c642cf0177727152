"""Soft k-means: the negative log of a sum of soft assignments, written with np.newaxis
broadcasting."""
import numpy as np
from scipy.special import logsumexp


def soft_kmeans_energy(centroids, points, beta=2.0):
    sq_dists = np.sum((points[:, np.newaxis, :] - centroids[np.newaxis, :, :]) ** 2, axis=-1)
    return -np.sum(logsumexp(-beta * sq_dists, axis=1)) / beta


rng = np.random.default_rng(26)
points = np.concatenate([rng.normal(size=(4, 2)) + 2, rng.normal(size=(4, 2)) - 2])
centroids = rng.normal(size=(2, 2))

CASES = [(soft_kmeans_energy, (centroids, points), 0)]
