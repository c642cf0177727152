"""A compiled loop that maps a generated derivative over a batch (vmap's cpu and parallel targets).

For a derivative `f_grad(w, x, y)` with `x` and `y` mapped and `w` broadcast, the loop is::

    def vmap_f_grad(out0, a0, a1, a2):
        for i in range(out0.shape[0]):
            r = f_grad(a0, a1[i], a2[i])
            out0[i] = r

`parallel` writes `numba.prange` instead of `range` and compiles with `parallel=True`.
The loop is loaded from a file like every generated module, so numba's on-disk cache keeps
its machine code; the comment naming the derivative's module (whose name carries the hash of
its source) keeps a loop from being reused for another derivative.
"""
import warnings

from ..codegen.load import load_module, module_text
from .numba_cpu import NumbaCompileError, NumbaFallbackWarning, _reason


def row_body(callee, mapped, n_out):
    """The loop body's lines: call `callee` on row i, store each result in its output."""
    call_args = ", ".join(f"a{k}[i]" if m else f"a{k}" for k, m in enumerate(mapped))
    stores = (["out0[i] = r"] if n_out == 1
              else [f"out{j}[i] = r[{j}]" for j in range(n_out)])
    return [f"        {line}" for line in [f"r = {callee}({call_args})"] + stores]


def parameters(mapped, n_out):
    return ", ".join([f"out{j}" for j in range(n_out)] + [f"a{k}" for k in range(len(mapped))])


def loop_source(name, callee, module_name, mapped, n_out, parallel):
    """The text of the loop function `name`; `mapped[k]` says whether argument k is batched."""
    loop = "numba.prange" if parallel else "range"
    lines = [f"# maps {callee} of {module_name}",
             f"def {name}({parameters(mapped, n_out)}):",
             f"    for i in {loop}(out0.shape[0]):"]
    return "\n".join(lines + row_body(callee, mapped, n_out)) + "\n"


class BatchLoop:
    """The compiled loop for one derivative, one batching pattern and one target.

    `derivative` is the generated derivative's `call` (a NumbaFunction, or the Python
    function for backend="python"). If numba cannot compile the loop, the Python version of
    the same loop runs (with a warning), unless `strict`.
    """

    def __init__(self, derivative, python, module_name, mapped, n_out, parallel, strict):
        name = f"vmap_{python.__name__}"
        text = loop_source(name, python.__name__, module_name, mapped, n_out, parallel)
        stem = f"{name}_{'par' if parallel else 'seq'}"
        module = load_module(stem, module_text(text, ["import numba"]))
        self.python_loop = getattr(module, name)
        self.strict = strict
        compiled = getattr(derivative, "compiled", None)
        if compiled is None or getattr(derivative, "fallen_back", False):
            setattr(module, python.__name__, python)
            self.compiled = None
        else:
            import numba
            setattr(module, python.__name__, compiled)
            self.compiled = numba.njit(cache=True, error_model="numpy",
                                       parallel=parallel)(self.python_loop)
        self.module = module
        self.callee = python

    def __call__(self, outs, args):
        if self.compiled is None:
            return self.python_loop(*outs, *args)
        from numba.core.errors import NumbaError
        try:
            return self.compiled(*outs, *args)
        except NumbaError as exc:
            if self.strict:
                raise NumbaCompileError(f"numba could not compile the vmap loop of "
                                        f"{self.callee.__name__}: {_reason(exc)}") from exc
            warnings.warn(f"numba could not compile the vmap loop of {self.callee.__name__}; "
                          f"running the Python loop instead. numba said: {_reason(exc)}",
                          NumbaFallbackWarning, stacklevel=3)
            self.compiled = None
            setattr(self.module, self.callee.__name__, self.callee)
            return self.python_loop(*outs, *args)


def rows_source(name, rows, callees, mapped, parallel):
    """The loop for a RowPlan (see vmap_rows): per row, call every generated function,
    flatten the used results into `buf`, and copy `buf[x<k>]` into row i of output k."""
    n_out, width = len(rows.index), rows.width
    params = ([f"out{k}" for k in range(n_out)] + [f"a{k}" for k in range(len(mapped))]
              + [f"c{j}_{t}" for j, (_, rest, _, _) in enumerate(rows.calls)
                 for t in range(len(rest))] + [f"x{k}" for k in range(n_out)])
    row_args = [f"a{k}[i]" if m else f"a{k}" for k, m in enumerate(mapped)]
    body, pos, sizes = [], 0, iter(rows.sizes)
    for j, ((_, rest, outputs, returns_tuple), callee) in enumerate(zip(rows.calls, callees)):
        args = ", ".join(row_args + [f"c{j}_{t}" for t in range(len(rest))])
        body.append(f"r = {callee}({args})")
        for m, shape in zip(outputs, rows.shapes_in[j]):
            size, value = next(sizes), f"r[{m}]" if returns_tuple else "r"
            body.append(f"buf[{pos}] = {value}" if shape == () else
                        f"buf[{pos}:{pos + size}] = np.asarray({value}).ravel()")
            pos += size
    body += [f"out{k}[i, :] = buf[x{k}]" for k in range(n_out)]
    alloc = f"buf = np.zeros({width + 1})"  # buf[width] stays 0: elements no call writes
    lines = [f"# maps {', '.join(g.module.__name__ for g, *_ in rows.calls)}",
             f"def {name}({', '.join(params)}):"]
    if not parallel:
        lines.append(f"    {alloc}")
    lines.append(f"    for i in {'numba.prange' if parallel else 'range'}(out0.shape[0]):")
    lines += [f"        {line}" for line in ([alloc] if parallel else []) + body]
    return "\n".join(lines) + "\n"


class RowsLoop:
    """The compiled loop for one RowPlan and batching pattern (cpu or parallel).

    Falls back to the same loop in Python (with a warning) where numba cannot compile it,
    unless `strict`; with backend="python" it runs in Python from the start."""

    def __init__(self, rows, mapped, parallel, strict):
        distinct = list(dict.fromkeys(g for g, *_ in rows.calls))
        names = {g: f"g{u}_{g.python.__name__}" for u, g in enumerate(distinct)}
        name = f"vmap_rows_{distinct[0].python.__name__}"
        text = rows_source(name, rows, [names[g] for g, *_ in rows.calls], mapped, parallel)
        module = load_module(f"{name}_{'par' if parallel else 'seq'}",
                             module_text(text, ["import numba", "import numpy as np"]))
        self.python_loop = getattr(module, name)
        self.module, self.names, self.strict = module, names, strict
        self.label = rows.label
        compiled = [getattr(g.call, "compiled", None) for g in distinct]
        python = any(c is None or getattr(g.call, "fallen_back", False)
                     for c, g in zip(compiled, distinct))
        self._bind(python)
        self.compiled = None
        if not python:
            import numba
            self.compiled = numba.njit(cache=True, error_model="numpy",
                                       parallel=parallel)(self.python_loop)

    def _bind(self, python):
        for g, callee in self.names.items():
            setattr(self.module, callee, g.python if python else g.call.compiled)

    def __call__(self, args):
        if self.compiled is None:
            return self.python_loop(*args)
        from numba.core.errors import NumbaError
        try:
            return self.compiled(*args)
        except NumbaError as exc:
            if self.strict:
                raise NumbaCompileError(f"numba could not compile the vmap loop of "
                                        f"{self.label}: {_reason(exc)}") from exc
            warnings.warn(f"numba could not compile the vmap loop of {self.label}; running "
                          f"the Python loop instead. numba said: {_reason(exc)}",
                          NumbaFallbackWarning, stacklevel=3)
            self.compiled = None
            self._bind(True)
            return self.python_loop(*args)
