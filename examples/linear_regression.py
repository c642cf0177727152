"""Linear regression: the gradient of a mean squared error with respect to w and b, and a
few steps of gradient descent with it. The data lie on y = 2x, so w → 2 and b → 0.

    tangent-ad explain examples/linear_regression.py:loss --argnums 0,1 --at "0.0, 0.0, x, y"
"""
import numpy as np

import tangent_ad as ta


def loss(w, b, x, y):
    predictions = w * x + b
    return np.mean((predictions - y) ** 2)


x = np.array([1.0, 2.0, 3.0])
y = np.array([2.0, 4.0, 6.0])


def main():
    grad_loss = ta.grad(loss, argnums=(0, 1))
    w, b = 0.0, 0.0
    dw, db = grad_loss(w, b, x, y)
    print(f"Gradient wrt w: {dw:.6f}, Gradient wrt b: {db:.6f}")  # -18.666667, -8.0
    for _ in range(500):
        dw, db = grad_loss(w, b, x, y)
        w, b = w - 0.1 * dw, b - 0.1 * db
    print(f"after 500 steps: w = {w:.4f}, b = {b:.4f}, loss = {loss(w, b, x, y):.2e}")
    print()
    print(ta.source(grad_loss).highlighted())


if __name__ == "__main__":
    main()
