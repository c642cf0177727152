"""A model class whose loss is a method; the user differentiates the bound method
`ta.grad(model.loss)`, the object holding the data and hyper-parameters."""
import numpy as np


class RidgeModel:
    def __init__(self, X, y, alpha=0.5):
        self.X = X
        self.y = y
        self.alpha = alpha

    def predict(self, w):
        return self.X @ w

    def loss(self, w):
        residual = self.predict(w) - self.y
        return 0.5 * residual @ residual + 0.5 * self.alpha * w @ w


rng = np.random.default_rng(17)
model = RidgeModel(rng.normal(size=(6, 3)), rng.normal(size=6))

CASES = [(model.loss, (rng.normal(size=3),), 0)]
