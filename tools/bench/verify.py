"""Check each hand adjoint against central finite differences of the NumPy primal.

Run alone with ``python -m tools.bench.verify``; ``python -m tools.bench`` runs it first.
"""
import importlib

import numpy as np

from . import PROBLEMS


def central_differences(f, args, argnums, eps=1e-6):
    """Gradient of scalar ``f(*args)`` wrt each of ``argnums`` by central differences."""
    grads = []
    for a in argnums:
        x0 = np.array(args[a], dtype=np.float64)
        g = np.empty_like(x0)
        for idx in np.ndindex(x0.shape):
            h = eps * max(1.0, abs(x0[idx]))
            vals = []
            for step in (h, -h):
                x = x0.copy()
                x[idx] += step
                shifted = list(args)
                shifted[a] = x if x.ndim else float(x)
                vals.append(f(*shifted))
            g[idx] = (vals[0] - vals[1]) / (2 * h)
        grads.append(g)
    return grads


def check(name, rtol=1e-5):
    """Return a list of failure messages for problem ``name`` (empty when all checks pass)."""
    mod = importlib.import_module(f"{__package__}.{name}")
    args = mod.make_args(mod.VERIFY_SIZE, np.random.default_rng(1))
    failures = []
    f_np, f_nb = mod.numpy_primal(*args), mod.numba_primal(*args)
    if not np.isclose(f_np, f_nb, rtol=1e-10):
        failures.append(f"{name}: numba primal {f_nb} != numpy primal {f_np}")
    hand = mod.hand_adjoint(*args)
    fd = central_differences(mod.numpy_primal, args, mod.ARGNUMS)
    for a, h, g in zip(mod.ARGNUMS, hand, fd):
        h = np.asarray(h)
        scale = max(1.0, np.max(np.abs(g)))
        if h.shape != g.shape or not np.allclose(h, g, rtol=rtol, atol=rtol * scale):
            err = np.max(np.abs(h - g)) if h.shape == g.shape else "shape mismatch"
            failures.append(f"{name}: hand adjoint wrt argument {a} differs from FD (max err {err})")
    return failures


def check_all(names=PROBLEMS):
    failures = []
    for name in names:
        failures += check(name)
    return failures


if __name__ == "__main__":
    problems = check_all()
    for line in problems:
        print("FAIL", line)
    print("hand adjoints vs central differences:", "ok" if not problems else f"{len(problems)} failures")
    raise SystemExit(1 if problems else 0)
