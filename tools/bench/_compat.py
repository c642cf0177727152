"""Optional imports (JAX, autograd, PyTorch) and small helpers shared by the problem modules.

With ``TANGENT_AD_BENCH_PEERS=0`` in the environment no peer library is imported: the
second-process timings (``cached.py``) and the scaling runs (``parallel.py``) need only
tangent_ad and numba, and importing JAX or PyTorch would add seconds to every start.
"""
import os
import types

import numpy as np

_PEERS = os.environ.get("TANGENT_AD_BENCH_PEERS", "1") != "0"
_SKIPPED = "peers not imported: TANGENT_AD_BENCH_PEERS=0"


def _try_import(load):
    if not _PEERS:
        return None, _SKIPPED
    try:
        return load(), None
    except Exception as exc:  # ImportError, or a broken install
        return None, f"{type(exc).__name__}: {exc}"


def _load_jax():
    import jax

    jax.config.update("jax_enable_x64", True)
    return jax


def _load_torch():
    import torch

    torch.set_num_threads(1)  # intra-op threads; the suite compares single-thread times
    return torch


jax, JAX_ERROR = _try_import(_load_jax)
jnp = jax.numpy if jax is not None else None
lax = jax.lax if jax is not None else None
autograd, AUTOGRAD_ERROR = _try_import(lambda: __import__("autograd"))
anp = __import__("autograd.numpy").numpy if autograd is not None else None
torch, TORCH_ERROR = _try_import(_load_torch)


def with_numpy(f, xp):
    """The same function ``f`` with its global name ``np`` bound to ``xp``."""
    env = dict(f.__globals__, np=xp)
    return types.FunctionType(f.__code__, env, f.__name__, f.__defaults__, f.__closure__)


def jax_jit_grad(f, argnums, static_argnums=()):
    """``jax.jit(jax.grad(f, argnums))``, or None when JAX is not importable."""
    if jax is None:
        return None
    return jax.jit(jax.grad(f, argnums=argnums), static_argnums=static_argnums)


def autograd_grad_of(f, argnums):
    """``autograd.grad(f, argnums)``, or None when autograd is not importable."""
    if autograd is None:
        return None
    return autograd.grad(f, argnums)


def torch_grad_of(f, argnums):
    """``torch.autograd.grad`` of ``f`` wrt ``argnums``, or None without PyTorch.

    The returned function takes the arguments as ``to_torch`` made them (leaf tensors that
    require gradients at ``argnums``) and returns the gradients as a tuple of tensors.
    """
    if torch is None:
        return None

    def gradient(*args):
        return torch.autograd.grad(f(*args), [args[i] for i in argnums])

    return gradient


def to_torch(args, argnums):
    """NumPy arrays and the differentiated floats as float64 tensors (made once, untimed)."""
    out = []
    for i, a in enumerate(args):
        if isinstance(a, np.ndarray) or (i in argnums and isinstance(a, float)):
            a = torch.tensor(a, dtype=torch.float64, requires_grad=i in argnums)
        out.append(a)
    return tuple(out)
