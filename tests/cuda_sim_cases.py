"""vmap(..., target="cuda") cases, run under NUMBA_ENABLE_CUDASIM=1 by test_cuda.py.

Prints one JSON object: case name → the largest difference from the per-point derivative,
or the error message the case expected. The simulator replaces numba.cuda for the whole
process, so these run apart from the rest of the suite. On a machine with a GPU,
`python tests/cuda_sim_cases.py --hardware` runs the same cases on it.
"""
import json
import os
import sys

import numpy as np

import tangent_ad as ta


def wave(x):
    return np.sin(x) * x ** 2 + np.exp(-x) / (1.0 + np.abs(x)) + np.tanh(x)


def recurrence(x):
    y = x
    for _ in range(4):
        y = np.sin(y) * x
    return y


def runtime_trips(x, n):
    y = x
    for _ in range(n):  # a tape of size n cannot live in a thread: forward mode instead
        y = np.sin(y) * x
    return y


def two_runtime_trips(x, y, n):
    s = 0.0
    for _ in range(n):
        s = s + np.cos(x * s + y)
    return s * y


def two_inputs(x, y):
    s = 0.0
    for _ in range(3):
        s = s + np.cos(x * s + y)
    return s * y


def bump(t):
    return t * np.exp(-t * t)


def calls_a_helper(x):  # bump stays a function: its vjp becomes a device function too
    return bump(x) + bump(np.sin(x)) * x


def vector_loss(w, x):
    return np.sum(w * x)


def cubic(w, x):
    return np.sum(w * x * x * x) + x[0] * np.sin(x[1])


def rotate(w, x):  # a vector function of vector rows: vmap traces its Jacobian to scalars
    return np.array([x[0] * np.cos(w[0] * x[2]), x[1] * np.sin(x[0]) + w[1], np.exp(x[1])])


def largest_difference(got, want):
    return float(np.max(np.abs(np.asarray(got, dtype=float) - np.asarray(want, dtype=float))))


def cases():
    xs, ys = np.linspace(-2.0, 2.0, 20), np.linspace(0.0, 1.0, 20)
    out = {}
    for f in (wave, recurrence, calls_a_helper):
        got = ta.vmap(ta.grad(f), target="cuda")(xs)
        out[f.__name__] = largest_difference(got, [ta.grad(f)(x) for x in xs])
    got = ta.vmap(ta.grad(runtime_trips), in_axes=(0, None), target="cuda")(xs, 3)
    out["runtime_trips"] = largest_difference(got, [ta.grad(runtime_trips)(x, 3) for x in xs])
    vg = ta.value_and_grad(two_runtime_trips, argnums=(0, 1))
    value, (gx, gy) = ta.vmap(vg, in_axes=(0, 0, None), target="cuda")(xs, ys, 3)
    want = [(v, gx, gy) for v, (gx, gy) in (vg(x, y, 3) for x, y in zip(xs, ys))]
    out["forward_value_and_two_grads"] = largest_difference([value, gx, gy], np.transpose(want))
    d = ta.grad(two_inputs, argnums=(0, 1))
    got = ta.vmap(d, target="cuda")(xs, ys)
    out["two_inputs"] = largest_difference(np.transpose(got), [d(x, y) for x, y in zip(xs, ys)])
    vg = ta.value_and_grad(two_inputs)
    value, grad = ta.vmap(vg, in_axes=(0, None), target="cuda")(xs, 0.3)
    out["value_and_grad"] = largest_difference([value, grad],
                                               np.transpose([vg(x, 0.3) for x in xs]))
    pts = np.stack([xs, ys, xs * ys], axis=1)
    for make, f in ((ta.jacfwd, rotate), (ta.jacrev, rotate), (ta.hessian, cubic)):
        d = make(f, argnums=1)
        got = ta.vmap(d, in_axes=(None, 0), target="cuda")(np.array([0.5, 1.0, 2.0]), pts)
        out[f"{make.__name__}_{f.__name__}"] = largest_difference(
            got, [d(np.array([0.5, 1.0, 2.0]), p) for p in pts])
    try:
        ta.vmap(ta.grad(vector_loss), in_axes=(None, 0), target="cuda")(np.ones(3), xs)
    except ta.TangentADError as exc:
        out["vector_rows"] = str(exc)
    out.update(device_array_cases(xs, pts))
    return out


def device_array_cases(xs, pts):
    """CUDA arrays in give CUDA arrays out, for a gradient and for a traced Jacobian."""
    from numba import cuda
    out = {}
    mapped = ta.vmap(ta.grad(wave), target="cuda")
    first = mapped(cuda.to_device(xs))
    again = mapped(cuda.to_device(xs[3:]))  # the quick path for arguments of known kinds
    assert hasattr(first, "copy_to_host") and hasattr(again, "copy_to_host"), type(again)
    got = np.concatenate([first.copy_to_host(), again.copy_to_host()])
    out["device_grad"] = largest_difference(got, ta.vmap(ta.grad(wave))(
        np.concatenate([xs, xs[3:]])))
    d = ta.jacfwd(rotate, argnums=1)
    w = np.array([0.5, 1.0, 2.0])
    got = ta.vmap(d, in_axes=(None, 0), target="cuda")(w, cuda.to_device(pts))
    assert hasattr(got, "copy_to_host") and got.shape == (len(pts), 3, 3), type(got)
    out["device_jacfwd"] = largest_difference(got.copy_to_host(), [d(w, p) for p in pts])
    try:
        ta.vmap(ta.grad(wave))(cuda.to_device(xs))
    except TypeError as exc:
        out["device_array_on_cpu"] = str(exc)
    return out


if __name__ == "__main__":
    assert os.environ.get("NUMBA_ENABLE_CUDASIM") == "1" or "--hardware" in sys.argv, \
        "run under the CUDA simulator, or pass --hardware on a machine with a GPU"
    try:
        import numba.cuda  # noqa: F401
    except ImportError as exc:
        print(json.dumps({"skip": f"numba-cuda is not installed: {exc}"}))
        sys.exit(0)
    print(json.dumps(cases()))
