"""Functions whose `tangent-ad show` and `tangent-ad explain` output is pinned here.

Each *.txt file in this folder starts with the command (`$ tangent-ad ...`, run in this
folder) and holds its exact output after that line.
"""
import numpy as np

X3 = np.array([1.0, 2.0, 3.0])
W3 = np.array([0.3, -0.2, 0.5])
inputs = np.array([[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.30]])
targets = np.array([True, False, True])


def quadratic(x):
    return 3 * x**2 + 2 * x + 1


def sin_cos(x):
    return np.sin(x) * np.cos(x)


def two_squares(x, y):
    return x**2 + y**2


def linreg_loss(w, b, x, y):
    predictions = w * x + b
    return np.mean((predictions - y) ** 2)


def sigmoid(x):
    return 0.5 * (np.tanh(x / 2) + 1)


def predict(W, b, inputs):
    return sigmoid(np.dot(inputs, W) + b)


def loss_dict(params):
    """The negative log-likelihood, with the parameters in a dict."""
    preds = predict(params["W"], params["b"], inputs)
    label_probs = preds * targets + (1 - preds) * (1 - targets)
    return -np.sum(np.log(label_probs))


def alternating(x, n):
    y = 0.0
    for i in range(n):
        if i % 2 == 0:
            y = y + x ** i
        else:
            y = y - np.sin(x) * i
    return y
