"""A training objective that prints progress from inside the function being differentiated."""
import numpy as np


def objective(w, X, y, verbose=True):
    logits = X @ w
    nll = np.sum(np.logaddexp(0.0, logits) - y * logits)
    if verbose:
        print("nll:", nll, "norm of w:", np.linalg.norm(w))
    return nll + 0.05 * np.dot(w, w)


rng = np.random.default_rng(20)
X = rng.normal(size=(8, 3))
y = (rng.random(8) < 0.5).astype(float)

CASES = [(objective, (0.2 * rng.normal(size=3), X, y), 0)]
