"""target: the function a `tangent-ad` command names, and the example arguments for it.

    loss.py:loss            a function in a file (the file runs as a module, not as __main__)
    mypkg.models:loss       a function in an importable module
    model.py:Model.loss     an attribute path inside the module

Everything that can go wrong here is the user's input, so it becomes a `TargetError`
whose message starts with the place (`loss.py:3:9: ...`) and fits in two lines.
"""
import builtins
import contextlib
import importlib
import importlib.util
import inspect
import math
import os
import sys
import traceback

import numpy as np

from .errors import TangentADError


class TargetError(TangentADError):
    """The command line names a file, module, function or argument list that does not work."""


class Target:
    """A function named on the command line, with where it came from."""

    def __init__(self, spec, fn, namespace):
        self.spec = spec
        self.fn = fn
        self.namespace = namespace

    @property
    def name(self):
        """The function's name; for a lambda, the name it is bound to on the command line."""
        name = getattr(self.fn, "__name__", None)
        if name is None or name == "<lambda>":
            return self.spec.rpartition(":")[2].split(".")[-1] or self.spec
        return name

    def params(self):
        """The names of the positional parameters."""
        if hasattr(self.fn, "nin"):  # a NumPy ufunc: its signature also lists `out`
            return list("xyzw"[:self.fn.nin])
        try:
            params = inspect.signature(self.fn).parameters.values()
        except (TypeError, ValueError):
            return []
        return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def load(spec):
    """The `Target` for `FILE.py:func` or `package.module:func`."""
    where, sep, attr = spec.rpartition(":")
    if not sep or not where or not attr:
        raise TargetError(f"{spec}: name a function as FILE.py:func or package.module:func.")
    if where.endswith(".py") or os.sep in where or "/" in where or os.path.isfile(where):
        module = _load_file(where)
    else:
        module = _import(where)
    fn = module
    for part in attr.split("."):
        if not hasattr(fn, part):
            raise TargetError(f"{where}: no function `{attr}` here; it defines "
                              f"{_functions_in(module)}.")
        fn = getattr(fn, part)
    if not callable(fn):
        raise TargetError(f"{where}: `{attr}` is a {type(fn).__name__}, not a function.")
    return Target(spec, fn, vars(module))


def _functions_in(module, shown=8):
    """`f, g` or `a, b, ... and 40 more`: the functions `module` defines, for a message."""
    names = sorted(n for n, v in vars(module).items()
                   if inspect.isfunction(v) and v.__module__ == module.__name__
                   and not n.startswith("_"))
    if len(names) > shown:
        return f"{', '.join(names[:shown])} and {len(names) - shown} more"
    return ", ".join(names) if names else "no functions"


def _load_file(path):
    full = os.path.abspath(path)
    if not os.path.isfile(full):
        raise TargetError(f"{path}: no such file.")
    if not full.endswith(".py"):
        raise TargetError(f"{path}: not a Python file; name a .py file (FILE.py:func) or a "
                          "module (package.module:func).")
    stem = os.path.splitext(os.path.basename(full))[0]
    # The file's own name when free, so its functions read as its own in messages; a
    # private name when that would replace a module already imported (numpy.py, test.py).
    name = stem if stem.isidentifier() and stem not in sys.modules else f"_tangent_ad_{stem}"
    spec = importlib.util.spec_from_file_location(name, full)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    folder = os.path.dirname(full)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # the file may import its neighbours, as a script would
    try:
        # The user's prints at import time go to stderr: stdout carries the command's output.
        with contextlib.redirect_stdout(sys.stderr):
            spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise _syntax_error(exc, path, full) from None
    except (Exception, SystemExit) as exc:  # the user's module failed at its top level
        raise _run_error(exc, path, full) from None
    return module


def _import(name):
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        raise TargetError(f"{name}: no module named `{exc.name}` (is it installed, or on "
                          "PYTHONPATH?).") from None
    except SyntaxError as exc:
        raise _syntax_error(exc, exc.filename, exc.filename) from None
    except (Exception, SystemExit) as exc:
        raise _run_error(exc, name, None) from None


def _syntax_error(exc, shown, full):
    filename = shown if exc.filename == full else exc.filename
    column = f":{exc.offset}" if exc.offset else ""
    message = f"{filename}:{exc.lineno}{column}: syntax error: {exc.msg}."
    if exc.text and exc.text.strip():
        message += f"\n    {exc.text.strip()}"
    return TargetError(message)


def _run_error(exc, shown, full):
    """`file:line: NameError: ...` at the deepest line of the user's file in the traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if full and os.path.abspath(f.filename) == full]
    frame = (own or [f for f in frames if "importlib" not in f.filename] or frames)[-1]
    filename = shown if own else frame.filename
    if isinstance(exc, SystemExit):  # a script: its top level runs when it is imported
        return TargetError(f"{filename}:{frame.lineno}: the file exits while it is imported "
                           "to find the function.\nhint: put the script part under "
                           "`if __name__ == \"__main__\":`.")
    return TargetError(f"{filename}:{frame.lineno}: {type(exc).__name__}: {exc} "
                       "(while running the file to find the function).")


def example_args(text, target):
    """The example arguments: `--at` evaluated with numpy as np, or 1.0 for each parameter.

    >>> example_args("2.0, np.ones(2)", Target("m:f", lambda x, y: x, {}))
    (2.0, array([1., 1.]))
    """
    params = target.params()
    if text is None:
        return tuple(1.0 for _ in params) or (1.0,)
    namespace = {"__builtins__": builtins, "np": np, "numpy": np, "math": math}
    namespace.update({k: v for k, v in target.namespace.items() if not k.startswith("__")})
    try:
        args = eval(f"({text.strip().rstrip(',')},)", namespace)  # the user's own expression, on their machine
    except SyntaxError as exc:
        raise TargetError(f"--at: not a Python argument list: {exc.msg} in {text!r}.") from None
    except Exception as exc:
        raise TargetError(f"--at: {type(exc).__name__}: {exc} (in {text!r}).") from None
    if params and len(args) != len(params):
        raise TargetError(f"--at gives {len(args)} argument(s) but {target.name} takes "
                          f"{len(params)}: {', '.join(params)}.")
    return args
