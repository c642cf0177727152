"""The public API, shaped like JAX's: grad, value_and_grad, source (jvp, vjp: directional.py).

A thin layer over the pipeline: it binds a call's keyword arguments and defaults to flat
positional arguments (as JAX, it differentiates positional arguments only; see
frontend/signature.py), flattens container arguments into leaves, checks them (no complex
numbers), copies arrays (the user's function never writes into the caller's), and calls
generated derivatives with flat positional leaves. How a function's output is computed
from generated code is its *plan* (see `plans`); a derivative object has a plan of its
own, so derivatives of derivatives work: `grad(grad(f))`.
"""
import functools
import inspect

import numpy as np

from .kinds import ComplexValueError, is_complex
from .frontend.signature import normalize_argnums
from .plans import fresh, function_of, name_of
from .pytree import LEAF, flatten, num_leaves, static_only, structure, unflatten

BACKENDS = (None, "numba", "python")


def as_float(leaf):
    """A leaf to differentiate with respect to, as a float or a float array."""
    if is_complex(leaf):
        raise ComplexValueError("cannot differentiate with respect to a complex number: "
                                "tangent_ad differentiates real functions of real numbers.")
    if isinstance(leaf, np.ndarray):
        if leaf.ndim == 0:
            return float(leaf)
        if not np.issubdtype(leaf.dtype, np.floating):
            return leaf.astype(np.float64)
        return leaf
    if isinstance(leaf, (bool, np.bool_)):
        raise TypeError("cannot differentiate with respect to a bool argument.")
    if isinstance(leaf, (int, float, np.integer, np.floating)):
        return float(leaf)
    if isinstance(leaf, (list, tuple)):
        return np.asarray(leaf, dtype=np.float64)
    raise TypeError(f"cannot differentiate with respect to a {type(leaf).__name__}: "
                    "pass floats, NumPy arrays, or tuples/lists/dicts of them.")


def _owned(converted, leaf):
    """`converted` (made from `leaf`), copied if it is still the caller's array."""
    return fresh(converted) if converted is leaf else converted


def _plain(leaf):
    if isinstance(leaf, np.ndarray) and leaf.ndim == 0:
        return leaf.item()
    return leaf


def regroup(leaves, trees, single):
    """Leaves → one pytree per tree; the only one when `single`, else a tuple."""
    if len(leaves) == len(trees) and all(tree == LEAF for tree in trees):  # plain arrays
        return leaves[0] if single else tuple(leaves)
    out, pos = [], 0
    for tree in trees:
        n = num_leaves(tree)
        out.append(unflatten(tree, leaves[pos:pos + n]))
        pos += n
    return out[0] if single else tuple(out)


class Transformed:
    """A derivative of `fun` (a function or another derivative); callable.

    `plan(args)` is how its result at `args` is computed from generated code; `source`
    and `python` are the last generated derivative's text and Python function.
    """

    def __init__(self, fun, argnums=0, has_aux=False, backend=None):
        if not callable(fun):
            raise TypeError(f"expected a function to differentiate, got {fun!r}.")
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}.")
        self.fun = fun
        self.has_aux = has_aux
        self.backend = backend
        self.last = None
        self._fast = {}  # _quick_key(args) → what a call with such arguments needs
        self._function = None if isinstance(fun, Transformed) else function_of(fun)
        self._binding = fun._binding if self._function is None else self._function.binding
        self.given_argnums, self.single = normalize_argnums(argnums, fun, name_of(fun))
        self.argnums = self.shifted(self.given_argnums)  # positions among the flat values
        functools.update_wrapper(self, fun, updated=())
        del self.__wrapped__  # the frontend must not unwrap a derivative to its function
        self.__signature__ = _signature(fun)

    def __reduce__(self):  # by reference to the function, without generated code
        from .pickling import reduce_derivative
        return reduce_derivative(self)

    def shifted(self, argnums):
        """The call's argument positions `argnums` as positions among the flat values (after
        the arguments of a partial); one in `*args` as (its position, the element)."""
        return tuple(self._binding.position(a) for a in argnums)

    def bound(self, args, kwargs):
        """The call's arguments as the flat positional values the core takes (defaults
        filled in, keyword arguments in their places; see frontend/signature.py). Keyword
        arguments are never differentiated: `argnums` counts the call's positional
        arguments, as in JAX."""
        if not kwargs and self._binding.plain:
            return args
        try:
            flat = self._binding.flat(args, kwargs)
        except TypeError as exc:
            raise TypeError(f"{name_of(self.fun)}: {exc}.") from None
        self._binding.check_argnums(self.given_argnums, args, flat, name_of(self.fun))
        return flat

    def arguments(self, args):
        """`args` with the leaves of the differentiated arguments made floats, and every
        array copied: whatever runs on them (the user's function, its aux, a plan) cannot
        write into the caller's arrays."""
        nargs = len(args)
        argnums = tuple(a % nargs if isinstance(a, int) and a < 0 else a
                        for a in self.argnums)
        whole = [a for a in argnums if isinstance(a, int)]
        if any(a >= nargs for a in whole):
            raise TypeError(f"differentiating with respect to argnums={self.argnums} requires "
                            f"at least {max(whole) + 1} positional arguments; "
                            f"{nargs} were given.")
        out = []
        for i, arg in enumerate(args):
            parts = {e for a in argnums if isinstance(a, tuple) and a[0] == i for e in a[1:]}
            if parts:  # elements of `*args`
                out.append(tuple(self._converted(x, i, e in parts) for e, x in enumerate(arg)))
            else:
                out.append(self._converted(arg, i, i in whole))
        return tuple(out), argnums

    def _converted(self, arg, i, differentiated):
        """Argument `i` with its leaves made floats if `differentiated`, arrays copied."""
        leaves, tree = flatten(arg)
        if differentiated and static_only(tree):
            raise TypeError(
                f"cannot differentiate with respect to a {type(arg).__name__}: a function or an "
                "object is static structure. Differentiate with respect to the arrays it "
                "holds, passed as an argument (a dict or a dataclass of them).")
        if any(map(is_complex, leaves)):
            raise self._complex(i)
        convert = as_float if differentiated else _plain
        return unflatten(tree, [_owned(convert(x), x) for x in leaves])

    def _complex(self, i):
        names = self._binding.names
        name = f"`{names[i]}`" if i < len(names) else f"argument {i}"
        return ComplexValueError(
            f"{name} of {name_of(self.fun)} is complex: tangent_ad differentiates real "
            "functions of real numbers. Pass the real and imaginary parts as two real "
            "arguments (np.real(z), np.imag(z)).")

    def fun_plan(self, args, has_aux=False):
        """The plan of the function being differentiated, and the positions of its wrt leaves."""
        args, argnums = self.arguments(args)
        if self._function is None:
            if has_aux:
                raise TypeError("has_aux=True needs a function that returns (output, aux); "
                                f"{name_of(self.fun)} is a derivative.")
            plan = self.fun.plan(args)
        else:
            plan = self._function.plan(args, has_aux)
        return plan, plan.positions(argnums)

    def groups(self, plan):
        """The structures of the differentiated arguments."""
        return [plan.tree_of(a) for a in self.argnums]

    def plan(self, args):
        raise NotImplementedError

    def generate(self, args):
        """Generate (or fetch) the derivative for `args` without running it."""
        self.plan(args)

    @property
    def source(self):
        return self._last().source

    @property
    def python(self):
        """The last generated derivative as a Python function (the frontend can parse it)."""
        return self._last().python

    def aux(self, args):
        """The auxiliary value that `fun` returns beside its output (has_aux=True)."""
        return self._function.call(self.arguments(args)[0])[1]

    def _last(self):
        if self.last is None:
            raise TypeError(f"{name_of(self.fun)}'s derivative has not been generated yet: "
                            f"call it once, or use ta.source(derivative, *example_args).")
        return self.last


_PLAIN_SCALARS = {float: float, int: int, bool: bool, np.float64: np.float64}
_UNASKED = object()  # Grad._results: `_quick` was not called yet


def _quick_key(values):
    """A cheap, exact description of plain arguments (floats, ints, arrays) or of dicts,
    lists and tuples of them, or None."""
    try:
        return tuple([(v.shape, v.dtype) if type(v) is np.ndarray else _PLAIN_SCALARS[type(v)]
                      for v in values])
    except KeyError:
        try:
            return tuple([_tree_key(v) for v in values])
        except (KeyError, TypeError):
            return None


def _tree_key(v):
    kind = type(v)
    if kind is np.ndarray and v.ndim:  # a 0-d array becomes a number on the way in
        return v.shape, v.dtype
    if kind is dict:
        return dict, tuple(v), tuple([_tree_key(x) for x in v.values()])
    if kind is tuple or kind is list:
        return kind, tuple([_tree_key(x) for x in v])
    return _PLAIN_SCALARS[kind]


def _signature(fun):
    try:
        return inspect.signature(fun)
    except (TypeError, ValueError):
        return None


def output_error(plan, fun, what="grad", hint=None):
    value = plan.evaluate()
    leaves, tree = flatten(value)
    if tree != LEAF:
        shown = f"was a {type(value).__name__} of {len(leaves)} values"
    else:
        shown = f"had shape {np.shape(value)}"
    hint = hint or ("For a vector output use ta.jacrev or ta.jacfwd (the whole Jacobian) "
                    "or ta.vjp (a vector-Jacobian product).")
    return TypeError(f"{what} requires a function with a scalar output, but "
                     f"{name_of(fun)}'s output {shown}. {hint}")


class Grad(Transformed):
    """`grad(fun)(*args)`: the gradient of a scalar function (reverse mode)."""

    mode = "grad"

    def _generate(self, args):
        plan, wrt = self.fun_plan(args, self.has_aux)
        if len(plan.calls) != 1 or len(plan.calls[0].outputs) != 1:
            raise output_error(plan, self.fun)
        call = plan.calls[0]
        core = call.core if self.has_aux else call.core.select(call.outputs[0])
        generated = core.derive(self.mode, wrt, call.values(plan.leaves), self.backend,
                                self.has_aux)
        if generated is not self.last:
            self._check_scalar(generated, plan)
        self.last = generated
        return plan, call, generated, len(wrt)

    def _check_scalar(self, generated, plan):
        ndim = generated.output_ndim(first=self.has_aux)
        if ndim is None:  # the kinds cannot tell: look at a real output once
            ndim = np.ndim(plan.evaluate())
        if ndim != 0:
            raise output_error(plan, self.fun)

    def generate(self, args):
        self._generate(args)

    def prepare(self, args):
        """(generated derivative, the values of its parameters, the structures of the
        differentiated arguments): for tools that run the generated function themselves."""
        plan, call, generated, _ = self._generate(args)
        return generated, call.values(plan.leaves), self.groups(plan)

    def _results(self, args, quick=_UNASKED):
        """(structures of the differentiated arguments, the generated function's results);
        `quick`: what `_quick(args)` gave, when the caller asked it already."""
        quick = self._quick(args) if quick is _UNASKED else quick
        if quick is not None:  # plain arguments seen before: skip flattening and kinds
            groups, result, _ = quick
            return groups, list(result) if isinstance(result, tuple) else [result]
        plan, call, generated, _ = self._generate(args)
        values = call.values(plan.leaves)
        result = generated.call(*values)
        groups = self.groups(plan)
        self._remember(args, generated, call, groups)
        return groups, list(result) if isinstance(result, tuple) else [result]

    def _remember(self, args, generated, call, groups):
        key = _quick_key(args)
        if key is None or self._function is None or \
                not all(isinstance(a, int) for a in self.argnums):  # into *args: slow path
            return
        plain = all(t == LEAF for t in groups) and all(t == LEAF for t in map(structure, args))
        leaves = args if plain else [x for a in args for x in flatten(a)[0]]
        argnums = {a % len(args) for a in self.argnums}
        owners = [i for i, a in enumerate(args) for _ in (range(1) if plain else flatten(a)[0])]
        floats = [owner in argnums and isinstance(x, (int, np.integer))
                  for owner, x in zip(owners, leaves)]
        floats = floats if any(floats) else None  # None: the arguments pass as they are
        hidden = call.core.nf.hidden_values()
        self._fast[key] = (generated, call.core, floats, _quick_key(hidden), plain, groups)

    def __call__(self, *args, **kwargs):
        if kwargs or not self._binding.plain:
            args = self.bound(args, kwargs)
        quick = self._quick(args)
        if quick is not None and quick[2] and not self.has_aux and \
                isinstance(quick[1], tuple) != self.single:
            return quick[1]  # the quickest path: what the generated function returned
        groups, result = self._results(args, quick)
        if self.has_aux:
            aux, *grads = result
            return regroup(grads, groups, self.single), aux
        return regroup(result, groups, self.single)

    def _quick(self, args):
        """(structures of the differentiated arguments, the generated function's result,
        whether the arguments are plain) for arguments of kinds seen before, or None."""
        fast = self._fast.get(_quick_key(args))
        if fast is None:
            return None
        generated, core, floats, hidden_key, plain, groups = fast
        hidden = core.nf.hidden_values()  # globals are read at every call
        if hidden and _quick_key(hidden) != hidden_key:
            return None
        values = args if plain else [x for a in args for x in flatten(a)[0]]
        values = [float(a) if f else a for a, f in zip(values, floats)] if floats else values
        return groups, generated.call(*values, *hidden), plain

    def plan(self, args):
        if self.has_aux:
            raise TypeError(f"cannot differentiate {self.mode}(..., has_aux=True) again; "
                            "differentiate the function without has_aux.")
        plan, call, generated, count = self._generate(args)
        count += self.mode == "value_and_grad"
        place = self._placer(self.groups(plan), self.single)
        return plan.then([call.derived(generated, (), range(count))], place,
                         lambda cot, extra: [list(cot)])

    @staticmethod
    def _placer(groups, single):
        return lambda outs, extra: regroup(outs[0], groups, single)


class ValueAndGrad(Grad):
    """`value_and_grad(fun)(*args)` → (value, gradient) in one pass."""

    mode = "value_and_grad"

    def __call__(self, *args, **kwargs):
        groups, (value, *rest) = self._results(self.bound(args, kwargs))
        if self.has_aux:
            aux, *grads = rest
            return (value, aux), regroup(grads, groups, self.single)
        return value, regroup(rest, groups, self.single)

    @staticmethod
    def _placer(groups, single):
        return lambda outs, extra: (outs[0][0], regroup(outs[0][1:], groups, single))


def grad(fun=None, argnums=0, *, has_aux=False, backend=None):
    """The gradient of the scalar function `fun` with respect to the arguments `argnums`.

    Usable as `grad(f)`, `grad(f, argnums=(0, 1))` or as a decorator `@grad`.
    """
    if fun is None:
        return lambda f: Grad(f, argnums, has_aux, backend)
    return Grad(fun, argnums, has_aux, backend)


def value_and_grad(fun=None, argnums=0, *, has_aux=False, backend=None):
    """Like `grad`, returning `(value, gradient)`."""
    if fun is None:
        return lambda f: ValueAndGrad(f, argnums, has_aux, backend)
    return ValueAndGrad(fun, argnums, has_aux, backend)


def source(fun, *example_args, **example_kwargs):
    """The generated source of a derivative (after a call, or for `example_args` and
    `example_kwargs`)."""
    if not isinstance(fun, Transformed):
        raise TypeError("ta.source takes a derivative such as ta.grad(f); "
                        f"got {fun!r}.")
    if example_args or example_kwargs:
        fun.generate(fun.bound(example_args, example_kwargs))
    elif fun.last is None:
        fun.generate(fun.bound(fun._binding.example_args(), {}))
    return fun.source
