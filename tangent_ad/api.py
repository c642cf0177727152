"""The public API, shaped like JAX's: grad, value_and_grad, vjp, jvp, source.

A thin layer over the pipeline: it flattens container arguments into leaves, checks the
arguments, caches one generated derivative per (argument structure, kinds), and calls the
compiled core with flat positional leaves.
"""
import functools
import inspect

import numpy as np

from . import pipeline
from .errors import TangentADError
from .kinds import kinds_of_values
from .pytree import LEAF, flatten, structure, unflatten

BACKENDS = (None, "numba", "python")


def _normalize_argnums(argnums, fun):
    single = isinstance(argnums, (int, np.integer)) and not isinstance(argnums, bool)
    nums = (int(argnums),) if single else argnums
    if not isinstance(nums, tuple) or not all(isinstance(a, (int, np.integer))
                                              and not isinstance(a, bool) for a in nums):
        raise TypeError(f"argnums must be an int or a tuple of ints, got {argnums!r}.")
    if not nums:
        raise TypeError("argnums=() asks for no derivatives: give at least one argument "
                        "position, e.g. argnums=0.")
    if len(set(nums)) != len(nums):
        raise TypeError(f"argnums={argnums!r} repeats a position; give each position once.")
    count = _positional_count(fun)
    for a in nums:
        if count is not None and not -count <= a < count:
            raise TypeError(f"differentiating with respect to argnums={a} requires at least "
                            f"{a + 1} positional arguments, but {_name(fun)} takes {count}.")
    return tuple(nums), single


def _positional_count(fun):
    try:
        params = inspect.signature(fun).parameters.values()
    except (TypeError, ValueError):
        return getattr(fun, "nin", None)
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return None
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)


def _name(fun):
    return getattr(fun, "__name__", repr(fun))


def _as_float(leaf):
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


def _plain(leaf):
    if isinstance(leaf, np.ndarray) and leaf.ndim == 0:
        return leaf.item()
    return leaf


class Transformed:
    """A derivative of `fun`: callable, with one generated source per argument kinds."""

    mode = None

    def __init__(self, fun, argnums=0, has_aux=False, backend=None):
        if not callable(fun):
            raise TypeError(f"expected a function to differentiate, got {fun!r}.")
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}.")
        self.fun = fun
        self.argnums, self.single = _normalize_argnums(argnums, fun)
        self.has_aux = has_aux
        self.backend = backend
        self._parsed = None
        self._normalized = {}
        self._generated = {}
        self.last = None
        functools.update_wrapper(self, fun, updated=())

    # -- preparing a call ------------------------------------------------------
    def _leaves(self, args):
        nargs = len(args)
        argnums = tuple(a % nargs if a < 0 else a for a in self.argnums)
        if any(a >= nargs for a in argnums):
            raise TypeError(f"differentiating with respect to argnums={self.argnums} requires "
                            f"at least {max(argnums) + 1} positional arguments; "
                            f"{nargs} were given.")
        leaves, trees, wrt_index = [], [], []
        for i, arg in enumerate(args):
            arg_leaves, tree = flatten(arg)
            if i in argnums:
                arg_leaves = [_as_float(x) for x in arg_leaves]
            else:
                arg_leaves = [_plain(x) for x in arg_leaves]
            trees.append(tree)
            leaves.append(arg_leaves)
        return argnums, leaves, trees

    def _normalized_for(self, trees):
        key = tuple(trees)
        if key not in self._normalized:
            if self._parsed is None:
                self._parsed = _guarded(pipeline.parse, self.fun, self.fun)
            names = [a.id for a in self._parsed.tree.args.args]
            if len(names) != len(trees):
                raise TypeError(f"{_name(self.fun)} takes {len(names)} positional arguments "
                                f"but {len(trees)} were given.")
            arg_trees = {n: t for n, t in zip(names, trees) if t != LEAF}
            self._normalized[key] = _guarded(pipeline.normalize, self.fun, self._parsed,
                                             arg_trees)
        return self._normalized[key]

    def _wrt_params(self, nf, argnums, trees):
        names = [a.id for a in self._parsed.tree.args.args]
        wrt = []
        for i in argnums:
            if trees[i] == LEAF:
                wrt.append([names[i]])
            else:
                wrt.append([leaf for _, leaf in nf.leaf_paths[names[i]]])
        return wrt

    def prepare(self, args):
        """(generated derivative, flat arguments, grouping of the wrt leaves)."""
        argnums, leaves, trees = self._leaves(args)
        nf = self._normalized_for(trees)
        flat = [x for group in leaves for x in group] + nf.hidden_values()
        kinds_key = tuple(kinds_of_values(flat))
        key = (tuple(trees), argnums, kinds_key)
        wrt = self._wrt_params(nf, argnums, trees)
        if key not in self._generated:
            flat_wrt = [p for group in wrt for p in group]
            kinds = pipeline.param_kinds(nf, flat[:len(flat) - len(nf.hidden)], flat_wrt)
            generated = _guarded(pipeline.derive, self.fun, nf, kinds, flat_wrt, self.mode,
                                 self.has_aux, self.backend)
            self._check_output(generated, args)
            self._generated[key] = generated
        self.last = self._generated[key]
        return self.last, flat, [(trees[i], len(group)) for i, group in zip(argnums, wrt)]

    def _check_output(self, generated, args):
        pass

    def _regroup(self, grads, groups):
        out, pos = [], 0
        for tree, n in groups:
            out.append(unflatten(tree, grads[pos:pos + n]))
            pos += n
        return out[0] if self.single else tuple(out)

    @property
    def source(self):
        if self.last is None:
            raise TypeError(f"{_name(self.fun)}'s derivative has not been generated yet: call "
                            "it once, or use ta.source(derivative, *example_args).")
        return self.last.source


def _guarded(stage, fun, *args):
    """Run a pipeline stage; an unexpected exception becomes an explained TangentADError."""
    try:
        return stage(*args)
    except TangentADError:
        raise
    except Exception as exc:  # a defect in tangent_ad, not in the user's code
        raise TangentADError(
            f"tangent_ad failed while differentiating {_name(fun)} ({type(exc).__name__}: "
            f"{exc}). This is a bug in tangent_ad; the function may use a construct it does "
            "not handle yet. Please report it with the function's source.") from exc


def _output_error(fun, args, has_aux):
    out = fun(*args)
    if has_aux:
        out = out[0]
    shape = np.shape(out)
    return TypeError(f"grad requires a function with a scalar output, but {_name(fun)}'s "
                     f"output had shape {shape}. For a vector output use ta.jacrev or "
                     "ta.jacfwd (the whole Jacobian) or ta.vjp (a vector-Jacobian product).")


def _check_aux(nf, fun, has_aux):
    outputs = pipeline.output_node(nf)
    returns_pair = len(outputs) == 2
    if has_aux and not returns_pair:
        raise TypeError(f"has_aux=True requires {_name(fun)} to return a pair (output, aux), "
                        f"but it returns {len(outputs)} value(s).")


class Grad(Transformed):
    """`grad(fun)(*args)`: the gradient of a scalar function (reverse mode)."""

    mode = "grad"

    def _check_output(self, generated, args):
        _check_aux(generated.normalized, self.fun, self.has_aux)
        outputs = pipeline.output_node(generated.normalized)
        kind = generated.analysis.kind(outputs[0])
        if kind.ndim is None:  # the kinds cannot tell: look at a real output once
            out = self.fun(*args)
            if np.ndim(out[0] if self.has_aux else out) == 0:
                return
        if kind.ndim != 0:
            raise _output_error(self.fun, args, self.has_aux)

    def __call__(self, *args):
        generated, flat, groups = self.prepare(args)
        result = generated.call(*flat)
        if self.has_aux:
            aux, *grads = result if isinstance(result, tuple) else (result,)
            return self._regroup(grads, groups), aux
        grads = list(result) if isinstance(result, tuple) else [result]
        return self._regroup(grads, groups)


class ValueAndGrad(Grad):
    """`value_and_grad(fun)(*args)` → (value, gradient) in one pass."""

    mode = "value_and_grad"

    def __call__(self, *args):
        generated, flat, groups = self.prepare(args)
        value, *rest = generated.call(*flat)
        if self.has_aux:
            aux, *grads = rest
            return (value, aux), self._regroup(grads, groups)
        return value, self._regroup(rest, groups)


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


def source(fun, *example_args):
    """The generated source of a derivative (after a call, or for `example_args`)."""
    if not isinstance(fun, Transformed):
        raise TypeError("ta.source takes a derivative such as ta.grad(f); "
                        f"got {fun!r}.")
    if example_args:
        fun.prepare(example_args)
    elif fun.last is None:
        count = _positional_count(fun.fun) or 1
        fun.prepare(tuple(1.0 for _ in range(count)))
    return fun.source




def _is_float_leaf(leaf):
    if isinstance(leaf, np.ndarray):
        return np.issubdtype(leaf.dtype, np.floating)
    return isinstance(leaf, (float, np.floating))


class Jvp(Transformed):
    """Forward mode: the function's value and its derivative along given tangents."""

    mode = "jvp"

    def __init__(self, fun, has_aux=False, backend=None):
        self.fun = fun
        self.has_aux = has_aux
        self.backend = backend
        self.argnums, self.single = (), False
        self._parsed, self._normalized, self._generated, self.last = None, {}, {}, None

    def __call__(self, primals, tangents):
        primals, tangents = _check_jvp_args(primals, tangents)
        self.argnums = tuple(i for i, p in enumerate(primals)
                             if any(_is_float_leaf(x) for x in flatten(p)[0]))
        generated, flat, groups = self.prepare(primals)
        dots = []
        for i in self.argnums:
            dots.extend(_as_float(t) for t in flatten(tangents[i])[0])
        result = generated.call(*flat, *dots)
        if self.has_aux:
            out, out_dot, aux = result
            return out, out_dot, aux
        return result


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
            raise TypeError(f"primal {i} and its tangent have different structures.")
        for pl, tl in zip(flatten(p)[0], flatten(t)[0]):
            if np.shape(pl) != np.shape(tl):
                raise ValueError(f"primal {i} has shape {np.shape(pl)} but its tangent has "
                                 f"shape {np.shape(tl)}; they must match.")
    return tuple(primals), tuple(tangents)


def jvp(fun, primals, tangents, *, has_aux=False, backend=None):
    """(fun(*primals), the derivative of fun at primals along tangents) — forward mode."""
    return Jvp(fun, has_aux, backend)(primals, tangents)
