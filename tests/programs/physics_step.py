"""A mass-spring chain stepped with symplectic Euler; the loss asks the last mass to land at
a target. Differentiated with respect to the spring constants and the initial velocities."""
import numpy as np

DT = 0.05


def spring_forces(x, k, rest_length=1.0):
    stretch = np.diff(x) - rest_length
    tension = k * stretch
    forces = np.zeros_like(x)
    forces[:-1] += tension
    forces[1:] -= tension
    return forces


def step(state, k, masses):
    x, v = state
    a = spring_forces(x, k) / masses
    v = v + DT * a
    x = x + DT * v
    return x, v


def simulate(k, v0, x0, masses, n_steps=10):
    state = (x0, v0)
    for _ in range(n_steps):
        state = step(state, k, masses)
    return state


def loss(k, v0, x0, masses, target=3.5):
    x, v = simulate(k, v0, x0, masses)
    return (x[-1] - target) ** 2 + 0.01 * np.sum(v ** 2)


rng = np.random.default_rng(8)
x0 = np.arange(4, dtype=float) * 1.1
v0 = 0.1 * rng.normal(size=4)
k = 1.0 + 0.2 * rng.random(3)
masses = np.array([1.0, 2.0, 1.5, 1.0])

CASES = [(loss, (k, v0, x0, masses), (0, 1))]
