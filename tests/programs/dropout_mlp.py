"""An MLP trained with dropout, the masks drawn outside and passed in as a list."""
import numpy as np


def mlp(params, x, masks, keep=0.8):
    for (W, b), mask in zip(params[:-1], masks):
        x = np.maximum(x @ W + b, 0.0) * mask / keep
    W, b = params[-1]
    return x @ W + b


def loss(params, x, y, masks):
    logits = mlp(params, x, masks)
    return np.mean(np.logaddexp(0.0, -y * logits[:, 0]))


rng = np.random.default_rng(37)
params = [(0.5 * rng.normal(size=(3, 4)), 0.1 + 0.1 * rng.random(4)),
          (0.5 * rng.normal(size=(4, 4)), 0.1 + 0.1 * rng.random(4)),
          (0.5 * rng.normal(size=(4, 1)), np.zeros(1))]
x = rng.normal(size=(5, 3))
y = np.sign(rng.normal(size=5))
masks = [(rng.random((5, 4)) < 0.8).astype(float) for _ in range(2)]

CASES = [(loss, (params, x, y, masks), 0)]
