"""Derivatives of derivatives: stacking `ta.grad`.

For f(x) = x³ + 2x² - 3x + 1:  f'(x) = 3x² + 4x - 3,  f''(x) = 6x + 4,  f'''(x) = 6,
f''''(x) = 0; at x = 1 that is 4, 10, 6 and 0.

Each `ta.grad` reads the source of the function it is given. For `ta.grad(dfdx)` that is
the generated `f_grad`, so each derivative below is differentiated generated code, and
each is printed: the polynomial shrinks by one degree per step.

    python examples/stacked_derivatives.py
    tangent-ad show examples/stacked_derivatives.py:f --order 2   # f_grad_grad, from the shell
"""
import tangent_ad as ta


def f(x):
    return x**3 + 2*x**2 - 3*x + 1


def main():
    dfdx = ta.grad(f)
    d2fdx = ta.grad(dfdx)
    d3fdx = ta.grad(d2fdx)
    d4fdx = ta.grad(d3fdx)
    values = [d(1.0) for d in (dfdx, d2fdx, d3fdx, d4fdx)]
    for name, value in zip(("f'", "f''", "f'''", "f''''"), values):
        print(f"{name}(1) = {value}")
    assert values == [4.0, 10.0, 6.0, 0.0], values
    # Stacked derivatives are derivatives like any other: a change of x moves f'' by f'''.
    assert abs((d2fdx(1.0 + 1e-6) - d2fdx(1.0 - 1e-6)) / 2e-6 - 6.0) < 1e-6
    for derivative in (dfdx, d2fdx, d3fdx, d4fdx):
        print()
        print(ta.source(derivative).highlighted())


if __name__ == "__main__":
    main()
