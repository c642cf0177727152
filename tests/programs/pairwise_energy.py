"""The Lennard-Jones energy of a small cluster: pairs from np.triu_indices, which does not
depend on the positions."""
import numpy as np


def lennard_jones(positions, epsilon=1.0, sigma=1.0):
    n = positions.shape[0]
    i, j = np.triu_indices(n, k=1)
    diff = positions[i] - positions[j]
    r2 = np.sum(diff ** 2, axis=1)
    sr6 = (sigma ** 2 / r2) ** 3
    return np.sum(4 * epsilon * (sr6 ** 2 - sr6))


positions = np.array([[0.0, 0.0, 0.0], [1.1, 0.0, 0.0], [0.5, 1.0, 0.0], [0.5, 0.4, 0.9]])
positions = positions + 0.05 * np.random.default_rng(23).normal(size=positions.shape)

CASES = [(lennard_jones, (positions,), 0)]
