"""Second-process timing: how soon a fresh Python gets its first gradient from the caches.

``python -m tools.bench.cached PROBLEM SIZE COLUMN`` (SIZE as JSON, COLUMN ``ta_numba`` or
``hand``) imports tangent_ad and the problem, starts numba's runtime with a trivial cached
function (a one-time cost of every numba program, hand-written ones too), then builds the
derivative and calls it once. It prints one JSON line: seconds for the imports, numba's
start-up and the first derivative. The parent (``runner.py``) has compiled everything
before, so numba's on-disk cache and tangent_ad's generated-code cache are warm.
"""
import json
import os
import subprocess
import sys
import time

_T_START = time.perf_counter()


def _report(**times):
    print(json.dumps(times))


def main(problem, size, column):
    import importlib

    import numba
    import numpy as np

    import tangent_ad as ta

    mod = importlib.import_module(f"{__package__}.{problem}")
    size = tuple(size) if isinstance(size, list) else size
    args = mod.make_args(size, np.random.default_rng(0))
    t0 = time.perf_counter()
    numba.njit(cache=True)(_start_numba)(1.0)
    t1 = time.perf_counter()
    if column == "hand":
        mod.hand_adjoint(*args)
    else:
        from .runner import tangent_ad_derivative
        tangent_ad_derivative(ta, mod, "numba")(*args)
    t2 = time.perf_counter()
    _report(imports=t0 - _T_START, numba_start=t1 - t0, first=t2 - t1)


def _start_numba(x):
    return x + 1.0


def measure(problem, size, column, timeout=600):
    """Run ``main`` in a fresh interpreter; returns its dict of seconds (raises on failure)."""
    import tangent_ad

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    # the same tangent_ad as this process, and this checkout's tools
    paths = [os.path.dirname(os.path.dirname(tangent_ad.__file__)), root,
             os.environ.get("PYTHONPATH")]
    env = dict(os.environ, TANGENT_AD_BENCH_PEERS="0",
               PYTHONPATH=os.pathsep.join(p for p in paths if p))
    proc = subprocess.run([sys.executable, "-m", __name__, problem, json.dumps(size), column],
                          capture_output=True, text=True, env=env, cwd=root, timeout=timeout)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"second process failed: {last}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]), sys.argv[3])
