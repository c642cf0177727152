"""A damped pendulum integrated with a leapfrog step in a loop; the loss fits its length and
damping to an observed final angle and velocity."""
import numpy as np

G = 9.81


def acceleration(theta, omega, length, damping):
    return -G / length * np.sin(theta) - damping * omega


def simulate(length, damping, theta0=0.8, omega0=0.0, dt=0.02, steps=25):
    theta, omega = theta0, omega0
    for _ in range(steps):
        omega_half = omega + 0.5 * dt * acceleration(theta, omega, length, damping)
        theta = theta + dt * omega_half
        omega = omega_half + 0.5 * dt * acceleration(theta, omega_half, length, damping)
    return theta, omega


def loss(length, damping, observed):
    theta, omega = simulate(length, damping)
    return (theta - observed[0]) ** 2 + 0.1 * (omega - observed[1]) ** 2


CASES = [(loss, (1.2, 0.3, np.array([0.1, -1.5])), (0, 1))]
