"""The Jacobian of a vector-valued function, by forward and by reverse mode.

For f(x, y) = [x² + y², x² + xy] the Jacobian is [[2x, 2y], [2x + y, x]], which at
(2, 3) is [[4, 6], [7, 2]].

`ta.jacfwd` runs the forward-mode derivative (`f_jvp`) once per input: each run gives a
column. `ta.jacrev` (and `ta.jacobian`, the same) runs the reverse-mode one (`f_vjp`)
once per output: each run gives a row. Forward mode suits functions with few inputs and
many outputs ("tall" Jacobians), reverse mode the opposite ("wide" ones).
"""
import numpy as np

import tangent_ad as ta


def f(x):
    x, y = x
    return np.array([x**2 + y**2, x**2 + x*y])


def df(x):
    """The Jacobian, worked out by hand."""
    x, y = x
    return np.array([[2*x, 2*y], [2*x + y, x]])


def main():
    x = np.array([2.0, 3.0])
    print("function evaluation", f(x))
    print("coded Jacobian\n", df(x))
    for name, jac in (("jacobian", ta.jacobian), ("jacfwd", ta.jacfwd), ("jacrev", ta.jacrev)):
        J = jac(f)(x)
        print(f"{name} Jacobian\n", J)
        assert np.array_equal(J, [[4.0, 6.0], [7.0, 2.0]]), (name, J)
    print()
    print("# jacfwd runs this once per input, with x_dot a basis vector:")
    print(ta.source(ta.jacfwd(f), x).highlighted())
    print("# jacrev runs this once per output, with the cotangent a basis vector:")
    print(ta.source(ta.jacrev(f), x).highlighted())


if __name__ == "__main__":
    main()
