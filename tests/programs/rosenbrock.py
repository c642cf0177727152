"""The Rosenbrock function as optimization tutorials write it, with the builtin sum over an
array."""
import numpy as np


def rosenbrock(x):
    return sum(100.0 * (x[1:] - x[:-1] ** 2.0) ** 2.0 + (1 - x[:-1]) ** 2.0)


CASES = [(rosenbrock, (np.array([1.3, 0.7, 0.8, 1.9, 1.2]),), 0)]
