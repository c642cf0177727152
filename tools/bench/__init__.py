"""Benchmarks: derivatives of the same functions by tangent_ad, hand adjoints, JAX, autograd
and PyTorch.

Run from the repository root with ``python -m tools.bench``.  Everything runs on one
thread in float64; the thread limits are set here, before NumPy, numba or JAX load.
Only the scaling measurement (``parallel.py``) runs in a child process that sets
``TANGENT_AD_BENCH_NUMBA_THREADS`` to give numba's parallel loops more threads.
"""
import hashlib
import importlib.util
import os
import pathlib


def _overloads_hash():
    """A hash of tangent_ad's numba overloads, read as files (nothing is imported yet)."""
    spec = importlib.util.find_spec("tangent_ad")
    if spec is None or not spec.submodule_search_locations:
        return "none"
    folder = pathlib.Path(next(iter(spec.submodule_search_locations))) / "overloads"
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# numba's cache of an @njit(cache=True) function keeps the code of the overloads it was
# compiled with (it is keyed by the function's own file), and tangent_ad's overloads serve
# every numba function in the process: the primals and hand adjoints too. One cache folder
# per version of the overloads keeps a primal from running code of an older version.
os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(
    os.path.expanduser("~"), ".cache", "tangent_ad-bench", f"numba-{_overloads_hash()}"))

_SINGLE_THREAD = {
    "NUMBA_NUM_THREADS": os.environ.get("TANGENT_AD_BENCH_NUMBA_THREADS", "1"),
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
    "JAX_PLATFORMS": "cpu",
}
os.environ.update(_SINGLE_THREAD)

PROBLEMS = ("recurrence", "rnn", "logreg", "gmm", "ba", "ba_rows")
