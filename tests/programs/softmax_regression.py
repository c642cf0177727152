"""Multinomial logistic regression: one-hot targets from np.eye(k)[labels], the log-softmax
by logsumexp, weights as a (W, b) tuple."""
import numpy as np
from scipy.special import logsumexp


def log_softmax(logits):
    return logits - logsumexp(logits, axis=1, keepdims=True)


def cross_entropy(params, X, labels, num_classes=3):
    W, b = params
    one_hot = np.eye(num_classes)[labels]
    return -np.mean(np.sum(one_hot * log_softmax(X @ W + b), axis=1))


rng = np.random.default_rng(25)
X = rng.normal(size=(7, 4))
labels = rng.integers(0, 3, size=7)
params = (0.1 * rng.normal(size=(4, 3)), np.zeros(3))

CASES = [(cross_entropy, (params, X, labels), 0)]
