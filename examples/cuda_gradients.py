"""Gradients at many points on an NVIDIA GPU: `ta.vmap(ta.grad(f), target="cuda")`.

    python examples/cuda_gradients.py

The derivative becomes a CUDA device function (`math.*` instead of `np.*`, no allocation),
and a kernel maps it over the points. Without a GPU this runs in numba's CUDA simulator
(slow: every GPU thread is a Python thread), with fewer points.
"""
import os
import shutil
import time

import numpy as np

if "NUMBA_ENABLE_CUDASIM" not in os.environ and shutil.which("nvidia-smi") is None:
    os.environ["NUMBA_ENABLE_CUDASIM"] = "1"  # read once, when numba is first imported

import tangent_ad as ta  # noqa: E402
from tangent_ad.backends.cuda_dialect import device_source  # noqa: E402


def wave(x):
    return np.sin(x) * x ** 2 + np.exp(-x) / (1.0 + np.abs(x))


def recurrence(x):
    y = x
    for _ in range(3):  # the gradient's tape: a per-thread array of 3 on the GPU
        y = np.sin(y) * x
    return y


def compare(x):
    """The CUDA target against the cpu target, for each function, with timings."""
    for f in (wave, recurrence):
        on_gpu = ta.vmap(ta.grad(f), target="cuda")
        on_gpu(x[:2])  # compile once, outside the timing
        start = time.perf_counter()
        got = on_gpu(x)
        seconds = time.perf_counter() - start
        want = ta.vmap(ta.grad(f))(x)
        print(f"largest |cuda - cpu| for {f.__name__}: {np.max(np.abs(got - want)):.1e} "
              f"({seconds:.3f} s with transfers)")


def main():
    simulated = os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"
    n = 64 if simulated else 10_000_000
    print(f"{'simulator' if simulated else 'GPU'}: {n} points")
    try:
        compare(np.linspace(-3, 3, n))
    except ImportError as exc:  # numba-cuda is missing: the device source still prints
        print(exc)
    df = ta.grad(wave)
    df(1.0)
    print("\nThe gradient, and its CUDA device function:\n")
    print(df.source)
    print(device_source(df.python))


if __name__ == "__main__":
    main()
