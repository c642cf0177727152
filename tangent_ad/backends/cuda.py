"""vmap's cuda target: a kernel that maps a scalar device derivative over a batch.

For `vmap(grad(f), target="cuda")(xs)` the generated module reads::

    @cuda.jit(device=True)
    def f_grad(x):
        ...                          # the derivative in the CUDA dialect (cuda_dialect.py)

    @cuda.jit
    def vmap_f_grad(out0, a0):
        start = cuda.grid(1)
        for i in range(start, out0.shape[0], cuda.gridsize(1)):
            r = f_grad(a0[i])
            out0[i] = r

A reverse-mode derivative of a loop keeps a tape. With a constant trip count the tape is a
per-thread `cuda.local.array`; with a trip count known only at run time device code cannot
allocate it, so the device function is built from the forward-mode derivative instead,
called once per differentiated argument with a unit seed: it recomputes the function once
per argument, and stores nothing. Rows must be scalars (one float per mapped argument).

Arguments already on the GPU (numba device arrays, or any array with
`__cuda_array_interface__`, such as CuPy's) are used where they are, and the outputs then
stay on the GPU as numba device arrays; host arrays are copied in and the outputs copied back.
"""
import ast
import inspect
import textwrap

import numpy as np

from ..codegen.load import load_module, module_text
from .cuda_dialect import CudaDialectError, device_sources
from .numba_loop import parameters, row_body

THREADS_PER_BLOCK = 128
SIMULATOR_THREADS = 8  # the simulator runs every thread as a Python thread


def cuda_module():
    """numba.cuda, importable with numpy 2.5 (whose removal of row_stack its compiler trips on)."""
    if not hasattr(np, "row_stack"):
        np.row_stack = np.vstack
    try:
        from numba import cuda
    except ImportError as exc:
        raise ImportError("target='cuda' needs numba-cuda: pip install 'numba-cuda>=0.30.4' "
                          "(or the `cuda` extra of tangent-ad-numba).") from exc
    return cuda


def on_device(value):
    """Whether `value` is a CUDA array: numba's (or its simulator's), or one that exports
    `__cuda_array_interface__`. (NumPy values and numbers answer first: vmap asks of every
    argument at every call.)"""
    if isinstance(value, (np.ndarray, np.generic, int, float)):
        return False
    return hasattr(value, "copy_to_host") or hasattr(value, "__cuda_array_interface__")


def device_view(value):
    """A CUDA array as a numba device array (without copying)."""
    return value if hasattr(value, "copy_to_host") else cuda_module().as_cuda_array(value)


def _to_device(cuda, value):
    return value if on_device(value) else cuda.to_device(np.ascontiguousarray(value))


def launch_shape(n):
    """(blocks, threads per block) of a grid-stride kernel over n rows."""
    threads = SIMULATOR_THREADS if _simulated() else THREADS_PER_BLOCK
    return max(1, min((n + threads - 1) // threads, 65535)), threads


def _launch(kernel, n, outs, args, values):
    """Run `kernel` over n rows; the outputs stay on the GPU if one of the caller's
    `values` was there, and are copied to the host otherwise."""
    kernel[launch_shape(n)](*outs, *args)
    if any(on_device(v) for v in values):
        return outs
    return [o.copy_to_host() for o in outs]


def _count_outputs(python):
    tree = ast.parse(textwrap.dedent(inspect.getsource(python))).body[0]
    returned = tree.body[-1].value
    return len(returned.elts) if isinstance(returned, ast.Tuple) else 1


def _forward_wrapper(name, jvp, n_params, n_wrt, with_value):
    """A device function returning the gradient from `n_wrt` forward passes of `jvp`."""
    params = [f"p{k}" for k in range(n_params)]
    lines = ["@cuda.jit(device=True)", f"def {name}({', '.join(params)}):"]
    for j in range(n_wrt):
        seeds = ", ".join("1.0" if k == j else "0.0" for k in range(n_wrt))
        lines.append(f"    r{j} = {jvp}({', '.join(params)}, {seeds})")
    outs = (["r0[0]"] if with_value else []) + [f"r{j}[1]" for j in range(n_wrt)]
    lines.append(f"    return {outs[0]}" if len(outs) == 1 else f"    return ({', '.join(outs)},)")
    return "\n".join(lines) + "\n", len(outs)


def kernel_source(name, device, mapped, n_out):
    """A grid-stride kernel calling `device` on row i of the mapped arguments."""
    lines = ["@cuda.jit", f"def {name}({parameters(mapped, n_out)}):",
             "    start = cuda.grid(1)",
             "    for i in range(start, out0.shape[0], cuda.gridsize(1)):"]
    return "\n".join(lines + row_body(device, mapped, n_out)) + "\n"


def device_program(generated, forward, n_params, n_wrt, with_value):
    """(device functions' text, the name to call, its number of outputs).

    The reverse-mode derivative when it is in the dialect; else the forward-mode one."""
    name = generated.python.__name__
    try:
        return device_sources(generated), name, _count_outputs(generated.python)
    except CudaDialectError as reverse_error:
        jvp = forward()
        try:
            body = device_sources(jvp)
        except CudaDialectError:
            raise reverse_error from None
        wrapper, n_out = _forward_wrapper(f"{name}_device", jvp.python.__name__,
                                          n_params, n_wrt, with_value)
        return body + "\n\n" + wrapper, f"{name}_device", n_out


def _check_scalar_rows(values, mapped, name):
    for k, (value, m) in enumerate(zip(values, mapped)):
        row_ndim = np.ndim(value) - (1 if m else 0)
        if row_ndim != 0:
            raise CudaDialectError(
                f"{name} cannot run on the CUDA target: flat argument {k} has "
                f"{row_ndim}-dimensional rows; the CUDA dialect maps scalar functions "
                "(one float per mapped argument). Use target='cpu' or 'parallel'.")


class CudaLoop:
    """The compiled kernel for one derivative and batching pattern; call with the arguments."""

    def __init__(self, generated, forward, mapped, n_wrt, with_value):
        device_text, device, self.n_out = device_program(generated, forward, len(mapped),
                                                         n_wrt, with_value)
        name = f"vmap_{generated.python.__name__}"
        text = device_text + "\n\n" + kernel_source(name, device, mapped, self.n_out)
        self.cuda = cuda_module()
        module = load_module(f"cuda_{name}", module_text(text, ["import math", "import numba",
                                                               "from numba import cuda"]))
        self.kernel = getattr(module, name)
        self.source = text

    def __call__(self, values, mapped, n):
        cuda = self.cuda
        args = [_to_device(cuda, v) if m else _scalar(v) for v, m in zip(values, mapped)]
        outs = [cuda.device_array(n, dtype=np.float64) for _ in range(self.n_out)]
        return _launch(self.kernel, n, outs, args, values)


def _simulated():
    from numba import config
    return bool(config.ENABLE_CUDASIM)


def _scalar(value):
    """A broadcast argument as a Python scalar (ints stay ints: they may be trip counts)."""
    return int(value) if isinstance(value, (int, np.integer)) else float(value)


_loops = {}  # (Generated, mapped, n_wrt, with_value) → CudaLoop


def run(fun, generated, forward, values, mapped, n, n_wrt):
    """The derivative at every row, as one array per output; `forward()` makes the jvp."""
    if fun.has_aux:
        raise CudaDialectError("target='cuda' does not map has_aux=True derivatives: the aux "
                               "value is not a scalar a device function can return.")
    _check_scalar_rows(values, mapped, generated.python.__name__)
    with_value = fun.mode == "value_and_grad"
    key = (generated, tuple(mapped), n_wrt, with_value)
    if key not in _loops:
        _loops[key] = CudaLoop(generated, forward, mapped, n_wrt, with_value)
    return _loops[key](values, mapped, n)


class TracedKernel:
    """A Jacobian, Hessian or plain function per row (a RowPlan) as a grid-stride kernel of
    the scalar statements traced from its calls (see vmap_trace); checked on the planned
    row with the same statements run as Python."""

    def __init__(self, rows, mapped):
        from ..vmap_trace import TraceError, trace_sources
        from .numba_loop import agrees
        name = f"vmap_traced_{rows.calls[0][0].python.__name__}"
        why = None
        try:
            (text, check), self.shared = trace_sources(name, rows, mapped, ["cuda", "range"])
            python = load_module(f"{name}_seq", module_text(check, ["import math",
                                                                    "import numpy as np"]))
            if not agrees(getattr(python, name), self.shared, rows, mapped):
                why = "the traced statements disagree with the generated code"
        except TraceError as exc:
            why = str(exc)
        if why is not None:
            raise CudaDialectError(
                f"vmap(..., target='cuda') cannot map {rows.label}: the CUDA target needs "
                f"each row as scalar statements without branches, and tracing its generated "
                f"code stopped ({why}). Use target='parallel'.")
        self.cuda = cuda_module()
        module = load_module(f"cuda_{name}", module_text(text, ["import math", "import numba",
                                                               "from numba import cuda"]))
        self.kernel = getattr(module, name)
        self.source = text
        self.widths = [int(np.prod(s)) for s in rows.shapes]
        self.dtypes = rows.dtypes
        self.shared_on_device = None  # the constants the rows share, copied at the first call

    def __call__(self, values, mapped, n):
        cuda = self.cuda
        args = [_to_device(cuda, v) if isinstance(v, np.ndarray) or on_device(v)
                else _scalar(v) for v in values]
        if self.shared_on_device is None:
            self.shared_on_device = [_to_device(cuda, v) for v in self.shared]
        outs = [cuda.device_array((n, w), dtype=d) for w, d in zip(self.widths, self.dtypes)]
        return _launch(self.kernel, n, outs, args + self.shared_on_device, values)
