"""Scaling of ``ta.vmap(ta.grad(f), target="parallel")`` over numba threads.

The suite pins one thread, so this runs in a child process with ``NUMBA_NUM_THREADS`` = the
number of threads asked for: ``python -m tools.bench.parallel THREADS MODE`` (MODE full,
quick or smoke) prints one JSON line per case. Each case times the same mapped gradient with
target="cpu" (one compiled loop), and with target="parallel" (numba's prange) on one thread
and on all of them; the outputs must agree.
"""
import json
import os
import subprocess
import sys
import time

CASES = ("recurrence", "ba_rows")


def _cases(mode):
    """(name, size, mapped gradient builder, arguments) for each case."""
    import numpy as np

    import tangent_ad as ta

    from . import ba_rows, recurrence

    rng = np.random.default_rng(0)
    batch, n = {"full": (4096, 1000), "quick": (256, 200), "smoke": (4, 10)}[mode]
    x0s = 0.5 + 0.1 * rng.random(batch)
    yield (f"recurrence per x0, batch={batch}, n={n}",
           lambda t: ta.vmap(ta.grad(recurrence.user_source, argnums=(0, 1)),
                             in_axes=(0, None, None, None), target=t),
           (x0s, 1.3, 1.0 / n, n))
    size = {"full": ba_rows.SIZES[-1], "quick": ba_rows.QUICK_SIZES[0],
            "smoke": ba_rows.VERIFY_SIZE}[mode]
    yield (f"ba residual_0, obs={size[2]}",
           lambda t: ta.vmap(ta.grad(ba_rows.residual_0, argnums=ba_rows.ARGNUMS), target=t),
           ba_rows.make_args(size, rng))


def main(threads, mode):
    import numba

    from .runner import CONFIGS, measure, same_gradient

    cfg = CONFIGS[mode]
    for label, build, args in _cases(mode):
        cpu, _, ref = measure(build("cpu"), args, **cfg)
        parallel = build("parallel")
        numba.set_num_threads(1)
        one, _, out1 = measure(parallel, args, **cfg)
        numba.set_num_threads(threads)
        many, _, out = measure(parallel, args, **cfg)
        ok = same_gradient(out, ref, rtol=1e-12) and same_gradient(out1, ref, rtol=1e-12)
        print(json.dumps(dict(label=label, threads=threads, cpu=cpu, parallel_1=one,
                              parallel_n=many, busy=_busy(parallel, args), ok=ok)), flush=True)


def _busy(fn, args):
    """Process CPU seconds per wall second over a few calls: about the number of threads
    that had a core. On a machine shared with other work it explains a poor speed-up."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(3):
        fn(*args)
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


def measure_scaling(threads, mode, timeout=1800):
    """Run ``main`` in a child with ``threads`` numba threads; returns its rows."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import tangent_ad

    paths = [os.path.dirname(os.path.dirname(tangent_ad.__file__)), root,
             os.environ.get("PYTHONPATH")]
    env = dict(os.environ, TANGENT_AD_BENCH_PEERS="0",
               TANGENT_AD_BENCH_NUMBA_THREADS=str(threads),
               PYTHONPATH=os.pathsep.join(p for p in paths if p))
    command = [sys.executable, "-m", __name__, str(threads), mode]
    proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=root,
                          timeout=timeout)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the scaling process failed: {last}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
