"""Names that keep numba's compiled functions apart between processes.

numba names the machine code of a function after its module, its qualified name, a counter
of the process and its argument types. Two closures made by one overload (a reduction for
`keepdims=True` and one for `keepdims=False`) share the first two, and often the types;
only the counter tells them apart, and it depends on the order in which a process compiles.
A cached derivative loaded in another process can then link against the other closure's
machine code, and compute the wrong numbers without an error.

So every function this package hands to numba is named after what it computes: its code,
its defaults and the values it closes over.

    def reduced_shape(...):        →  numba compiles `reduced_shape.<locals>.shape[3f09a1c2]`
        @register_jitable              for keepdims=True, and `...shape[8d2e7b40]` for False
        def shape(x, mask, flat): ...
"""
import functools
import hashlib

from numba import extending, vectorize as numba_vectorize


def fingerprint(fn, seen=None):
    """A hash of what `fn` computes: where it is defined, its bytecode (nested functions'
    included), its defaults, the values it closes over and the Python functions it calls
    by global name (functions among them by their own fingerprints)."""
    fn = getattr(getattr(fn, "_dispatcher", fn), "py_func", fn)  # numba's: the Python one
    code = getattr(fn, "__code__", None)
    if code is None:
        return repr(fn)
    seen = set() if seen is None else seen
    if fn in seen:  # recursion: the function is being fingerprinted already
        return "recursive"
    seen.add(fn)
    parts = [fn.__module__ or "", code.co_filename, str(code.co_firstlineno),
             repr(fn.__defaults__), *_code_parts(code)]
    for cell in fn.__closure__ or ():
        try:
            value = cell.cell_contents
        except ValueError:  # a cell not yet filled
            value = None
        parts.append(fingerprint(value, seen) if callable(value) else repr(value))
    for called in code.co_names:
        value = fn.__globals__.get(called)
        if hasattr(value, "__code__"):
            parts.append(fingerprint(value, seen))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:10]


def _code_parts(code):
    """The bytecode, constants and names of `code` and of the code objects inside it."""
    parts = [code.co_code.hex(), repr(code.co_names)]
    for const in code.co_consts:
        parts += _code_parts(const) if hasattr(const, "co_code") else [repr(const)]
    return parts


def named(fn):
    """`fn`, its qualified name ending in its fingerprint (once)."""
    if not getattr(fn, "_named_by_fingerprint", False) and hasattr(fn, "__code__"):
        fn.__qualname__ = f"{fn.__qualname__}[{fingerprint(fn)}]"
        fn._named_by_fingerprint = True
    return fn


def register_jitable(fn=None, **options):
    """numba's `register_jitable`, on `fn` named by its fingerprint; with `options`
    (`inline="always"`), a decorator."""
    if fn is None:
        return lambda fn: register_jitable(fn, **options)
    if options:
        return extending.register_jitable(**options)(named(fn))
    return extending.register_jitable(named(fn))


def vectorize(fn):
    """numba's `vectorize` (types chosen at the call), on `fn` named by its fingerprint."""
    return numba_vectorize(named(fn))


def overload(target, **options):
    """numba's `@overload`; each implementation it returns is named by its fingerprint."""
    def decorate(typing):
        @functools.wraps(typing)
        def implementation_for(*args, **kwargs):
            impl = typing(*args, **kwargs)
            return None if impl is None else named(impl)
        return extending.overload(target, **options)(implementation_for)
    return decorate
