"""What a Hessian costs in gradients: ``ta.hessian(f)`` of functions of 100 inputs, timed
next to ``ta.grad(f)`` (and ``jax.hessian`` next to ``jax.grad`` where jax is installed).

``ta.hessian`` is forward over reverse: one forward-mode pass of the generated gradient per
input, so a Hessian of n inputs should cost about n gradients (each pass carries a tangent
beside every value, so a little more than a gradient; one parse and generation are shared).
``python -m tools.bench.hessian_cost [full|quick|smoke]`` prints the markdown section.
"""
import sys

import numpy as np

from ._compat import jax, jnp
from .runner import CONFIGS, measure

N = 100


def rosenbrock(x):
    """Vectorized: every entry of the Hessian's tridiagonal band is non-zero."""
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def rosenbrock_loop(x):
    """The same function as a loop over the inputs (a tape of 99 steps)."""
    s = 0.0
    for i in range(x.shape[0] - 1):
        s = s + 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s


def softplus_quadratic(x, A):
    """Dense: x^T A x under a softplus, every input coupled to every other."""
    return np.sum(np.log1p(np.exp(A @ x))) + 0.5 * np.sum(x * x)


def _cases():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1.0, 1.0, N)
    A = rng.standard_normal((N, N)) / np.sqrt(N)
    yield "rosenbrock (vectorized)", rosenbrock, (x,), _jax_rosenbrock
    yield "rosenbrock (loop)", rosenbrock_loop, (x,), None
    yield "softplus of A x", softplus_quadratic, (x, A), _jax_softplus


def _jax_rosenbrock(x):
    return jnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def _jax_softplus(x, A):
    return jnp.sum(jnp.log1p(jnp.exp(A @ x))) + 0.5 * jnp.sum(x * x)


def measure_all(mode):
    """One row per function: seconds per gradient and per Hessian, both for tangent_ad and
    (where installed) jax, and whether the Hessian is symmetric and matches jax's."""
    import tangent_ad as ta

    cfg = CONFIGS[mode]
    rows = []
    for label, f, args, jax_f in _cases():
        grad_s, _, _ = measure(ta.grad(f, backend="numba"), args, **cfg)
        hess_s, _, H = measure(ta.hessian(f, backend="numba"), args, **cfg)
        row = dict(label=label, grad=grad_s, hessian=hess_s, symmetric=np.allclose(H, H.T))
        if jax is not None and jax_f is not None:
            jargs = [jnp.asarray(a) for a in args]
            jg, _, _ = measure(jax.jit(jax.grad(jax_f)), jargs, **cfg)
            jh, _, JH = measure(jax.jit(jax.hessian(jax_f)), jargs, **cfg)
            row.update(jax_grad=jg, jax_hessian=jh, same=np.allclose(H, np.asarray(JH)))
        rows.append(row)
    return rows


def markdown(rows):
    lines = ["", f"## Hessians of {N} inputs, in gradients", "",
             "Seconds per call (numba backend, one thread). Ratio: Hessian ÷ gradient, the "
             f"number of gradients one Hessian costs (forward over reverse: about {N}).", "",
             "| function | ta.grad (s) | ta.hessian (s) | ratio | jax.grad (s) | "
             "jax.hessian (s) | jax ratio |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        mark = "" if r["symmetric"] and r.get("same", True) else " ✗"
        jax_cells = (f"{r['jax_grad']:.3g} | {r['jax_hessian']:.3g} | "
                     f"{r['jax_hessian'] / r['jax_grad']:.0f}" if "jax_grad" in r else "— | — | —")
        lines.append(f"| {r['label']} | {r['grad']:.3g} | {r['hessian']:.3g} | "
                     f"{r['hessian'] / r['grad']:.0f}{mark} | {jax_cells} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(measure_all(sys.argv[1] if len(sys.argv) > 1 else "full")))
