"""A potential of Gaussian sources evaluated on a grid made by np.meshgrid; the sources'
positions and strengths are fitted to a measured field."""
import numpy as np

xs = np.linspace(-1, 1, 5)
ys = np.linspace(-1, 1, 4)


def field(centers, strengths, width=0.5):
    X, Y = np.meshgrid(xs, ys)
    total = np.zeros_like(X)
    for (cx, cy), s in zip(centers, strengths):
        total = total + s * np.exp(-((X - cx) ** 2 + (Y - cy) ** 2) / (2 * width ** 2))
    return total


def misfit(centers, strengths, measured):
    return np.sum((field(centers, strengths) - measured) ** 2)


rng = np.random.default_rng(24)
measured = field(np.array([[0.2, -0.1], [-0.5, 0.4]]), np.array([1.0, -0.5]))
centers = np.array([[0.0, 0.0], [-0.3, 0.3]]) + 0.1 * rng.normal(size=(2, 2))
strengths = np.array([0.8, -0.3])

CASES = [(misfit, (centers, strengths, measured), (0, 1))]
