"""A normalizing flow of planar layers, each a (u, w, b) tuple; the density of the flowed
samples via the log-determinant of each layer."""
import numpy as np


def planar_layer(z, u, w, b):
    a = np.tanh(z @ w + b)
    z_new = z + np.outer(a, u)
    psi = np.outer(1 - a ** 2, w)
    log_det = np.log(np.abs(1 + psi @ u))
    return z_new, log_det


def flow_log_density(layers, z0, target_log_density):
    z = z0
    log_q = -0.5 * np.sum(z0 ** 2, axis=1) - np.log(2 * np.pi)
    for u, w, b in layers:
        z, log_det = planar_layer(z, u, w, b)
        log_q = log_q - log_det
    return np.mean(log_q - target_log_density(z))


def banana(z):
    return -0.5 * (z[:, 0] ** 2 + (z[:, 1] - z[:, 0] ** 2) ** 2)


def kl_objective(layers, z0):
    return flow_log_density(layers, z0, banana)


rng = np.random.default_rng(28)
layers = [(0.3 * rng.normal(size=2), 0.3 * rng.normal(size=2), 0.1) for _ in range(3)]
z0 = rng.normal(size=(5, 2))

CASES = [(kl_objective, (layers, z0), 0)]
