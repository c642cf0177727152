"""Pickling derivatives: by reference to the user's function, plus the derivative's options.

A derivative holds generated modules and numba dispatchers, which do not pickle; it does not
need to: what defines it is the function (pickled as module + qualified name, as pickle
does for any function) and its options (argnums, has_aux, backend). Unpickling rebuilds it
empty; its first call generates the derivative again, which numba's on-disk cache makes
quick in a process that shares the cache folder::

    >>> import pickle, numpy as np, tangent_ad as ta
    >>> pickle.loads(pickle.dumps(ta.grad(np.sin)))(0.0)
    1.0

So a derivative can be sent to `multiprocessing` workers, if its function can be imported
there (defined at the top level of a module; not a lambda, a nested function or `__main__`
of an interactive session).
"""
import pickle

# Attributes rebuilt on unpickling rather than pickled: caches of generated code.
_REBUILT = ("last", "_function", "__signature__", "_fast")


def _check_importable(fun):
    if isinstance(fun, type(_check_importable)):
        qualname = getattr(fun, "__qualname__", "")
        if "<lambda>" in qualname or "<locals>" in qualname:
            raise pickle.PicklingError(
                f"cannot pickle a derivative of {qualname}: derivatives pickle by reference "
                "to their function, which must be defined at the top level of an importable "
                "module (not a lambda or a nested function).")


def reduce_derivative(derivative):
    """`__reduce__` of a derivative: its class and its state without generated code."""
    _check_importable(derivative.fun)
    state = {k: v for k, v in vars(derivative).items() if k not in _REBUILT}
    return _rebuild, (type(derivative), state)


def _rebuild(cls, state):
    from .api import Transformed, _signature
    from .plans import function_of
    derivative = cls.__new__(cls)
    derivative.__dict__.update(state)
    derivative.last = None
    derivative._fast = {}
    fun = derivative.fun
    derivative._function = None if isinstance(fun, Transformed) else function_of(fun)
    derivative.__signature__ = _signature(fun)
    return derivative
