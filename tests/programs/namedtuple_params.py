"""Parameters in a typing.NamedTuple, read by attribute and unpacked."""
from typing import NamedTuple

import numpy as np


class Layer(NamedTuple):
    weights: np.ndarray
    bias: np.ndarray


class MLPParams(NamedTuple):
    hidden: Layer
    output: Layer


def apply(params: MLPParams, x):
    h = np.tanh(x @ params.hidden.weights + params.hidden.bias)
    W, b = params.output
    return h @ W + b


def loss(params, x, y):
    return np.mean((apply(params, x) - y) ** 2)


rng = np.random.default_rng(19)
params = MLPParams(hidden=Layer(0.5 * rng.normal(size=(2, 3)), np.zeros(3)),
                   output=Layer(0.5 * rng.normal(size=(3, 1)), np.zeros(1)))
x = rng.normal(size=(5, 2))
y = np.sum(x, axis=1, keepdims=True)

CASES = [(loss, (params, x, y), 0)]
