"""An ODE net: a small MLP is the dynamics, passed as a function to an RK4 integrator written
in Python; the loss compares the trajectory with targets."""
import numpy as np


def mlp_dynamics(params, y, t):
    (W1, b1), (W2, b2) = params
    h = np.tanh(np.dot(y, W1) + b1 + t)
    return np.dot(h, W2) + b2


def rk4_step(f, y, t, dt, *args):
    k1 = f(*args, y, t)
    k2 = f(*args, y + dt * k1 / 2, t + dt / 2)
    k3 = f(*args, y + dt * k2 / 2, t + dt / 2)
    k4 = f(*args, y + dt * k3, t + dt)
    return y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


def odeint(func, y0, ts, *args):
    ys = [y0]
    y = y0
    for t0, t1 in zip(ts[:-1], ts[1:]):
        y = rk4_step(func, y, t0, t1 - t0, *args)
        ys.append(y)
    return np.stack(ys)


def loss(params, y0, ts, targets):
    pred = odeint(mlp_dynamics, y0, ts, params)
    return np.mean((pred - targets) ** 2)


rng = np.random.default_rng(3)
params = [(0.5 * rng.normal(size=(2, 4)), np.zeros(4)), (0.5 * rng.normal(size=(4, 2)), np.zeros(2))]
y0 = np.array([1.0, 0.0])
ts = np.linspace(0.0, 1.0, 5)
targets = np.stack([np.cos(ts), -np.sin(ts)], axis=1)

CASES = [(loss, (params, y0, ts, targets), 0)]
