"""The first gradient of the tutorials: f(x) = 3x² + 2x + 1, so f'(x) = 6x + 2 and f'(5) = 32.

    python examples/quadratic.py
    tangent-ad show examples/quadratic.py:f                 # the same source, from the shell
"""
import tangent_ad as ta


def f(x):
    return 3 * x**2 + 2 * x + 1


def main():
    df_dx = ta.grad(f)
    print(f"f'(5.0) = {df_dx(5.0)}")  # 32.0
    print()
    print(ta.source(df_dx).highlighted())


if __name__ == "__main__":
    main()
