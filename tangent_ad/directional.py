"""jvp and vjp: a function's derivative along a given tangent (forward mode) or
cotangent (reverse mode), shaped like JAX's.

    ta.jvp(f, (x,), (v,))      → (f(x), J v)
    out, vjp_fn = ta.vjp(f, x) → vjp_fn(u) = (uᵀ J,)

Both are derivative objects of api.py (`Transformed`): they bind, flatten, check and copy
the arguments the same way, and ask the plan of `f` for its generated derivatives.
"""
import numpy as np

from .api import Transformed, as_float, regroup
from .plans import name_of
from .pytree import flatten, structure, unflatten


def _is_float_leaf(leaf):
    if isinstance(leaf, np.ndarray):
        return np.issubdtype(leaf.dtype, np.floating)
    return isinstance(leaf, (float, np.floating))


def _moves(primal, tangent):
    """Whether jvp differentiates along `primal`: a float primal always; an int one (made a
    float, as `grad` does) where its tangent is a float that is not zero, so that an int
    that only counts or indexes can still be given a zero (or an int) tangent."""
    if any(_is_float_leaf(x) for x in flatten(primal)[0]):
        return True
    return any(_is_float_leaf(t) and np.any(np.asarray(t) != 0) for t in flatten(tangent)[0])


class Jvp(Transformed):
    """Forward mode: the function's value and its derivative along given tangents."""

    def __init__(self, fun, has_aux=False, backend=None):
        super().__init__(fun, 0, has_aux, backend)
        self.argnums = self.given_argnums = ()

    def __call__(self, primals, tangents):
        primals, tangents = _check_jvp_args(primals, tangents)
        self.given_argnums = tuple(i for i, (p, t) in enumerate(zip(primals, tangents))
                                   if _moves(p, t))
        self.argnums = self.shifted(self.given_argnums)
        primals = self.bound(primals, {})  # defaults filled in, not differentiated
        plan, wrt = self.fun_plan(primals, self.has_aux)
        dots = [as_float(t) for i in self.given_argnums for t in flatten(tangents[i])[0]]
        outs, out_dots = [], []
        for call in plan.calls:
            values, pair = call.values(plan.leaves), []
            for m in call.outputs:
                self.last = call.core.select(m).derive("jvp", wrt, values, self.backend)
                pair.append(self.last.call(*values, *dots))
            outs.append([p[0] for p in pair])
            out_dots.append([p[1] for p in pair])
        result = plan.place(outs, ()), plan.place(out_dots, ())
        return result + (self.aux(primals),) if self.has_aux else result

    def generate(self, args):
        self(args, args)

    def prepare(self, args):
        """(generated derivative of the first output, the values of its parameters before
        the tangents, the structures of the differentiated arguments), for `self.argnums`."""
        plan, wrt = self.fun_plan(args)
        call = plan.calls[0]
        values = call.values(plan.leaves)
        self.last = call.core.select(call.outputs[0]).derive("jvp", wrt, values, self.backend)
        return self.last, values, self.groups(plan)


def _check_jvp_args(primals, tangents):
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp expects primals and tangents as tuples, e.g. "
                        f"jvp(f, (x,), (v,)); got {type(primals).__name__} and "
                        f"{type(tangents).__name__}.")
    if len(primals) != len(tangents):
        raise TypeError(f"jvp got {len(primals)} primals but {len(tangents)} tangents; "
                        "give one tangent per primal.")
    for i, (p, t) in enumerate(zip(primals, tangents)):
        if structure(p) != structure(t):
            raise TypeError(f"primal {i} and its tangent have different structures: "
                            f"{summary(p)} and {summary(t)}.")
        for pl, tl in zip(flatten(p)[0], flatten(t)[0]):
            if np.shape(pl) != np.shape(tl):
                raise ValueError(f"primal {i} has shape {np.shape(pl)} but its tangent has "
                                 f"shape {np.shape(tl)}; they must match.")
    return tuple(primals), tuple(tangents)


def summary(tree):
    """`(float, float[3])` for a tuple of a float and a vector: shapes, not values."""
    leaves, tree_structure = flatten(tree)
    return shapes_summary(tree_structure, [np.shape(x) for x in leaves])


def shapes_summary(tree_structure, shapes):
    text = [f"float{list(s)}".replace(" ", "") if s else "float" for s in shapes]
    return str(unflatten(tree_structure, text)).replace("'", "")


def jvp(fun, primals, tangents, *, has_aux=False, backend=None):
    """(fun(*primals), the derivative of fun at primals along tangents) — forward mode.

    With has_aux=True, `fun` returns (output, aux) and jvp returns (out, out_dot, aux).
    """
    return Jvp(fun, has_aux, backend)(primals, tangents)


class Vjp(Transformed):
    """Reverse mode seeded with a given cotangent: what `vjp` returns."""

    def linearize(self, primals):
        """(out, vjp_fn), or (out, vjp_fn, aux) with has_aux."""
        primals = self.bound(primals, {})  # defaults filled in, not differentiated
        plan, wrt = self.fun_plan(primals, self.has_aux)
        out = plan.evaluate()
        out_leaves, out_tree = flatten(out)
        shapes = [np.shape(x) for x in out_leaves]
        derivatives = [[self._derive(call, m, wrt, plan) for m in call.outputs]
                       for call in plan.calls]

        def vjp_fn(cotangent):
            cot = _check_cotangent(cotangent, out_tree, shapes, name_of(self.fun))
            grads = None
            for call, gens, cts in zip(plan.calls, derivatives, plan.gather(cot, ())):
                values = call.values(plan.leaves)
                for generated, ct in zip(gens, cts):
                    result = generated.call(*values, ct)[1:]  # after the value
                    grads = result if grads is None else [g + r for g, r in zip(grads, result)]
            return regroup(list(grads), self.groups(plan), single=False)
        return (out, vjp_fn, self.aux(primals)) if self.has_aux else (out, vjp_fn)

    def _derive(self, call, m, wrt, plan):
        values = call.values(plan.leaves)
        self.last = call.core.select(m).derive("vjp", wrt, values, self.backend)
        return self.last


def _check_cotangent(cotangent, out_tree, shapes, fun_name):
    leaves, tree = flatten(cotangent)
    if tree != out_tree:
        raise TypeError(f"vjp_fn expected a cotangent shaped like {fun_name}'s output, "
                        f"{shapes_summary(out_tree, shapes)}, got {summary(cotangent)}.")
    for leaf, shape in zip(leaves, shapes):
        if np.shape(leaf) != shape:
            raise ValueError(f"vjp_fn expected a cotangent of shape {shape} (the shape of "
                             f"{fun_name}'s output), got shape {np.shape(leaf)}.")
    return [as_float(x) for x in leaves]


def vjp(fun, *primals, has_aux=False, backend=None):
    """(fun(*primals), vjp_fn): `vjp_fn(cotangent)` is the cotangent pulled back to the
    primals — a tuple with one entry per primal, shaped like it (reverse mode).

    With has_aux=True, `fun` returns (output, aux) and vjp returns (out, vjp_fn, aux).
    """
    if not primals:
        raise TypeError("vjp needs at least one primal: vjp(f, x).")
    return Vjp(fun, tuple(range(len(primals))), has_aux, backend).linearize(primals)
