"""The main job: a gradient, and the Python source tangent_ad wrote to compute it."""
import numpy as np

import tangent_ad as ta


def loss(w, b, x, y):
    predictions = w * x + b
    return np.mean((predictions - y) ** 2)


x = np.array([1.0, 2.0, 3.0])
y = np.array([2.0, 4.0, 6.0])

dloss = ta.grad(loss, argnums=(0, 1))
dw, db = dloss(0.0, 0.0, x, y)
print(f"d loss / dw = {dw:.6f}   (exact: {-56 / 3:.6f})")
print(f"d loss / db = {db:.6f}   (exact: {-8:.6f})")
print()
print("The gradient tangent_ad generated (and numba compiled):")
print()
print(ta.source(dloss).highlighted())
