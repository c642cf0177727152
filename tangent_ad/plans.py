"""Cores and plans: what a derivative is generated from, and how an output is assembled.

A *core* is a flat function that the pipeline differentiates: its parameters are the
leaves of the arguments, then constants (globals it reads, the seed of a derivative such
as a tangent or a cotangent). A user's function is a core; its generated gradient
`f_grad` is parsed back into a core of its own, which is how `grad(grad(f))`
differentiates generated code.

A *plan* says how a function's output at given arguments is assembled from calls of
cores::

    f(x)              one call of f; the output is its return value
    grad(f)(x)        one call of f_grad; the output is its gradient, regrouped
    jacfwd(f)(x)      one call of f_jvp per input basis vector, stacked into a Jacobian

The assembly (`place`) is linear in the calls' outputs, and `gather` is its transpose: it
hands a cotangent of the output back to the calls. A derivative of a plan differentiates
every call and assembles the derivatives the same way.
"""
import copy
import numbers
import types

import gast
import numpy as np

from . import pipeline
from .backends.numba_cpu import runs_compiled
from .errors import TangentADError, UnsupportedSyntaxError
from .frontend.signature import Binding, flat_parameters
from .kinds import ComplexValueError, as_float, is_complex, kinds_of_values
from .pytree import LEAF, flatten, num_leaves, structure, unflatten
from .rules import registry


def name_of(fun):
    return getattr(fun, "__name__", repr(fun))


def fresh(leaf):
    """A leaf that user code may write into: an array copied, any other value as it is.
    The user's function runs on copies, so it changes neither the caller's arrays nor the
    leaves a plan goes on to differentiate at."""
    return leaf.copy() if isinstance(leaf, np.ndarray) else leaf


def guarded(stage, label, *args):
    """Run a pipeline stage; an unexpected exception becomes an explained TangentADError."""
    try:
        return stage(*args)
    except TangentADError:
        raise
    except Exception as exc:  # a defect in tangent_ad, not in the user's code
        raise TangentADError(
            f"tangent_ad failed while differentiating {label} ({type(exc).__name__}: "
            f"{exc}). This is a bug in tangent_ad; the function may use a construct it does "
            "not handle yet. Please report it with the function's source.") from exc


def _output_nodes(value):
    """The leaves of a returned expression, in the order `pytree.flatten` gives them."""
    if isinstance(value, gast.Tuple):
        return [leaf for elt in value.elts for leaf in _output_nodes(elt)]
    return [value]


def _output_tree(value):
    def dummy(node):
        return tuple(dummy(e) for e in node.elts) if isinstance(node, gast.Tuple) else 0
    return structure(dummy(value))


class Core:
    """A flat function to generate derivatives from: its normalized tree and how to run it.

    `run(values)` evaluates it on the values of all its parameters and returns the list
    of its output leaves.
    """

    def __init__(self, nf, run, label):
        self.nf = nf
        self.run = run
        self.label = label
        self.returned = nf.fdef.body[-1].value
        self.outputs = _output_nodes(self.returned)
        self._selected = {}
        self._generated = {}

    def select(self, m):
        """This core returning only its output leaf `m` (itself if it has only that one)."""
        if len(self.outputs) == 1:
            return self
        if m not in self._selected:
            nf = self.nf.copy()
            nf.fdef.body[-1].value = copy.deepcopy(self.outputs[m])
            self._selected[m] = Core(nf, lambda values: [self.run(values)[m]], self.label)
        return self._selected[m]

    def _kinds(self, values):
        """The kinds of the parameters' values; a complex one (a global the function reads,
        say) is refused by name."""
        try:
            return kinds_of_values(values)
        except ComplexValueError:
            for name, value in zip(self.nf.params, values):
                if is_complex(value):
                    raise ComplexValueError(
                        f"`{name}` of {self.label} is complex: tangent_ad differentiates real "
                        "functions of real numbers (pass the real and imaginary parts as "
                        "two real arguments).") from None
            raise

    def derive(self, mode, wrt, values, backend, has_aux=False):
        """The generated derivative for parameter positions `wrt`, cached per kinds."""
        kinds = self._kinds(values)
        key = (mode, tuple(wrt), tuple(kinds), has_aux, backend)
        if key not in self._generated:
            names = [self.nf.params[p] for p in wrt]
            param_kinds = {p: as_float(k) if p in names else k
                           for p, k in zip(self.nf.params, kinds)}
            self._generated[key] = guarded(pipeline.derive, self.label, self.nf, param_kinds,
                                           names, mode, has_aux, backend)
        return self._generated[key]


_generated_cores = {}  # Generated → Core; both live as long as the derivative cache


def core_of(generated):
    """A generated derivative parsed back into a core, to be differentiated again."""
    if generated not in _generated_cores:
        label = generated.python.__name__
        parsed = guarded(pipeline.parse, label, generated.python)
        try:
            nf = guarded(pipeline.normalize, label, parsed, {})
        except UnsupportedSyntaxError as exc:
            raise UnsupportedSyntaxError(
                f"the generated derivative {label} cannot be differentiated again: "
                f"{exc.message}", exc.location, exc.hint) from exc
        count = len(parsed.tree.args.args)

        def run(values):
            result = generated.call(*values[:count])
            return list(result) if isinstance(result, tuple) else [result]
        _generated_cores[generated] = Core(nf, run, label)
    return _generated_cores[generated]


class Call:
    """A core and the values of its parameters after the arguments' leaves.

    A call of generated code parses that code into a core only when it is differentiated
    again; running it needs only the compiled function.
    """

    def __init__(self, core, rest, outputs, generated=None):
        self._core = core
        self.rest = list(rest)
        self.outputs = list(outputs)
        self.generated = generated
        self.batch = None  # the SeedBatch this call is one column of, if any

    @property
    def core(self):
        if self._core is None:
            self._core = core_of(self.generated)
        return self._core

    def values(self, leaves):
        """The values of all the core's parameters, to generate a derivative for."""
        hidden = self.core.nf.hidden_values() if self.generated is not None else []
        return list(leaves) + self.rest + hidden  # hidden: the globals its code reads

    def evaluate(self, leaves):
        if self.generated is not None:
            out = self.generated.call(*leaves, *self.rest)
            out = list(out) if isinstance(out, tuple) else [out]
        else:
            out = self.core.run(self.values(leaves))
        return [out[m] for m in self.outputs]

    def derived(self, generated, seeds, outputs):
        """A call of `generated` (a derivative of this call's core) with extra seeds."""
        return self.derived_each(generated, [seeds], outputs)[0]

    def derived_each(self, generated, seed_list, outputs):
        """`derived` for each seeds of `seed_list` (the parameters' values read once)."""
        rest = self.values([])
        calls = [Call(None, rest + list(seeds), outputs, generated) for seeds in seed_list]
        if len(calls) >= SeedBatch.AT_LEAST and runs_compiled(generated.call):
            batch = SeedBatch(generated, rest, seed_list)
            for call in calls:
                call.batch = batch
        return calls


class SeedColumns(list):
    """The seeds of a Jacobian's columns, kept from call to call for arguments of one
    shape (generated code never writes into its parameters), with their stacked form."""
    stacked = None


def stack_seeds(seed_list):
    """Per seed parameter: its one value if every call has the same, else the calls'
    values stacked on a new first axis; and which parameters are stacked."""
    seeds, mapped = [], []
    for column in zip(*seed_list):
        same = all(v is column[0] for v in column)
        seeds.append(column[0] if same else np.stack([np.asarray(v, float) for v in column]))
        mapped.append(not same)
    return seeds, mapped


class SeedBatch:
    """Calls of one compiled derivative that differ only in their seeds (the columns of a
    Jacobian), run as one compiled loop over the seeds instead of one call each::

        for i in range(n):                    # backends/numba_loop.py writes and compiles
            r = f_grad_jvp(x, seeds[i])       # this loop once per derivative
            out0[i] = r[0]; out1[i] = r[1]
    """
    AT_LEAST = 16  # calls: below this, compiling the loop costs more than it saves

    def __init__(self, generated, rest, seed_list):
        self.generated, self.rest, self.count = generated, rest, len(seed_list)
        stacked = getattr(seed_list, "stacked", None)  # SeedColumns remember theirs
        self.seeds, self.mapped = stacked if stacked else stack_seeds(seed_list)
        if isinstance(seed_list, SeedColumns):
            seed_list.stacked = (self.seeds, self.mapped)

    def evaluate(self, leaves, calls):
        """Each of `calls` (this batch's, in order) evaluated, as Call.evaluate gives it."""
        from .backends.numba_loop import map_rows
        values = list(leaves) + self.rest + self.seeds
        mapped = [False] * (len(leaves) + len(self.rest)) + self.mapped
        outs = map_rows(self.generated, values, mapped, self.count)
        return [[outs[m][i] for m in call.outputs] for i, call in enumerate(calls)]


class Plan:
    """How a function's output at some arguments is assembled from calls of cores.

    place(outputs, extra): the output pytree from each call's used outputs; every array
        may carry trailing `extra` dimensions, which the leaves of the result carry too.
    gather(leaves, extra): the transpose: output leaves (with trailing `extra`
        dimensions) → each call's share, as a list per call.
    """

    def __init__(self, leaves, trees, calls, place, gather):
        self.leaves = leaves
        self.trees = trees
        self.calls = calls
        self.place = place
        self.gather = gather

    def positions(self, argnums):
        """The leaf positions of the arguments `argnums`, in order; a pair `(i, e)` is
        element e of argument i (of a function's `*args`)."""
        starts = np.cumsum([0] + [num_leaves(t) for t in self.trees])
        out = []
        for a in argnums:
            i, e = a if isinstance(a, tuple) else (a, None)
            start, end = starts[i], starts[i + 1]
            if e is not None:
                children = self.trees[i][2]
                start += sum(num_leaves(c) for c in children[:e])
                end = start + num_leaves(children[e])
            out += range(start, end)
        return out

    def tree_of(self, a):
        """The structure of argument `a` (or of element e of argument i, for `(i, e)`)."""
        if isinstance(a, tuple):
            return self.trees[a[0]][2][a[1]]
        return self.trees[a % len(self.trees)]

    def evaluate(self):
        outs, k = [], 0
        while k < len(self.calls):
            batch = self.calls[k].batch
            run = self.calls[k:k + batch.count] if batch else []
            if batch and all(c.batch is batch for c in run) and len(run) == batch.count:
                outs += batch.evaluate(self.leaves, run)
                k += batch.count
            else:
                outs.append(self.calls[k].evaluate(self.leaves))
                k += 1
        return self.place(outs, ())

    def then(self, calls, place, gather):
        """A plan for the same arguments made of other calls."""
        return Plan(self.leaves, self.trees, calls, place, gather)


class _Shared:
    """The Function of a user's function and the world it was made in, kept on the function
    itself, so it goes when the function goes. Pickled as nothing: cloudpickle copies a
    function's attributes, and derivatives are made again where it is unpickled."""

    def __init__(self, function=None, world=None):
        self.function, self.world = function, world

    def __reduce__(self):
        return _Shared, ()


def function_of(fun):
    """The `Function` of the user's function `fun`, shared by every derivative taken of it:
    `ta.jvp(f, ...)` called again, or `ta.grad(f)` made again inside a loop, finds its
    cores and their generated, compiled derivatives instead of deriving them again. Only
    plain functions are shared, and only while what their derivatives were made from is
    unchanged (`_world`); `functools.wraps` copies it onto a wrapper: the owner is checked."""
    if not isinstance(fun, types.FunctionType):
        return Function(fun)
    world = _world(fun)
    shared = fun.__dict__.get("__tangent_ad__")
    if not isinstance(shared, _Shared) or shared.function is None or \
            shared.function.fun is not fun or shared.world != world:
        shared = fun.__dict__["__tangent_ad__"] = _Shared(Function(fun), world)
    return shared.function


def _world(fun):
    """What a derivative is made from besides the function's own code: the objects its free
    names and defaults refer to (helpers, functions passed in a closure, classes; numbers
    and arrays are read at every call instead), through the helpers' own free names, and
    how many rules are registered. A helper redefined in a notebook changes it."""
    seen, world, todo = set(), [registry.changes()], [fun]
    while todo:
        f = todo.pop()
        if id(f) in seen or not isinstance(f, types.FunctionType):
            continue
        seen.add(id(f))
        cells = dict(zip(f.__code__.co_freevars, f.__closure__ or ()))
        values = [f.__globals__.get(n) for n in _names_read(f.__code__)]
        values += [_cell(c) for c in cells.values()]
        values += list(f.__defaults__ or ()) + list((f.__kwdefaults__ or {}).values())
        for value in values:
            if value is None or isinstance(value, (numbers.Number, np.ndarray)):
                continue
            world.append(id(value))
            todo.append(value)
    return world


def _names_read(code):
    names = set(code.co_names)
    for const in code.co_consts:  # nested functions and lambdas
        if isinstance(const, types.CodeType):
            names |= _names_read(const)
    return names


def _cell(cell):
    try:
        return cell.cell_contents
    except ValueError:  # an empty cell
        return None


class Function:
    """A user's function as cores: one per structure of its arguments."""

    def __init__(self, fun):
        self.fun = fun
        self.binding = Binding(fun)  # calls with keywords and defaults → flat arguments
        self._parsed = None
        self._cores = {}

    def call(self, args):
        """The user's function at flat arguments (see frontend/signature.py)."""
        return self.binding.call(args)

    def core(self, trees):
        key = tuple(trees)
        if key not in self._cores:
            if self._parsed is None:
                parsed = guarded(pipeline.parse, name_of(self.fun), self.binding.func)
                flat_parameters(parsed.tree)  # the core takes every parameter positionally
                self._parsed = parsed
            names = [a.id for a in self._parsed.tree.args.args]
            if len(names) != len(trees):
                raise TypeError(f"{name_of(self.fun)} takes {len(names)} positional "
                                f"arguments but {len(trees)} were given.")
            arg_trees = {n: t for n, t in zip(names, trees) if t != LEAF}
            nf = guarded(pipeline.normalize, name_of(self.fun), self._parsed, arg_trees)
            self._cores[key] = Core(nf, self._runner(trees), name_of(self.fun))
        return self._cores[key]

    def _runner(self, trees):
        counts = [num_leaves(t) for t in trees]

        def run(values):
            args, pos = [], 0
            for tree, n in zip(trees, counts):
                args.append(unflatten(tree, [fresh(v) for v in values[pos:pos + n]]))
                pos += n
            return flatten(self.call(args))[0]
        return run

    def plan(self, args, has_aux=False):
        leaves, trees = [], []
        for arg in args:
            arg_leaves, tree = flatten(arg)
            leaves.extend(arg_leaves)
            trees.append(tree)
        core = self.core(trees)
        returned = core.returned
        if has_aux:
            if not (isinstance(returned, gast.Tuple) and len(returned.elts) == 2):
                count = len(returned.elts) if isinstance(returned, gast.Tuple) else 1
                raise TypeError(f"has_aux=True requires {name_of(self.fun)} to return a pair "
                                f"(output, aux), but it returns {count} value(s).")
            returned = returned.elts[0]
        out_tree = _output_tree(returned)
        call = Call(core, core.nf.hidden_values(), range(num_leaves(out_tree)))
        return Plan(leaves, trees, [call],
                    lambda outs, extra: unflatten(out_tree, outs[0]),
                    lambda cot, extra: [list(cot)])
