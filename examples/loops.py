"""Loops stay loops: the gradient of a recurrence, and of a loop whose length is not known.

`euler(x, a, n)` takes n explicit Euler steps of dx/dt = a·sin(x). Its gradient runs the
same loop forward, saving on a *tape* the values the backward loop needs, then runs the
iterations backwards; numba compiles it once, whatever n. `steps_to(x, limit)` loops
`while` a condition holds, so its tape is a list that grows as it runs.

    tangent-ad explain examples/loops.py:euler --argnums 0,1 --at "0.5, 2.0, 10"
"""
import numpy as np

import tangent_ad as ta
from tangent_ad.checking import numerical_grad


def euler(x, a, n):
    dt = 0.1
    for _ in range(n):
        x = x + dt * np.sin(x) * a
    return x


def steps_to(x, limit):
    total = 0.0
    while x < limit:
        total = total + np.sqrt(x)
        x = x * 1.5
    return total


def main():
    d_euler = ta.grad(euler, argnums=(0, 1))
    dx, da = d_euler(0.5, 2.0, 10)
    want = numerical_grad(euler, (0.5, 2.0, 10), (0, 1))
    print(f"d euler / dx = {dx:.9f}   (central differences {want[0]:.9f})")
    print(f"d euler / da = {da:.9f}   (central differences {want[1]:.9f})")
    assert np.allclose((dx, da), want, rtol=1e-7, atol=1e-9)
    # The same compiled code with a longer tape. x settles at pi, where sin(x) = 0, so the
    # end point forgets where it started: d/dx dies out.
    many = d_euler(0.5, 2.0, 1000)
    print(f"after 1000 steps x = {euler(0.5, 2.0, 1000):.6f}: d/dx = {many[0]:.1e}")
    assert abs(euler(0.5, 2.0, 1000) - np.pi) < 1e-12 and abs(many[0]) < 1e-12

    d_steps = ta.grad(steps_to)
    got, want = d_steps(1.0, 20.0), numerical_grad(steps_to, (1.0, 20.0))
    # x is multiplied by 1.5 until it passes 20: 1, 1.5, ..., 1.5**7 (8 square roots).
    exact = sum(0.5 * 1.5 ** (k / 2) for k in range(8))
    print(f"d steps_to / dx = {got:.9f}   (by hand {exact:.9f})")
    assert abs(got - exact) < 1e-12 and abs(got - want) < 1e-6
    print()
    print(ta.source(d_euler).highlighted())
    print(ta.source(d_steps).highlighted())


if __name__ == "__main__":
    main()
