"""GPU throughput: `ta.vmap(ta.grad(f), target="cuda")` next to a hand-written numba.cuda
kernel of the same derivative, over 10^7 points in float64.

    python -m tools.bench.gpu [--points N] [--out DIR]

Needs a GPU (numba-cuda, no simulator). For each function it times, with CUDA events or a
synchronised clock, the median of many runs on fresh inputs:

- kernel: the kernel alone, inputs and output already on the GPU;
- call: one Python call on GPU arrays (tangent_ad: `vmap(...)(xs_on_gpu)`, which allocates
  its output; hand: allocate the output and launch);
- host: host array in, host array out (copies over PCIe included).

Throughput is points per second; the ratio is tangent_ad's throughput over the hand kernel's.
Every result is checked against the CPU gradient first. Writes gpu.md to --out.
"""
import argparse
import itertools
import math
import os
import statistics
import time

import numpy as np

import tangent_ad as ta
from tangent_ad.backends import cuda as cuda_target

RECURRENCE_STEPS = 8
cuda = None  # numba.cuda, set by main(): a module global, which the simulator can swap


def wave(x):
    return np.sin(x) * x ** 2 + np.exp(-x) / (1.0 + np.abs(x)) + np.tanh(x)


def recurrence(x):
    y = x
    for _ in range(8):  # the gradient's tape: 8 values per GPU thread
        y = np.sin(y) * x
    return y


def hand_kernels():
    """The derivatives written by hand as numba.cuda kernels, one thread per point."""
    @cuda.jit
    def wave_grad(out, xs):
        i = cuda.grid(1)
        if i < xs.shape[0]:
            x = xs[i]
            e = math.exp(-x)
            d = 1.0 + abs(x)
            t = math.tanh(x)
            sign = 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)
            out[i] = (math.cos(x) * x * x + 2.0 * x * math.sin(x)
                      - e / d - e * sign / (d * d) + 1.0 - t * t)

    @cuda.jit
    def recurrence_grad(out, xs):
        i = cuda.grid(1)
        if i < xs.shape[0]:
            x = xs[i]
            tape = cuda.local.array(RECURRENCE_STEPS, np.float64)
            y = x
            for k in range(RECURRENCE_STEPS):
                tape[k] = y
                y = math.sin(y) * x
            y_bar, x_bar = 1.0, 0.0
            for k in range(RECURRENCE_STEPS - 1, -1, -1):
                x_bar += y_bar * math.sin(tape[k])
                y_bar = y_bar * x * math.cos(tape[k])
            out[i] = x_bar + y_bar

    return {"wave": wave_grad, "recurrence": recurrence_grad}


def median_seconds(run, cuda, repeats):
    """Median wall time of `run()` (which may launch work) with the GPU synchronised."""
    run()
    cuda.synchronize()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        cuda.synchronize()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def kernel_seconds(launch, cuda, repeats):
    """Median time of `launch()` between two CUDA events (no Python time in it)."""
    launch()
    times = []
    for _ in range(repeats):
        begin, end = cuda.event(), cuda.event()
        begin.record()
        launch()
        end.record()
        end.synchronize()
        times.append(begin.elapsed_time(end) / 1e3)  # milliseconds
    return statistics.median(times)


def measure(name, f, hand, points, cuda, repeats):
    """{column: seconds} for one function, after checking both kernels' results."""
    rng = np.random.default_rng(0)
    host = [rng.uniform(-3.0, 3.0, points) for _ in range(3)]  # rotate: no warm caches
    on_gpu = [cuda.to_device(x) for x in host]
    mapped = ta.vmap(ta.grad(f), target="cuda")
    out = cuda.device_array(points, np.float64)
    threads = 256
    blocks = (points + threads - 1) // threads

    want = ta.vmap(ta.grad(f), target="parallel")(host[0])  # every point, on the CPU
    got_ta = mapped(on_gpu[0]).copy_to_host()
    out.copy_to_device(np.full(points, np.nan))  # unwritten points would stay NaN
    hand[blocks, threads](out, on_gpu[0])
    got_hand = out.copy_to_host()
    errors = {who: float(np.max(np.abs(g - want) / (1.0 + np.abs(want))))
              for who, g in (("tangent_ad", got_ta), ("hand", got_hand))}
    assert max(errors.values()) < 1e-10 and not np.isnan(got_ta).any(), errors

    loop = next(v for k, v in cuda_target._loops.items() if k[0].python.__name__ == f"{name}_grad")
    ta_shape = cuda_target.launch_shape(points)
    gpu_inputs, host_inputs = itertools.cycle(on_gpu), itertools.cycle(host)

    return errors, {
        "hand kernel": kernel_seconds(lambda: hand[blocks, threads](out, next(gpu_inputs)), cuda,
                                      repeats),
        "tangent_ad kernel": kernel_seconds(
            lambda: loop.kernel[ta_shape](out, next(gpu_inputs)), cuda, repeats),
        "tangent_ad kernel, one thread per point": kernel_seconds(
            lambda: loop.kernel[blocks, threads](out, next(gpu_inputs)), cuda, repeats),
        "hand call": median_seconds(
            lambda: hand[blocks, threads](cuda.device_array(points, np.float64),
                                          next(gpu_inputs)), cuda, repeats),
        "tangent_ad call": median_seconds(lambda: mapped(next(gpu_inputs)), cuda, repeats),
        "hand host": median_seconds(
            lambda: _hand_host(hand, next(host_inputs), blocks, threads, cuda), cuda,
            max(5, repeats // 4)),
        "tangent_ad host": median_seconds(lambda: mapped(next(host_inputs)), cuda,
                                          max(5, repeats // 4)),
    }


def _hand_host(kernel, x, blocks, threads, cuda):
    out = cuda.device_array(x.shape[0], np.float64)
    kernel[blocks, threads](out, cuda.to_device(x))
    return out.copy_to_host()


PAIRS = [("kernel", "hand kernel", "tangent_ad kernel"),
         ("kernel, one thread per point", "hand kernel",
          "tangent_ad kernel, one thread per point"),
         ("call on GPU arrays", "hand call", "tangent_ad call"),
         ("host arrays in and out", "hand host", "tangent_ad host")]


def table(results, points):
    lines = [f"{points:.0e} points, float64. Throughput in points per second; ratio = "
             "tangent_ad ÷ hand.", "",
             "| function | what is timed | hand (s) | tangent_ad (s) | hand (points/s) | "
             "tangent_ad (points/s) | ratio |", "|---|---|---|---|---|---|---|"]
    for name, (errors, seconds) in results.items():
        for label, hand, ours in PAIRS:
            h, t = seconds[hand], seconds[ours]
            lines.append(f"| {name} | {label} | {h:.3g} | {t:.3g} | {points / h:.3g} | "
                         f"{points / t:.3g} | {h / t:.2f} |")
    lines += ["", "Largest relative difference from the CPU gradient: " + ", ".join(
        f"{name} {e['tangent_ad']:.1e} (hand {e['hand']:.1e})"
        for name, (e, _) in results.items())]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10 ** 7)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--out", default="results")
    args = parser.parse_args(argv)
    global cuda
    cuda = cuda_target.cuda_module()
    if not cuda.is_available():
        raise SystemExit("no GPU: this benchmark times real hardware (not the simulator).")
    name = getattr(cuda.get_current_device(), "name", b"simulator")
    print(name.decode() if isinstance(name, bytes) else name)
    hands = hand_kernels()
    results = {name: measure(name, f, hands[name], args.points, cuda, args.repeats)
               for name, f in (("wave", wave), ("recurrence", recurrence))}
    text = table(results, args.points)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "gpu.md"), "w") as fh:
        fh.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
