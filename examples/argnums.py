"""Choosing what to differentiate with `argnums`: one argument, or several at once.

A tuple of positions gives a tuple of gradients, one per position, in one backward pass.
"""
import numpy as np

import tangent_ad as ta


def g(x, y):
    return x**2 + y**2


def sum_of_squares(arr):
    return np.sum(arr**2)


def sum_squared_errors(x, y):
    return np.sum((x - y) ** 2)


x = np.array([1.0, 2.0, 3.0, 4.0])
y = np.array([1.1, 2.1, 3.1, 4.1])


def main():
    grad_g = ta.grad(g, argnums=(0, 1))
    print(f"grad of g at (3, 4): {grad_g(3.0, 4.0)}")  # (6.0, 8.0)

    print(f"sum of squares: {sum_of_squares(x)}")
    print(f"gradient of sum of squares: {ta.grad(sum_of_squares)(x)}")  # 2x

    grad_x = ta.grad(sum_squared_errors, argnums=0)
    grad_y = ta.grad(sum_squared_errors, argnums=1)
    grad_xy = ta.grad(sum_squared_errors, argnums=(0, 1))
    both = grad_xy(x, y)
    print(f"gradient wrt x: {grad_x(x, y)}")
    print(f"gradient wrt y: {grad_y(x, y)}")
    for i, separate in enumerate((grad_x(x, y), grad_y(x, y))):
        print(f"argnums=(0, 1)[{i}] equals the separate gradient: "
              f"{np.array_equal(both[i], separate)}")
    print()
    print(ta.source(grad_xy).highlighted())


if __name__ == "__main__":
    main()
