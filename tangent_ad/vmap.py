"""vmap: a function or derivative mapped over a leading batch axis, in one compiled loop.

    >>> import numpy as np, tangent_ad as ta
    >>> ta.vmap(ta.grad(lambda x: x ** 3))(np.array([1.0, 2.0, 3.0]))
    array([ 3., 12., 27.])

Per-sample gradients map some arguments and broadcast the others (`None`)::

    ta.vmap(ta.grad(loss), in_axes=(None, 0, 0))(w, X, Y)    # row i: grad(loss)(w, X[i], Y[i])
    ta.vmap(ta.jacfwd(residual, argnums=(0, 1)))(cams, pts)  # row i: a Jacobian per argument

`grad`, `value_and_grad`, `jacfwd`, `jacrev` (`jacobian`), `hessian` and plain functions
map. The derivative is generated once, for the first row, and every row is written by a loop
over the batch: numba-compiled (`target="cpu"`), spread over cores with `prange`
(`"parallel"`), or a CUDA kernel (`"cuda"`). Where the row's generated code has no branches,
the loop body is that code traced to scalar statements (see `vmap_trace`); otherwise it calls
the generated code (see `vmap_rows`). On CUDA a row must trace, or be a scalar gradient
(`backends/cuda.py`). CUDA arrays in (numba's, or CuPy's) give CUDA arrays out, with no
copy between host and GPU.
"""
import inspect

import numpy as np

from .api import Grad, Transformed, ValueAndGrad, _quick_key, regroup
from .backends import cuda as cuda_target
from .backends.cuda import on_device
from .jacobians import Jacfwd, Jacrev
from .plans import function_of
from .vmap_rows import row_key, row_plan, transform_name
from .pytree import flatten, unflatten

TARGETS = ("cpu", "parallel", "cuda")
PLANNED = (Jacfwd, Jacrev)  # Hessian is a Jacfwd; their rows are mapped by vmap_rows


def _axes(in_axes, nargs):
    """One axis (an int or None) per argument."""
    def valid(a):
        return a is None or (isinstance(a, (int, np.integer)) and not isinstance(a, bool))
    if valid(in_axes):
        return (in_axes,) * nargs
    if not isinstance(in_axes, (tuple, list)) or not all(valid(a) for a in in_axes):
        raise TypeError(f"in_axes must be an int, None, or a tuple of them (one per "
                        f"argument), got {in_axes!r}.")
    if len(in_axes) != nargs:
        raise ValueError(f"in_axes has {len(in_axes)} entries but {nargs} arguments were "
                         "given; give one axis (or None) per argument.")
    if all(a is None for a in in_axes):
        raise ValueError("in_axes maps no argument (all None): map at least one.")
    return tuple(in_axes)


def _batched(args, axes, target):
    """Each argument's leaves with its mapped axis moved first, and the batch size."""
    sizes, out = {}, []
    for i, (arg, axis) in enumerate(zip(args, axes)):
        leaves, tree = flatten(arg)
        if any(on_device(x) for x in leaves) and target != "cuda":
            raise TypeError(f"argument {i} is a CUDA array, but target={target!r} runs on "
                            "the CPU: pass target='cuda', or copy it to the host first "
                            "(x.copy_to_host()).")
        if axis is None:
            leaves = [x.copy_to_host() if on_device(x) else x for x in leaves]
        else:
            leaves = [_move(x, axis, i) for x in leaves]
            sizes.update({(i, k): x.shape[0] for k, x in enumerate(leaves)})
        out.append((leaves, tree))
    if not sizes:
        raise ValueError("vmap has no argument to map over: in_axes is None for every "
                         "argument given.")
    if len(set(sizes.values())) != 1:
        shown = ", ".join(f"argument {i}: {n}" for (i, _), n in sizes.items())
        raise ValueError(f"vmap got different batch sizes ({shown}); every mapped argument "
                         "must have the same length along its in_axes.")
    return out, next(iter(sizes.values()))


def _zero_row(batched, axes):
    """`batched` with one row of zeros in place of each mapped leaf's no rows."""
    return [([np.zeros((1,) + tuple(x.shape[1:]), x.dtype) for x in leaves]
             if axis is not None else leaves, tree)
            for (leaves, tree), axis in zip(batched, axes)]


def _no_rows(out, out_axes):
    """`out` (mapped over one row) with none: every leaf empty along its batch axis."""
    leaves, tree = flatten(out)
    return unflatten(tree, [np.asarray(x)[(slice(None),) * (out_axes % np.ndim(x))
                                           + (slice(0, 0),)] for x in leaves])


def _first(x):
    """Row 0 of a batch, on the host."""
    return x[0:1].copy_to_host()[0] if on_device(x) else x[0]


def _stand_in(x):
    """Row 0 of a host batch; for a CUDA array, zeros of its row's shape and dtype, which
    stand for the row where only its kind counts (no copy, and no wait for the GPU)."""
    return np.zeros(x.shape[1:], x.dtype)[()] if on_device(x) else x[0]


def _row(batched, axes, pick):
    """The arguments of one row: `pick(batch)` for mapped leaves, broadcast ones whole."""
    return tuple(unflatten(tree, [pick(x) for x in leaves] if axis is not None else leaves)
                 for (leaves, tree), axis in zip(batched, axes))


def _move(x, axis, i):
    if on_device(x):
        if axis not in (0, -len(x.shape)):
            raise ValueError(f"in_axes={axis} for argument {i}, a CUDA array: vmap maps CUDA "
                             "arrays over their first axis; move the axis there first.")
        return cuda_target.device_view(x)
    x = np.asarray(x)
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"in_axes={axis} for argument {i}, but it has shape {x.shape} "
                         f"(no axis {axis} to map over).")
    # contiguous rows: numba's np.dot is faster on them, and one layout means one compilation
    return np.ascontiguousarray(x if axis in (0, -x.ndim) else np.moveaxis(x, axis, 0))


def _flat_leaves(batched, axes):
    """Every argument's leaves in one list (whole batches where mapped), and which are."""
    values, mapped = [], []
    for (leaves, _), axis in zip(batched, axes):
        values.extend(leaves)
        mapped.extend([axis is not None] * len(leaves))
    return values, mapped


def _assemble(fun, groups, leaves):
    """The derivative's output pytree from its flat outputs, as `fun(*args)` returns it
    (`groups`: the structures of the differentiated arguments)."""
    if isinstance(fun, ValueAndGrad):
        value, *leaves = leaves
    if fun.has_aux:
        aux, *leaves = leaves
    out = regroup(leaves, groups, fun.single)
    if fun.has_aux:
        out = (out, aux)
    return (value, out) if isinstance(fun, ValueAndGrad) else out


class Vmapped:
    """`vmap(fun, ...)`: callable; `fun` is a derivative (grad, value_and_grad, jacfwd,
    jacrev, hessian) or a plain function."""

    def __init__(self, fun, in_axes, out_axes, target):
        if not callable(fun):
            raise TypeError(f"vmap maps a function or a derivative (ta.grad(f), "
                            f"ta.jacfwd(f), ...); got {fun!r}.")
        if isinstance(fun, Transformed) and not isinstance(fun, (Grad, *PLANNED)):
            raise TypeError(f"vmap cannot map {transform_name(fun)}: it maps ta.grad, "
                            "ta.value_and_grad, ta.jacfwd, ta.jacrev, ta.jacobian, "
                            "ta.hessian and plain functions.")
        if target not in TARGETS:
            raise ValueError(f"target must be one of {TARGETS}, got {target!r}.")
        if not isinstance(out_axes, (int, np.integer)) or isinstance(out_axes, bool):
            raise TypeError(f"out_axes must be an int, got {out_axes!r}.")
        self.fun = fun
        self.in_axes = in_axes
        self.out_axes = int(out_axes)
        self.target = target
        self._rows = {}  # row key → (RowPlan, {mapped: loop}): see _row_plan
        self._function = fun if isinstance(fun, Transformed) else function_of(fun)
        self._binding = fun._binding if isinstance(fun, Transformed) else self._function.binding
        self._grad_traces = True  # until a gradient's row fails to trace
        self._quick = {}  # kinds of plain arguments → a quick call (see _remember)

    def __reduce__(self):  # the compiled loops are rebuilt where it is unpickled
        return Vmapped, (self.fun, self.in_axes, self.out_axes, self.target)

    def __call__(self, *args, **kwargs):
        axes = _axes(self.in_axes, len(args))
        if kwargs or not self._binding.plain:
            args, axes = self._bound(args, kwargs, axes)
        quick = self._quick.get(_plain_key(args, axes))
        if quick is not None:
            out = quick(args)
            if out is not None:
                return out
        batched, n = _batched(args, axes, self.target)
        if n == 0:  # no rows: outputs shaped as those of a row of zeros, with no rows
            return _no_rows(self._map(args, axes, _zero_row(batched, axes), 1),
                            self.out_axes)
        return self._map(args, axes, batched, n)

    def _map(self, args, axes, batched, n):
        """The outputs at every row of `batched` (the arguments `args`, flattened)."""
        row = _row(batched, axes, _stand_in)
        if self._traceable():
            ran = self._run_rows(row, lambda: _row(batched, axes, _first), batched, axes, n)
            if ran is not None:
                outs, rows = ran
                outs = [_place(o, self.out_axes) for o in outs]
                return unflatten(rows.tree, outs)
        row = self.fun.arguments(row)[0]  # the differentiated leaves made floats
        plan, call, generated, n_wrt = self.fun._generate(row)
        values, mapped = self._flat_values(batched, axes, plan, call)
        forward = self._forward(plan, call, row)
        self._remember(args, axes, plan, call, generated, forward, n_wrt)
        outs = self._gradients(generated, forward, values, mapped, n, n_wrt)
        return _assemble(self.fun, self.fun.groups(plan), outs)

    def _bound(self, args, kwargs, axes):
        """The flat arguments (see frontend/signature.py) and their axes: positional ones
        as in_axes says, keyword arguments mapped over their first axis (as in JAX),
        defaults passed whole to every row."""
        if isinstance(self.fun, Transformed):
            flat = self.fun.bound(args, kwargs)
        else:
            try:
                flat = self._binding.flat(args, kwargs)
            except TypeError as exc:
                raise TypeError(f"{transform_name(self.fun)}: {exc}.") from None
        binding, out = self._binding, []
        for i, (name, kind) in enumerate(zip(binding.names, binding.kinds)):
            j = i - binding.offset  # its position in the call (a partial's arguments first)
            if kind == inspect.Parameter.VAR_POSITIONAL:
                extra = set(axes[max(j, 0):]) | ({None} if j < 0 else set())
                if len(extra) > 1:
                    raise ValueError(f"in_axes gives the *{name} of "
                                     f"{transform_name(self.fun)} different axes; "
                                     "give them one axis (or None).")
                out.append(extra.pop() if extra else None)
            elif i < binding.named and 0 <= j < len(args):
                out.append(axes[j])
            elif kind == inspect.Parameter.VAR_KEYWORD:  # mapped if the call gives it keywords
                out.append(0 if set(kwargs) - set(binding.names) else None)
            else:  # a keyword argument is mapped (as in JAX), a default is not
                out.append(0 if name in kwargs else None)
        return flat, tuple(out)

    def _gradients(self, generated, forward, values, mapped, n, n_wrt):
        """The generated gradient at every row, as flat outputs with the batch axis placed."""
        if self.target == "cuda":
            outs = cuda_target.run(self.fun, generated, forward, values, mapped, n, n_wrt)
        else:
            outs = self._run_loop(generated, values, mapped, n)
        return [_place(o, self.out_axes) for o in outs]

    def _remember(self, args, axes, plan, call, generated, forward, n_wrt):
        """Keep, for plain arguments (arrays mapped on axis 0, broadcast arrays and numbers),
        a quick way to map the same gradient again over arguments of the same kinds: no
        flattening, planning or generating per call (a call on the GPU is then mostly the
        kernel's). Globals the function reads are checked at every call, as in grad."""
        key = _plain_key(args, axes)
        if key is None or self.fun._function is None or self.fun.has_aux:
            return
        core, groups, mapped = call.core, self.fun.groups(plan), [a is not None for a in axes]
        hidden_key = _quick_key(core.nf.hidden_values())
        convert = [_converter(leaf, a, m, k)
                   for k, (a, leaf, m) in enumerate(zip(args, plan.leaves, mapped))]

        def quick(args):
            hidden = core.nf.hidden_values()
            sizes = {a.shape[0] for a, m in zip(args, mapped) if m}
            if _quick_key(hidden) != hidden_key or len(sizes) != 1 or 0 in sizes:
                return None
            values = [to_value(a) for to_value, a in zip(convert, args)]
            outs = self._gradients(generated, forward, values + list(hidden),
                                   mapped + [False] * len(hidden), sizes.pop(), n_wrt)
            return _assemble(self.fun, groups, outs)
        self._quick[key] = quick

    def _forward(self, plan, call, row):
        """A function making the forward-mode derivative (for the CUDA target's loops)."""
        def derive():
            wrt = plan.positions(self.fun.arguments(row)[1])
            core = call.core.select(call.outputs[0])
            return core.derive("jvp", wrt, call.values(plan.leaves), self.fun.backend)
        return derive

    @staticmethod
    def _flat_values(batched, axes, plan, call):
        """The derivative's flat arguments, whole batches for mapped leaves; which are mapped."""
        values, mapped = _flat_leaves(batched, axes)
        for k, (value, row_leaf) in enumerate(zip(values, plan.leaves)):
            if mapped[k] and isinstance(row_leaf, (float, np.floating, np.ndarray)):
                values[k] = _with_dtype(value, np.result_type(row_leaf, value.dtype))
            elif not mapped[k]:
                values[k] = row_leaf
        rest = call.values(plan.leaves)[len(plan.leaves):]
        return values + rest, mapped + [False] * len(rest)

    def _run_loop(self, generated, values, mapped, n):
        from .backends.numba_loop import map_rows
        return map_rows(generated, values, mapped, n, self.target == "parallel",
                        self.fun.backend == "numba")

    def _traceable(self):
        """Whether rows go through a RowPlan. A gradient does where its row traces to
        scalar code (see vmap_trace); otherwise, and with has_aux or on CUDA, the loop
        calls the generated gradient (which handles what tracing cannot)."""
        if not isinstance(self.fun, Grad):
            return True
        return not self.fun.has_aux and self.target != "cuda" and self._grad_traces

    def _row_plan(self, row, first_row):
        """The RowPlan at `first_row()`, reused while the row's shapes and the globals it
        reads are the same (`row` may stand in for the first row: only its kinds count)."""
        key = row_key(self._function, row)
        if key not in self._rows:
            backend = getattr(self.fun, "backend", None)
            self._rows[key] = (row_plan(self._function, first_row(), backend), {})
        return self._rows[key]

    def _run_rows(self, row, first_row, batched, axes, n):
        """A Jacobian, Hessian or plain function at every row, by a loop over RowPlan calls."""
        rows, loops = self._row_plan(row, first_row)
        values, mapped = _flat_leaves(batched, axes)
        values = [_as_row_dtype(v, leaf, m) for v, m, leaf in zip(values, mapped, rows.leaves)]
        key = tuple(mapped)
        if self.target == "cuda":
            if key not in loops:
                loops[key] = cuda_target.TracedKernel(rows, mapped)
            outs = loops[key](values, mapped, n)
            return [o.reshape((n,) + s) for o, s in zip(outs, rows.shapes)], rows
        if key not in loops:
            from .backends.numba_loop import rows_loop
            strict = getattr(self.fun, "backend", None) == "numba"
            loops[key] = rows_loop(rows, mapped, self.target == "parallel", strict,
                                   traced_only=isinstance(self.fun, Grad))
            if loops[key] is None:
                self._grad_traces = False
                return None
        outs = [np.empty((n, w), d) for w, d in zip(rows.widths, rows.dtypes)]
        loops[key](outs, values)
        return [o.reshape((n,) + s) for o, s in zip(outs, rows.shapes)], rows


def _plain_key(args, axes):
    """The kinds of plain arguments (arrays mapped on axis 0, broadcast arrays and numbers),
    whatever the batch size; None for anything else."""
    key = []
    for a, axis in zip(args, axes):
        t = type(a)
        if axis is None and t in (float, int, bool, np.float64):
            key.append((t,))
        elif axis is None and t is np.ndarray:
            key.append((t, a.shape, a.dtype.char))
        elif axis == 0 and (t is np.ndarray or on_device(a)) and len(a.shape) >= 1:
            key.append((t, 0, a.shape[1:], a.dtype.char))
        else:
            return None
    return tuple(key)


def _converter(leaf, arg, mapped, k):
    """How the quick path makes argument k the gradient's flat value, as `_flat_values`
    did with the row leaf `leaf` planned from it."""
    if mapped and isinstance(leaf, (float, np.floating, np.ndarray)):
        dtype = np.result_type(leaf, arg.dtype)
        return lambda a: _with_dtype(_move(a, 0, k), dtype)
    if mapped:
        return lambda a: _move(a, 0, k)
    if isinstance(leaf, np.ndarray):
        return lambda a: np.asarray(a, dtype=leaf.dtype)
    return type(leaf)


def _place(out, out_axes):
    """An output with its batch axis moved to `out_axes`."""
    if not out_axes:
        return out
    if on_device(out):
        raise ValueError("out_axes must be 0 when the outputs stay on the GPU (CUDA arrays "
                         "in, CUDA arrays out); move the axis there, or pass host arrays.")
    return np.moveaxis(out, 0, out_axes)


def _as_row_dtype(value, row_leaf, mapped):
    """A leaf with the type its row was planned with (ints made floats where differentiated)."""
    if isinstance(row_leaf, (float, np.floating)):
        return _with_dtype(value, np.float64) if mapped else float(value)
    if isinstance(row_leaf, np.ndarray):
        return _with_dtype(value, np.result_type(row_leaf, value.dtype))
    return value


def _with_dtype(value, dtype):
    """`value` as an array of `dtype`; a CUDA array must have it already (no copy is made
    on the GPU behind the caller's back)."""
    if not on_device(value):
        return np.asarray(value, dtype=dtype)
    if value.dtype != dtype:
        raise TypeError(f"a CUDA array of dtype {value.dtype} was given where the derivative "
                        f"needs {dtype}: convert it on the GPU first.")
    return value


def vmap(fun, in_axes=0, out_axes=0, target="cpu"):
    """`fun` (a derivative such as `ta.grad(f)` or `ta.jacfwd(f)`, or a plain function)
    mapped over a batch axis of its arguments.

    in_axes: per argument, the axis to map over, or None to pass the argument whole to
        every row (an int applies to every argument).
    out_axes: where the batch axis goes in every output.
    target: "cpu" (one compiled loop), "parallel" (the loop over all cores with
        numba.prange) or "cuda" (a CUDA kernel: rows that trace to scalar code, or scalar
        gradients; see backends/cuda.py).

    Before: `np.array([ta.grad(f)(x) for x in xs])`; after: `ta.vmap(ta.grad(f))(xs)`.
    """
    return Vmapped(fun, in_axes, out_axes, target)
