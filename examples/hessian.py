"""The Hessian of a scalar function: the matrix of its second derivatives.

For f(x, y) = x³ + y² + xy the Hessian is [[6x, 1], [1, 2]], which at (3, 2) is
[[18, 1], [1, 2]].

`ta.hessian(f)` is `ta.jacfwd(ta.grad(f))`: forward mode over reverse mode. The gradient
`f_grad` is generated first; then its forward-mode derivative `f_grad_jvp`, generated from
the source of `f_grad`, runs once per input to give the Hessian a column at a time.

    tangent-ad show examples/hessian.py:f --order 2 --mode forward --at "np.array([3.0, 2.0])"
"""
import numpy as np

import tangent_ad as ta


def f(x):
    x, y = x
    return x**3 + y**2 + x*y


def ddf(x):
    """The Hessian, worked out by hand."""
    x, y = x
    return np.array([[6*x, 1], [1, 2]])


def main():
    x = np.array([3.0, 2.0])
    print("function evaluation", f(x))
    print("coded Hessian\n", ddf(x))
    H = ta.hessian(f)(x)
    print("AD Hessian\n", H)
    assert np.array_equal(H, [[18.0, 1.0], [1.0, 2.0]]), H
    assert np.array_equal(ta.jacfwd(ta.grad(f))(x), H)
    assert np.array_equal(ta.jacrev(ta.grad(f))(x), H)  # reverse over reverse agrees
    grad_f = ta.grad(f)
    print()
    print("# the gradient:")
    print(ta.source(grad_f, x).highlighted())
    print("# its derivative along x_dot, run once per basis vector x_dot:")
    print(ta.source(ta.hessian(f), x).highlighted())


if __name__ == "__main__":
    main()
