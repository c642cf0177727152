"""f(x) = x² and its derivative f'(x) = 2x, side by side in a PNG (matplotlib, if installed).

    python examples/plot_derivative.py [OUTPUT_DIR]

The PNG goes to OUTPUT_DIR, else to $TANGENT_AD_EXAMPLES_OUT, else to the current folder.
f' is computed at each of 100 points by calling the gradient in a loop.
"""
import os
import sys

import numpy as np

import tangent_ad as ta


def func(x):
    return x**2


def main():
    dfunc = ta.grad(func)
    print(f"f'(3.0) = {dfunc(3.0)}")  # 6.0
    x = np.linspace(-3, 3, 100)
    df_array = np.array([dfunc(val) for val in x])
    print(f"largest |f'(x) - 2x| over {len(x)} points: {np.max(np.abs(df_array - 2 * x)):.1e}")
    print()
    print(ta.source(dfunc).highlighted())
    try:
        import matplotlib
    except ImportError:
        print("matplotlib is not installed: no plot (pip install matplotlib).")
        return
    matplotlib.use("Agg")  # draw into a file, with no window
    import matplotlib.pyplot as plt
    fig = plt.figure(figsize=(14, 6))
    for position, values, label in ((121, func(x), r"$f(x)$"),
                                    (122, df_array, r"$\frac{df(x)}{dx}$")):
        ax = fig.add_subplot(position)
        ax.set_xlabel(r"$x$", size=20)
        ax.set_ylabel(label, size=20)
        ax.plot(x, values)
        ax.grid()
    plt.tight_layout()
    folder = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TANGENT_AD_EXAMPLES_OUT", ".")
    path = os.path.join(folder, "derivative.png")
    fig.savefig(path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
