"""A Jacobian, Hessian or plain function per row, as calls of generated code and an index map.

`vmap(jacfwd(f))` maps a derivative whose output is assembled by a plan (see `plans`):
`jacfwd(f)(x)` is one call of `f_jvp` per input basis vector, and the calls' results are
stacked into the Jacobian by Python code (`place`). A compiled loop cannot run that Python
code per row, but it does not need to: for Jacobians and Hessians `place` only moves values
(stacks, reshapes, regroups), and where each value goes depends on the shapes alone. So the
placement is read once, by running `place` on labelled values, as an index map:

    output leaf k, element e  =  buf[index[k][e]]

where `buf` holds every call's results of one row, flattened and concatenated (with a zero
at the end for elements that no call writes). The compiled loop then calls the generated
functions on row i, fills `buf` and copies `buf[index[k]]` into row i of output k.

A plain function is mapped the same way, as a call of its generated primal (the forward
derivative with respect to nothing).
"""
import numpy as np

from .plans import Call, name_of
from .pytree import flatten


class RowError(TypeError):
    """The derivative's output is not a rearrangement of its calls' results."""


def primal_plan(function, row, backend):
    """The plan of a plain function at `row`, as calls of generated (compilable) code: one
    per output leaf, its forward derivative with respect to nothing (output 0: the value)."""
    plan = function.plan(row)
    call = plan.calls[0]
    values = call.values(plan.leaves)
    calls = [Call(None, call.values([]), [0],
                  call.core.select(m).derive("jvp", [], values, backend))
             for m in call.outputs]
    return plan.then(calls, lambda outs, extra: plan.place([[o[0] for o in outs]], extra),
                     None)


class RowPlan:
    """One row's output as calls of generated functions and an index map.

    calls: (generated, the values after the row's leaves, the used output positions,
        whether it returns a tuple) per call.
    sizes: the number of elements of each used output, call by call, in order.
    index: per output leaf, the positions in `buf` of its elements (C order).
    shapes, dtypes, tree: the output leaves' shapes and dtypes and the output's structure.

    With `in_python` the planned row runs the Python version of calls without loops: a
    gradient's rows are traced to a loop of their own (vmap_trace), so loading its machine
    code for this one row would cost a fresh process tens of milliseconds for nothing. Code
    with loops may run long in Python (and then does not trace), so it runs compiled.
    """

    def __init__(self, plan, label, in_python=False):
        self.label = label
        self.leaves = plan.leaves
        self.calls, results = [], []
        for call in plan.calls:
            if call.generated is None:
                raise RowError(f"vmap cannot compile {label}: one of its calls runs Python "
                               "code, not a generated derivative.")
            python = in_python and call.generated.straight_line
            run = call.generated.run_python if python else call.generated.call
            out = run(*plan.leaves, *call.rest)
            returns_tuple = isinstance(out, tuple)
            out = list(out) if returns_tuple else [out]
            used = [out[m] for m in call.outputs]
            self.calls.append((call.generated, list(call.rest), list(call.outputs),
                               returns_tuple))
            results.append(used)
        self.shapes_in = [[np.shape(v) for v in used] for used in results]
        self.sizes = [int(np.prod(s)) for shapes in self.shapes_in for s in shapes]
        for used in results:
            for v in used:
                if not np.isrealobj(v):
                    raise RowError(f"vmap cannot compile {label}: one of its results is "
                                   f"complex; the mapped outputs are real.")
        first = plan.place(results, ())
        leaves, self.tree = flatten(first)
        self.shapes = [np.shape(x) for x in leaves]
        self.dtypes = [np.result_type(x) for x in leaves]
        self.first = [np.ravel(x) for x in leaves]  # the planned row's output, flat
        self.widths = [int(np.prod(s)) for s in self.shapes]
        self.index = self._index_map(plan)

    @property
    def width(self):
        """Elements of `buf` before its trailing zero."""
        return sum(self.sizes)

    def _labelled(self, labels):
        """Every call's results replaced by distinct labels, shaped like the results."""
        pos, out = 0, []
        for shapes in self.shapes_in:
            used = []
            for shape in shapes:
                n = int(np.prod(shape))
                block = labels[pos:pos + n]
                used.append(float(block[0]) if shape == () else block.reshape(shape).copy())
                pos += n
            out.append(used)
        return out

    def _index_map(self, plan):
        """Where each output element comes from, read by placing two sets of labels."""
        rng = np.random.default_rng(12345)
        first = 1.0 + rng.random(self.width)
        second = 1.0 + rng.random(self.width)
        where = {v: k for k, v in enumerate(first)}
        where[0.0] = self.width  # the trailing zero of buf
        second = np.append(second, 0.0)
        placed = [flatten(plan.place(self._labelled(labels), ()))[0]
                  for labels in (first, second)]
        index = []
        for a, b, shape in zip(*placed, self.shapes):
            a, b = np.ravel(np.asarray(a, dtype=np.float64)), np.ravel(np.asarray(b, np.float64))
            if np.shape(a) != (int(np.prod(shape)),):
                raise RowError(self._not_a_rearrangement())
            k = np.array([where.get(v, -1) for v in a], dtype=np.intp)
            if np.any(k < 0) or not np.array_equal(second[k], b):
                raise RowError(self._not_a_rearrangement())
            index.append(k)
        return index

    def _not_a_rearrangement(self):
        return (f"vmap cannot compile {self.label}: its output is computed from its "
                "generated calls by arithmetic, not only by stacking their results.")


def row_plan(fun, row, backend):
    """The RowPlan of `fun` (a derivative with a plan, or a plain function as a
    plans.Function) at `row`."""
    from .api import Grad, Transformed
    if isinstance(fun, Transformed):
        return RowPlan(fun.plan(row), transform_name(fun), in_python=isinstance(fun, Grad))
    return RowPlan(primal_plan(fun, row, backend), name_of(fun.fun))


def transform_name(fun):
    """`jacfwd(f)`, `hessian(f)`, `grad(f)`: how the user built the derivative."""
    from .api import Transformed
    names = {"Jacfwd": "jacfwd", "Jacrev": "jacrev", "Hessian": "hessian", "Grad": "grad",
             "ValueAndGrad": "value_and_grad", "Vjp": "vjp", "Jvp": "jvp"}
    if not isinstance(fun, Transformed):
        return name_of(fun)
    inner = fun.fun
    if type(fun).__name__ == "Hessian":
        inner = inner.fun  # Hessian wraps jacrev(f)
    return f"{names.get(type(fun).__name__, type(fun).__name__)}({transform_name(inner)})"


def _leaf_key(x):
    """What code generation may depend on: shapes and dtypes; values of ints and others."""
    if isinstance(x, np.ndarray):
        return ("array", x.shape, x.dtype.str)
    if isinstance(x, (float, np.floating)):
        return ("float",)
    if isinstance(x, (bool, int, np.integer, np.bool_)):
        return (type(x).__name__, int(x))
    return ("object", id(x))


def _hidden_values(fun, trees):
    """The current values of the globals that the differentiated function reads."""
    from .api import Transformed
    while isinstance(fun, Transformed) and fun._function is None:
        fun = fun.fun
    function = fun._function if isinstance(fun, Transformed) else fun
    return function.core(trees).nf.hidden_values()


def row_key(fun, row):
    """A key under which the RowPlan at `row` can be reused (`fun`: a derivative, or a
    plain function as a plans.Function).

    Globals that are arrays are keyed by identity: the plan passes the array itself to the
    compiled loop, so changes made in place are seen; a global bound to a new value gives
    a new key."""
    leaves, trees = [], []
    for arg in row:
        arg_leaves, tree = flatten(arg)
        leaves.extend(arg_leaves)
        trees.append(tree)
    hidden = _hidden_values(fun, trees)
    return (tuple(trees), tuple(_leaf_key(x) for x in leaves),
            tuple(x if isinstance(x, (float, int)) else (_leaf_key(x), id(x))
                  for x in hidden))
