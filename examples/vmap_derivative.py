"""f and its derivative f' at many points at once, with `ta.vmap(ta.grad(f))`.

    python examples/vmap_derivative.py [OUTPUT_DIR]

Calling a gradient in a Python loop (as plot_derivative.py does) pays Python's call overhead
at every point; `vmap` runs one compiled loop over all of them, and `target="parallel"`
spreads that loop over every core. The PNG (matplotlib, if installed) goes to OUTPUT_DIR,
else to $TANGENT_AD_EXAMPLES_OUT, else to the current folder.
"""
import os
import sys
import time

import numpy as np

import tangent_ad as ta


def f(x):
    y = x
    for _ in range(3):  # a fixed-length loop: the gradient keeps a tape
        y = np.sin(y) * x
    return y


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def main():
    df = ta.grad(f)
    x = np.linspace(-3, 3, 20_000)
    vmapped = ta.vmap(df)
    vmapped(x[:2])  # compile once, outside the timing
    df_vmap, t_vmap = timed(vmapped, x)
    df_loop, t_loop = timed(lambda xs: np.array([df(v) for v in xs]), x)
    print(f"f'(1.0) = {df(1.0):.6f}")
    print(f"largest |vmap - loop| over {len(x)} points: {np.max(np.abs(df_vmap - df_loop)):.1e}")
    print(f"Python loop {t_loop:.3f} s, vmap {t_vmap:.4f} s")
    parallel = ta.vmap(df, target="parallel")
    print(f"largest |parallel - vmap|: {np.max(np.abs(parallel(x) - df_vmap)):.1e}")
    print()
    print(ta.source(df).highlighted())
    plot(x, f(x), df_vmap)


def plot(x, values, derivative):
    try:
        import matplotlib
    except ImportError:
        print("matplotlib is not installed: no plot (pip install matplotlib).")
        return
    matplotlib.use("Agg")  # draw into a file, with no window
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(10, 6))
    ax.plot(x, values, label=r"$f(x)$")
    ax.plot(x, derivative, label=r"$f'(x)$ (vmap of grad)")
    ax.set_xlabel(r"$x$", size=20)
    ax.legend()
    ax.grid()
    folder = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TANGENT_AD_EXAMPLES_OUT", ".")
    path = os.path.join(folder, "vmap_derivative.png")
    fig.savefig(path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
