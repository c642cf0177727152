"""Checking derivatives against finite differences, as the tutorial does by hand, then with
`tangent_ad.checking.numerical_grad` (central differences for every entry at once).

From the shell, `tangent-ad check` prints the same comparison as a table:

    tangent-ad check examples/logistic_regression.py:loss --at "W, b" --argnums 0,1
"""
import numpy as np

import tangent_ad as ta
from logistic_regression import W, b, loss
from tangent_ad.checking import numerical_grad


def main():
    eps = 1e-4
    b_grad_numerical = (loss(W, b + eps / 2.) - loss(W, b - eps / 2.)) / eps
    print("b_grad_numerical", b_grad_numerical)
    print("b_grad_autodiff", ta.grad(loss, 1)(W, b))

    # The derivative along a random unit direction: finite differences against grad · u.
    vec = np.random.default_rng(1).normal(size=W.shape)
    unitvec = vec / np.sqrt(np.vdot(vec, vec))
    W_grad_numerical = (loss(W + eps / 2. * unitvec, b) - loss(W - eps / 2. * unitvec, b)) / eps
    print("W_dirderiv_numerical", W_grad_numerical)
    print("W_dirderiv_autodiff", np.vdot(ta.grad(loss)(W, b), unitvec))

    grads = ta.grad(loss, (0, 1))(W, b)
    numerical = numerical_grad(loss, (W, b), (0, 1))
    error = max(np.max(np.abs(g - n)) for g, n in zip(grads, numerical))
    print(f"largest difference from central differences: {error:.1e}")
    print()
    print(ta.source(ta.grad(loss, (0, 1)), W, b).highlighted())


if __name__ == "__main__":
    main()
