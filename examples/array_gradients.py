"""Gradients with respect to an array, element by element: indexing and unpacking.

f(x) = x₀² + 3x₁³ has ∇f = (2x₀, 9x₁²), so ∇f(1, 2) = (2, 36); and for
h(x, y, z) = x² + xy³ + sin z, ∇h(2, 2, π) = (2x + y³, 3xy², cos z) = (12, 24, -1).
"""
import numpy as np

import tangent_ad as ta


def f(x):
    return x[0]**2 + 3*x[1]**3


def h(x):
    x, y, z = x
    return x**2 + x*y**3 + np.sin(z)


def main():
    df = ta.grad(f)
    print(f"grad f at [1, 2]: {df(np.array([1.0, 2.0]))}")  # [ 2. 36.]
    dh = ta.grad(h)
    print(f"grad h at [2, 2, pi]: {np.round(dh(np.array([2.0, 2.0, np.pi])), 12)}")
    print()
    print(ta.source(df).highlighted())
    print(ta.source(dh).highlighted())


if __name__ == "__main__":
    main()
