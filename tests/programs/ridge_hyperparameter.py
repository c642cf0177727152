"""Tuning a ridge penalty by gradient descent on the validation loss: the fit is a
np.linalg.solve inside the objective."""
import numpy as np


def fit_ridge(log_lam, X, y):
    A = X.T @ X + np.exp(log_lam) * np.eye(X.shape[1])
    return np.linalg.solve(A, X.T @ y)


def validation_loss(log_lam, X_train, y_train, X_val, y_val):
    w = fit_ridge(log_lam, X_train, y_train)
    return np.mean((X_val @ w - y_val) ** 2)


rng = np.random.default_rng(41)
X = rng.normal(size=(10, 3))
y = X @ np.array([1.0, 0.0, -1.0]) + 0.5 * rng.normal(size=10)

CASES = [(validation_loss, (0.3, X[:6], y[:6], X[6:], y[6:]), 0)]
