"""Logistic regression in the JAX tutorial style: params a list of (W, b), L2 as a generator sum."""
import numpy as np


def sigmoid(x):
    return 0.5 * (np.tanh(x / 2) + 1)


def predict(params, inputs):
    W, b = params[0]
    return sigmoid(np.dot(inputs, W) + b)


def loss(params, inputs, targets, l2=1e-2):
    preds = predict(params, inputs)
    label_probabilities = preds * targets + (1 - preds) * (1 - targets)
    nll = -np.sum(np.log(label_probabilities))
    return nll + l2 * sum(np.sum(W ** 2) for W, b in params)


key = np.random.default_rng(0)
inputs = key.normal(size=(6, 3))
targets = np.array([True, True, False, True, False, False])
params = [(key.normal(size=3), 0.1)]

CASES = [(loss, (params, inputs, targets), 0)]
