"""Optional imports (JAX, autograd) and small helpers shared by the problem modules."""
import types

try:
    import jax
    import jax.numpy as jnp
    from jax import lax

    jax.config.update("jax_enable_x64", True)
    JAX_ERROR = None
except Exception as exc:  # ImportError, or a broken install
    jax = jnp = lax = None
    JAX_ERROR = f"{type(exc).__name__}: {exc}"

try:
    import autograd
    import autograd.numpy as anp

    AUTOGRAD_ERROR = None
except Exception as exc:
    autograd = anp = None
    AUTOGRAD_ERROR = f"{type(exc).__name__}: {exc}"


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
