"""Gradients of NumPy functions and of products of them.

grad(np.tanh) differentiates the NumPy function itself: tanh'(x) = 1 - tanh(x)²; and for
f(x) = sin(x)·cos(x), f'(x) = cos²(x) - sin²(x) = cos(2x).
"""
import numpy as np

import tangent_ad as ta


def f(x):
    return np.sin(x) * np.cos(x)


def main():
    grad_tanh = ta.grad(np.tanh)
    print(f"tanh'(2.0)  = {grad_tanh(2.0):.6f}   (1 - tanh(2)² = {1 - np.tanh(2.0) ** 2:.6f})")
    grad_f = ta.grad(f)
    print(f"f'(1.0)     = {grad_f(1.0):.6f}   (cos(2) = {np.cos(2.0):.6f})")
    print()
    print(ta.source(grad_tanh).highlighted())
    print(ta.source(grad_f).highlighted())


if __name__ == "__main__":
    main()
