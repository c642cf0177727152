"""Gradients at many points on an NVIDIA GPU: `ta.vmap(ta.grad(f), target="cuda")`.

    python examples/cuda_gradients.py

The derivative becomes a CUDA device function (`math.*` instead of `np.*`, no allocation),
and a kernel maps it over the points. Without a GPU this runs in numba's CUDA simulator
(slow: every GPU thread is a Python thread), with fewer points.
"""
import math
import os
import shutil
import time

import numpy as np

if "NUMBA_ENABLE_CUDASIM" not in os.environ and shutil.which("nvidia-smi") is None:
    os.environ["NUMBA_ENABLE_CUDASIM"] = "1"  # read once, when numba is first imported

import tangent_ad as ta  # noqa: E402
try:
    from numba import cuda  # a module global: the simulator swaps it for its own in kernels
except ImportError:
    cuda = None
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


if cuda is not None:
    @cuda.jit
    def wave_grad_by_hand(out, xs):
        """wave's gradient, written by hand: the baseline for the generated kernel."""
        for i in range(cuda.grid(1), xs.shape[0], cuda.gridsize(1)):
            v = xs[i]
            a = 1.0 + abs(v)
            sign = 1.0 if v > 0 else (-1.0 if v < 0 else 0.0)
            e = math.exp(-v)
            out[i] = (math.cos(v) * v * v + 2.0 * v * math.sin(v) - e / a
                      - e / (a * a) * sign)


def by_hand(x):
    """The hand-written kernel on `x`, with the same transfers as vmap's."""
    out = cuda.device_array(x.shape[0])
    threads = 8 if os.environ.get("NUMBA_ENABLE_CUDASIM") == "1" else 128
    blocks = min((x.shape[0] + threads - 1) // threads, 65535)
    wave_grad_by_hand[blocks, threads](out, cuda.to_device(x))
    return out.copy_to_host()


def stays_on_gpu(x):
    """GPU arrays in, GPU arrays out: nothing is copied over PCIe."""
    on_gpu = ta.vmap(ta.grad(wave), target="cuda")
    x_gpu = cuda.to_device(x)
    on_gpu(x_gpu)  # compiled and planned: later calls of these kinds go straight to the GPU
    start = time.perf_counter()
    grads = on_gpu(x_gpu)
    cuda.synchronize()
    seconds = time.perf_counter() - start
    print(f"wave's gradient on a GPU array: a {type(grads).__name__} of {grads.shape[0]} "
          f"({seconds:.4f} s, no transfers)")


def compare_by_hand(x):
    by_hand(x[:2])  # compile once, outside the timing
    start = time.perf_counter()
    hand = by_hand(x)
    seconds = time.perf_counter() - start
    error = np.max(np.abs(hand - ta.vmap(ta.grad(wave))(x)))
    print(f"hand-written kernel for wave: largest difference {error:.1e} ({seconds:.3f} s)")


def main():
    simulated = os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"
    n = 64 if simulated else 10_000_000
    print(f"{'simulator' if simulated else 'GPU'}: {n} points")
    x = np.linspace(-3, 3, n)
    try:
        compare(x)
    except ImportError as exc:  # numba-cuda is missing: the device source still prints
        print(exc)
    if cuda is not None:
        stays_on_gpu(x)
        compare_by_hand(x)
    df = ta.grad(wave)
    df(1.0)
    print("\nThe gradient, and its CUDA device function:\n")
    print(df.source)
    print(device_source(df.python))


if __name__ == "__main__":
    main()
