"""Benchmarks: derivatives of the same functions by tangent_ad, hand adjoints, JAX, autograd
and PyTorch.

Run from the repository root with ``python -m tools.bench``.  Everything runs on one
thread in float64; the thread limits are set here, before NumPy, numba or JAX load.
Only the scaling measurement (``parallel.py``) runs in a child process that sets
``TANGENT_AD_BENCH_NUMBA_THREADS`` to give numba's parallel loops more threads.
"""
import os

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
