"""A GRU cell unrolled over a sequence with a for loop, parameters in a dict, the hidden
states collected in a list and stacked."""
import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def gru_cell(params, h, x):
    z = sigmoid(x @ params["Wz"] + h @ params["Uz"] + params["bz"])
    r = sigmoid(x @ params["Wr"] + h @ params["Ur"] + params["br"])
    h_tilde = np.tanh(x @ params["Wh"] + (r * h) @ params["Uh"] + params["bh"])
    return (1 - z) * h + z * h_tilde


def run_gru(params, xs):
    h = np.zeros(params["Uz"].shape[0])
    hs = []
    for x in xs:
        h = gru_cell(params, h, x)
        hs.append(h)
    return np.stack(hs)


def loss(params, xs, ys):
    return np.sum((run_gru(params, xs) @ params["readout"] - ys) ** 2)


rng = np.random.default_rng(32)
n_in, n_h = 2, 3
params = {name: 0.4 * rng.normal(size=shape) for name, shape in
          [("Wz", (n_in, n_h)), ("Uz", (n_h, n_h)), ("bz", (n_h,)),
           ("Wr", (n_in, n_h)), ("Ur", (n_h, n_h)), ("br", (n_h,)),
           ("Wh", (n_in, n_h)), ("Uh", (n_h, n_h)), ("bh", (n_h,)),
           ("readout", (n_h,))]}
xs = rng.normal(size=(4, n_in))
ys = rng.normal(size=4)

CASES = [(loss, (params, xs, ys), 0)]
