"""A residual MLP: blocks enumerated, each a dict, a skip connection on every block."""
import numpy as np


def block(p, x):
    return x + np.tanh(x @ p["w1"] + p["b1"]) @ p["w2"]


def resnet(blocks, head, x):
    for i, p in enumerate(blocks):
        x = block(p, x) if i % 2 == 0 else block(p, x) * 0.5
    return x @ head


def loss(blocks, head, x, y):
    return np.mean((resnet(blocks, head, x) - y) ** 2)


rng = np.random.default_rng(36)
blocks = [{"w1": 0.3 * rng.normal(size=(3, 4)), "b1": np.zeros(4), "w2": 0.3 * rng.normal(size=(4, 3))}
          for _ in range(3)]
head = rng.normal(size=3)
x = rng.normal(size=(5, 3))
y = rng.normal(size=5)

CASES = [(loss, (blocks, head, x, y), (0, 1))]
