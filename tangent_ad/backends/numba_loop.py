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

import numpy as np

from ..codegen.load import load_module, module_text
from .numba_cpu import NumbaCompileError, NumbaFallbackWarning, _reason, runs_compiled


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


class _Loop:
    """A loop loaded from `text` and compiled (unless `python`); on a numba error it falls
    back to the Python loop with a warning, or raises when `strict`."""

    def __init__(self, name, stem, text, label, strict):
        module = load_module(stem, module_text(text, ["import math", "import numba",
                                                      "import numpy as np"]))
        self.python_loop = getattr(module, name)
        self.module, self.label, self.strict = module, label, strict
        self.compiled = None

    def _compile(self, parallel):
        import numba
        self.compiled = numba.njit(cache=True, error_model="numpy",
                                   parallel=parallel)(self.python_loop)

    def _bind(self, python):
        """Point the loop's callees at their Python (or compiled) versions."""

    def run(self, args):
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
                          NumbaFallbackWarning, stacklevel=4)
            self.compiled = None
            self._bind(True)
            return self.python_loop(*args)


class BatchLoop(_Loop):
    """The compiled loop for one derivative, one batching pattern and one target.

    `derivative` is the generated derivative's `call` (a NumbaFunction, or the Python
    function for backend="python"). If numba cannot compile the loop, the Python version of
    the same loop runs (with a warning), unless `strict`.
    """

    def __init__(self, derivative, python, module_name, mapped, n_out, parallel, strict):
        name = f"vmap_{python.__name__}"
        text = loop_source(name, python.__name__, module_name, mapped, n_out, parallel)
        super().__init__(name, f"{name}_{'par' if parallel else 'seq'}", text,
                         python.__name__, strict)
        self.callee = python
        if runs_compiled(derivative):
            setattr(self.module, python.__name__, derivative.compiled)
            self._compile(parallel)
        else:
            self._bind(True)

    def _bind(self, python):
        if python:
            setattr(self.module, self.callee.__name__, self.callee)

    def __call__(self, outs, args):
        return self.run(list(outs) + list(args))


_BATCH_LOOPS = {}  # (derivative, mapped, outputs, parallel, strict) → its BatchLoop


def map_rows(generated, values, mapped, n, parallel=False, strict=False):
    """`generated` called on row i of every mapped value (and on the others whole), for i
    in range(n), by one loop: its outputs, each with a leading axis of length n."""
    first = generated.call(*[v[0] if m else v for v, m in zip(values, mapped)])
    first = list(first) if isinstance(first, tuple) else [first]
    outs = [np.empty((n,) + np.shape(r), np.asarray(r).dtype) for r in first]
    key = (generated, tuple(mapped), len(outs), parallel, strict)
    if key not in _BATCH_LOOPS:
        _BATCH_LOOPS[key] = BatchLoop(generated.call, generated.python,
                                      generated.module.__name__, mapped, len(outs),
                                      parallel, strict)
    _BATCH_LOOPS[key](outs, values)
    return outs


def _python_only(generated):
    return not all(runs_compiled(g.call) for g in generated)


class RowsLoop(_Loop):
    """The loop for one RowPlan that calls its generated functions on every row."""

    def __init__(self, rows, mapped, parallel, strict):
        distinct = list(dict.fromkeys(g for g, *_ in rows.calls))
        self.names = {g: f"g{u}_{g.python.__name__}" for u, g in enumerate(distinct)}
        name = f"vmap_rows_{distinct[0].python.__name__}"
        text = rows_source(name, rows, [self.names[g] for g, *_ in rows.calls], mapped,
                           parallel)
        python = _python_only(distinct)
        stem = f"{name}_{'par' if parallel else 'seq'}"
        super().__init__(name, stem, text, rows.label, strict)
        self._bind(python)
        if not python:
            self._compile(parallel)
        self.rest = [v for _, r, _, _ in rows.calls for v in r]
        self.index = rows.index

    def _bind(self, python):
        for g, callee in self.names.items():
            setattr(self.module, callee, g.python if python else g.call.compiled)

    def __call__(self, outs, values):
        return self.run(list(outs) + list(values) + self.rest + list(self.index))


class TracedLoop(_Loop):
    """The loop for one RowPlan as scalar statements traced from its calls (vmap_trace)."""

    def __init__(self, rows, mapped, parallel, strict):
        from ..vmap_trace import trace_sources
        name = f"vmap_traced_{rows.calls[0][0].python.__name__}"
        (text,), self.shared = trace_sources(name, rows, mapped,
                                             ["prange" if parallel else "range"])
        self.source = text
        python = _python_only([g for g, *_ in rows.calls])
        super().__init__(name, f"{name}_{'par' if parallel else 'seq'}", text, rows.label,
                         strict)
        if not python:
            self._compile(parallel)

    def __call__(self, outs, values):
        return self.run(list(outs) + list(values) + self.shared)


def rows_loop(rows, mapped, parallel, strict, traced_only=False):
    """The traced loop where the calls trace to scalar code that agrees with them on the
    planned row; else the loop that calls them (None with `traced_only`)."""
    from ..vmap_trace import TraceError
    try:
        traced = TracedLoop(rows, mapped, parallel, strict)
        if agrees(traced.python_loop, traced.shared, rows, mapped):
            return traced
    except TraceError:
        pass
    return None if traced_only else RowsLoop(rows, mapped, parallel, strict)


def agrees(python_loop, shared, rows, mapped):
    """The traced Python loop on the planned row against the generated calls' results."""
    values = [np.asarray(v)[None] if m else v for v, m in zip(rows.leaves, mapped)]
    outs = [np.empty((1, int(np.prod(s))), d) for s, d in zip(rows.shapes, rows.dtypes)]
    with np.errstate(all="ignore"):
        python_loop(*outs, *values, *shared)
    for out, want in zip(outs, rows.first):
        scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
        if not np.allclose(out[0], want, rtol=1e-9, atol=1e-12 * scale, equal_nan=True):
            return False
    return True
