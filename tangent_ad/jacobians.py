"""Jacobians and Hessians, shaped like JAX's: jacfwd, jacrev, jacobian, hessian.

For each output leaf and each input leaf, the Jacobian holds an array of shape
`out.shape + in.shape`; a dict argument gives dict-shaped blocks, a tuple of `argnums` a
tuple. `jacfwd` generates one forward-mode derivative and calls it once per input basis
vector; `jacrev` generates one reverse-mode derivative and calls it once per output basis
vector (for a scalar output: the gradient, once). `hessian(f)` is `jacfwd(jacrev(f))`:
the forward-mode derivative of the generated gradient.

A Jacobian is a plan of calls of generated code (see `plans`), so it can be
differentiated again: `jacfwd(jacrev(f))`, `jacfwd(jacfwd(f))`, `jacrev(hessian(f))`.
"""
import numpy as np

from .api import Transformed, output_error, regroup
from .plans import SeedColumns
from .pytree import flatten, unflatten


def _basis(shape):
    """One one-hot array per element of `shape`, in C order; the float 1.0 for a scalar."""
    if shape == ():
        return [1.0]
    size = int(np.prod(shape))
    return list(np.eye(size).reshape((size,) + shape))  # row k: the k-th one-hot array


def _scalar(x):
    return float(x) if np.ndim(x) == 0 else x


def _take(x, lead, index):
    """x[..., index, ...] with `lead` dimensions before `index` (floats for 0-d results)."""
    return _scalar(np.asarray(x)[(slice(None),) * lead + index])


class _Jacobian(Transformed):
    def __call__(self, *args, **kwargs):
        leaves, tree = flatten(self.plan(self.bound(args, kwargs)).evaluate())
        return unflatten(tree, [_scalar(x) for x in leaves])

    def _blocks(self, per_leaf, plan):
        """per_leaf[l]: the output tree of derivatives for input leaf l → the Jacobian:
        for each output leaf, a tree shaped like the differentiated arguments."""
        columns = [flatten(t)[0] for t in per_leaf]
        out_tree = flatten(per_leaf[0])[1]
        groups = self.groups(plan)
        return unflatten(out_tree, [regroup([col[k] for col in columns], groups, self.single)
                                    for k in range(len(columns[0]))])


class Jacfwd(_Jacobian):
    """`jacfwd(fun)(*args)`: the Jacobian by forward mode, one jvp per input element."""

    def __init__(self, fun, argnums=0, backend=None):
        super().__init__(fun, argnums, backend=backend)
        self._seed_lists = {}  # the shapes of the differentiated leaves → their SeedColumns

    def plan(self, args):
        inner, wrt = self.fun_plan(args)
        shapes = [np.shape(inner.leaves[p]) for p in wrt]
        seeds = self._seeds(tuple(shapes))
        calls = []
        for call in inner.calls:
            for m in call.outputs:
                self.last = call.core.select(m).derive("jvp", wrt, call.values(inner.leaves),
                                                       self.backend)
                calls += call.derived_each(self.last, seeds, [1])
        return inner.then(calls, lambda outs, extra: self._place(inner, shapes, outs, extra),
                          lambda cot, extra: self._gather(inner, shapes, cot, extra))

    def _seeds(self, shapes):
        """One seed list per input element: its one-hot array, zeros for the other leaves."""
        if shapes not in self._seed_lists:
            self._seed_lists[shapes] = SeedColumns(
                [e if j == l else np.zeros(s) if s else 0.0 for j, s in enumerate(shapes)]
                for l, shape in enumerate(shapes) for e in _basis(shape))
        return self._seed_lists[shapes]

    def _place(self, inner, shapes, outs, extra):
        n = len(outs) // sum(len(c.outputs) for c in inner.calls)
        dots = iter(o[0] for o in outs)
        # the n columns side by side on a new last axis: one placement for all of them
        stacked = [[np.stack([np.asarray(next(dots)) for _ in range(n)], axis=-1)
                    for _ in c.outputs] for c in inner.calls]
        leaves, tree = flatten(inner.place(stacked, extra + (n,)))
        per_leaf, start = [], 0
        for shape in shapes:
            count = int(np.prod(shape))
            blocks = []
            for leaf in leaves:
                part = np.asarray(leaf)[..., start:start + count]
                lead = part.ndim - 1 - len(extra)
                part = np.moveaxis(part, -1, lead)
                blocks.append(part.reshape(part.shape[:lead] + shape + extra))
            per_leaf.append(unflatten(tree, blocks))
            start += count
        return self._blocks(per_leaf, inner)

    def _gather(self, inner, shapes, cot, extra):
        shares = []
        for l, shape in enumerate(shapes):
            block = cot[l::len(shapes)]
            for index in np.ndindex(*shape):
                column = [_take(x, np.ndim(x) - len(shape) - len(extra), index) for x in block]
                shares.append(inner.gather(column, extra))
        return [[share[c][i]] for c, call in enumerate(inner.calls)
                for i in range(len(call.outputs)) for share in shares]


class Jacrev(_Jacobian):
    """`jacrev(fun)(*args)`: the Jacobian by reverse mode, one vjp per output element."""

    def __init__(self, fun, argnums=0, backend=None, scalar_for=None):
        super().__init__(fun, argnums, backend=backend)
        self.scalar_for = scalar_for  # "hessian": the output must be a scalar

    def plan(self, args):
        inner, wrt = self.fun_plan(args)
        in_shapes = [np.shape(inner.leaves[p]) for p in wrt]
        out_shapes = [[np.shape(v) for v in call.evaluate(inner.leaves)]
                      for call in inner.calls]
        if self.scalar_for and out_shapes != [[()]]:
            raise output_error(inner, self.fun, self.scalar_for,
                               "For the second derivatives of every output of a vector "
                               "function use ta.jacfwd(ta.jacrev(f)).")
        calls, n = [], len(wrt)
        for call, shapes in zip(inner.calls, out_shapes):
            for m, shape in zip(call.outputs, shapes):
                core, values = call.core.select(m), call.values(inner.leaves)
                if shape == ():
                    self.last = core.derive("grad", wrt, values, self.backend)
                    calls.append(call.derived(self.last, (), range(n)))
                    continue
                self.last = core.derive("vjp", wrt, values, self.backend)
                calls += call.derived_each(self.last, [[e] for e in _basis(shape)],
                                           range(1, n + 1))
        return inner.then(
            calls, lambda outs, extra: self._place(inner, in_shapes, out_shapes, outs, extra),
            lambda cot, extra: self._gather(inner, in_shapes, out_shapes, cot, extra))

    def _place(self, inner, in_shapes, out_shapes, outs, extra):
        rows, per_call = iter(outs), []
        for shapes in out_shapes:
            per_output = []
            for shape in shapes:
                taken = [next(rows) for _ in range(int(np.prod(shape)))]
                per_output.append([np.stack([np.asarray(t[l]) for t in taken]).reshape(
                    shape + np.shape(taken[0][l])) for l in range(len(in_shapes))])
            per_call.append(per_output)
        per_leaf = [inner.place([[grads[l] for grads in c] for c in per_call], shape + extra)
                    for l, shape in enumerate(in_shapes)]
        return self._blocks(per_leaf, inner)

    def _gather(self, inner, in_shapes, out_shapes, cot, extra):
        n = len(in_shapes)
        shares = [inner.gather(cot[l::n], shape + extra) for l, shape in enumerate(in_shapes)]
        out = []
        for c, shapes in enumerate(out_shapes):
            for i, shape in enumerate(shapes):
                for index in np.ndindex(*shape):
                    out.append([_take(shares[l][c][i], 0, index) for l in range(n)])
        return out


class Hessian(Jacfwd):
    """`hessian(fun)(*args)`: jacfwd(jacrev(fun)) of a scalar function."""

    def __init__(self, fun, argnums=0, backend=None):
        super().__init__(Jacrev(fun, argnums, backend, scalar_for="hessian"), argnums,
                         backend=backend)


def jacfwd(fun, argnums=0, *, backend=None):
    """The Jacobian of `fun` with respect to `argnums`, by forward mode (tall Jacobians:
    fewer inputs than outputs)."""
    return Jacfwd(fun, argnums, backend=backend)


def jacrev(fun, argnums=0, *, backend=None):
    """The Jacobian of `fun` with respect to `argnums`, by reverse mode (wide Jacobians:
    fewer outputs than inputs)."""
    return Jacrev(fun, argnums, backend=backend)


jacobian = jacrev


def hessian(fun, argnums=0, *, backend=None):
    """The Hessian of the scalar function `fun`: forward mode over the generated gradient.
    Shaped like JAX's: `in.shape + in.shape` for each pair of input leaves."""
    return Hessian(fun, argnums, backend=backend)
