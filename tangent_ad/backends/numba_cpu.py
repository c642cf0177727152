"""The numba backend: `njit(cache=True, error_model="numpy")` on the generated function.

Compilation happens at the first call. If numba cannot compile the function, the default
backend warns once, naming numba's reason, and runs the Python version of the same source;
`backend="numba"` raises instead. Errors raised while the compiled code runs (a shape
mismatch, say) are the user's errors and pass through unchanged.
"""
import inspect
import os
import re
import threading
import warnings

from ..codegen.guard import SUFFIX
from . import tiers
from ..errors import TangentADError
from .python import real_results

_STACK = 512 << 20  # bytes for a recursion of guard.MAX_DEPTH calls of up to 25 KiB each
_STACK_SIZE = threading.Lock()  # threading.stack_size is a setting of the process


class NumbaFallbackWarning(UserWarning):
    """numba could not compile a derivative; the Python version runs instead."""


class NumbaCompileError(TangentADError):
    """numba could not compile a derivative and `backend="numba"` was asked for."""


def _njit(fn):
    import numba
    return numba.njit(cache=True, error_model="numpy")(fn)


def _modules_of(exc):
    tb, names = exc.__traceback__, []
    while tb is not None:
        names.append(tb.tb_frame.f_globals.get("__name__") or "")
        tb = tb.tb_next
    return names


def _raised_by_cache(exc):
    return "numba.core.caching" in _modules_of(exc)


def _could_not_compile(exc):
    """numba's own compile error, or an exception raised inside numba while it compiled
    (an internal assertion on a construct it does not support, such as a 2-D boolean
    mask written into): either way, numba could not compile the function."""
    from numba.core.errors import NumbaError
    if isinstance(exc, NumbaError):
        return True
    modules = _modules_of(exc)
    return any(m.startswith("numba.") for m in modules) and "numba.core.caching" not in \
        modules and not _unsupported_type(exc)


def _remove_cache_files(fn):
    """Delete numba's cache entries (index and data) of the generated function `fn`."""
    source = inspect.getsourcefile(fn)
    folder = os.path.join(os.path.dirname(source), "__pycache__")
    stem = os.path.splitext(os.path.basename(source))[0]
    for name in os.listdir(folder) if os.path.isdir(folder) else []:
        if name.startswith(stem + ".") and name.endswith((".nbi", ".nbc")):
            os.remove(os.path.join(folder, name))


def _unsupported_type(exc):
    """Whether `exc` is numba's refusal of an argument type it has no model for (float16
    arrays), raised inside numba while compiling, not by the user's code."""
    modules = _modules_of(exc)  # the last: where it was raised
    return isinstance(exc, NotImplementedError) and bool(modules) and \
        modules[-1].startswith("numba.core")


def _reason(exc):
    """numba's message without colour codes, its first two lines of substance."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:2]) if lines else type(exc).__name__


class NumbaFunction:
    """Calls the numba-compiled function; on a compile error, falls back or raises."""

    def __init__(self, fn, strict, module=None, helpers=(), fused=None, guarded=None,
                 tiered=False):
        self.python = fn
        self.module = module
        # A module loaded again from the same source already holds the compiled helpers.
        self.helpers = {h: _python(module, h) for h in helpers}
        for helper, python in self.helpers.items():  # calls between njit functions
            setattr(module, helper, _njit(python))
        self.deep = guarded is not None  # helpers that may recurse: copies count the depth
        for helper in helpers if self.deep else ():
            setattr(module, helper + SUFFIX, _njit(_python(module, helper + SUFFIX)))
        self.machine = guarded or fused or fn  # what numba compiles: the same computation
        self.compiled = _njit(self.machine)
        self.strict = strict
        self.fallen_back = False
        self.tiered = tiered and not strict and not helpers  # Python while compiling: tiers.py
        self.background = None
        self.__name__ = fn.__name__

    def __call__(self, *args):
        if self.fallen_back:
            return real_results(self.python(*args), self.__name__)
        if self.tiered:
            answer = self._first_tier(args)
            if answer is not _COMPILED:
                return answer
        try:
            if self.deep:
                return _on_large_stack(self.compiled, args + (1,))  # the depth: guard.py
            return self.compiled(*args)
        except Exception as exc:  # handled off the path of every call
            return self._failed(exc, args)

    def _first_tier(self, args):
        """The Python version's result while numba compiles in the background (started at
        the first call), or _COMPILED once the machine code is to run."""
        if self.background is None:
            types = tiers.signature(args)
            if types is None or not tiers.enabled() or tiers.in_disk_cache(self.compiled):
                self.tiered = False
                return _COMPILED
            self.background = tiers.BackgroundCompile(self.compiled, types)
        if not self.background.done():
            return real_results(self.python(*args), self.__name__)
        self.tiered = False
        error = self.background.finish()
        return _COMPILED if error is None else self._failed(error, args)

    def finish_compiling(self):
        """Wait for a compile under way in the background: from now on, calls run the
        machine code (or, if numba could not compile it, go the way of `_failed`)."""
        if self.tiered and self.background is not None:
            self.background.finish()
            self.tiered = False

    def _failed(self, exc, args):
        """After a call raised `exc`: compile the printed form if numba could not compile
        the fused one, fall back (or raise) if it cannot compile either, rebuild a broken
        cache entry; the user's own errors pass through."""
        deep = self.deep  # the guarded copy and the printed form take other arguments
        if _could_not_compile(exc) and self.machine is not self.python and not deep:
            self.machine = self.python  # numba may type the printed form only
            self.compiled = _njit(self.python)
            try:
                return self.compiled(*args)
            except Exception as again:
                exc = again
        if _could_not_compile(exc):
            return self._fall_back(exc, args)
        if _unsupported_type(exc):  # float16: these arguments only run as Python
            return self._fall_back(exc, args, for_good=False)
        if not _raised_by_cache(exc):
            raise exc
        _remove_cache_files(self.python)  # corrupt or foreign: rebuild, never use it
        self.compiled = _njit(self.machine)
        return _on_large_stack(self.compiled, args + (1,)) if deep else self.compiled(*args)

    def _fall_back(self, exc, args, for_good=True):
        """Run the Python version (from now on, or for these arguments only where numba
        cannot type them), or raise for `backend="numba"`."""
        reason = _reason(exc)
        if not for_good:
            reason = (f"numba has no {reason} type (pass float32 or float64 arrays"
                      + (", or use the default backend, which runs them as Python)"
                         if self.strict else ")"))
        if self.strict:
            raise NumbaCompileError(f"numba could not compile {self.__name__}: {reason}") \
                from exc
        warnings.warn(f"numba could not compile {self.__name__}; running the Python "
                      f"version of the same source instead. numba said: {reason}",
                      NumbaFallbackWarning, stacklevel=5)
        if not for_good:
            return real_results(self.python(*args), self.__name__)
        self.fallen_back = True
        for helper, python in self.helpers.items():
            setattr(self.module, helper, python)
        return real_results(self.python(*args), self.__name__)


def _python(module, name):
    value = getattr(module, name)
    return getattr(value, "py_func", value)


def _on_large_stack(fn, args):
    """`fn(*args)` on a thread whose stack holds a recursion `guard.MAX_DEPTH` deep (the
    main thread's may hold a tenth of that); its exception is raised here."""
    outcome = []

    def run():
        try:
            outcome.append((fn(*args), None))
        except BaseException as exc:  # handed to the calling thread
            outcome.append((None, exc))
    with _STACK_SIZE:
        previous = threading.stack_size(_STACK)
        try:
            thread = threading.Thread(target=run)
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    result, exc = outcome[0]
    if exc is not None:
        raise exc
    return result


_COMPILED = object()  # NumbaFunction._first_tier: call the machine code


def runs_compiled(call):
    """Whether `call` (a generated derivative's callable) runs numba's machine code (after
    the compile under way in the background, if any)."""
    if isinstance(call, NumbaFunction):
        call.finish_compiling()
    return getattr(call, "compiled", None) is not None and not call.fallen_back


def compile_function(fn, strict=False, module=None, helpers=(), fused=None, guarded=None,
                     tiered=False):
    """`fn` compiled; `helpers` are functions of `module` it calls, compiled alongside.
    `fused`: a copy of `fn` with temporaries inlined (codegen/fuse.py), compiled instead;
    `guarded`: a copy calling copies of the helpers that count their depth (guard.py);
    `tiered`: its first calls may run as Python while numba compiles it (tiers.py)."""
    return NumbaFunction(fn, strict, module, helpers, fused, guarded, tiered)
