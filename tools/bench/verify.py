"""Check each hand adjoint against central finite differences of the NumPy primal.

Run alone with ``python -m tools.bench.verify``; ``python -m tools.bench`` runs it first.
"""
import importlib

import numpy as np

from . import PROBLEMS


def central_differences(f, args, argnums, eps=1e-6, vector=False):
    """Gradient of scalar ``f(*args)`` wrt each of ``argnums`` by central differences; with
    ``vector``, the Jacobian of a vector ``f``, shaped out.shape + argument shape."""
    grads = []
    for a in argnums:
        x0 = np.array(args[a], dtype=np.float64)
        columns = []
        for idx in np.ndindex(x0.shape):
            h = eps * max(1.0, abs(x0[idx]))
            vals = []
            for step in (h, -h):
                x = x0.copy()
                x[idx] += step
                shifted = list(args)
                shifted[a] = x if x.ndim else float(x)
                vals.append(f(*shifted))
            columns.append((np.asarray(vals[0]) - np.asarray(vals[1])) / (2 * h))
        out_shape = np.shape(columns[0]) if vector else ()
        g = np.stack(columns, axis=-1) if columns else np.empty(out_shape + (0,))
        grads.append(g.reshape(out_shape + x0.shape))
    return grads


def central_jacobians(residual, args, argnums, eps=1e-6):
    """Per-row Jacobians of ``residual`` (one row of every argument in, a vector out) by
    central differences: for each of ``argnums``, shape (rows, out) + the row's shape."""
    per_row = [central_differences(residual, tuple(a[i] for a in args), argnums, eps,
                                   vector=True) for i in range(len(args[0]))]
    return [np.stack([r[k] for r in per_row]) for k in range(len(argnums))]


def check(name, rtol=1e-5):
    """Return a list of failure messages for problem ``name`` (empty when all checks pass)."""
    mod = importlib.import_module(f"{__package__}.{name}")
    args = mod.make_args(mod.VERIFY_SIZE, np.random.default_rng(1))
    failures = []
    f_np, f_nb = mod.numpy_primal(*args), mod.numba_primal(*args)
    if np.shape(f_np) != np.shape(f_nb) or not np.allclose(f_np, f_nb, rtol=1e-10):
        failures.append(f"{name}: numba primal {f_nb} != numpy primal {f_np}")
    hand = mod.hand_adjoint(*args)
    if getattr(mod, "KIND", "gradient") == "jacobian":
        rows = np.array([mod.residual(*(a[i] for a in args)) for i in range(len(args[0]))])
        if not np.allclose(rows, f_np, rtol=1e-10):
            failures.append(f"{name}: the per-row residual differs from the numpy primal")
        fd = central_jacobians(mod.residual, args, mod.ARGNUMS)
    else:
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
