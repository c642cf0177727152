"""Gravitational n-body: pairwise accelerations by broadcasting, a softened distance, and
velocity Verlet; the loss asks body 0 to end at a target."""
import numpy as np


def accelerations(pos, masses, softening=0.1):
    diff = pos[None, :, :] - pos[:, None, :]
    dist3 = (np.sum(diff ** 2, axis=-1) + softening ** 2) ** 1.5
    return np.sum(masses[None, :, None] * diff / dist3[:, :, None], axis=1)


def verlet(pos, vel, masses, dt=0.05, steps=6):
    acc = accelerations(pos, masses)
    for _ in range(steps):
        pos = pos + vel * dt + 0.5 * acc * dt ** 2
        new_acc = accelerations(pos, masses)
        vel = vel + 0.5 * (acc + new_acc) * dt
        acc = new_acc
    return pos, vel


def loss(vel0, masses, pos0, target):
    pos, _ = verlet(pos0, vel0, masses)
    return np.sum((pos[0] - target) ** 2)


rng = np.random.default_rng(40)
pos0 = rng.normal(size=(3, 2))
vel0 = 0.1 * rng.normal(size=(3, 2))
masses = np.array([1.0, 0.5, 0.8])

CASES = [(loss, (vel0, masses, pos0, np.array([0.5, 0.5])), (0, 1))]
