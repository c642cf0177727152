"""Time every column of one problem at one size and check every gradient against the hand adjoint."""
import gc
import time

import numpy as np

from . import _compat, cached

# (key, header) of the gradient columns, each shown as a ratio to the numba primal.
GRAD_COLUMNS = [
    ("ta_numba", "tangent_ad (numba)"),
    ("ta_python", "tangent_ad (python)"),
    ("hand", "hand numba adjoint"),
    ("jax", "jax.jit(grad)"),
    ("autograd", "autograd"),
    ("torch", "PyTorch"),
]

QUICK = dict(repeat=2, min_time=0.005, max_total=2.0)
FULL = dict(repeat=7, min_time=0.2, max_total=20.0)
SMOKE = dict(repeat=1, min_time=0.0, max_total=0.0)
CONFIGS = {"full": FULL, "quick": QUICK, "smoke": SMOKE}


class Unavailable(Exception):
    """A column that cannot run: its library is missing or the problem skips it."""


def _sync(out):
    """Wait for asynchronous (JAX) results so that they are part of the timing."""
    for leaf in out if isinstance(out, (tuple, list)) else (out,):
        if hasattr(leaf, "block_until_ready"):
            leaf.block_until_ready()
    return out


def measure(fn, args, repeat, min_time, max_total):
    """Best time per call over ``repeat`` samples, after one warm-up call.

    Returns (best seconds, first-call seconds, result of the first call).
    """
    gc.collect()
    t0 = time.perf_counter()
    out = _sync(fn(*args))
    first = time.perf_counter() - t0
    return interleaved({"fn": (fn, args)}, repeat, min_time, max_total)["fn"], first, out


def interleaved(columns, repeat, min_time, max_total):
    """{key: best seconds per call} of ``columns`` ({key: (fn, args)}, each called once
    before), sampled in turns: one sample of every column per round, so that a slow spell
    of the machine reaches all of them alike and their ratios hold."""
    plans = {}
    for key, (fn, args) in columns.items():
        t0 = time.perf_counter()
        _sync(fn(*args))
        once = time.perf_counter() - t0
        number = max(1, int(min_time / max(once, 1e-9)))
        samples = max(1, min(repeat, int(max_total / max(once * number, 1e-9))))
        plans[key] = [number, samples, once]
    for round_ in range(max(p[1] for p in plans.values())):
        for key, (fn, args) in columns.items():
            number, samples, best = plans[key]
            if round_ >= samples:
                continue
            gc.collect()
            t0 = time.perf_counter()
            for _ in range(number):
                _sync(fn(*args))
            plans[key][2] = min(best, (time.perf_counter() - t0) / number)
    return {key: plan[2] for key, plan in plans.items()}


def same_gradient(got, ref, rtol=1e-6):
    """True when ``got`` is a tuple of arrays matching the reference gradients."""
    if not isinstance(got, (tuple, list)) or len(got) != len(ref):
        return False
    for g, r in zip(got, ref):
        g, r = np.asarray(g, dtype=np.float64), np.asarray(r, dtype=np.float64)
        scale = max(1.0, float(np.max(np.abs(r))))
        if g.shape != r.shape or not np.allclose(g, r, rtol=rtol, atol=1e-9 * scale):
            return False
    return True


def _on_device(args):
    return tuple(_compat.jax.device_put(a) if isinstance(a, np.ndarray) else a for a in args)


def tangent_ad_derivative(ta, mod, backend):
    """The problem's derivative by tangent_ad: ``grad(user_source)`` unless the problem
    says how its user builds it (``tangent_ad_fn``, e.g. a batched Jacobian)."""
    if hasattr(mod, "tangent_ad_fn"):
        return mod.tangent_ad_fn(ta, backend)
    return ta.grad(mod.user_source, argnums=mod.ARGNUMS, backend=backend)


def _tangent_ad(mod, backend):
    try:
        import tangent_ad
    except Exception as exc:
        raise Unavailable(f"tangent_ad not importable ({type(exc).__name__}: {exc})") from exc
    return tangent_ad_derivative(tangent_ad, mod, backend)


def _column_args(mod, key, args):
    """JAX and PyTorch users keep their data in the library's arrays: convert once, untimed
    (a per-call host-to-device copy would dominate logreg)."""
    if key == "jax":
        return _on_device(args)
    if key == "torch":
        return mod.torch_args(args) if hasattr(mod, "torch_args") else \
            _compat.to_torch(args, mod.ARGNUMS)
    return args


def _builder(mod, key):
    """A function that returns the callable of column ``key`` (building it may raise)."""
    def fixed(fn, error):
        def build():
            if fn is None:
                raise Unavailable(f"{key} unavailable ({error})")
            return fn
        return build

    return {
        "ta_numba": lambda: _tangent_ad(mod, "numba"),
        "ta_python": lambda: _tangent_ad(mod, "python"),
        "hand": fixed(mod.hand_adjoint, None),
        "jax": fixed(mod.jax_grad, _compat.JAX_ERROR),
        "autograd": fixed(mod.autograd_grad, _compat.AUTOGRAD_ERROR),
        "torch": fixed(getattr(mod, "torch_grad", None), _compat.TORCH_ERROR),
    }[key]


def _error_note(key, exc):
    if isinstance(exc, Unavailable):
        return str(exc)
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    msg = msg if len(msg) <= 160 else msg[:157] + "..."
    library = {"ta_numba": "tangent_ad", "ta_python": "tangent_ad", "hand": "hand adjoint"}.get(key, key)
    return f"{library} raised {type(exc).__name__}" + (f": {msg}" if msg else "")


def run_case(mod, size, cfg, log=print, second_process=True):
    """Measure one row. Returns a dict of cells: seconds, ratios, match flags and notes.

    Every column is built and called once (its first-call time, its gradient checked),
    then all are timed together by `interleaved`."""
    args = mod.make_args(size, np.random.default_rng(0))
    row = {"label": mod.label(size), "notes": {}}
    where = f"{mod.__name__.rsplit('.', 1)[-1]} {row['label']}"
    columns = {"numpy": (mod.numpy_primal, args), "numba": (mod.numba_primal, args)}
    for fn, fn_args in columns.values():
        fn(*fn_args)
    ref = mod.hand_adjoint(*args)
    for key, header in GRAD_COLUMNS:
        log(f"  {where:<30} {header:<20}", end="", flush=True)
        try:
            reason = mod.skip(key, size)
            if reason:
                raise Unavailable(reason)
            t0 = time.perf_counter()
            fn = _builder(mod, key)()
            fn_args = _column_args(mod, key, args)
            out = _sync(fn(*fn_args))
            row[key + "_first"] = time.perf_counter() - t0  # building it and its first call
        except Exception as exc:
            row["notes"][key] = _error_note(key, exc)
            log(" —  " + row["notes"][key])
            continue
        columns[key] = (fn, fn_args)
        row[key + "_ok"] = same_gradient(out, ref)
        log(f" first call {row[key + '_first']:.3g} s" +
            ("" if row[key + "_ok"] else "  (gradient mismatch)"))
    log(f"  {where:<30} timing {len(columns)} columns in turns", flush=True)
    row.update(interleaved(columns, **cfg))
    if second_process:
        _second_process(mod, size, row, log, where)
    else:
        for key in ("ta_numba_cached", "hand_cached", "numba_start"):
            row["notes"][key] = "second-process timings not run (--smoke)"
    return row


SECOND_PROCESS_SAMPLES = 3


def _second_process(mod, size, row, log, where):
    """First derivative in a fresh process, from the caches the columns above filled: the
    best of a few processes, as every other column is the best of a few samples."""
    name = mod.__name__.rsplit(".", 1)[-1]
    for key in ("ta_numba", "hand"):
        log(f"  {where:<30} {'cached ' + key:<20}", end="", flush=True)
        if key not in row:
            row["notes"][key + "_cached"] = row["notes"].get(key, "not measured")
            log(" —  (no derivative in this process)")
            continue
        try:
            times = min((cached.measure(name, size, key)
                         for _ in range(SECOND_PROCESS_SAMPLES)), key=lambda t: t["first"])
        except Exception as exc:
            row["notes"][key + "_cached"] = _error_note(key, exc)
            log(" —  " + row["notes"][key + "_cached"])
            continue
        row[key + "_cached"] = times["first"]
        row["numba_start"] = times["numba_start"]
        log(f" {times['first']:.3g} s (numba start-up {times['numba_start']:.3g} s)")
